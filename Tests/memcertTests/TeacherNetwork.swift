import TestSupport

/// The network the shard fixtures memorize: d = 3; layer 0 has three neurons whose
/// pre-activation on x is w_t·x + b_t/2 (small integer w_t, odd b_t, so never 0); layer 1
/// computes o0 = h0 and o1 = h1 AND h2; the label is o0 + 2 o1.
struct TeacherNetwork {
    let w: [[Int]]
    /// 2·b_t, odd.
    let b2: [Int]

    /// Draws w (3×3 in -3...3) and b (half-odd in -7/2...9/2) from `rng`.
    init(_ rng: inout SplitMix64) {
        w = (0 ..< 3).map { _ in (0 ..< 3).map { _ in rng.below(7) - 3 } }
        b2 = (0 ..< 3).map { _ in 2 * (rng.below(9) - 4) + 1 }
    }

    /// The network as `memcert.network/1`, its first-layer weights multiplied by `weightScale`
    /// (for data stored as x / weightScale).
    func json(weightScale: Int = 1) -> String {
        let first = (0 ..< 3).map { t in
            "{\"weights\": {\"indices\": [0, 1, 2], \"values\": [\(w[t].map { "\"\($0 * weightScale)\"" }.joined(separator: ", "))]}, \"bias\": \"\(b2[t])/2\"}"
        }
        return """
            {"format": "memcert.network/1", "inputDimension": 3, "outputBits": 2, "layers": [
              {"neurons": [\(first.joined(separator: ", "))]},
              {"neurons": [{"weights": {"indices": [0], "values": ["1"]}, "bias": "-1/2"},
                           {"weights": {"indices": [1, 2], "values": ["1", "1"]}, "bias": "-3/2"}]}]}
            """
    }

    /// The label the network gives x, computed with integers (2·(w·x) + 2b).
    func label(_ x: [Int]) -> Int {
        let h = (0 ..< 3).map { t in 2 * zip(w[t], x).map(*).reduce(0, +) + b2[t] >= 0 ? 1 : 0 }
        return h[0] + 2 * (h[1] & h[2])
    }
}
