/// A two-dimensional chart of measured series, bounds and reference lines,
/// rendered as a standalone SVG document (`svg()`).
///
/// The module writes SVG text only; it reads and writes no file and depends on
/// nothing beyond the standard library. Rendering is deterministic: the same
/// chart gives the same bytes.
public struct Chart: Sendable {
    /// The title, drawn above the plot.
    public var title: String
    /// One line under the title (parameters of the data), or nil.
    public var subtitle: String?
    public var xAxis: Axis
    public var yAxis: Axis
    /// Drawn in order: references first, then bounds, then measured series, whatever the order here;
    /// the legend lists them in the order given.
    public var series: [Series]
    /// Small print under the x axis, one line each.
    public var notes: [String]
    /// The size of the document in pixels (the legend may widen it when it fits nowhere inside).
    public var width: Double
    public var height: Double

    public init(title: String, subtitle: String? = nil, xAxis: Axis, yAxis: Axis, series: [Series] = [],
                notes: [String] = [], width: Double = 820, height: Double = 540) {
        self.title = title
        self.subtitle = subtitle
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.notes = notes
        self.width = width
        self.height = height
    }
}

/// One axis: its label and how values map to positions.
public struct Axis: Sendable {
    public enum Scale: String, Sendable {
        /// Equal distances for equal differences.
        case linear
        /// Equal distances for equal ratios; every value must be positive.
        case logarithmic
    }

    public var label: String
    public var scale: Scale
    /// Ticks chosen by the caller (for example at the values measured), or nil for
    /// ticks chosen from the range. The range drawn covers them.
    public var ticks: [Tick]?

    public init(_ label: String, scale: Scale, ticks: [Tick]? = nil) {
        self.label = label
        self.scale = scale
        self.ticks = ticks
    }
}

/// A point of a series, with an optional range drawn as a vertical bar (for
/// example the least and largest value over seeds around their mean).
public struct DataPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    /// The bar from `low` to `high`, when both are given.
    public var low: Double?
    public var high: Double?

    public init(x: Double, y: Double, low: Double? = nil, high: Double? = nil) {
        self.x = x
        self.y = y
        self.low = low
        self.high = high
    }
}

/// A named sequence of points, joined in the order given.
public struct Series: Sendable {
    /// What a series is, which decides how it looks.
    public enum Role: String, Sendable {
        /// A measurement: a solid coloured line with markers (colours and markers
        /// taken in turn from a colour-blind-safe palette).
        case measured
        /// A certified bound: a dark dashed line with hollow markers.
        case bound
        /// A formula drawn for orientation: a thin grey line, dashed differently per
        /// reference line, without markers.
        case reference
    }

    public var name: String
    public var role: Role
    public var points: [DataPoint]

    public init(_ name: String, role: Role, points: [DataPoint]) {
        self.name = name
        self.role = role
        self.points = points
    }
}

/// Why a chart cannot be drawn.
public enum PlotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A value that is zero or negative on a logarithmic axis.
    case nonPositiveOnLogarithmicAxis(series: String, axis: String, value: Double)
    /// A NaN or infinite value.
    case notFinite(series: String, axis: String)
    /// No series has any point.
    case noData

    public var description: String {
        switch self {
        case .nonPositiveOnLogarithmicAxis(let series, let axis, let value):
            "series '\(series)': the value \(value) cannot be drawn on the logarithmic \(axis) axis (values must be positive)"
        case .notFinite(let series, let axis):
            "series '\(series)': a value on the \(axis) axis is not a finite number"
        case .noData:
            "the chart has no points"
        }
    }
}
