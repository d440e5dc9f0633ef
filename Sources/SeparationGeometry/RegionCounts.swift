import ExactArithmetic
import TextFormats
import WorkSharing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    // MARK: - Cost

    /// The most word operations one count may take: about ten seconds.
    public static let workCap = 2e10

    /// Word operations to compute the count for k hyperplanes in R^d, estimated
    /// from above: 2^k is a shift of k/64 words when d >= k; otherwise d steps,
    /// each a multiplication and an exact division of a number of at most
    /// d log2(e k / d) + log2(d + 1) bits (C(k, i) <= (e k / i)^i, increasing in
    /// i <= k) by a word.
    public static func workEstimate(hyperplanes k: Int, dimension d: Int) -> Double {
        if d >= k { return Double(k) / 64 + 1 }
        return Double(d) * (resultBits(hyperplanes: k, dimension: d) / 64 + 1)
    }

    /// An upper bound on the bits of the count for k hyperplanes in R^d.
    public static func resultBits(hyperplanes k: Int, dimension d: Int) -> Double {
        if d >= k { return Double(k) + 1 }
        let dd = Double(max(d, 1)), kk = Double(k)
        return Swift.min(kk + 1, dd * log2(2.7182818284590452 * kk / dd) + log2(dd + 1) + 2)
    }

    /// Throws unless the count for k hyperplanes in R^d fits the work cap and memory.
    public static func checkCost(hyperplanes k: Int, dimension d: Int) throws(RequestError) {
        let work = workEstimate(hyperplanes: k, dimension: d)
        if !(work <= workCap) {
            throw RequestError("K = \(k), D = \(d) would take too long to count exactly: about \(work.scientificText()) word "
                               + "operations on numbers of up to \(resultBits(hyperplanes: k, dimension: d).scientificText()) bits, "
                               + "above the cap of \(workCap.scientificText())")
        }
        let bytes = resultBits(hyperplanes: k, dimension: d) / 8 * 4  // the sum, a term, and GMP's temporaries
        try MemoryBudget.require(bytes < 9e18 ? Int(bytes) : nil, for: "the exact count (K = \(k), D = \(d))")
    }

    // MARK: - Inverse

    /// The most hyperplanes the inverse search considers: 2^62.
    public static let inverseLimit = 1 << 62

    /// The smallest k whose count reaches `target` (the first-layer width needed to give
    /// `target` points distinct codes), by exponential then binary search on k (counts
    /// grow with k); nil when no k reaches it (R^0 has one region whatever k is, and
    /// central hyperplanes cut R^1 into at most 2).
    ///
    /// Throws `RequestError` when the answer exceeds `inverseLimit`, or when a count
    /// the search needs would exceed the work cap or the memory budget
    /// (`checkCost`), before computing it.
    ///
    /// - Complexity: O(log k) counts, each as `workEstimate` says.
    public static func inverse(target: BigInt, dimension d: Int, central: Bool) throws(RequestError) -> Int? {
        precondition(d >= 0, "dimension >= 0")
        func count(_ k: Int) throws(RequestError) -> BigInt {
            try checkCost(hyperplanes: k, dimension: d)
            return central ? self.central(hyperplanes: k, dimension: d) : affine(hyperplanes: k, dimension: d)
        }
        if target <= 1 { return 0 }
        if d == 0 || (central && d == 1 && target > 2) { return nil }
        // Every count is at most 2^k, so k >= bitLength(target) - 1: start there.
        var high = Swift.max(1, Swift.min(target.bitLength - 1, inverseLimit))
        var low = 0  // count(low) < target (low = 0 or a value checked below)
        while try count(high) < target {
            guard high < inverseLimit else {
                let shown = target.bitLength > 80 ? "a \(target.bitLength)-bit number" : target.description
                throw RequestError("no K up to 2^62 cuts R^\(d) into \(shown) regions")
            }
            low = high
            high = high <= inverseLimit / 2 ? 2 * high : inverseLimit
        }
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if try count(mid) >= target { high = mid } else { low = mid }
        }
        return high
    }
}
