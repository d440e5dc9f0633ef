internal import CGMP

// MARK: - Ring operations
//
// Each operator tries the inline Int64 path with overflow detection first; an
// overflowing result is formed exactly in Int128, and anything involving a
// GMP value goes through GMP.

extension BigInt {
    @inlinable
    public static func + (lhs: BigInt, rhs: BigInt) -> BigInt {
        if case .small(let a) = lhs.representation, case .small(let b) = rhs.representation {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? BigInt(Int128(a) + Int128(b)) : BigInt(sum)
        }
        return addSlow(lhs, rhs)
    }

    @inlinable
    public static func - (lhs: BigInt, rhs: BigInt) -> BigInt {
        if case .small(let a) = lhs.representation, case .small(let b) = rhs.representation {
            let (difference, overflow) = a.subtractingReportingOverflow(b)
            return overflow ? BigInt(Int128(a) - Int128(b)) : BigInt(difference)
        }
        return subtractSlow(lhs, rhs)
    }

    @inlinable
    public static func * (lhs: BigInt, rhs: BigInt) -> BigInt {
        if case .small(let a) = lhs.representation, case .small(let b) = rhs.representation {
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? BigInt(Int128(a) * Int128(b)) : BigInt(product)
        }
        return multiplySlow(lhs, rhs)
    }

    @inlinable
    public static prefix func - (value: BigInt) -> BigInt {
        if case .small(let a) = value.representation {
            return a == .min ? BigInt(-Int128(a)) : BigInt(-a)
        }
        return negateSlow(value)
    }

    @inlinable
    public static func += (lhs: inout BigInt, rhs: BigInt) { lhs = lhs + rhs }
    @inlinable
    public static func -= (lhs: inout BigInt, rhs: BigInt) { lhs = lhs - rhs }
    @inlinable
    public static func *= (lhs: inout BigInt, rhs: BigInt) { lhs = lhs * rhs }

    /// The absolute value.
    @inlinable
    public var magnitude: BigInt { sign == .negative ? -self : self }

    @usableFromInline
    static func addSlow(_ a: BigInt, _ b: BigInt) -> BigInt {
        a.withMPZ { pa in b.withMPZ { pb in computing { cgmp_add($0, pa, pb) } } }
    }

    @usableFromInline
    static func subtractSlow(_ a: BigInt, _ b: BigInt) -> BigInt {
        a.withMPZ { pa in b.withMPZ { pb in computing { cgmp_sub($0, pa, pb) } } }
    }

    @usableFromInline
    static func multiplySlow(_ a: BigInt, _ b: BigInt) -> BigInt {
        a.withMPZ { pa in b.withMPZ { pb in computing { cgmp_mul($0, pa, pb) } } }
    }

    @usableFromInline
    static func negateSlow(_ a: BigInt) -> BigInt {
        a.withMPZ { pa in computing { cgmp_neg($0, pa) } }
    }
}

// MARK: - Division

extension BigInt {
    /// Truncated division (rounds toward zero, like Swift's `/` and `%`).
    ///
    /// - Precondition: `divisor` is not zero.
    public func quotientAndRemainder(dividingBy divisor: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        precondition(!divisor.isZero, "BigInt division by zero")
        if case .small(let a) = representation, case .small(let b) = divisor.representation {
            if a == .min && b == -1 { return (BigInt(-Int128(a)), 0) }
            return (BigInt(a / b), BigInt(a % b))
        }
        let q = GMPStorage(), r = GMPStorage()
        withMPZ { pa in divisor.withMPZ { pb in
            q.withWritePointer { pq in r.withWritePointer { pr in cgmp_tdiv_qr(pq, pr, pa, pb) } }
        } }
        return (BigInt(normalizing: q), BigInt(normalizing: r))
    }

    /// Truncated quotient (rounds toward zero, like `/` on Swift integers).
    ///
    /// - Precondition: `rhs` is not zero.
    public static func / (lhs: BigInt, rhs: BigInt) -> BigInt {
        lhs.quotientAndRemainder(dividingBy: rhs).quotient
    }

    /// Remainder of truncated division (sign of `lhs`, like `%` on Swift integers).
    ///
    /// - Precondition: `rhs` is not zero.
    public static func % (lhs: BigInt, rhs: BigInt) -> BigInt {
        lhs.quotientAndRemainder(dividingBy: rhs).remainder
    }

    /// Floor division: the quotient rounds toward negative infinity and the
    /// remainder has the sign of the divisor (or is zero).
    ///
    /// - Precondition: `divisor` is not zero.
    public func flooredQuotientAndRemainder(dividingBy divisor: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        let (q, r) = quotientAndRemainder(dividingBy: divisor)
        if !r.isZero && (r.sign != divisor.sign) { return (q - 1, r + divisor) }
        return (q, r)
    }

    /// The quotient of an exact division.
    ///
    /// - Precondition: `divisor` is nonzero and divides `self`.
    public func exactQuotient(dividingBy divisor: BigInt) -> BigInt {
        precondition(!divisor.isZero, "BigInt division by zero")
        if case .small(let a) = representation, case .small(let b) = divisor.representation {
            if a == .min && b == -1 { return BigInt(-Int128(a)) }
            precondition(a % b == 0, "exactQuotient: \(b) does not divide \(a)")
            return BigInt(a / b)
        }
        return withMPZ { pa in divisor.withMPZ { pb in
            precondition(cgmp_divisible(pa, pb) != 0, "exactQuotient: divisor does not divide dividend")
            return BigInt.computing { cgmp_divexact($0, pa, pb) }
        } }
    }

    /// True when `divisor` divides `self` (zero divides only zero).
    public func isMultiple(of divisor: BigInt) -> Bool {
        if divisor.isZero { return isZero }
        if case .small(let a) = representation, case .small(let b) = divisor.representation {
            if b == -1 { return true }
            return a % b == 0
        }
        return withMPZ { pa in divisor.withMPZ { pb in cgmp_divisible(pa, pb) != 0 } }
    }

    /// `self * 2^shift` for `shift >= 0`.
    public func shiftedLeft(by shift: Int) -> BigInt {
        precondition(shift >= 0, "negative shift")
        if shift == 0 || isZero { return self }
        if case .small(let a) = representation, shift < 63 {
            let m = a.magnitude
            if m.leadingZeroBitCount > shift + 1 { return BigInt(a << Int64(shift)) }
        }
        return withMPZ { pa in BigInt.computing { cgmp_mul_2exp($0, pa, UInt(shift)) } }
    }

    /// `self / 2^shift` rounded toward zero, for `shift >= 0`.
    public func shiftedRightTruncating(by shift: Int) -> BigInt {
        precondition(shift >= 0, "negative shift")
        if shift == 0 { return self }
        if case .small(let a) = representation {
            if shift >= 64 { return 0 }
            let m = a.magnitude >> UInt64(shift)
            return a < 0 ? BigInt(-Int128(m)) : BigInt(UInt64(m))
        }
        return withMPZ { pa in BigInt.computing { cgmp_tdiv_q_2exp($0, pa, UInt(shift)) } }
    }
}
