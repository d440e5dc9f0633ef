import ExactArithmetic

/// The largest number of regions of hyperplane arrangements, exactly.
///
/// - k affine hyperplanes in R^d cut it into at most Σ_{i=0}^{d} C(k, i) regions,
///   with equality in general position (Schläfli, *Theorie der vielfachen
///   Kontinuität*, 1852, published 1901; Buck, "Partition of space", Amer. Math.
///   Monthly 50, 1943).
/// - k central hyperplanes (through 0) in R^d, k >= 1, cut it into at most
///   2 Σ_{i=0}^{d-1} C(k-1, i) regions (Schläfli; Cover, "Geometrical and
///   statistical properties of systems of linear inequalities with applications
///   in pattern recognition", IEEE Trans. Electronic Computers EC-14(3), 1965,
///   Theorem 1). With no hyperplanes, or in R^0, there is one region.
public enum RegionCounts {
    /// Σ_{i=0}^{min(d, k)} C(k, i).
    ///
    /// - Complexity: O(min(d, k)) multiplications and exact divisions of a
    ///   growing integer by a word: each binomial follows from the previous one,
    ///   C(k, i) = C(k, i-1) (k - i + 1) / i.
    public static func affine(hyperplanes k: Int, dimension d: Int) -> BigInt {
        precondition(k >= 0 && d >= 0, "counts need k, d >= 0")
        return partialBinomialSum(k, upTo: d)
    }

    /// 2 Σ_{i=0}^{d-1} C(k-1, i) for k, d >= 1; 1 when k = 0 or d = 0.
    public static func central(hyperplanes k: Int, dimension d: Int) -> BigInt {
        precondition(k >= 0 && d >= 0, "counts need k, d >= 0")
        if k == 0 || d == 0 { return 1 }
        return partialBinomialSum(k - 1, upTo: d - 1).shiftedLeft(by: 1)
    }

    /// Σ_{i=0}^{min(m, k)} C(k, i).
    static func partialBinomialSum(_ k: Int, upTo m: Int) -> BigInt {
        if m >= k { return BigInt(1).shiftedLeft(by: k) }  // every subset: 2^k
        var term = BigInt(1)
        var sum = BigInt(1)
        for i in stride(from: 1, through: m, by: 1) {
            term = (term * BigInt(k - i + 1)).exactQuotient(dividingBy: BigInt(i))
            sum += term
        }
        return sum
    }

    /// The smallest k whose count reaches `target` (the first-layer width needed to give
    /// `target` points distinct codes), by exponential then binary search on k (counts
    /// grow with k); nil when no k reaches it (R^0 has one region whatever k is, and
    /// central hyperplanes cut R^1 into at most 2).
    public static func inverse(target: BigInt, dimension d: Int, central: Bool) -> Int? {
        precondition(d >= 0, "dimension >= 0")
        func count(_ k: Int) -> BigInt { central ? self.central(hyperplanes: k, dimension: d) : affine(hyperplanes: k, dimension: d) }
        if target <= 1 { return 0 }
        if d == 0 || (central && d == 1 && target > 2) { return nil }
        var high = 1
        while count(high) < target { high *= 2 }
        var low = high / 2  // count(low) < target (or low = 0)
        while high - low > 1 {
            let mid = (low + high) / 2
            if count(mid) >= target { high = mid } else { low = mid }
        }
        return high
    }
}
