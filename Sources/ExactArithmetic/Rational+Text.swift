// MARK: - Printing

extension Rational: CustomStringConvertible {
    /// `p` for integers, `p/q` otherwise: the canonical form every file uses.
    public var description: String {
        denominator == 1 ? numerator.description : "\(numerator)/\(denominator)"
    }

    /// The value rounded to `digits` decimal places (half away from zero), for display only.
    public func decimalString(fractionDigits digits: Int) -> String {
        precondition(digits >= 0, "negative digit count")
        let scaled = numerator.magnitude * BigInt.powerOfTen(digits)
        let (q, r) = scaled.quotientAndRemainder(dividingBy: denominator)
        let rounded = (r + r) >= denominator ? q + 1 : q
        var text = rounded.description
        if digits > 0 {
            if text.count <= digits { text = String(repeating: "0", count: digits - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -digits))
        }
        return (sign == .negative && rounded != 0 ? "-" : "") + text
    }

    /// The value in scientific notation with `significantDigits` digits, for display only
    /// (e.g. "2.50e-3"); exact zero prints as "0".
    public func scientificString(significantDigits: Int = 3) -> String {
        precondition(significantDigits >= 1)
        if isZero { return "0" }
        let m = magnitude
        // Estimate the decimal exponent from bit lengths, then correct it exactly.
        var e = Int((Double(m.numerator.bitLength - m.denominator.bitLength) * 0.30102999566398120).rounded(.down))
        func scaled(_ e: Int) -> Rational {
            e >= 0 ? m / Rational(BigInt.powerOfTen(e)) : m * Rational(BigInt.powerOfTen(-e))
        }
        while scaled(e) >= 10 { e += 1 }
        while scaled(e) < 1 { e -= 1 }
        var mantissa = scaled(e).decimalString(fractionDigits: significantDigits - 1)
        if mantissa.hasPrefix("10") {  // rounding carried into a new digit
            e += 1
            mantissa = scaled(e).decimalString(fractionDigits: significantDigits - 1)
        }
        return (sign == .negative ? "-" : "") + mantissa + "e" + (e < 0 ? "-" : "+") + String(abs(e))
    }
}

extension Rational: LosslessStringConvertible {
    /// Parses with `init(parsing:)`; nil on any error.
    public init?(_ description: String) {
        guard let value = try? Rational(parsing: description) else { return nil }
        self = value
    }
}
