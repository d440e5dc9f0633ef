import ExactArithmetic

/// The counting (VC) bound: a feed-forward network of N threshold neurons with
/// W weights and biases has VC dimension at most 2W log2(eN) (Baum and Haussler,
/// "What size net gives valid generalization?", Neural Computation 1(1), 1989,
/// Theorem 1). A network that memorizes every labeling of n points shatters
/// them, so it needs 2W log2(eN) >= n, i.e. (eN)^(2W) >= 2^n.
public enum CountingBound {
    /// A rational upper bound on e: e < 1457/536 (1457/536 - e ≈ 1.7e-6; checked
    /// exactly in the tests against Σ_{k<=10} 1/k! + 1/(10!·10), itself > e).
    public static let eUpper = Rational(1457, 536)

    /// The least W such that (e_hi N)^(2W) >= 2^n with e_hi = 1457/536 >= e. Any
    /// W below it has (eN)^(2W) <= (e_hi N)^(2W) < 2^n, so it cannot memorize all
    /// 2^n labelings: this W is a valid lower bound on weights plus biases.
    ///
    /// - Complexity: O(log n) exact powers of about n bits.
    public static func minimumWeights(points n: Int, neurons: Int) -> Int {
        precondition(n >= 0 && neurons >= 1)
        if n == 0 { return 0 }
        let p = eUpper.numerator * BigInt(neurons), q = eUpper.denominator
        let twoToN = BigInt(1).shiftedLeft(by: n)
        func enough(_ w: Int) -> Bool {  // (p/q)^(2w) >= 2^n  ⟺  p^(2w) >= 2^n q^(2w)
            BigInt.power(p, 2 * w) >= twoToN * BigInt.power(q, 2 * w)
        }
        var low = 0, high = 1  // enough(low) is false (2^n > 1 for n >= 1)
        while !enough(high) { low = high; high *= 2 }
        while high - low > 1 {
            let mid = (low + high) / 2
            if enough(mid) { high = mid } else { low = mid }
        }
        return high
    }
}
