#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain-text tables with padded columns, for human output.
public enum TextTable {
    /// Renders `rows` (the first is the header) with two spaces between
    /// columns; columns listed in `rightAligned` are padded on the left.
    public static func render(_ rows: [[String]], rightAligned: Set<Int> = [], indent: String = "") -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) } }
        return rows.map { row in
            var line = indent
            for (c, cell) in row.enumerated() {
                line += rightAligned.contains(c) ? cell.padded(to: widths[c], left: true)
                    : (c + 1 < row.count ? cell.padded(to: widths[c]) : cell)
                if c + 1 < row.count { line += "  " }
            }
            return line
        }.joined(separator: "\n")
    }
}

extension String {
    /// The string padded with spaces to at least `width` characters: on the right,
    /// or on the left when `left` is true. Longer strings are returned unchanged.
    public func padded(to width: Int, left: Bool = false) -> String {
        let pad = String(repeating: " ", count: Swift.max(0, width - count))
        return left ? pad + self : self + pad
    }
}

extension Double {
    /// The value rounded to `digits` decimal places (halves away from zero) and
    /// printed in Swift's shortest form: 2.3456 gives "2.35" for 2 digits, 2.0 gives
    /// "2.0". For reports of sizes and seconds, never for exact values.
    public func roundedText(digits: Int) -> String {
        var scale = 1.0
        for _ in 0 ..< digits { scale *= 10 }
        return String((self * scale).rounded() / scale)
    }
}

extension Double {
    /// The value in scientific notation with `digits` decimals ("4.0e+11",
    /// "-2.5e-3"), for reports of sizes and estimates, never for exact values.
    /// Total: 0 prints as "0", infinities and NaN as "inf", "-inf", "nan".
    public func scientificText(digits: Int = 1) -> String {
        if isNaN { return "nan" }
        if isInfinite { return self < 0 ? "-inf" : "inf" }
        if self == 0 { return "0" }
        var exponent = log10(Swift.abs(self)).rounded(.down)  // within ±324: exact as an integer
        var mantissa = Swift.abs(self) / pow(10, exponent)
        if !mantissa.isFinite || mantissa <= 0 {  // subnormal corner: scale in two steps
            mantissa = Swift.abs(self) * 1e300 / pow(10, exponent + 300)
        }
        var text = mantissa.roundedText(digits: digits)
        if mantissa >= 9.5 && Double(text) ?? 0 >= 10 {  // rounding carried into a new digit
            exponent += 1
            mantissa /= 10
            text = mantissa.roundedText(digits: digits)
        }
        let e = Int(exponent)  // |exponent| <= 324
        return (self < 0 ? "-" : "") + text + "e" + (e < 0 ? "-" : "+") + String(Swift.abs(e))
    }
}

extension Double {
    /// The value rounded to an integer ("12", "-3") for reports; values beyond
    /// ±10^15, infinities and NaN print as `scientificText()`. Never traps.
    public var integerText: String {
        let r = rounded()
        if let value = Int(exactly: r), Swift.abs(r) < 1e15 { return String(value) }
        return scientificText()
    }
}
