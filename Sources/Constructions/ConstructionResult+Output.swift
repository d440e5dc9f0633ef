import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks

extension ConstructionResult {
    /// The stable `--json` object of `memcert construct` (documented in the README).
    public func json(data: String, output: String?) -> JSONValue {
        var o = JSONObjectBuilder()
        o.add("format", .string("memcert.construct/1"))
        o.add("method", .string(method.rawValue))
        o.add("data", .string(data))
        o.add("output", output.map { .string($0) } ?? .null)
        o.add("n", .integer(verification.pointCount))
        o.add("d", .integer(verification.dimension))
        o.add("classes", .integer(verification.classCount))
        o.add("separation", minimumDistance?.json ?? .null)
        o.add("stages", .array(stages.map { stage in
            var s = JSONObjectBuilder()
            s.add("stage", .string(stage.stage))
            s.add("name", .string(stage.name))
            s.add("layers", .integer(stage.counts.depth))
            s.add("neurons", .integer(stage.counts.neurons))
            s.add("weights", .integer(stage.counts.weights))
            s.add("largestWeightBits", .integer(stage.counts.largestWeightBits))
            s.add("largestBiasBits", .integer(stage.counts.largestBiasBits))
            return s.value
        }))
        o.add("totals", network.counts.json(widths: network.widths))
        var t = JSONObjectBuilder()
        for q in quantities { t.add(q.key, q.value) }
        o.add("theory", t.value)
        o.add("verified", .bool(verification.memorized))
        o.add("seconds", .object(seconds.map { .init($0.0, .number($0.1.roundedText(digits: 3))) }))
        return o.value
    }

    /// The per-stage table, the theory next to it, and the verdict.
    public func humanText(data: String, output: String?) -> String {
        var lines: [String] = []
        lines.append("data      \(data): n = \(verification.pointCount) points in d = \(verification.dimension), "
                     + "\(verification.classCount) classes")
        if let minimumDistance { lines.append("          \(minimumDistance.summary)") }
        lines.append("method    \(method.rawValue)")
        lines.append("")
        var rows: [[String]] = [["stage", "what", "layers", "neurons", "weights", "largest weight bits"]]
        for s in stages {
            rows.append([s.stage, s.name, "\(s.counts.depth)", "\(s.counts.neurons)", "\(s.counts.weights)",
                         "\(s.counts.largestWeightBits)"])
        }
        let c = network.counts
        rows.append(["total", "", "\(c.depth)", "\(c.neurons)", "\(c.weights)", "\(c.largestWeightBits)"])
        lines.append(TextTable.render(rows, rightAligned: [2, 3, 4, 5]))
        lines.append("")
        for q in quantities {
            if case .array(let items) = q.value {
                // A list of objects (auto's candidates): the note, then one line per item.
                lines.append("  \(q.key.padded(to: 18)) \("".padded(to: 10, left: true))   \(q.note)")
                for item in items {
                    guard case .object(let members) = item else { continue }
                    lines.append("      " + members.map { "\($0.key) \($0.value.plainText)" }.joined(separator: ", "))
                }
                continue
            }
            let value = q.value.plainText
            lines.append("  \(q.key.padded(to: 18)) \(value.padded(to: 10, left: true))   \(q.note)")
        }
        lines.append("")
        lines.append("verified  memorized: all \(verification.pointCount) points get their labels (exact arithmetic)")
        if let output { lines.append("wrote     \(output)") }
        return lines.joined(separator: "\n")
    }
}
