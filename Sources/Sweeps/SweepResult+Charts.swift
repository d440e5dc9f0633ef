import Constructions
import ExactArithmetic
import Plots
import TextFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Charts

extension SweepResult {
    /// The SVG files of the sweep: `neurons-vs-n.svg` always, and
    /// `first-layer-vs-inverse-delta.svg` when the plan has two or more δ.
    public func plots() throws(PlotError) -> [(file: String, bytes: [UInt8])] {
        var files = [(SweepResult.neuronsPlotFile, try neuronsChart().svgBytes())]
        if let chart = firstLayerChart() { files.append((SweepResult.firstLayerPlotFile, try chart.svgBytes())) }
        return files
    }

    public static let csvFile = "sweep.csv"
    public static let neuronsPlotFile = "neurons-vs-n.svg"
    public static let firstLayerPlotFile = "first-layer-vs-inverse-delta.svg"

    /// The files a sweep of `plan` writes into its folder, in order: the CSV, then the
    /// plots as `plots()` returns them. Known before any work, so that the command line
    /// can check every destination first.
    public static func files(for plan: SweepPlan) -> [String] {
        [csvFile, neuronsPlotFile] + (plan.deltas.count >= 2 ? [firstLayerPlotFile] : [])
    }

    /// Neurons against n on log-log axes at the smallest δ: per method the mean over
    /// seeds (bars from least to largest), the certified lower bound for networks
    /// memorizing every labeling, and the reference lines √n, 2⌈n/d⌉ and n.
    public func neuronsChart() -> Chart {
        let delta = plan.deltas[plan.deltas.count - 1]
        let atDelta = rows.filter { $0.delta == delta }
        var series: [Series] = []
        for method in plan.methods {
            let values = atDelta.filter { $0.method == method && $0.verified }.compactMap { row in row.counts.map { (row.n, $0.neurons) } }
            series.append(Series(method.rawValue, role: .measured, points: SweepResult.summarize(values) { Double($0) }))
        }
        // The least over seeds (0 marks a case without data).
        let bound = Dictionary(grouping: atDelta.filter { $0.neuronsBoundAllLabelings > 0 }, by: \.n)
            .map { n, rows in (n, rows.map(\.neuronsBoundAllLabelings).min()!) }.sorted { $0.0 < $1.0 }
        series.append(Series("certified lower bound", role: .bound,
                             points: bound.map { DataPoint(x: Double($0.0), y: Double($0.1)) }))
        var low = Double(plan.sizes[0]), high = Double(plan.sizes[plan.sizes.count - 1])
        if low == high { low /= 2; high *= 2 }
        let xs = SweepResult.logSpaced(low, high, count: 48).map { $0.rounded() }
        let d = Double(plan.dimension)
        series.append(Series("√n", role: .reference, points: xs.map { DataPoint(x: $0, y: $0.squareRoot()) }))
        series.append(Series("2⌈n/d⌉ (Baum)", role: .reference, points: xs.map { DataPoint(x: $0, y: 2 * ($0 / d).rounded(.up)) }))
        series.append(Series("n (one per point)", role: .reference, points: xs.map { DataPoint(x: $0, y: $0) }))
        let fits = slopes.filter { $0.delta == delta }.map { "\($0.method.rawValue) \($0.fit.map { $0.slope.roundedText(digits: 2) } ?? "-")" }
        return Chart(
            title: "Neurons against n",
            subtitle: "sphere data in d = \(plan.dimension), δ = \(SweepPlan.text(delta)), \(plan.layout.rawValue) layout, "
                + "\(plan.labels) labels; seeds \(plan.seeds.map(String.init).joined(separator: ", "))",
            xAxis: Axis("n (points)", scale: .logarithmic),
            yAxis: Axis("neurons", scale: .logarithmic),
            series: series,
            notes: [
                "Markers: mean over seeds, bars from least to largest; every network was verified exactly on every point. "
                    + "Least-squares slopes of log neurons on log n: " + fits.joined(separator: ", ") + ".",
                "Certified lower bound: neurons any network needs to memorize every labeling of these points (the largest of "
                    + "the distinct-codes bound and the counting bound of Baum and Haussler 1989).",
            ])
    }

