// MARK: - Exact and approximate conversion with doubles

extension Rational {
    /// The exact value of a finite double (every finite double is a dyadic rational).
    public init?(exactly value: Double) {
        guard value.isFinite else { return nil }
        if value == 0 {
            self.init()
            return
        }
        // value = significand * 2^(exponent - 52) with an integral 53-bit significand.
        let exponent = Int(value.exponent)
        let significand: Int64 = value.isSubnormal
            ? Int64(value.significandBitPattern)
            : Int64(value.significandBitPattern | (1 << 52))
        let shift = (value.isSubnormal ? -1074 : exponent - 52)
        let signed = BigInt(value < 0 ? -significand : significand)
        if shift >= 0 {
            self.init(signed.shiftedLeft(by: shift))
        } else {
            self.init(signed, BigInt(1).shiftedLeft(by: -shift))
        }
    }

    /// The dyadic rational nearest to `value` with `bits` fractional bits,
    /// round(value · 2^bits) / 2^bits (halves rounded away from zero). Random
    /// reals become exact values this way: generated points, first-layer weights.
    ///
    /// - Precondition: value · 2^bits is finite.
    public init(nearestDyadic value: Double, fractionalBits bits: Int) {
        let scaled = (value * Double(sign: .plus, exponent: bits, significand: 1)).rounded()
        guard let numerator = BigInt(exactly: scaled) else {
            preconditionFailure("nearestDyadic: \(value) · 2^\(bits) is not finite")
        }
        self.init(numerator, BigInt(1).shiftedLeft(by: bits))
    }

    /// The relative error bound ρ = 2^-50 of `approximation`: whenever it
    /// returns a value a, |x - a| <= ρ |a|.
    public static let approximationRelativeError: Double = 0x1p-50

    /// A double near the value, with a proven relative error, or nil when the
    /// value is outside [2^-1000, 2^1000] in magnitude (zero maps to 0 exactly).
    ///
    /// Error: for words p, q the result is fl(fl(p) / fl(q)), relative error at
    /// most (1+u)^2/(1-u) - 1 < 3.01u with u = 2^-53; otherwise both parts are
    /// truncated to 53 bits (error < 2u each, `mpz_get_d_2exp`) and divided,
    /// < 5.01u. Either is below ρ/(1+ρ), which gives the bound stated above
    /// relative to the approximation (Higham, *Accuracy and Stability of
    /// Numerical Algorithms*, 2nd ed., section 2.2).
    public var approximation: Double? {
        if isZero { return 0 }
        if let p = numerator.int64Value, let q = denominator.int64Value {
            return Double(p) / Double(q)
        }
        let (mp, ep) = numerator.truncatedMantissaExponent()
        let (mq, eq) = denominator.truncatedMantissaExponent()
        let e = ep - eq
        guard e > -1000 && e < 1000 else { return nil }
        let magnitude = Double(sign: .plus, exponent: e, significand: mp / mq)
        return sign == .negative ? -magnitude : magnitude
    }
}
