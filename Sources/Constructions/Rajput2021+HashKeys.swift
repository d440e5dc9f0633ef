import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
import WorkSharing

/// The key without stage B (`--compression hash`; docs/ARCHITECTURE.md, "Theorem 1,
/// stage by stage"): u = Σ_r w_r c_r, an integer random linear form of the k code bits,
/// with each w_r uniform in [1, 2^b). It stands where the paper composes the GF(2) code
/// with binary reading (u = Σ 2^r (A c mod 2)_r): both are random maps of the codes to
/// integers of O(log N) bits that must be injective on the N key classes, but this one is
/// linear over the integers, so stage C reads it straight from the first layer.
///
/// Distinctness: for two different codes, fix every w_r but one where they differ; the keys
/// then agree for at most one value of that w_r, so with probability at most 1/(2^b - 1).
/// With b = ⌈log2 P⌉ + 2 for the P = N(N-1)/2 pairs, a draw merges some pair with
/// probability at most about 1/4; draws are repeated (b growing by one every 8 draws) until
/// the keys are distinct, checked exactly.
struct HashedKeys {
    /// w_r for each code bit r.
    let weights: [UInt64]
    /// b: each weight lies in [1, 2^b).
    let weightBits: Int
    /// The key of each class.
    let keys: [BigInt]
    /// Draws made (the last one kept).
    let draws: Int

    /// - Parameters:
    ///   - k: code bits (at least 1).
    ///   - classCodes: one code per class; the codes are distinct.
    /// - Throws: `RequestError` for more than 2^29 classes (weights would pass 62 bits),
    ///   or when 32 draws all merge two classes (a broken promise of stage A).
    static func draw(k: Int, classCodes: PackedCodes, seed: UInt64) throws(RequestError) -> HashedKeys {
        precondition(k >= 1 && k < 1 << 40)
        let n = classCodes.words.count / classCodes.stride
        guard n <= 1 << 29 else { throw RequestError("--compression hash: \(n) key classes are more than 2^29") }
        let pairs = UInt64(n) * UInt64(max(n - 1, 1)) / 2
        let base = (pairs <= 1 ? 0 : UInt64.bitWidth - (pairs - 1).leadingZeroBitCount) + 2
        var rng = SeededRandom(seed: seed, stream: RandomStream.compression)
        let stride = classCodes.stride, words = classCodes.words
        for attempt in 0 ..< 32 {
            let b = base + attempt / 8
            let weights = (0 ..< k).map { _ in 1 + rng.next() % ((1 << UInt64(b)) - 1) }
            // Σ of at most k < 2^40 terms below 2^62: fits 128 bits.
            let keys = Parallel.mapChunks(count: n, chunkSize: 4096) { range -> [UInt128] in
                range.map { c in
                    var key: UInt128 = 0
                    for w in 0 ..< stride {
                        var word = words[c * stride + w]
                        while word != 0 {
                            key += UInt128(weights[w * 64 + word.trailingZeroBitCount])
                            word &= word - 1
                        }
                    }
                    return key
                }
            }.flatMap { $0 }
            if allDistinct(keys) {
                return HashedKeys(weights: weights, weightBits: b, keys: keys.map { BigInt(Int128($0)) }, draws: attempt + 1)
            }
        }
        throw RequestError("--compression hash: 32 random linear keys all merged two key classes")
    }
}
