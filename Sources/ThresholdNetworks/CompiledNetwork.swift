import ExactArithmetic

/// A network prepared for fast exact evaluation on many points.
///
/// Layer 0 reads rational inputs. Its sign w·x + b is first estimated in
/// doubles through `DotProductFilter` (proven error bound); only when the
/// estimate is within the bound is the sign computed exactly, as the integer
/// Σ W'_j X_j + B' D (weights scaled by the lcm of their denominators, the
/// point by its common denominator) in 128-bit words with GMP fallback.
///
/// Later layers read bits; see `BinaryLayerKernel` for how they are evaluated
/// exactly and fast.
///
/// Each layer applies its own `Comparison` to the exact sign: `>=` fires at 0, `>` does
/// not, and `sign` reports a tie (the filter decides only signs it proves nonzero, so
/// every zero is found by the exact path).
public final class CompiledNetwork: Sendable {
    public let inputDimension: Int
    public let outputBits: Int
    public let widths: [Int]
    let first: FirstLayerKernel
    let later: [BinaryLayerKernel]

    /// Prepares `network`.
    ///
    /// - Precondition: the network is well formed.
    public init(_ network: Network) {
        if let problem = network.structuralProblem { preconditionFailure("compiling a malformed network: \(problem)") }
        inputDimension = network.inputDimension
        outputBits = network.outputBits
        widths = network.widths
        first = FirstLayerKernel(network.layers[0], dimension: network.inputDimension)
        var later: [BinaryLayerKernel] = []
        for (l, layer) in network.layers.enumerated().dropFirst() {
            later.append(BinaryLayerKernel(layer, inputWidth: network.layers[l - 1].neurons.count))
        }
        self.later = later
    }

    /// Prepares one layer reading the input, of any width, for its signs and
    /// codes only (`Evaluator.label` is meaningless for it).
    public init(singleLayer layer: Layer, inputDimension: Int) {
        precondition(!layer.neurons.isEmpty, "empty layer")
        self.inputDimension = inputDimension
        outputBits = min(layer.neurons.count, Network.maximumOutputBits)
        widths = [layer.neurons.count]
        first = FirstLayerKernel(layer, dimension: inputDimension)
        later = []
    }

    /// Scratch state for evaluating points one at a time on one thread.
    public func makeEvaluator() -> Evaluator { Evaluator(self) }
}

// MARK: - Layer 0

/// Layer 0 prepared for the filter and for exact sums, in memory proportional
/// to its nonzero weights (plus O(width + inputDimension)), never to
/// width × inputDimension: a wide, sparse first layer on a large input costs
/// what its file costs.
///
/// Filter form: neurons in blocks of four (SIMD lanes). Column j of the input
/// holds an entry for each block with a nonzero weight at j: the block's index
/// and its four weights (0 in the lanes of neurons without one). A point is
/// accumulated column by column, s_t = b̂_t + Σ_j ŵ_tj x̂_j. For a dense layer
/// every column holds every block in order, and the loop is the dense one.
///
/// Exact form: per neuron, its nonzero weights scaled to integers, as
/// (index, value) pairs in increasing index order, in `Int64` when they all
/// fit (else `BigInt`).
///
/// The filter's error bound still holds (proof next to `DotProductFilter`):
/// neuron t's sum runs over its own nonzero weights, at most d terms plus the
/// bias, with exact zero products where another neuron of its block has a
/// weight (0 · x̂ = ±0 changes no sum); γ_n grows with n, so the bound for
/// d + 1 terms covers it, and ‖ŵ_t‖₁ sums the same nonzero weights.
final class FirstLayerKernel: Sendable {
    let width: Int
    let comparison: Comparison
    let dimension: Int
    let blocks: Int
    /// Column j's entries are `columnStart[j] ..< columnStart[j + 1]`.
    let columnStart: [Int]
    /// True for a column holding every block in order (entry k is block k - start).
    let columnFull: [Bool]
    let entryBlock: [Int32]
    let entryWeights: [SIMD4<Double>]
    let biasLanes: [SIMD4<Double>]
    let weightNorms: [Double]
    let biasMagnitudes: [Double]
    let filterable: [Bool]
    let filter: DotProductFilter
    /// Neuron t's exact terms are `termStart[t] ..< termStart[t + 1]` of `termIndex`
    /// and, for a word neuron, `termWord`; otherwise `bigTerms[t]` (aligned with them).
    let termStart: [Int]
    let termIndex: [Int32]
    let termWord: [Int64]
    let wordNeuron: [Bool]
    let bigTerms: [[BigInt]]
    let scaledBias: [BigInt]
    /// L_t: the lcm of neuron t's denominators; pre-activation = (scaled value) / (L_t D_i).
    let scales: [BigInt]
    /// Neuron t is seen by the filter divided by 2^shift_t, its largest value's magnitude.
    let filterShifts: [Int]

