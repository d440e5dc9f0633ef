import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks

/// One certified lower bound with its argument.
public struct LowerBound: Sendable {
    /// `circle`, `moment-curve`, `distinct-codes` or `counting`.
    public var argument: String
    /// The bound on the first layer's width, when it bounds that.
    public var firstLayerNeurons: Int?
    /// The bound on weights plus biases, when it bounds that.
    public var weights: Int?
    /// True for bounds on networks that memorize every labeling of the points
    /// (not only the given one).
    public var allLabelings: Bool
    /// One line saying why.
    public var explanation: String
    /// The witness data, as JSON.
    public var witness: JSONValue
}

/// Every certified lower bound that applies to a labeled data set
/// (docs/ARCHITECTURE.md, "Separation and lower bounds").
public struct LowerBoundReport: Sendable {
    public var pointCount: Int
    public var dimension: Int
    public var classCount: Int
    public var bounds: [LowerBound]
    /// Why the curve arguments did not apply.
    public var notApplicable: [(argument: String, reason: String)]
    /// The largest first-layer bound for this labeled set (1 if only trivial bounds apply, 0 if all labels are equal).
    public var best: Int
    /// The circle witness, when it applies (for certificates).
    public var circle: CurveBounds.Circle?
    public var momentCurve: CurveBounds.MomentCurve?

    /// Computes every bound. `neurons` is the N of the counting bound.
    public init(data: DataSet, neurons: Int) {
        pointCount = data.count
        dimension = data.dimension
        classCount = data.classCount
        var bounds: [LowerBound] = []
        var notApplicable: [(String, String)] = []
        let mixed = data.distinctLabelCount > 1
        var best = mixed ? 1 : 0
        func lines(_ indices: [Int]) -> JSONValue { .array(indices.map { .integer(data.lines[$0]) }) }

        switch CurveBounds.circle(data) {
        case .success(let c):
            circle = c
            var w = JSONObjectBuilder()
            w.add("center", .array(c.center.map { .rational($0) }))
            w.add("radiusSquared", .rational(c.radiusSquared))
            w.add("planeOrigin", .array(c.origin.map { .rational($0) }))
            w.add("planeBasis", .array(c.basis.map { .array($0.map { .rational($0) }) }))
            w.add("labelChanges", .integer(c.labelChanges))
            w.add("cyclicOrderLines", lines(c.cyclicOrder))
            bounds.append(LowerBound(
                argument: "circle", firstLayerNeurons: c.bound, weights: nil, allLabelings: false,
                explanation: "the points lie on one circle (checked exactly) with \(c.labelChanges) label changes in cyclic order; "
                    + "a hyperplane meets a circle in at most 2 points or contains it, so each first-layer neuron changes "
                    + "output at most twice around it: width >= ⌈\(c.labelChanges)/2⌉ = \(c.bound)",
                witness: w.value))
            best = max(best, c.bound)
        case .failure(let f):
            circle = nil
            notApplicable.append(("circle", f.reason))
        }

        switch CurveBounds.momentCurve(data) {
        case .success(let m):
            momentCurve = m
            var w = JSONObjectBuilder()
            w.add("labelChanges", .integer(m.labelChanges))
            w.add("orderLines", lines(m.order))
            w.add("parameters", .array(m.parameters.map { .rational($0) }))
            bounds.append(LowerBound(
                argument: "moment-curve", firstLayerNeurons: m.bound, weights: nil, allLabelings: false,
                explanation: "the points lie on t -> (t, ..., t^\(m.dimension)) (checked exactly) with \(m.labelChanges) label "
                    + "changes in t order; a hyperplane meets the curve in at most \(m.dimension) points (a nonzero polynomial of "
                    + "degree \(m.dimension) has at most \(m.dimension) roots), so width >= ⌈\(m.labelChanges)/\(m.dimension)⌉ = \(m.bound)",
                witness: w.value))
            best = max(best, m.bound)
        case .failure(let f):
            momentCurve = nil
            notApplicable.append(("moment-curve", f.reason))
        }

        let distinctCodes: Int?
        do {
            distinctCodes = try RegionCounts.inverse(target: BigInt(data.count), dimension: data.dimension, central: false)
        } catch {
            distinctCodes = nil
            notApplicable.append(("distinct-codes", error.message))
        }
        if let k = distinctCodes {
            var w = JSONObjectBuilder()
            w.add("regionsAtBound", .string(RegionCounts.affine(hyperplanes: k, dimension: data.dimension).description))
            w.add("regionsBelowBound", .string(k > 0 ? RegionCounts.affine(hyperplanes: k - 1, dimension: data.dimension).description : "0"))
            bounds.append(LowerBound(
                argument: "distinct-codes", firstLayerNeurons: k, weights: nil, allLabelings: true,
                explanation: "to memorize every labeling, all \(data.count) points need distinct first-layer codes, and k hyperplanes "
                    + "in R^\(data.dimension) make at most Σ_{i<=\(data.dimension)} C(k, i) regions: width >= \(k) "
                    + "(also for 1[z >= 0]: raising every bias by a small ε > 0 changes no code on finitely many points)",
                witness: w.value))
        }

        let wMin = CountingBound.minimumWeights(points: data.count, neurons: neurons)
        var w = JSONObjectBuilder()
        w.add("neurons", .integer(neurons))
        w.add("eUpperBound", .rational(CountingBound.eUpper))
        bounds.append(LowerBound(
            argument: "counting", firstLayerNeurons: nil, weights: wMin, allLabelings: true,
            explanation: "a network of N = \(neurons) threshold neurons memorizing every labeling of \(data.count) points shatters "
                + "them, and its VC dimension is at most 2W log2(eN) (Baum–Haussler 1989): W >= \(wMin) weights and biases",
            witness: w.value))

        self.bounds = bounds
        self.notApplicable = notApplicable
        self.best = best
    }
}

