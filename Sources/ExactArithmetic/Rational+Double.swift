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
    /// Computed exactly from the double's significand and exponent, so it is
    /// defined for every finite `value` and every `bits` >= 0, even where
    /// value · 2^bits would overflow a double.
    ///
    /// - Precondition: `value` is finite and `bits` >= 0.
    /// - Complexity: O(bits) for the power of two.
    public init(nearestDyadic value: Double, fractionalBits bits: Int) {
        precondition(value.isFinite, "nearestDyadic of a non-finite value")
        precondition(bits >= 0, "nearestDyadic needs fractionalBits >= 0")
        if value == 0 {
            self.init()
            return
        }
        // |value| = m · 2^e exactly, with an integral significand m < 2^53.
        let m = Int64(value.significandBitPattern | (value.isSubnormal ? 0 : 1 << 52))
        let e = value.isSubnormal ? -1074 : Int(value.exponent) - 52
        let shift = e + bits  // |value| · 2^bits = m · 2^shift
        var magnitude: BigInt
        if shift >= 0 {
            magnitude = BigInt(m).shiftedLeft(by: shift)
        } else if shift < -60 {
            magnitude = BigInt(0)  // m · 2^shift < 2^53 · 2^-61 < 1/2
        } else {
            let k = Int64(-shift)
            let quotient = m >> k, remainder = m & ((1 << k) - 1)
            magnitude = BigInt(remainder >= (1 << (k - 1)) ? quotient + 1 : quotient)
        }
        self.init(value < 0 ? -magnitude : magnitude, BigInt(1).shiftedLeft(by: bits))
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

// MARK: - Correctly rounded conversion to double

extension Rational {
    /// The double nearest to the value (IEEE 754 round to nearest, ties to even), and whether it
    /// equals the value exactly; nil when the value rounds beyond the largest finite double.
    /// Subnormal results are rounded at their own precision (the last bit is 2^-1074).
    ///
    /// Method: with v = p/q > 0 and e = ⌊log2 v⌋ (found from bit lengths and one comparison),
    /// the significand is the integer quotient N = ⌊p 2^s / q⌋ for s = 52 - max(e, -1022), so that
    /// 2^52 <= N < 2^53 for normal results; the remainder decides the rounding exactly.
    ///
    /// - Complexity: one big-integer division of numbers of about bitLength(p) + bitLength(q) + 53 bits.
    public var nearestDouble: (value: Double, exact: Bool)? {
        if isZero { return (0, true) }
        let p = numerator.magnitude, q = denominator
        // e = ⌊log2(p/q)⌋: 2^(bp - bq - 1) < p/q < 2^(bp - bq + 1).
        var e = p.bitLength - q.bitLength
        let shifted = e >= 0 ? (p, q.shiftedLeft(by: e)) : (p.shiftedLeft(by: -e), q)
        if shifted.0 < shifted.1 { e -= 1 }
        if e > 1023 { return nil }
        let s = 52 - Swift.max(e, -1022)
        let scaled = s >= 0 ? (p.shiftedLeft(by: s), q) : (p, q.shiftedLeft(by: -s))
        let (n, r) = scaled.0.quotientAndRemainder(dividingBy: scaled.1)
        guard var significand = n.int64Value else { preconditionFailure("nearestDouble: significand beyond 64 bits") }
        let twice = r.shiftedLeft(by: 1)
        let half = BigInt.compare(twice, scaled.1)
        if half > 0 || (half == 0 && significand & 1 == 1) { significand += 1 }
        let exact = r.isZero
        // significand · 2^-s, exactly representable (significand <= 2^53, a power of two if it carried).
        let magnitude = Double(significand) * Double(sign: .plus, exponent: -s, significand: 1.0)
        guard magnitude.isFinite else { return nil }
        return (sign == .negative ? -magnitude : magnitude, exact)
    }
}
