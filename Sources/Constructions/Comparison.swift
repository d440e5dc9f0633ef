import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every construction built on the same data through the `Construction`
/// interface and verified exactly (`memcert compare`), next to Vershynin's
/// bound. It writes nothing: the command line writes the networks.
public struct Comparison: Sendable {
    public struct Row: Sendable {
        public var method: ConstructionMethod
        /// The verified network, when the method applies.
        public var result: ConstructionResult?
        /// Its counts, when the method applies.
        public var counts: NetworkCounts?
        /// Why it does not apply, otherwise.
        public var reason: String?
        /// Build time including exact verification.
        public var seconds: Double

        /// True when the method applies and its network memorizes the data (checked exactly).
        public var verified: Bool { result?.verification.memorized ?? false }
    }

    /// One row per method, in `ConstructionMethod.allCases` order.
    public var rows: [Row]
    public var minimumDistance: MinimumDistance
    /// Vershynin (2020)'s published bound, constants and log factors dropped.
    public var vershynin: (neurons: String, weights: String)?
    public var vershyninReason: String?

    public static let vershyninFormula = "neurons ~ e^(1/δ²) + √n, weights ~ e^(1/δ²)(d + √n) + n (Vershynin 2020; constants and logarithms dropped)"

    /// Builds and verifies every method with default options and `seed`, sharing
    /// one computation of the data's minimum distance. A method that does not
    /// apply (it throws `RequestError`) gets a row with the reason.
    public static func run(_ data: DataSet, seed: UInt64) throws -> Comparison {
        var options = ConstructionOptions()
        let minimumDistance = data.minimumDistance()
        options.minimumDistance = minimumDistance
        var rows: [Row] = []
        for method in ConstructionMethod.allCases {
            let start = ContinuousClock.now
            do {
                let result = try method.construction.construct(data, options: options, seed: seed)
                rows.append(Row(method: method, result: result, counts: result.network.counts, reason: nil,
                                seconds: start.duration(to: .now) / .seconds(1)))
            } catch let error as RequestError {
                rows.append(Row(method: method, result: nil, counts: nil, reason: error.message,
                                seconds: start.duration(to: .now) / .seconds(1)))
            }
        }
        var comparison = Comparison(rows: rows, minimumDistance: minimumDistance, vershynin: nil, vershyninReason: nil)
        if let d2 = minimumDistance.deltaSquared, let delta2 = d2.approximation, delta2 > 0 {
            let n = Double(data.count), d = Double(data.dimension)
            let log10Exp = (1 / delta2) * log10(M_E)  // log10 of e^(1/δ²)
            comparison.vershynin = (Comparison.scientific(log10Exp, plus: n.squareRoot()),
                                    Comparison.scientific(log10Exp + log10(d + n.squareRoot()), plus: n))
        } else if let d2 = minimumDistance.deltaSquared {
            comparison.vershyninReason = "δ² = \(d2.scientificString()) is below 2^-1000, so e^(1/δ²) exceeds 10^(10^300)"
        } else {
            comparison.vershyninReason = "needs δ: " + (minimumDistance.skipped ?? "no pairs")
        }
        return comparison
    }

    /// 10^log10Value + plus, printed with three significant digits; exponents too
    /// large for an integer print as 10^(x) with x in scientific notation. Total:
    /// no value is converted to an integer unless it fits.
    static func scientific(_ log10Value: Double, plus: Double) -> String {
        if log10Value < 15, let value = Int(exactly: (pow(10, log10Value) + plus).rounded()) { return String(value) }
        let exponent = log10Value.rounded(.down)
        guard exponent.isFinite, exponent < 1e15, let e = Int(exactly: exponent) else {
            return "10^(\(log10Value.scientificText(digits: 2)))"
        }
        let mantissa = pow(10, log10Value - exponent)
        return "\(mantissa.roundedText(digits: 2))e+\(e)"
    }

    /// The built rows with the least neurons and the least weights.
    public var smallest: (byNeurons: ConstructionMethod?, byWeights: ConstructionMethod?) {
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
                lines.append([row.method.rawValue, "\(c.neurons)", "\(c.weights)", "\(c.depth)", "\(c.largestWeightBits)",
                              "\(c.firstLayerWidth)", row.seconds.roundedText(digits: 2), row.verified ? "yes" : "NO"])
            } else {
                lines.append([row.method.rawValue, "-", "-", "-", "-", "-", "-", "does not apply"])
            }
        }
        if let v = vershynin {
            lines.append(["vershynin2020", v.neurons, v.weights, "-", "-", "-", "-", "bound only"])
        } else {
            lines.append(["vershynin2020", "-", "-", "-", "-", "-", "-", "bound only"])
        }
        var text = TextTable.render(lines, rightAligned: [1, 2, 3, 4, 5, 6])
        for row in rows { if let reason = row.reason { text += "\n  \(row.method.rawValue): \(reason)" } }
        text += "\n  vershynin2020: not constructed; " + (vershyninReason ?? Comparison.vershyninFormula)
        return text
    }

    /// The methods as JSON objects; `files` names the file each network was written to.
    public func methodsJSON(files: [ConstructionMethod: String]) -> JSONValue {
        .array(rows.map { row in
            var o = JSONObjectBuilder()
            o.add("method", .string(row.method.rawValue))
            o.add("applies", .bool(row.counts != nil))
            o.add("reason", row.reason.map { .string($0) } ?? .null)
            if let c = row.counts {
                o.add("neurons", .integer(c.neurons))
                o.add("weights", .integer(c.weights))
                o.add("depth", .integer(c.depth))
                o.add("largestWeightBits", .integer(c.largestWeightBits))
                o.add("firstLayerWidth", .integer(c.firstLayerWidth))
            }
            o.add("seconds", .number(row.seconds.roundedText(digits: 3)))
            o.add("verified", .bool(row.verified))
            o.add("file", files[row.method].map { .string($0) } ?? .null)
            return o.value
        })
    }
}
