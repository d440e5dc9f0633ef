import TextFormats

// MARK: - sweep.csv

extension SweepResult {
    /// The columns of `sweep.csv`, in order.
    public static let csvColumns = [
        "method", "n", "d", "delta", "measuredDelta", "seed", "layout", "labels",
        "neurons", "weights", "depth", "firstLayer", "largestWeightBits",
        "lowerBound", "firstLayerBoundAllLabelings", "neuronsBoundAllLabelings",
        "seconds", "verified", "reason",
    ]

    /// Tidy CSV (RFC 4180): a header, then one row per (method, n, δ, seed) in run
    /// order. Counts are empty when the method does not apply; `reason` says why.
    /// `delta` is the requested δ (a decimal when it terminates, else p/q);
    /// `measuredDelta` the data's exact minimum distance rounded down to six
    /// decimals (empty when computing it was skipped); `seconds` the build and exact
    /// verification, to milliseconds (the only column that varies between runs).
    public func csvBytes() -> [UInt8] {
        var text = SweepResult.csvColumns.joined(separator: ",") + "\n"
        for row in rows {
            let c = row.counts
            let fields: [String] = [
                row.method.rawValue, String(row.n), String(row.dimension), SweepPlan.text(row.delta),
                row.measuredDelta ?? "", String(row.seed), row.layout.rawValue, row.labels.description,
                c.map { String($0.neurons) } ?? "", c.map { String($0.weights) } ?? "", c.map { String($0.depth) } ?? "",
                c.map { String($0.firstLayerWidth) } ?? "", c.map { String($0.largestWeightBits) } ?? "",
                String(row.lowerBound), String(row.firstLayerBoundAllLabelings), String(row.neuronsBoundAllLabelings),
                SweepResult.milliseconds(row.seconds), row.verified ? "true" : "false", row.reason ?? "",
            ]
            text += fields.map(SweepResult.csvField).joined(separator: ",") + "\n"
        }
        return Array(text.utf8)
    }

    /// A field quoted when it holds a comma, quote or line break (quotes doubled).
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
    }

    /// Seconds with three decimals ("0.042", "12.300").
    static func milliseconds(_ seconds: Double) -> String {
        let ms = Int(exactly: (max(0, min(seconds, 1e9)) * 1000).rounded()) ?? 0  // clamped: the conversion cannot fail
        let fraction = String(ms % 1000)
        return "\(ms / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

extension String {
    /// Every occurrence of `target` replaced (the standard library has no replacing without Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