// MARK: - Output

extension LowerBoundReport {
    /// The stable `--json` object of `memcert lower-bound`.
    public func json(network: (path: String, width: Int)? = nil) -> JSONValue {
        var o = JSONObjectBuilder()
        o.add("format", .string("memcert.lower-bound/1"))
        o.add("n", .integer(pointCount))
        o.add("d", .integer(dimension))
        o.add("classes", .integer(classCount))
        o.add("bounds", .array(bounds.map { b in
            var e = JSONObjectBuilder()
            e.add("argument", .string(b.argument))
            if let f = b.firstLayerNeurons { e.add("firstLayerNeurons", .integer(f)) }
            if let w = b.weights { e.add("weights", .integer(w)) }
            e.add("allLabelings", .bool(b.allLabelings))
            e.add("explanation", .string(b.explanation))
            e.add("witness", b.witness)
            return e.value
        }))
        o.add("notApplicable", .array(notApplicable.map { .object([.init("argument", .string($0.argument)), .init("reason", .string($0.reason))]) }))
        o.add("best", .integer(best))
        if let network {
            var n = JSONObjectBuilder()
            n.add("file", .string(network.path))
            n.add("firstLayerWidth", .integer(network.width))
            n.add("ratio", best > 0 ? .string(Rational(network.width, best).decimalString(fractionDigits: 3)) : .null)
            o.add("network", n.value)
        }
        return o.value
    }

    /// One line per bound, then the best bound and the network next to it.
    public func humanText(data: String, network: (path: String, width: Int)? = nil) -> String {
        var lines = ["data      \(data): n = \(pointCount) points in d = \(dimension), \(classCount) classes", ""]
        for b in bounds {
            let value = b.firstLayerNeurons.map { "first layer >= \($0)" } ?? b.weights.map { "weights >= \($0)" } ?? ""
            let scope = b.allLabelings ? " (every labeling)" : ""
            lines.append("\(b.argument.padded(to: 16)) \(value)\(scope)")
            lines.append("                 \(b.explanation)")
        }
        for (argument, reason) in notApplicable {
            lines.append("\(argument.padded(to: 16)) does not apply: \(reason)")
        }
        lines.append("")
        lines.append("best      first layer >= \(best) for this labeling")
        if let network {
            let ratio = best > 0 ? Rational(network.width, best).decimalString(fractionDigits: 2) : "n/a"
            lines.append("network   \(network.path): first layer \(network.width) = \(ratio) × the bound")
        }
        return lines.joined(separator: "\n")
    }
}
