import Synchronization

// MARK: - R² and δ² (memorization claims radiusSquared, deltaSquared; n <= 20000)
//
// R² = max_i ‖x_i‖² and δ² = min_{i≠j} ‖x_i − x_j‖² / R², exactly. All pairs are
// compared, in O(n·d) memory, with a float prefilter whose error bound is proved
// below; every pair the filter cannot rule out is computed exactly.
//
// Filter. For a small point, x̂_k = fl(fl(a_k) / fl(D)) has relative error at most
// (1+u)³/(1−u) − 1 < 4u (u = 2^-53); |x_k| >= 2^-63 or x_k = 0, so nothing here is
// subnormal and nothing overflows (|x̂_k| <= 2^63). For a pair, with c_k = x_k − y_k,
// the computed difference c̃_k = fl(x̂_k − ŷ_k) satisfies |c̃_k − c_k| <= ρ(|x_k| + |y_k|)
// with ρ = 4u + u + 4u² < 5.1u (using |x̂ − ŷ| <= (1+4u)(|x| + |y|)). Then
//   |Σ c̃_k² − Σ c_k²| <= Σ (2|c_k| |c̃_k − c_k| + (c̃_k − c_k)²) <= (2ρ + ρ²) P,
// P = Σ (|x_k| + |y_k|)² <= 2(N_x + N_y), N = Σ x_k², and the float sum s̃ of the
// computed squares is within γ_d Σ c̃_k² of it (Higham, Accuracy and Stability of
// Numerical Algorithms, 2nd ed., eq. (3.5)), γ_d = du/(1 − du). With Ñ the float
// value of N (within γ_(d+4) of it, relative), for d < 10^12:
//   |s̃ − s| <= 1.01 d u s̃ + 10.3 u · 2.01 (Ñ_x + Ñ_y) <= E = 16 (d + 4) u (s̃ + Ñ_x + Ñ_y).
// Pass 1 takes U = min over pairs of s̃ + E >= min s. Pass 2 computes exactly every
// pair with s̃ − E <= U (a closest pair is among them), and every pair with a big point.

enum MinimumDistance {
    static func radiusSquared(_ data: LabeledPoints) -> Q {
        var best = Q(0)
        for i in 0 ..< data.count {
            let row = data.exactRow(i)
            var s = Z(0)
            for a in row.dropFirst() { s = s + a * a }
            let r = Q(s, row[0] * row[0])
            if best < r { best = r }
        }
        return best
    }

    /// The least squared distance between two points (n >= 2).
    static func minimumSquaredDistance(_ data: LabeledPoints, progress: Progress? = nil) -> Q {
        let n = data.count, d = data.dimension, w = d + 1
        var approx = [Double](repeating: 0, count: n * d)
        var norms = [Double](repeating: .nan, count: n)  // NaN marks a big point: no estimate
        for i in 0 ..< n where data.big[i] == nil {
            let denominator = Double(data.rows[i * w])
            var s = 0.0
            for k in 0 ..< d {
                let x = Double(data.rows[i * w + 1 + k]) / denominator
                approx[i * d + k] = x
                s += x * x
            }
            norms[i] = s
        }
        let x = approx, norm = norms
        let slack = 16 * Double(d + 4) * Double.ulpOfOne / 2
        /// (s̃ − E, s̃ + E) for points i, j, or nil when either is big.
        @Sendable func estimate(_ i: Int, _ j: Int) -> (low: Double, high: Double)? {
            if norm[i].isNaN || norm[j].isNaN { return nil }
            var s = 0.0
            for k in 0 ..< d {
                let c = x[i * d + k] - x[j * d + k]
                s += c * c
            }
            let e = slack * (s + norm[i] + norm[j])
            return (s - e, s + e)
        }
        // Rows i are dealt out in an interleaved order so both workers get equal pair counts.
        let tasks = min(n - 1, 64)
        let upper = Workers.map(tasks) { c -> Double in
            var u = Double.infinity
            for i in stride(from: c, to: n - 1, by: tasks) {
                for j in i + 1 ..< n { if let e = estimate(i, j) { u = min(u, e.high) } }
            }
            return u
        }.min() ?? .infinity
        let bests = Workers.map(tasks) { c -> Q? in
            var best: Q?
            for i in stride(from: c, to: n - 1, by: tasks) {
                var rowI: [Z]?
                for j in i + 1 ..< n {
                    if let e = estimate(i, j), e.low > upper { continue }
                    let a = rowI ?? data.exactRow(i)
                    rowI = a
                    let b = data.exactRow(j)
                    var s = Z(0)
                    for k in 1 ..< w {
                        let t = a[k] * b[0] - b[k] * a[0]
                        s = s + t * t
                    }
                    let value = Q(s, (a[0] * b[0]) * (a[0] * b[0]))
                    if best == nil || value < best! { best = value }
                }
                progress?.advance(n - 1 - i)
            }
            return best
        }
        return bests.compactMap { $0 }.min { $0 < $1 }!
    }
}
