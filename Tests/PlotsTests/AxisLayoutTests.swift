import Testing
@testable import Plots

@Suite("Ticks and axes")
struct AxisLayoutTests {
    func labels(_ a: AxisLayout) -> [String] { a.ticks.map(\.label) }

    @Test("linear: 1-2-5 steps, the range rounded out to ticks")
    func linear() throws {
        let a = try AxisLayout(scale: .linear, low: 0, high: 10)
        #expect(labels(a) == ["0", "2", "4", "6", "8", "10"])
        #expect(a.lower == 0 && a.upper == 10)
        let b = try AxisLayout(scale: .linear, low: -0.13, high: 0.42)
        #expect(labels(b) == ["-0.2", "0", "0.2", "0.4", "0.6"])
        let c = try AxisLayout(scale: .linear, low: 1200, high: 64_000)
        #expect(labels(c) == ["0", "20,000", "40,000", "60,000", "80,000"])
        for t in c.ticks { #expect(t.value >= c.lower && t.value <= c.upper) }
    }

    @Test("linear: one value, equal values and zero get a range around them")
    func linearDegenerate() throws {
        let one = try AxisLayout(scale: .linear, low: 5, high: 5)
        #expect(one.lower < 5 && one.upper > 5 && one.ticks.count >= 3)
        let zero = try AxisLayout(scale: .linear, low: 0, high: 0)
        #expect(zero.lower <= -1 && zero.upper >= 1 && labels(zero).contains("0"))
        let nearlyEqual = try AxisLayout(scale: .linear, low: 1e20, high: 1e20 * (1 + 1e-12))
        #expect(nearlyEqual.lower < 1e20 && nearlyEqual.upper > 1e20 && nearlyEqual.ticks.count >= 2)
    }

    @Test("logarithmic: powers of ten over many decades, with minor ticks at 2 and 5")
    func logarithmicDecades() throws {
        let a = try AxisLayout(scale: .logarithmic, low: 12, high: 64_000)
        #expect(labels(a) == ["10", "100", "1,000", "10,000"])
        #expect(a.lower < 12 && a.upper > 64_000)
    }

    @Test("logarithmic: the tick set follows the span")
    func logarithmicSpans() throws {
        // Four or more powers of ten inside: powers only, minor ticks at 2 and 5.
        let wide = try AxisLayout(scale: .logarithmic, low: 5, high: 200_000)
        #expect(labels(wide) == ["10", "100", "1,000", "10,000", "100,000"])
        #expect(wide.minorTicks.contains(20) && wide.minorTicks.contains(50_000))
        // Fewer: 1, 2, 5.
        let mid = try AxisLayout(scale: .logarithmic, low: 64, high: 700)
        #expect(labels(mid) == ["100", "200", "500"])
        // Narrower: 1, 1.5, 2, 3, 5, 7.
        let narrow = try AxisLayout(scale: .logarithmic, low: 2.5, high: 9)
        #expect(labels(narrow) == ["3", "5", "7"])
        // Within a factor of about 1.5: linear ticks, positive.
        let tight = try AxisLayout(scale: .logarithmic, low: 100, high: 130)
        #expect(tight.ticks.count >= 2 && tight.ticks.allSatisfy { $0.value > 0 && $0.value >= tight.lower && $0.value <= tight.upper })
        // Very many decades: every k-th power, at most nine labels.
        let huge = try AxisLayout(scale: .logarithmic, low: 1e-30, high: 1e30)
        #expect(huge.ticks.count <= 9 && huge.ticks.count >= 4)
        #expect(huge.ticks.contains { $0.label == "10⁸" } && huge.ticks.contains { $0.label == "1" })
        for layout in [wide, mid, narrow, tight, huge] {
            #expect(layout.lower > 0)
            for t in layout.ticks { #expect(t.value >= layout.lower && t.value <= layout.upper) }
            #expect(layout.ticks.map(\.value) == layout.ticks.map(\.value).sorted())
        }
    }

    @Test("logarithmic: one point, equal values; zero and negative values are refused")
    func logarithmicEdges() throws {
        let one = try AxisLayout(scale: .logarithmic, low: 1000, high: 1000)
        #expect(one.lower < 1000 && one.upper > 1000)
        #expect(labels(one) == ["500", "1,000", "2,000"])
        #expect(one.fraction(1000) > 0.49 && one.fraction(1000) < 0.51)
        #expect(throws: PlotError.self) { try AxisLayout(scale: .logarithmic, low: 0, high: 10) }
        #expect(throws: PlotError.self) { try AxisLayout(scale: .logarithmic, low: -3, high: 10) }
        #expect(throws: PlotError.self) { try AxisLayout(scale: .linear, low: 0, high: .infinity) }
        #expect(throws: PlotError.self) { try AxisLayout(scale: .linear, low: .nan, high: 1) }
    }

    @Test("positions: linear and logarithmic maps send the ends to 0 and 1 and are monotone")
    func positions() throws {
        let lin = try AxisLayout(scale: .linear, low: 0, high: 10)
        #expect(lin.fraction(0) == 0 && lin.fraction(10) == 1 && lin.fraction(5) == 0.5)
        let log = try AxisLayout(scale: .logarithmic, low: 10, high: 1000)
        #expect(abs(log.fraction(log.lower)) < 1e-12 && abs(log.fraction(log.upper) - 1) < 1e-12)
        #expect(abs(log.fraction(100) - 0.5) < 1e-12)  // the geometric middle
    }

    @Test("labels are written from integers: no binary rounding shows")
    func labelText() {
        #expect(NumberText.decimal(mantissa: 3, exponent: -1) == "0.3")
        #expect(NumberText.decimal(mantissa: 15, exponent: -1) == "1.5")
        #expect(NumberText.decimal(mantissa: -5, exponent: -2) == "-0.05")
        #expect(NumberText.decimal(mantissa: 64, exponent: 3) == "64,000")
        #expect(NumberText.decimal(mantissa: 1, exponent: 6) == "1,000,000")
        #expect(NumberText.decimal(mantissa: 1, exponent: 8) == "10⁸")
        #expect(NumberText.decimal(mantissa: 2, exponent: 9) == "2×10⁹")
        #expect(NumberText.decimal(mantissa: 1, exponent: -7) == "10⁻⁷")
        #expect(NumberText.decimal(mantissa: 0, exponent: 5) == "0")
        #expect(NumberText.decimal(mantissa: 120, exponent: -1) == "12")
    }

    @Test("coordinates: at most two decimals, deterministic, clamped")
    func coordinates() {
        #expect(NumberText.coordinate(12) == "12")
        #expect(NumberText.coordinate(12.5) == "12.5")
        #expect(NumberText.coordinate(-3.049) == "-3.05")
        #expect(NumberText.coordinate(0.004) == "0")
        #expect(NumberText.coordinate(1e300) == "10000000")
    }

    @Test("XML escaping of the five special characters and of control characters")
    func escaping() {
        #expect(NumberText.escaped("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
        #expect(NumberText.escaped("x\u{1}y") == "x\u{FFFD}y")
        #expect(NumberText.escaped("√n, ⌈2π ln n/δ⌉") == "√n, ⌈2π ln n/δ⌉")
    }
}
