/// Text for SVG documents: tick labels, coordinates, escaped strings.
enum NumberText {
    // MARK: - Tick labels

    /// mantissa × 10^exponent as a label, from integers (so no binary rounding shows):
    /// "0", "0.05", "2.5", "200", "64,000", "1,000,000"; beyond seven digits or below
    /// 10^-5, "10⁸", "2×10⁸", "1.5×10⁻⁶".
    static func decimal(mantissa: Int, exponent: Int) -> String {
        if mantissa == 0 { return "0" }
        var m = mantissa.magnitude, e = exponent
        while m % 10 == 0 { m /= 10; e += 1 }
        let sign = mantissa < 0 ? "-" : ""
        let digits = String(m)
        if e >= 0 && digits.count + e <= 7 {
            return sign + grouped(digits + String(repeating: "0", count: e))
        }
        if e < 0 && digits.count + e > -5 {
            let fraction = -e
            if digits.count > fraction {
                let split = digits.index(digits.endIndex, offsetBy: -fraction)
                return sign + grouped(String(digits[..<split])) + "." + digits[split...]
            }
            return sign + "0." + String(repeating: "0", count: fraction - digits.count) + digits
        }
        // Scientific: d.ddd × 10^(e + number of digits - 1).
        let power = e + digits.count - 1
        let head = digits.count == 1 ? digits : String(digits.first!) + "." + digits.dropFirst()
        let ten = "10" + superscript(power)
        return sign + (head == "1" ? ten : head + "×" + ten)
    }

    /// Thousands separated by commas: "64000" -> "64,000" (four digits and more).
    static func grouped(_ digits: String) -> String {
        guard digits.count >= 4 else { return digits }
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// An integer in superscript digits: -6 -> "⁻⁶".
    static func superscript(_ value: Int) -> String {
        let table: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(String(value.magnitude).compactMap { $0.wholeNumberValue.map { table[$0] } })
        return (value < 0 ? "⁻" : "") + body
    }

    // MARK: - Coordinates

    /// A coordinate in pixels with at most two decimals and no trailing zeros
    /// ("12", "12.5", "-3.05"). Values are clamped to ±10^7 px, far outside any chart.
    static func coordinate(_ value: Double) -> String {
        precondition(value.isFinite, "coordinate: not finite")
        let clamped = min(1e7, max(-1e7, value))
        // |clamped| * 100 <= 1e9: the conversion cannot fail.
        let hundredths = Int(exactly: (clamped * 100).rounded()) ?? 0
        let sign = hundredths < 0 ? "-" : ""
        let whole = hundredths.magnitude / 100, fraction = hundredths.magnitude % 100
        if fraction == 0 { return sign + String(whole) }
        if fraction % 10 == 0 { return sign + "\(whole).\(fraction / 10)" }
        return sign + "\(whole)." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    // MARK: - XML

    /// `text` with the five XML special characters escaped, for element text and
    /// attribute values; control characters other than tab, newline and carriage
    /// return (not allowed in XML 1.0) become U+FFFD.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// An estimate of the width of `text` in pixels at `fontSize` (0.6 em per
    /// character, a little wider than the average of common sans-serif fonts), for layout only.
    static func width(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }
}