    /// - Complexity: O(nonzero weights · log(4) + width + dimension) time and memory.
    init(_ layer: Layer, dimension: Int) {
        width = layer.neurons.count
        comparison = layer.comparison
        self.dimension = dimension
        blocks = (width + 3) / 4
        filter = DotProductFilter(dimension: dimension)
        var biasLanes = [SIMD4<Double>](repeating: .zero, count: blocks)
        var norms = [Double](repeating: 0, count: width)
        var biasMagnitudes = [Double](repeating: 0, count: width)
        var filterable = [Bool](repeating: true, count: width)
        var wordNeuron = [Bool](repeating: true, count: width)
        var scaledBias: [BigInt] = [], scales: [BigInt] = [], bigTerms: [[BigInt]] = []
        var filterShifts = [Int](repeating: 0, count: width)
        var termStart = [0], termIndex: [Int32] = [], termWord: [Int64] = []
        scaledBias.reserveCapacity(width)
        scales.reserveCapacity(width)
        bigTerms.reserveCapacity(width)
        // Filter weights per neuron (index, approximation), before they are laid out by column.
        var filterTerms: [[(Int, Double)]] = []
        filterTerms.reserveCapacity(width)
        for (t, neuron) in layer.neurons.enumerated() {
            // Filter data, for the neuron scaled by 2^-shift so that its largest value is near 1:
            // the sign of w·x + b does not change, and huge or tiny weights stay in the filter's range.
            var largest = Int.min
            for v in neuron.weights where !v.isZero {
                largest = Swift.max(largest, v.numerator.bitLength - v.denominator.bitLength)
            }
            if !neuron.bias.isZero {
                largest = Swift.max(largest, neuron.bias.numerator.bitLength - neuron.bias.denominator.bitLength)
            }
            let shift = largest == Int.min ? 0 : largest
            filterShifts[t] = shift
            func down(_ v: Rational) -> Rational {
                if shift == 0 || v.isZero { return v }
                return shift > 0 ? Rational(v.numerator, v.denominator.shiftedLeft(by: shift))
                                 : Rational(v.numerator.shiftedLeft(by: -shift), v.denominator)
            }
            var norm = 0.0
            var terms: [(Int, Double)] = []
            for (k, j) in neuron.indices.enumerated() where !neuron.weights[k].isZero {
                guard let a = down(neuron.weights[k]).approximation, DotProductFilter.accepts(a) else {
                    filterable[t] = false
                    continue
                }
                terms.append((j, a))
                norm += Swift.abs(a)
            }
            if let b = down(neuron.bias).approximation, DotProductFilter.accepts(b) {
                biasLanes[t / 4][t % 4] = b
                biasMagnitudes[t] = Swift.abs(b)
            } else {
                filterable[t] = false
            }
            // Rounding up the norm: computed in at most `dimension` additions of
            // nonnegative terms; DotProductFilter's factor covers that rounding.
            norms[t] = norm
            if !norm.isFinite { filterable[t] = false }
            filterTerms.append(filterable[t] ? terms : [])
            // Exact data: the nonzero weights only.
            let l = Rational.commonDenominator(of: neuron.weights + [neuron.bias])
            scales.append(l)
            scaledBias.append(neuron.bias.scaled(by: l))
            var big: [BigInt] = []
            for (k, j) in neuron.indices.enumerated() where !neuron.weights[k].isZero {
                let w = neuron.weights[k].scaled(by: l)
                termIndex.append(Int32(j))  // j < dimension <= the network format's limit, far below 2^31
                big.append(w)
                if let word = w.int64Value { termWord.append(word) } else {
                    termWord.append(0)
                    wordNeuron[t] = false
                }
            }
            termStart.append(termIndex.count)
            bigTerms.append(wordNeuron[t] ? [] : big)
        }
        // Lay the filter weights out by column: count the (column, block) entries, then fill.
        // Each block's four neurons have sorted indices, so a merge finds its columns in order.
        var blockColumns: [[(Int, SIMD4<Double>)]] = []
        blockColumns.reserveCapacity(blocks)
        var columnCount = [Int](repeating: 0, count: dimension + 1)
        for b in 0 ..< blocks {
            var entries: [(Int, SIMD4<Double>)] = []
            var cursor = [Int](repeating: 0, count: 4)
            while true {
                var next = Int.max
                for lane in 0 ..< 4 where 4 * b + lane < width {
                    let terms = filterTerms[4 * b + lane]
                    if cursor[lane] < terms.count { next = Swift.min(next, terms[cursor[lane]].0) }
                }
                if next == Int.max { break }
                var w = SIMD4<Double>.zero
                for lane in 0 ..< 4 where 4 * b + lane < width {
                    let terms = filterTerms[4 * b + lane]
                    if cursor[lane] < terms.count && terms[cursor[lane]].0 == next {
                        w[lane] = terms[cursor[lane]].1
                        cursor[lane] += 1
                    }
                }
                entries.append((next, w))
                columnCount[next] += 1
            }
            blockColumns.append(entries)
        }
        filterTerms = []
        var columnStart = [Int](repeating: 0, count: dimension + 1)
        for j in 0 ..< dimension { columnStart[j + 1] = columnStart[j] + columnCount[j] }
        let entryCount = columnStart[dimension]
        var entryBlock = [Int32](repeating: 0, count: entryCount)
        var entryWeights = [SIMD4<Double>](repeating: .zero, count: entryCount)
        var fill = columnStart
        for (b, entries) in blockColumns.enumerated() {  // blocks in increasing order within each column
            for (j, w) in entries {
                entryBlock[fill[j]] = Int32(b)
                entryWeights[fill[j]] = w
                fill[j] += 1
            }
        }
        self.columnStart = columnStart
        let blockCount = blocks
        columnFull = columnCount.prefix(dimension).map { $0 == blockCount }
        self.entryBlock = entryBlock
        self.entryWeights = entryWeights
        self.biasLanes = biasLanes
        weightNorms = norms
        self.biasMagnitudes = biasMagnitudes
        self.filterable = filterable
        self.termStart = termStart
        self.termIndex = termIndex
        self.termWord = termWord
        self.wordNeuron = wordNeuron
        self.bigTerms = bigTerms
        self.scaledBias = scaledBias
        self.scales = scales
        self.filterShifts = filterShifts
    }

