// MARK: - Rendering

extension Chart {
    /// The chart as a standalone SVG 1.1 document (UTF-8 text).
    ///
    /// Every value must be finite, and positive on a logarithmic axis; otherwise it
    /// throws and nothing is drawn. Elements carry ids and classes that name what
    /// they are (`x-axis`, `y-axis`, `tick-label`, `axis-label`, `series` with
    /// `data-series`, `legend`, `legend-entry`, `title`), so the document can be
    /// inspected as well as viewed.
    ///
    /// - Complexity: O(points + ticks).
    public func svg() throws(PlotError) -> String {
        try validate()
        let frame = try Frame(self)
        var out = SVGText()
        out.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        out.line("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(c(frame.documentWidth))\" "
                 + "height=\"\(c(height))\" viewBox=\"0 0 \(c(frame.documentWidth)) \(c(height))\" "
                 + "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">")
        out.line("<title>\(e(title))</title>")
        out.line("<rect width=\"\(c(frame.documentWidth))\" height=\"\(c(height))\" fill=\"#ffffff\"/>")
        out.line("<defs><clipPath id=\"plot-area\"><rect x=\"\(c(frame.left))\" y=\"\(c(frame.top))\" "
                 + "width=\"\(c(frame.right - frame.left))\" height=\"\(c(frame.bottom - frame.top))\"/></clipPath></defs>")
        drawGrid(frame, into: &out)
        drawSeries(frame, into: &out)
        drawAxes(frame, into: &out)
        drawLegend(frame, into: &out)
        drawTitles(frame, into: &out)
        out.line("</svg>")
        return out.text
    }

    /// The SVG document's UTF-8 bytes.
    public func svgBytes() throws(PlotError) -> [UInt8] {
        Array(try svg().utf8)
    }

    // MARK: - Checks

    func validate() throws(PlotError) {
        guard series.contains(where: { !$0.points.isEmpty }) else { throw PlotError.noData }
        for s in series {
            for p in s.points {
                try check(p.x, axis: xAxis, name: "x", series: s.name)
                for y in [p.y, p.low, p.high].compactMap({ $0 }) { try check(y, axis: yAxis, name: "y", series: s.name) }
            }
        }
        for t in xAxis.ticks ?? [] { try check(t.value, axis: xAxis, name: "x", series: "ticks") }
        for t in yAxis.ticks ?? [] { try check(t.value, axis: yAxis, name: "y", series: "ticks") }
    }

    private func check(_ v: Double, axis: Axis, name: String, series: String) throws(PlotError) {
        guard v.isFinite else { throw PlotError.notFinite(series: series, axis: name) }
        if axis.scale == .logarithmic && v <= 0 {
            throw PlotError.nonPositiveOnLogarithmicAxis(series: series, axis: name, value: v)
        }
    }

    // MARK: - Parts

    private func drawGrid(_ f: Frame, into out: inout SVGText) {
        out.line("<g id=\"grid\" fill=\"none\">")
        for v in f.x.minorTicks { out.line(lineSVG(f.px(v), f.top, f.px(v), f.bottom, stroke: "#f1f1f1")) }
        for v in f.y.minorTicks { out.line(lineSVG(f.left, f.py(v), f.right, f.py(v), stroke: "#f1f1f1")) }
        for t in f.x.ticks { out.line(lineSVG(f.px(t.value), f.top, f.px(t.value), f.bottom, stroke: "#e1e1e1")) }
        for t in f.y.ticks { out.line(lineSVG(f.left, f.py(t.value), f.right, f.py(t.value), stroke: "#e1e1e1")) }
        out.line("</g>")
    }

    private func drawSeries(_ f: Frame, into out: inout SVGText) {
        out.line("<g id=\"data\" clip-path=\"url(#plot-area)\">")
        for role in [Series.Role.reference, .bound, .measured] {
            for (s, style) in zip(series, f.styles) where s.role == role && !s.points.isEmpty {
                out.line("<g class=\"series \(role.rawValue)\" data-series=\"\(e(s.name))\">")
                let bars = s.points.filter { $0.low != nil && $0.high != nil }
                if !bars.isEmpty {
                    out.line("<g class=\"bars\" stroke=\"\(style.stroke)\" stroke-width=\"1.3\">")
                    for p in bars {
                        let x = f.px(p.x), lo = f.py(p.low!), hi = f.py(p.high!)
                        out.line("<path d=\"M\(c(x)) \(c(lo))L\(c(x)) \(c(hi))M\(c(x - 4)) \(c(lo))L\(c(x + 4)) \(c(lo))"
                                 + "M\(c(x - 4)) \(c(hi))L\(c(x + 4)) \(c(hi))\"/>")
                    }
                    out.line("</g>")
                }
                if s.points.count >= 2 {
                    let d = s.points.enumerated().map { i, p in (i == 0 ? "M" : "L") + "\(c(f.px(p.x))) \(c(f.py(p.y)))" }
                        .joined()
                    out.line("<path class=\"line\" d=\"\(d)\" fill=\"none\" stroke=\"\(style.stroke)\" "
                             + "stroke-width=\"\(c(style.strokeWidth))\"" + (style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")
                             + " stroke-linejoin=\"round\"/>")
                }
                if style.marker != nil {
                    out.line("<g class=\"markers\">")
                    for p in s.points { out.line(style.markerSVG(x: f.px(p.x), y: f.py(p.y))) }
                    out.line("</g>")
                }
                out.line("</g>")
            }
        }
        out.line("</g>")
    }

    private func drawAxes(_ f: Frame, into out: inout SVGText) {
        out.line("<rect class=\"frame\" x=\"\(c(f.left))\" y=\"\(c(f.top))\" width=\"\(c(f.right - f.left))\" "
                 + "height=\"\(c(f.bottom - f.top))\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>")
        out.line("<g id=\"x-axis\" class=\"axis\" data-scale=\"\(xAxis.scale.rawValue)\">")
        for v in f.x.minorTicks { out.line(lineSVG(f.px(v), f.bottom, f.px(v), f.bottom + 3, stroke: "#333333")) }
        for t in f.x.ticks {
            out.line(lineSVG(f.px(t.value), f.bottom, f.px(t.value), f.bottom + 6, stroke: "#333333"))
            out.line("<text class=\"tick-label\" x=\"\(c(f.px(t.value)))\" y=\"\(c(f.bottom + 20))\" "
                     + "text-anchor=\"middle\" fill=\"#333333\">\(e(t.label))</text>")
        }
        out.line("<text class=\"axis-label\" x=\"\(c((f.left + f.right) / 2))\" y=\"\(c(f.bottom + 42))\" "
                 + "text-anchor=\"middle\" font-size=\"14\" fill=\"#111111\">\(e(xAxis.label))</text>")
        out.line("</g>")
        out.line("<g id=\"y-axis\" class=\"axis\" data-scale=\"\(yAxis.scale.rawValue)\">")
        for v in f.y.minorTicks { out.line(lineSVG(f.left - 3, f.py(v), f.left, f.py(v), stroke: "#333333")) }
        for t in f.y.ticks {
            out.line(lineSVG(f.left - 6, f.py(t.value), f.left, f.py(t.value), stroke: "#333333"))
            out.line("<text class=\"tick-label\" x=\"\(c(f.left - 9))\" y=\"\(c(f.py(t.value) + 4))\" "
                     + "text-anchor=\"end\" fill=\"#333333\">\(e(t.label))</text>")
        }
        let labelX = f.left - f.yTickLabelWidth - 22
        out.line("<text class=\"axis-label\" x=\"\(c(labelX))\" y=\"\(c((f.top + f.bottom) / 2))\" text-anchor=\"middle\" "
                 + "font-size=\"14\" fill=\"#111111\" transform=\"rotate(-90 \(c(labelX)) \(c((f.top + f.bottom) / 2)))\">"
                 + "\(e(yAxis.label))</text>")
        out.line("</g>")
    }

    private func drawLegend(_ f: Frame, into out: inout SVGText) {
        let box = f.legend
        out.line("<g id=\"legend\" data-placement=\"\(box.placement.rawValue)\">")
        out.line("<rect x=\"\(c(box.x))\" y=\"\(c(box.y))\" width=\"\(c(box.width))\" height=\"\(c(box.height))\" "
                 + "fill=\"#ffffff\" fill-opacity=\"0.92\" stroke=\"#bbbbbb\" rx=\"3\"/>")
        for (i, (s, style)) in f.legendEntries.enumerated() {
            let y = box.y + Legend.padding + Double(i) * Legend.rowHeight + Legend.rowHeight / 2
            let x = box.x + Legend.padding
            out.line("<g class=\"legend-entry\" data-series=\"\(e(s.name))\">")
            out.line("<path d=\"M\(c(x)) \(c(y))L\(c(x + Legend.sampleWidth)) \(c(y))\" stroke=\"\(style.stroke)\" "
                     + "stroke-width=\"\(c(style.strokeWidth))\"" + (style.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
            if style.marker != nil { out.line(style.markerSVG(x: x + Legend.sampleWidth / 2, y: y)) }
            out.line("<text x=\"\(c(x + Legend.sampleWidth + 8))\" y=\"\(c(y + 4))\" fill=\"#111111\">\(e(s.name))</text>")
            out.line("</g>")
        }
        out.line("</g>")
    }

    private func drawTitles(_ f: Frame, into out: inout SVGText) {
        let centre = (f.left + f.right) / 2
        out.line("<text id=\"title\" x=\"\(c(centre))\" y=\"26\" text-anchor=\"middle\" font-size=\"17\" "
                 + "font-weight=\"bold\" fill=\"#111111\">\(e(title))</text>")
        if let subtitle {
            out.line("<text id=\"subtitle\" x=\"\(c(centre))\" y=\"46\" text-anchor=\"middle\" font-size=\"12.5\" "
                     + "fill=\"#444444\">\(e(subtitle))</text>")
        }
        for (i, note) in f.noteLines.enumerated() {
            out.line("<text class=\"note\" x=\"\(c(f.left))\" y=\"\(c(f.bottom + 64 + Double(i) * 15))\" font-size=\"11\" "
                     + "fill=\"#555555\">\(e(note))</text>")
        }
    }

    private func lineSVG(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String) -> String {
        "<line x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\" stroke=\"\(stroke)\"/>"
    }

    private func c(_ v: Double) -> String { NumberText.coordinate(v) }
    private func e(_ s: String) -> String { NumberText.escaped(s) }
}

/// Text accumulated line by line.
struct SVGText {
    var text = ""
    mutating func line(_ s: String) {
        text += s
        text += "\n"
    }
}

// MARK: - Geometry

/// Where everything goes: the plot area, the axes fitted to the data, the styles
/// and the legend.
struct Frame {
    let x: AxisLayout
    let y: AxisLayout
    let left: Double, right: Double, top: Double, bottom: Double
    let yTickLabelWidth: Double
    let styles: [SeriesStyle]
    /// The series with points, in the chart's order, and their styles.
    let legendEntries: [(Series, SeriesStyle)]
    /// The notes, wrapped to the plot's width.
    let noteLines: [String]
    let legend: Legend.Box
    let documentWidth: Double

    init(_ chart: Chart) throws(PlotError) {
        var xs: [Double] = [], ys: [Double] = []
        for s in chart.series {
            for p in s.points {
                xs.append(p.x)
                ys.append(p.y)
                if let lo = p.low, let hi = p.high { ys.append(lo); ys.append(hi) }
            }
        }
        func layout(_ axis: Axis, _ values: [Double]) throws(PlotError) -> AxisLayout {
            if let ticks = axis.ticks, !ticks.isEmpty {
                return try AxisLayout(scale: axis.scale, low: values.min()!, high: values.max()!, ticks: ticks)
            }
            return try AxisLayout(scale: axis.scale, low: values.min()!, high: values.max()!)
        }
        x = try layout(chart.xAxis, xs)
        y = try layout(chart.yAxis, ys)
        var counters: [Series.Role: Int] = [:]
        styles = chart.series.map { s in
            let i = counters[s.role, default: 0]
            counters[s.role] = i + 1
            return SeriesStyle.of(s.role, index: i)
        }
        yTickLabelWidth = y.ticks.map { NumberText.width($0.label, fontSize: 12) }.max() ?? 0
        left = max(64, yTickLabelWidth + 44)
        right = chart.width - 24
        top = chart.subtitle == nil ? 44 : 62
        let noteWidth = chart.width - 24 - left
        let wrapped = chart.notes.flatMap { Frame.wrap($0, width: noteWidth, fontSize: 11) }
        noteLines = wrapped
        bottom = chart.height - 56 - (wrapped.isEmpty ? 0 : 14 + 15 * Double(wrapped.count))
        let entries = zip(chart.series, styles).filter { !$0.0.points.isEmpty }
        legendEntries = entries
        let size = Legend.size(entries.map(\.0))
        // Data in pixels, to keep the legend off it.
        var occupied: [(Double, Double)] = []
        let (x, y, l, r, t, b) = (x, y, left, right, top, bottom)
        func px(_ v: Double) -> Double { l + x.fraction(v) * (r - l) }
        func py(_ v: Double) -> Double { b - y.fraction(v) * (b - t) }
        for s in chart.series {
            let pixels = s.points.map { (px($0.x), py($0.y)) }
            occupied += pixels
            for p in s.points { if let lo = p.low, let hi = p.high { occupied += Legend.samples(from: (px(p.x), py(lo)), to: (px(p.x), py(hi))) } }
            for (a, z) in zip(pixels, pixels.dropFirst()) { occupied += Legend.samples(from: a, to: z) }
        }
        legend = Legend.place(size: size, left: left, right: right, top: top, bottom: bottom, occupied: occupied)
        documentWidth = legend.placement == .outside ? chart.width + size.width + 20 : chart.width
    }

    func px(_ v: Double) -> Double { left + x.fraction(v) * (right - left) }
    func py(_ v: Double) -> Double { bottom - y.fraction(v) * (bottom - top) }

    /// `text` broken at spaces into lines of at most `width` pixels (by the width
    /// estimate); a word longer than a line stays whole.
    static func wrap(_ text: String, width: Double, fontSize: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if !current.isEmpty && NumberText.width(candidate, fontSize: fontSize) > width {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
