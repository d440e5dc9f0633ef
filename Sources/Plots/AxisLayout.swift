#if canImport(Glibc)
import Glibc  // log10, pow
#elseif canImport(Darwin)
import Darwin
#endif

/// A tick on an axis: where it is and what it says.
public struct Tick: Sendable, Equatable {
    public var value: Double
    /// The label, written from integers (no binary rounding shows).
    public var label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// An axis fitted to a range of values: the range shown and its ticks.
///
/// Linear axes show the data rounded out to their ticks, which are multiples of
/// 1, 2 or 5 × 10^e (about five intervals). Logarithmic axes show the data's range
/// widened by 4% of it on each side (in log scale, so no marker sits on the frame)
/// and put labelled ticks at powers of ten when at least four fall inside (every
/// second, third, ... power when more than nine would; unlabelled minor ticks at
/// 2 and 5 × 10^e), else at 1, 2 and 5 × 10^e when at least three fall inside,
/// else at 1, 1.5, 2, 3, 5 and 7 × 10^e, else (a range within a factor of about
/// 1.5) at the linear axis's ticks, which are all positive there.
public struct AxisLayout: Sendable, Equatable {
    public var scale: Axis.Scale
    /// The range drawn, in data units.
    public var lower: Double
    public var upper: Double
    /// Labelled ticks, increasing, all within the range drawn.
    public var ticks: [Tick]
    /// Unlabelled ticks, increasing.
    public var minorTicks: [Double]

    /// The layout for values from `low` to `high` (low <= high). Equal values get
    /// a range around them: ±10% of the value (±1 around 0) on a linear axis, a
    /// factor of 2 either way on a logarithmic one.
    ///
    /// Throws for values that are not finite, and for values <= 0 on a logarithmic axis.
    ///
    /// - Complexity: O(number of decades + ticks).
    public init(scale: Axis.Scale, low: Double, high: Double) throws(PlotError) {
        guard low.isFinite && high.isFinite else { throw PlotError.notFinite(series: "", axis: "") }
        precondition(low <= high, "AxisLayout: low > high")
        self.scale = scale
        switch scale {
        case .linear:
            (lower, upper, ticks) = AxisLayout.linearTicks(low: low, high: high)
            minorTicks = []
        case .logarithmic:
            guard low > 0 else { throw PlotError.nonPositiveOnLogarithmicAxis(series: "", axis: "", value: low) }
            (lower, upper, ticks, minorTicks) = AxisLayout.logarithmicTicks(low: low, high: high)
        }
    }

    /// The position of `value` between 0 (at `lower`) and 1 (at `upper`).
    public func fraction(_ value: Double) -> Double {
        let a = transform(lower), b = transform(upper)
        return b > a ? (transform(value) - a) / (b - a) : 0.5
    }

    private func transform(_ value: Double) -> Double {
        scale == .linear ? value : log10(value)
    }

    /// The layout for values from `low` to `high` with the caller's ticks: the range
    /// covers the values and the ticks, widened by 4% of it on each side (in log scale
    /// on a logarithmic axis); no minor ticks.
    public init(scale: Axis.Scale, low: Double, high: Double, ticks fixed: [Tick]) throws(PlotError) {
        let values = fixed.map(\.value)
        let all = values + [low, high]
        guard all.allSatisfy(\.isFinite) else { throw PlotError.notFinite(series: "", axis: "") }
        var a = all.min()!, b = all.max()!
        if scale == .logarithmic {
            guard a > 0 else { throw PlotError.nonPositiveOnLogarithmicAxis(series: "", axis: "", value: a) }
            if b <= a * (1 + 1e-9) { a /= 2; b *= 2 }
            let margin = 0.04 * log10(b / a)
            a /= pow(10, margin)
            b *= pow(10, margin)
        } else {
            if b - a <= max(abs(a), abs(b)) * 1e-9 { let half = a == 0 ? 1 : abs(a) * 0.1; a -= half; b += half }
            let margin = 0.04 * (b - a)
            a -= margin
            b += margin
        }
        self.scale = scale
        lower = a
        upper = b
        ticks = fixed.sorted { $0.value < $1.value }
        minorTicks = []
    }

    // MARK: - Linear

