import ExactArithmetic
import TextFormats

extension MinimumDistance {
    /// The minimum distance as a JSON object: exact R², δ² (or null) and δ as a
    /// decimal. It is the `"separation"` object of `construct --json` and
    /// `compare --json` (the key predates the name; output formats keep it).
    public var json: JSONValue {
        var o = JSONObjectBuilder()
        o.add("radiusSquared", .rational(radiusSquared))
        o.add("deltaSquared", deltaSquared.map { .rational($0) } ?? .null)
        o.add("delta", deltaDecimal().map { .string($0) } ?? .null)
        o.add("onCentredSphere", .bool(onCentredSphere))
        o.add("skipped", skipped.map { .string($0) } ?? .null)
        return o.value
    }

    /// "R² = 1, δ² = 1/400 (δ = 0.050000)" or why δ was skipped.
    public var summary: String {
        var text = "R² = \(radiusSquared.description.count > 40 ? radiusSquared.scientificString() : radiusSquared.description)"
        if let d2 = deltaSquared {
            let exact = d2.description.count > 40 ? "\(d2.scientificString()) (exact value in --json)" : d2.description
            let decimal = deltaDecimal() ?? "?"
            // Rounded down to 6 decimals, a tiny δ would read 0.000000: say how small instead.
            text += ", δ² = \(exact) (δ \(decimal == "0.000000" ? "< 0.000001" : "= " + decimal))"
        } else if let skipped {
            text += ", δ not computed: \(skipped)"
        }
        return text
    }
}
