/// The legend's size and its place: the first corner of the plot area
/// (top left, top right, bottom right, bottom left) where it covers no data
/// point, line or bar, otherwise outside, right of the plot (the document widens).
enum Legend {
    static let padding = 8.0
    static let rowHeight = 19.0
    static let sampleWidth = 30.0
    static let fontSize = 12.0
    /// Distance kept from the frame and, around the box, from the data.
    static let inset = 10.0
    static let clearance = 5.0

    enum Placement: String {
        case topLeft = "top-left", topRight = "top-right", bottomRight = "bottom-right", bottomLeft = "bottom-left"
        case outside
    }

    struct Box {
        var x: Double, y: Double, width: Double, height: Double
        var placement: Placement
    }

    static func size(_ series: [Series]) -> (width: Double, height: Double) {
        let text = series.map { NumberText.width($0.name, fontSize: fontSize) }.max() ?? 0
        return (2 * padding + sampleWidth + 8 + text, 2 * padding + Double(series.count) * rowHeight)
    }

    static func place(size: (width: Double, height: Double), left: Double, right: Double, top: Double, bottom: Double,
                      occupied: [(Double, Double)]) -> Box {
        let (w, h) = size
        if w + 2 * inset <= right - left && h + 2 * inset <= bottom - top {
            let candidates: [(Placement, Double, Double)] = [
                (.topLeft, left + inset, top + inset),
                (.topRight, right - inset - w, top + inset),
                (.bottomRight, right - inset - w, bottom - inset - h),
                (.bottomLeft, left + inset, bottom - inset - h),
            ]
            for (placement, x, y) in candidates {
                let covers = occupied.contains { p in
                    p.0 >= x - clearance && p.0 <= x + w + clearance && p.1 >= y - clearance && p.1 <= y + h + clearance
                }
                if !covers { return Box(x: x, y: y, width: w, height: h, placement: placement) }
            }
        }
        return Box(x: right + 20, y: top, width: w, height: h, placement: .outside)
    }

    /// Points every 3 pixels along the segment from a to b (both ends included).
    static func samples(from a: (Double, Double), to b: (Double, Double)) -> [(Double, Double)] {
        let dx = b.0 - a.0, dy = b.1 - a.1
        let length = (dx * dx + dy * dy).squareRoot()
        let steps = min(10_000, max(1, Int(exactly: (length / 3).rounded(.up)) ?? 1))
        return (0 ... steps).map { i in
            let t = Double(i) / Double(steps)
            return (a.0 + t * dx, a.1 + t * dy)
        }
    }
}
