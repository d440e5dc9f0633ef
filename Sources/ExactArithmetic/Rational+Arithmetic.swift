// MARK: - Field operations
//
// Inline paths use 128-bit intermediates (products of two Int64 always fit)
// and the gcd tricks of Knuth, TAOCP vol. 2, 4.5.1, which keep results
// canonical with gcds of single words.

extension Rational {
    public static func + (lhs: Rational, rhs: Rational) -> Rational {
        if let a = lhs.numerator.int64Value, let b = lhs.denominator.int64Value,
           let c = rhs.numerator.int64Value, let d = rhs.denominator.int64Value {
            return addWords(a, b, c, d)
        }
        return addGeneral(lhs.numerator, lhs.denominator, rhs.numerator, rhs.denominator)
    }

    public static func - (lhs: Rational, rhs: Rational) -> Rational {
        lhs + (-rhs)
    }

    public static prefix func - (value: Rational) -> Rational {
        Rational(canonicalNumerator: -value.numerator, denominator: value.denominator)
    }

    public static func * (lhs: Rational, rhs: Rational) -> Rational {
        if let a = lhs.numerator.int64Value, let b = lhs.denominator.int64Value,
           let c = rhs.numerator.int64Value, let d = rhs.denominator.int64Value {
            if a == 0 || c == 0 { return Rational() }
            // (a/b)(c/d) with g1 = gcd(a, d), g2 = gcd(c, b): already canonical.
            let g1 = Int64(WordArithmetic.gcd(a.magnitude, d.magnitude))
            let g2 = Int64(WordArithmetic.gcd(c.magnitude, b.magnitude))
            let n = Int128(a / g1) * Int128(c / g2)
            let m = Int128(b / g2) * Int128(d / g1)
            return Rational(canonicalNumerator: BigInt(n), denominator: BigInt(m))
        }
        return multiplyGeneral(lhs, rhs)
    }

    /// The product through `BigInt` operations only (the path for large parts).
    static func multiplyGeneral(_ lhs: Rational, _ rhs: Rational) -> Rational {
        if lhs.isZero || rhs.isZero { return Rational() }
        let g1 = BigInt.gcd(lhs.numerator, rhs.denominator)
        let g2 = BigInt.gcd(rhs.numerator, lhs.denominator)
        let n = lhs.numerator.exactQuotient(dividingBy: g1) * rhs.numerator.exactQuotient(dividingBy: g2)
        let m = lhs.denominator.exactQuotient(dividingBy: g2) * rhs.denominator.exactQuotient(dividingBy: g1)
        return Rational(canonicalNumerator: n, denominator: m)
    }

    /// Exact division.
    ///
    /// - Precondition: `rhs` is not zero.
    public static func / (lhs: Rational, rhs: Rational) -> Rational {
        lhs * rhs.reciprocal
    }

    /// 1 / self.
    ///
    /// - Precondition: `self` is not zero.
    public var reciprocal: Rational {
        precondition(!isZero, "reciprocal of zero")
        if numerator.sign == .negative {
            return Rational(canonicalNumerator: -denominator, denominator: -numerator)
        }
        return Rational(canonicalNumerator: denominator, denominator: numerator)
    }

    public static func += (lhs: inout Rational, rhs: Rational) { lhs = lhs + rhs }
    public static func -= (lhs: inout Rational, rhs: Rational) { lhs = lhs - rhs }
    public static func *= (lhs: inout Rational, rhs: Rational) { lhs = lhs * rhs }
    public static func /= (lhs: inout Rational, rhs: Rational) { lhs = lhs / rhs }

    /// `self^exponent` for any integer exponent (negative needs a nonzero base).
    public func power(_ exponent: Int) -> Rational {
        if exponent < 0 { return reciprocal.power(-exponent) }
        return Rational(canonicalNumerator: BigInt.power(numerator, exponent),
                        denominator: BigInt.power(denominator, exponent))
    }

    /// a/b + c/d for words, b, d > 0.
    static func addWords(_ a: Int64, _ b: Int64, _ c: Int64, _ d: Int64) -> Rational {
        let g1 = Int64(WordArithmetic.gcd(b.magnitude, d.magnitude))
        if g1 == 1 {
            // gcd(ad + cb, bd) = 1 when both inputs are canonical and gcd(b, d) = 1.
            let n = Int128(a) * Int128(d) + Int128(c) * Int128(b)
            if n == 0 { return Rational() }
            return Rational(canonicalNumerator: BigInt(n), denominator: BigInt(Int128(b) * Int128(d)))
        }
        // t = a (d/g1) + c (b/g1); g2 = gcd(t, g1); result t/g2 over (b/g1)(d/g2).
        let t = Int128(a) * Int128(d / g1) + Int128(c) * Int128(b / g1)
        if t == 0 { return Rational() }
        let g2 = Int64(WordArithmetic.gcd(UInt64((t % Int128(g1)).magnitude), UInt64(g1)))
        let n = t / Int128(g2)
        let m = Int128(b / g1) * Int128(d / g2)
        return Rational(canonicalNumerator: BigInt(n), denominator: BigInt(m))
    }

    /// a/b + c/d for arbitrary parts, b, d > 0.
    static func addGeneral(_ a: BigInt, _ b: BigInt, _ c: BigInt, _ d: BigInt) -> Rational {
        let g1 = BigInt.gcd(b, d)
        if g1 == 1 {
            let n = a * d + c * b
            if n.isZero { return Rational() }
            return Rational(canonicalNumerator: n, denominator: b * d)
        }
        let t = a * d.exactQuotient(dividingBy: g1) + c * b.exactQuotient(dividingBy: g1)
        if t.isZero { return Rational() }
        let g2 = BigInt.gcd(t, g1)
        return Rational(canonicalNumerator: t.exactQuotient(dividingBy: g2),
                        denominator: b.exactQuotient(dividingBy: g1) * d.exactQuotient(dividingBy: g2))
    }
}

// MARK: - Order

extension Rational: Comparable {
    public static func < (lhs: Rational, rhs: Rational) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Three-way comparison: -1, 0 or 1 as lhs <, =, > rhs.
    public static func compare(_ lhs: Rational, _ rhs: Rational) -> Int {
        if lhs.denominator == rhs.denominator { return BigInt.compare(lhs.numerator, rhs.numerator) }
        if let a = lhs.numerator.int64Value, let b = lhs.denominator.int64Value,
           let c = rhs.numerator.int64Value, let d = rhs.denominator.int64Value {
            let left = Int128(a) * Int128(d), right = Int128(c) * Int128(b)
            return left < right ? -1 : (left == right ? 0 : 1)
        }
        return compareGeneral(lhs, rhs)
    }

    /// Comparison through `BigInt` operations only.
    static func compareGeneral(_ lhs: Rational, _ rhs: Rational) -> Int {
        let ls = lhs.sign, rs = rhs.sign
        if ls != rs { return ls < rs ? -1 : 1 }
        return BigInt.compare(lhs.numerator * rhs.denominator, rhs.numerator * lhs.denominator)
    }
}

// MARK: - Rounding

extension Rational {
    /// The largest integer <= self.
    public var floor: BigInt {
        numerator.flooredQuotientAndRemainder(dividingBy: denominator).quotient
    }

    /// The smallest integer >= self.
    public var ceiling: BigInt {
        -((-self).floor)
    }
}
