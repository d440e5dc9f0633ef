import ExactArithmetic

// MARK: - Neurons from the counting bound

extension CountingBound {
    /// The most weights and biases a network of `neurons` threshold neurons reading
    /// `dimension` inputs can have: N(d + 1) + N(N - 1)/2.
    ///
    /// Order the neurons so that each reads only inputs and earlier neurons (any
    /// feed-forward network, and memcert's layered ones, where layer 0 reads the
    /// input and layer l only layer l - 1). The i-th neuron (i = 1...N) has at most
    /// d + (i - 1) weights and one bias; summing gives N(d + 1) + N(N - 1)/2.
    public static func maximumWeights(neurons: Int, dimension: Int) -> BigInt {
        precondition(neurons >= 0 && dimension >= 0)
        let n = BigInt(neurons)
        return n * BigInt(dimension + 1) + (n * BigInt(neurons - 1)).quotientAndRemainder(dividingBy: BigInt(2)).quotient
    }

    /// The least N such that a network of N threshold neurons on `dimension` inputs
    /// could memorize every labeling of `points` points by the counting argument:
    /// the least N with (e_hi N)^(2 W(N)) >= 2^n, W(N) = `maximumWeights(neurons: N, dimension: d)`,
    /// e_hi = 1457/536 > e.
    ///
    /// Why it is a lower bound: a network memorizing all 2^n labelings of n points
    /// shatters them, so n <= VC dimension <= 2W log2(eN) (Baum and Haussler,
    /// "What size net gives valid generalization?", Neural Computation 1(1), 1989,
    /// Theorem 1), with W its weights and biases, W <= W(N). Since W(N) and eN
    /// grow with N, every N below the returned one has (eN)^(2W(N)) < (e_hi N)^(2W(N)) < 2^n.
    /// This bound is Ω(√(n / log n)) neurons: the √n of Rajput et al.'s construction
    /// is within a logarithmic factor of it.
    ///
    /// Edge cases: 0 points need 0 neurons; one point needs 1 (the bound checks only
    /// the count; N = 1 already satisfies it for n = 1).
    ///
    /// - Complexity: O(log N) exact powers of O(N² log N) bits (N about √n; a few
    ///   milliseconds for n = 10^6).
    public static func minimumNeurons(points n: Int, dimension d: Int) -> Int {
        precondition(n >= 0 && d >= 0)
        if n == 0 { return 0 }
        let q = eUpper.denominator
        let twoToN = BigInt(1).shiftedLeft(by: n)
        func enough(_ neurons: Int) -> Bool {  // (e_hi N)^(2W) >= 2^n  ⟺  (1457 N)^(2W) >= 2^n 536^(2W)
            let w = maximumWeights(neurons: neurons, dimension: d)
            // 2W beyond Int: (e_hi N)^(2W) >= 2.7^(2^62) exceeds 2^n for every n that is an Int.
            guard let twoW = (w * BigInt(2)).intValue else { return true }
            return BigInt.power(eUpper.numerator * BigInt(neurons), twoW) >= twoToN * BigInt.power(q, twoW)
        }
        // N = n always suffices: W(n) >= n and log2(e n) > 1, so 2W log2(eN) > n.
        var low = 0, high = 1  // enough(0) is false: 0 >= 2^n fails
        while !enough(high) { low = high; high = min(n, 2 * high) }
        while high - low > 1 {
            let mid = (low + high) / 2
            if enough(mid) { high = mid } else { low = mid }
        }
        return high
    }
}
