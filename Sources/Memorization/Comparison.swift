import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every method of DESIGN section 2 built on the same data and verified exactly.
public struct Comparison: Sendable {
    public struct Row: Sendable {
        public var method: String
        /// The counts, when the method applies and was built.
        public var counts: NetworkCounts?
        /// Why it does not apply, otherwise.
        public var reason: String?
        public var seconds: Double
        public var verified: Bool
        public var file: String?
    }

    public var rows: [Row]
    public var minimumDistance: MinimumDistance
    /// Vershynin (2020)'s published bound, constants and log factors dropped.
    public var vershynin: (neurons: String, weights: String)?
    public var vershyninReason: String?

    public static let vershyninFormula = "neurons ~ e^(1/δ²) + √n, weights ~ e^(1/δ²)(d + √n) + n (Vershynin 2020; constants and logarithms dropped)"

    /// Builds rajput2021, baum1988 and indicator; writes each network into `folder` when given.
    public static func run(_ data: DataSet, seed: UInt64, folder: String?) throws -> Comparison {
        let minimumDistance = data.minimumDistance()
        var rows: [Row] = []
        func attempt(_ method: String, _ build: () throws -> ConstructionResult) throws {
            let start = ContinuousClock.now
            do {
                let result = try build()
                var file: String?
                if let folder {
                    file = folder + "/\(method).json"
                    try result.network.write(to: file!)
                }
                rows.append(Row(method: method, counts: result.network.counts, reason: nil, seconds: start.duration(to: .now) / .seconds(1),
                                verified: result.verification.memorized, file: file))
            } catch let error as RequestError {
                rows.append(Row(method: method, counts: nil, reason: error.message, seconds: start.duration(to: .now) / .seconds(1), verified: false, file: nil))
            }
        }
        var options = Rajput2021Options()
        options.seed = seed
        try attempt("rajput2021") { try Rajput2021.construct(data, options: options, minimumDistance: minimumDistance) }
        try attempt("baum1988") { try Baum1988.construct(data, seed: seed) }
        try attempt("indicator") { try IndicatorConstruction.construct(data, minimumDistance: minimumDistance) }
        var comparison = Comparison(rows: rows, minimumDistance: minimumDistance, vershynin: nil, vershyninReason: nil)
        if let d2 = minimumDistance.deltaSquared, let delta2 = d2.approximation, delta2 > 0 {
            let n = Double(data.count), d = Double(data.dimension)
            let log10Exp = (1 / delta2) * log10(M_E)  // log10 of e^(1/δ²)
            comparison.vershynin = (Comparison.scientific(log10Exp, plus: n.squareRoot()),
                                    Comparison.scientific(log10Exp + log10(d + n.squareRoot()), plus: n))
        } else {
            comparison.vershyninReason = "needs δ: " + (minimumDistance.skipped ?? "no pairs")
        }
        return comparison
    }

    /// 10^log10Value + plus, printed with three significant digits.
    static func scientific(_ log10Value: Double, plus: Double) -> String {
        if log10Value < 15 { return String(Int((pow(10, log10Value) + plus).rounded())) }
        let exponent = log10Value.rounded(.down)
        let mantissa = pow(10, log10Value - exponent)
        return "\((mantissa * 100).rounded() / 100)e+\(Int(exponent))"
    }

    /// The built rows with the least neurons and the least weights.
    public var smallest: (byNeurons: String?, byWeights: String?) {
        let built = rows.filter { $0.counts != nil && $0.verified }
        return (built.min { $0.counts!.neurons < $1.counts!.neurons }?.method,
                built.min { $0.counts!.weights < $1.counts!.weights }?.method)
    }
}

extension Comparison {
    /// The comparison table (and the Vershynin bound row).
    public func table() -> String {
        var lines: [[String]] = [["method", "neurons", "weights", "depth", "largest weight bits", "first layer", "build s", "verified"]]
        for row in rows {
            if let c = row.counts {
                lines.append([row.method, "\(c.neurons)", "\(c.weights)", "\(c.depth)", "\(c.largestWeightBits)",
                              "\(c.firstLayerWidth)", String((row.seconds * 100).rounded() / 100), row.verified ? "yes" : "NO"])
            } else {
                lines.append([row.method, "-", "-", "-", "-", "-", "-", "does not apply"])
            }
        }
        if let v = vershynin {
            lines.append(["vershynin2020", v.neurons, v.weights, "-", "-", "-", "-", "bound only"])
        } else {
            lines.append(["vershynin2020", "-", "-", "-", "-", "-", "-", "bound only"])
        }
        var text = TextTable.render(lines, rightAligned: [1, 2, 3, 4, 5, 6])
        for row in rows where row.reason != nil { text += "\n  \(row.method): \(row.reason!)" }
        text += "\n  vershynin2020: not constructed; " + (vershyninReason ?? Comparison.vershyninFormula)
        return text
    }

    /// The methods as JSON objects.
    public var methodsJSON: JSONValue {
        .array(rows.map { row in
            var o = JSONObjectBuilder()
            o.add("method", .string(row.method))
            o.add("applies", .bool(row.counts != nil))
            o.add("reason", row.reason.map { .string($0) } ?? .null)
            if let c = row.counts {
                o.add("neurons", .integer(c.neurons))
                o.add("weights", .integer(c.weights))
                o.add("depth", .integer(c.depth))
                o.add("largestWeightBits", .integer(c.largestWeightBits))
                o.add("firstLayerWidth", .integer(c.firstLayerWidth))
            }
            o.add("seconds", .number(String((row.seconds * 1000).rounded() / 1000)))
            o.add("verified", .bool(row.verified))
            o.add("file", row.file.map { .string($0) } ?? .null)
            return o.value
        })
    }
}