    /// Ticks at multiples of a 1-2-5 step, about five intervals; the range is
    /// rounded out to ticks.
    static func linearTicks(low: Double, high: Double) -> (Double, Double, [Tick]) {
        var low = low, high = high
        let magnitude = max(abs(low), abs(high))
        if high - low <= magnitude * 1e-9 {  // one value, or values equal to nine digits
            let half = magnitude == 0 ? 1 : magnitude * 0.1
            low -= half
            high += half
        }
        let (step, mantissa, exponent) = niceStep((high - low) / 5)
        // The span is at least 1e-9 of the magnitude and the step at least a fifth of the span,
        // so |low| / step and |high| / step are at most 5e9: the conversions cannot fail.
        guard let first = Int(exactly: (low / step).rounded(.down)), let last = Int(exactly: (high / step).rounded(.up)) else {
            preconditionFailure("AxisLayout: tick index out of range for \(low)...\(high)")
        }
        let ticks = (first ... last).map { k in
            Tick(value: Double(k) * step, label: NumberText.decimal(mantissa: k * mantissa, exponent: exponent))
        }
        return (Double(first) * step, Double(last) * step, ticks)
    }

    /// The least 1, 2 or 5 × 10^e that is at least `raw` (> 0), as (value, 1|2|5, e).
    static func niceStep(_ raw: Double) -> (Double, Int, Int) {
        let exponent = decadeBelow(raw)
        for m in [1, 2, 5] where Double(m) * power(exponent) >= raw {
            return (Double(m) * power(exponent), m, exponent)
        }
        return (power(exponent + 1), 1, exponent + 1)
    }

    // MARK: - Logarithmic

    static func logarithmicTicks(low: Double, high: Double) -> (Double, Double, [Tick], [Double]) {
        var low = low, high = high
        if high <= low * (1 + 1e-9) {  // one value: a factor of 2 either side
            low /= 2
            high *= 2
        }
        let margin = 0.04 * log10(high / low)
        let lower = low / pow(10, margin), upper = high * pow(10, margin)
        let first = decadeBelow(lower), last = decadeBelow(upper)
        /// m × 10^(e + shift) for every e and m, inside the range, as ticks.
        func ticks(_ mantissas: [Int], shift: Int = 0) -> [Tick] {
            var out: [Tick] = []
            for e in first ... last {
                for m in mantissas {
                    let v = Double(m) * power(e + shift)
                    if v >= lower && v <= upper {
                        out.append(Tick(value: v, label: NumberText.decimal(mantissa: m, exponent: e + shift)))
                    }
                }
            }
            return out
        }
        let powers = ticks([1])
        if powers.count >= 4 {
            let every = max(1, (powers.count + 8) / 9)
            let kept = powers.enumerated().filter { $0.offset % every == 0 }.map(\.element)
            let minor = every == 1 ? ticks([2, 5]).map(\.value) : []
            return (lower, upper, kept, minor)
        }
        let oneTwoFive = ticks([1, 2, 5])
        if oneTwoFive.count >= 3 { return (lower, upper, oneTwoFive, []) }
        let dense = ticks([10, 15, 20, 30, 50, 70], shift: -1)
        if dense.count >= 3 { return (lower, upper, dense, []) }
        // A narrow range: linear ticks, positive and inside it.
        let (_, _, linear) = linearTicks(low: lower, high: upper)
        return (lower, upper, linear.filter { $0.value > 0 && $0.value >= lower && $0.value <= upper }, [])
    }

    // MARK: - Powers of ten

    /// The e with 10^e <= value < 10^(e+1), for finite value > 0 (corrected
    /// after log10, so exact powers of ten land in their own decade).
    static func decadeBelow(_ value: Double) -> Int {
        precondition(value > 0 && value.isFinite)
        // |log10(value)| <= 324 for finite positive doubles, so the conversion cannot fail.
        var e = Int(exactly: log10(value).rounded(.down)) ?? 0
        while power(e) > value { e -= 1 }
        while power(e + 1) <= value { e += 1 }
        return e
    }

    /// 10^e as a double: exact for 0 <= e <= 22; for other e within the accuracy of
    /// repeated multiplication, which only places ticks.
    static func power(_ e: Int) -> Double {
        var result = 1.0
        if e >= 0 { for _ in 0 ..< min(e, 400) { result *= 10 } } else { for _ in 0 ..< min(-e, 400) { result /= 10 } }
        return result
    }
}
