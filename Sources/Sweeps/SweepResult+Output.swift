import Constructions
import ExactArithmetic
import TextFormats

// MARK: - Reports

extension SweepResult {
    /// The stable `--json` object (`memcert.sweep/1`). `folder` and `files` name
    /// what the command line wrote.
    public func json(folder: String, files: [String]) -> JSONValue {
        var o = JSONObjectBuilder()
        o.add("format", .string("memcert.sweep/1"))
        var p = JSONObjectBuilder()
        p.add("n", .array(plan.sizes.map { .integer($0) }))
        p.add("d", .integer(plan.dimension))
        p.add("delta", .array(plan.deltas.map { .string(SweepPlan.text($0)) }))
        p.add("layout", .string(plan.layout.rawValue))
        p.add("labels", .string(plan.labels.description))
        p.add("methods", .array(plan.methods.map { .string($0.rawValue) }))
        p.add("seeds", .array(plan.seeds.map { .integer($0) }))
        o.add("plan", p.value)
        o.add("folder", .string(folder))
        o.add("files", .array(files.map { .string($0) }))
        o.add("rows", .integer(rows.count))
        o.add("verifiedRows", .integer(rows.filter(\.verified).count))
        o.add("slopes", .array(slopes.map { entry in
            var s = JSONObjectBuilder()
            s.add("method", .string(entry.method.rawValue))
            s.add("delta", .string(SweepPlan.text(entry.delta)))
            s.add("slope", entry.fit.map { .number($0.slope.roundedText(digits: 4)) } ?? .null)
            s.add("intercept", entry.fit.map { .number($0.intercept.roundedText(digits: 4)) } ?? .null)
            s.add("points", .integer(entry.points))
            s.add("sizes", .integer(entry.sizes))
            return s.value
        }))
        o.add("circleBounds", .array(circleBounds.map { c in
            var b = JSONObjectBuilder()
            b.add("delta", .string(SweepPlan.text(c.delta)))
            b.add("points", .integer(c.points))
            b.add("measuredDelta", .string(c.measuredDelta))
            b.add("firstLayerNeurons", .integer(c.firstLayerNeurons))
            return b.value
        }))
        o.add("notes", .array(notes.map { .string($0) }))
        o.add("internalErrors", .array(internalErrors.map { .string($0) }))
        return o.value
    }

    /// What the human output and `--json` add to the numbers: single δ, methods that never applied.
    public var notes: [String] {
        var notes: [String] = []
        if plan.deltas.count == 1 {
            notes.append("one δ: only \(SweepResult.neuronsPlotFile) was written (first-layer width against 1/δ needs two or more δ)")
        }
        for method in plan.methods where !rows.contains(where: { $0.method == method && $0.verified }) {
            let reason = rows.first { $0.method == method }?.reason ?? "no rows"
            notes.append("\(method.rawValue): no network in any case (\(reason))")
        }
        return notes
    }

    /// The slope table: one row per method, one column per δ, three decimals.
    public func slopeTable() -> String {
        var lines = [["method"] + plan.deltas.map { "δ = \(SweepPlan.text($0))" }]
        let all = slopes
        for method in plan.methods {
            lines.append([method.rawValue] + plan.deltas.map { delta in
                all.first { $0.method == method && $0.delta == delta }?.fit.map { $0.slope.fixed(3) } ?? "-"
            })
        }
        return TextTable.render(lines, rightAligned: Set(1 ... plan.deltas.count), indent: "  ")
    }

    /// Mean neurons per method and n at the smallest δ, with the lower bound.
    public func sizeTable() -> String {
        let delta = plan.deltas[plan.deltas.count - 1]
        var lines = [["n"] + plan.methods.map(\.rawValue) + ["lower bound"]]
        for n in plan.sizes {
            let here = rows.filter { $0.n == n && $0.delta == delta }
            var line = [String(n)]
            for method in plan.methods {
                let values = here.filter { $0.method == method && $0.verified }.compactMap { $0.counts?.neurons }
                line.append(values.isEmpty ? "-" : (Double(values.reduce(0, +)) / Double(values.count)).fixed(0))
            }
            line.append(here.map(\.neuronsBoundAllLabelings).filter { $0 > 0 }.min().map(String.init) ?? "-")
            lines.append(line)
        }
        return TextTable.render(lines, rightAligned: Set(0 ... plan.methods.count + 1), indent: "  ")
    }
}

extension Double {
    /// The value with exactly `digits` decimals, rounded half away from zero ("0.500", "12").
    func fixed(_ digits: Int) -> String {
        var scale = 1.0
        for _ in 0 ..< digits { scale *= 10 }
        let scaled = (abs(self) * scale).rounded()
        // Reports only: values here are slopes and counts far below 2^53.
        let integer = Int(exactly: min(scaled, 9e15)) ?? 0
        let text = String(integer)
        let sign = self < 0 && integer != 0 ? "-" : ""
        guard digits > 0 else { return sign + text }
        let padded = String(repeating: "0", count: max(0, digits + 1 - text.count)) + text
        return sign + padded.dropLast(digits) + "." + padded.suffix(digits)
    }
}