    /// s_t = fl(b̂_t + Σ_j ŵ_tj x̂_j) for every neuron into `acc`, four neurons per lane,
    /// from the point's approximations `x` (any summation order is covered by
    /// `DotProductFilter`'s bound).
    @inline(__always)
    func accumulate(_ x: UnsafeBufferPointer<Double>, into acc: UnsafeMutableBufferPointer<SIMD4<Double>>) {
        biasLanes.withUnsafeBufferPointer { bias in
            for b in 0 ..< blocks { acc[b] = bias[b] }
        }
        columnStart.withUnsafeBufferPointer { start in
        columnFull.withUnsafeBufferPointer { full in
        entryBlock.withUnsafeBufferPointer { block in
        entryWeights.withUnsafeBufferPointer { w in
            for j in 0 ..< dimension {
                let lo = start[j], hi = start[j + 1]
                if lo == hi { continue }
                let xj = SIMD4<Double>(repeating: x[j])
                if full[j] {
                    for b in 0 ..< blocks { acc[b] += w[lo + b] * xj }
                } else {
                    for e in lo ..< hi { acc[Int(block[e])] += w[e] * xj }
                }
            }
        } } } }
    }

    /// The exact sign of neuron t's pre-activation at point i.
    func exactSign(_ t: Int, point i: Int, in points: RationalPoints) -> Sign {
        var sum = IntegerAccumulator()
        if wordNeuron[t], let sign = points.withWordPoint(i, { x, d -> Sign in
            termIndex.withUnsafeBufferPointer { index in
                termWord.withUnsafeBufferPointer { w in
                    for k in termStart[t] ..< termStart[t + 1] { sum.add(w[k], times: x[Int(index[k])]) }
                }
            }
            sum.add(scaledBias[t], times: BigInt(d))
            return sum.sign
        }) {
            return sign
        }
        return exactValue(t, point: i, in: points).sign
    }

    /// The exact integer Σ W'_j X_j + B' D for neuron t and point i; the
    /// pre-activation is this over (L_t D_i), both positive.
    func exactValue(_ t: Int, point i: Int, in points: RationalPoints) -> BigInt {
        let p = points.scaledPoint(i)
        var sum = IntegerAccumulator()
        let start = termStart[t]
        for k in start ..< termStart[t + 1] {
            let w = wordNeuron[t] ? BigInt(termWord[k]) : bigTerms[t][k - start]
            sum.add(w, times: p.numerators[Int(termIndex[k])])
        }
        sum.add(scaledBias[t], times: p.denominator)
        return sum.value
    }
}
