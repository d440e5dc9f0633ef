/// How a series is drawn, chosen from its role and its position among the series
/// of that role, so that measured series differ in colour and marker, and reference
/// lines in dash pattern.
struct SeriesStyle {
    enum Marker: String, CaseIterable {
        case circle, square, triangle, diamond, triangleDown = "triangle-down", cross
    }

    var stroke: String
    var strokeWidth: Double
    /// An SVG `stroke-dasharray`, or nil for a solid line.
    var dash: String?
    var marker: Marker?
    /// True for a marker drawn as an outline (white inside).
    var hollowMarker: Bool

    /// Okabe and Ito's colour-blind-safe palette ("Color Universal Design", 2008), without yellow.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
    static let referenceGreys = ["#6b6b6b", "#8a8a8a", "#4d4d4d", "#a0a0a0"]
    static let referenceDashes = ["2 4", "9 5", "12 4 2 4", "5 3"]

    /// The style of the `index`-th series of `role`.
    static func of(_ role: Series.Role, index: Int) -> SeriesStyle {
        switch role {
        case .measured:
            return SeriesStyle(stroke: palette[index % palette.count], strokeWidth: 2.2, dash: nil,
                               marker: Marker.allCases[index % Marker.allCases.count], hollowMarker: false)
        case .bound:
            let markers: [Marker] = [.triangle, .square, .diamond, .circle]
            return SeriesStyle(stroke: "#1a1a1a", strokeWidth: 1.8, dash: index % 2 == 0 ? "7 4" : "3 3",
                               marker: markers[index % markers.count], hollowMarker: true)
        case .reference:
            return SeriesStyle(stroke: referenceGreys[index % referenceGreys.count], strokeWidth: 1.5,
                               dash: referenceDashes[index % referenceDashes.count], marker: nil, hollowMarker: false)
        }
    }

    /// The SVG of this style's marker centred at (x, y).
    func markerSVG(x: Double, y: Double, size: Double = 4.6) -> String {
        guard let marker else { return "" }
        let fill = hollowMarker ? "#ffffff" : stroke
        let paint = "fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(hollowMarker ? "1.6" : "1")\""
        let c = NumberText.coordinate
        switch marker {
        case .circle:
            return "<circle cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"\(c(size))\" \(paint)/>"
        case .square:
            let s = size * 0.9
            return "<rect x=\"\(c(x - s))\" y=\"\(c(y - s))\" width=\"\(c(2 * s))\" height=\"\(c(2 * s))\" \(paint)/>"
        case .triangle, .triangleDown:
            let s = size * 1.25, sign = marker == .triangle ? 1.0 : -1.0
            let points = [(x, y - sign * s), (x + s * 0.866, y + sign * s * 0.5), (x - s * 0.866, y + sign * s * 0.5)]
            return "<polygon points=\"\(points.map { "\(c($0.0)),\(c($0.1))" }.joined(separator: " "))\" \(paint)/>"
        case .diamond:
            let s = size * 1.25
            let points = [(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
            return "<polygon points=\"\(points.map { "\(c($0.0)),\(c($0.1))" }.joined(separator: " "))\" \(paint)/>"
        case .cross:
            let s = size
            return "<path d=\"M\(c(x - s)) \(c(y - s))L\(c(x + s)) \(c(y + s))M\(c(x - s)) \(c(y + s))L\(c(x + s)) \(c(y - s))\" "
                + "stroke=\"\(stroke)\" stroke-width=\"2.2\" fill=\"none\"/>"
        }
    }
}
