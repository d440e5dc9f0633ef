/// Machine-word helpers behind the fast paths: gcd on words, powers of ten,
/// and checked 128-bit accumulation.
public enum WordArithmetic {
    /// 10^0 ... 10^18, every power of ten that fits in `Int64`.
    public static let powersOfTen: [Int64] = {
        var result: [Int64] = [1]
        for _ in 1...18 { result.append(result.last! * 10) }
        return result
    }()

    /// Binary gcd (Stein's algorithm; Knuth, TAOCP vol. 2, 4.5.2, Algorithm B).
    /// gcd(0, 0) = 0.
    @inlinable
    public static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var u = a, v = b
        if u == 0 { return v }
        if v == 0 { return u }
        let shift = (u | v).trailingZeroBitCount
        u >>= UInt64(u.trailingZeroBitCount)
        repeat {
            v >>= UInt64(v.trailingZeroBitCount)
            if u > v { swap(&u, &v) }
            v -= u
        } while v != 0
        return u << UInt64(shift)
    }

    /// Binary gcd on 128-bit words.
    @inlinable
    public static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        var u = a, v = b
        if u == 0 { return v }
        if v == 0 { return u }
        let shift = (u | v).trailingZeroBitCount
        u >>= UInt128(u.trailingZeroBitCount)
        repeat {
            v >>= UInt128(v.trailingZeroBitCount)
            if u > v { swap(&u, &v) }
            v -= u
        } while v != 0
        return u << UInt128(shift)
    }
}
