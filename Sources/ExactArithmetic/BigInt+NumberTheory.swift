internal import CGMP

// MARK: - Bits

extension BigInt {
    /// The number of bits of |self|: 0 for 0, 1 for ±1, 64 for 2^63.
    public var bitLength: Int {
        switch representation {
        case .small(let value):
            return 64 - value.magnitude.leadingZeroBitCount
        case .large(let storage):
            return storage.withReadPointer { Int(cgmp_bit_length($0)) }
        }
    }

    /// The index of the lowest set bit of |self|.
    ///
    /// - Precondition: `self` is not zero.
    public var trailingZeroBitCount: Int {
        precondition(!isZero, "trailingZeroBitCount of zero")
        switch representation {
        case .small(let value): return value.magnitude.trailingZeroBitCount
        case .large(let storage): return storage.withReadPointer { Int(cgmp_trailing_zeros($0)) }
        }
    }
}

// MARK: - gcd, lcm, powers

extension BigInt {
    /// The greatest common divisor, always >= 0; gcd(0, 0) = 0.
    public static func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
        if case .small(let x) = a.representation, case .small(let y) = b.representation {
            return BigInt(WordArithmetic.gcd(x.magnitude, y.magnitude))
        }
        return a.withMPZ { pa in b.withMPZ { pb in computing { cgmp_gcd($0, pa, pb) } } }
    }

    /// The least common multiple, always >= 0; lcm(a, 0) = 0.
    public static func lcm(_ a: BigInt, _ b: BigInt) -> BigInt {
        if a.isZero || b.isZero { return 0 }
        let g = gcd(a, b)
        return (a.magnitude.exactQuotient(dividingBy: g)) * b.magnitude
    }

    /// `base^exponent` for `exponent >= 0` (0^0 = 1).
    public static func power(_ base: BigInt, _ exponent: Int) -> BigInt {
        precondition(exponent >= 0, "negative exponent")
        return base.withMPZ { pb in computing { cgmp_pow_ui($0, pb, UInt(exponent)) } }
    }

    /// `10^exponent` for `exponent >= 0`.
    public static func powerOfTen(_ exponent: Int) -> BigInt {
        precondition(exponent >= 0, "negative exponent")
        if exponent < WordArithmetic.powersOfTen.count { return BigInt(WordArithmetic.powersOfTen[exponent]) }
        return computing { cgmp_ui_pow_ui($0, 10, UInt(exponent)) }
    }

    /// The binomial coefficient C(n, k); 0 when k > n.
    ///
    /// Computed by GMP's `mpz_bin_uiui` (GMP manual, "Number Theoretic Functions").
    public static func binomial(_ n: Int, _ k: Int) -> BigInt {
        precondition(n >= 0 && k >= 0, "binomial needs n, k >= 0")
        if k > n { return 0 }
        return computing { cgmp_bin_uiui($0, UInt(n), UInt(k)) }
    }

    /// floor(sqrt(self)) for `self >= 0`.
    public var integerSquareRoot: BigInt {
        precondition(sign != .negative, "square root of a negative integer")
        if case .small(let v) = representation {
            var r = Int64(Double(v).squareRoot())
            while r > 0 {
                let (square, overflow) = r.multipliedReportingOverflow(by: r)
                if !overflow && square <= v { break }
                r -= 1
            }
            while true {
                let (square, overflow) = (r + 1).multipliedReportingOverflow(by: r + 1)
                if overflow || square > v { break }
                r += 1
            }
            return BigInt(r)
        }
        return withMPZ { p in BigInt.computing { cgmp_sqrt($0, p) } }
    }
}