    /// First-layer width against 1/δ on log-log axes at the largest n, per method,
    /// with k0 = ⌈2π ln n/δ⌉ and the certified circle bound; nil with one δ.
    public func firstLayerChart() -> Chart? {
        guard plan.deltas.count >= 2 else { return nil }
        let n = plan.sizes[plan.sizes.count - 1]
        let atN = rows.filter { $0.n == n }
        var series: [Series] = []
        for method in plan.methods {
            let values = atN.filter { $0.method == method && $0.verified }
                .compactMap { row in row.counts.map { (row.delta, $0.firstLayerWidth) } }
            series.append(Series(method.rawValue, role: .measured, points: SweepResult.summarize(values) { SweepResult.inverse($0) }))
        }
        series.append(Series("circle bound ≈ π/δ", role: .bound,
                             points: circleBounds.map { DataPoint(x: SweepResult.inverse($0.delta), y: Double($0.firstLayerNeurons)) }))
        let low = SweepResult.inverse(plan.deltas[0]), high = SweepResult.inverse(plan.deltas[plan.deltas.count - 1])
        let logN = log(Double(n))
        series.append(Series("⌈2π ln n/δ⌉", role: .reference,
                             points: SweepResult.logSpaced(low, high, count: 48).map { DataPoint(x: $0, y: (2 * Double.pi * logN * $0).rounded(.up)) }))
        return Chart(
            title: "First-layer width against 1/δ",
            subtitle: "n = \(SweepResult.grouped(n)) sphere points in d = \(plan.dimension), \(plan.layout.rawValue) layout, \(plan.labels) labels; "
                + "seeds \(plan.seeds.map(String.init).joined(separator: ", "))",
            xAxis: Axis("1/δ (δ requested; the measured minimum distance is in sweep.csv)", scale: .logarithmic,
                        ticks: plan.deltas.map { Tick(value: SweepResult.inverse($0), label: SweepPlan.text(Rational(1) / $0)) }),
            yAxis: Axis("first-layer neurons", scale: .logarithmic),
            series: series,
            notes: [
                "Markers: mean over seeds, bars from least to largest; every network was verified exactly. "
                    + "⌈2π ln n/δ⌉ is k0, the width of Rajput et al.'s first layer in theory (Theorem 1).",
                "Circle bound: m alternating points on a circle, pairwise at least δ apart (checked exactly), need m/2 ≈ π/δ "
                    + "first-layer neurons (certified, lower-bound's circle argument). Those are other data than the sphere "
                    + "points: no method can stay below it on every δ-separated set.",
            ])
    }

    // MARK: - Helpers

    /// Mean, least and largest value per key, in increasing x.
    static func summarize<Key: Hashable>(_ values: [(Key, Int)], x: (Key) -> Double) -> [DataPoint] {
        Dictionary(grouping: values, by: \.0).map { key, group -> DataPoint in
            let ys = group.map { Double($0.1) }
            let mean = ys.reduce(0, +) / Double(ys.count)
            let lo = ys.min()!, hi = ys.max()!
            return DataPoint(x: x(key), y: mean, low: lo < hi ? lo : nil, high: lo < hi ? hi : nil)
        }.sorted { $0.x < $1.x }
    }

    /// `count` values from low to high, evenly spaced in log scale (both ends included).
    static func logSpaced(_ low: Double, _ high: Double, count: Int) -> [Double] {
        precondition(low > 0 && high >= low && count >= 2)
        let a = log(low), b = log(high)
        return (0 ..< count).map { i in i == 0 ? low : (i == count - 1 ? high : exp(a + (b - a) * Double(i) / Double(count - 1))) }
    }

    /// 64000 -> "64,000".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// 1/δ as a double (δ is at least 1/10000, so this is finite).
    static func inverse(_ delta: Rational) -> Double {
        (Rational(1) / delta).approximation ?? 0
    }
}
