#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number
/// generators", ACM TOMS 2021), seeded through SplitMix64 as its authors
/// recommend. Every random choice memcert makes is drawn from one of these, so
/// the same seed gives the same bytes.
///
/// Independent streams for independent purposes (`stream`) keep results
/// stable when one stage draws more or fewer numbers.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// The generator for `seed` and a named purpose.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var sm = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in 0..<n.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(next() % UInt64(n))  // bias < n / 2^64, irrelevant for sampling here
    }

    /// A standard normal sample (Marsaglia's polar method).
    public mutating func gaussian() -> Double {
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * log(s) / s).squareRoot() }
        }
    }
}

/// Named streams, so each purpose draws from its own sequence.
public enum RandomStream {
    public static let points: UInt64 = 1
    public static let labels: UInt64 = 2
    public static let hyperplanes: UInt64 = 3
    public static let compression: UInt64 = 4
    public static let partners: UInt64 = 5
}
