import ExactArithmetic

/// A network prepared for fast exact evaluation on many points.
///
/// Layer 0 reads rational inputs. Its sign w·x + b is first estimated in
/// doubles through `DotProductFilter` (proven error bound); only when the
/// estimate is within the bound is the sign computed exactly, as the integer
/// Σ W'_j X_j + B' D (weights scaled by the lcm of their denominators, the
/// point by its common denominator) in 128-bit words with GMP fallback.
///
/// Later layers read bits. Their weights and bias are scaled to integers by
/// the lcm L of their denominators (sign is preserved since L > 0). When every
/// scaled weight fits in a word and Σ|W'| + |B'| < 2^62, no partial sum can
/// overflow and the neuron is evaluated in `Int64` without checks; otherwise
/// it is evaluated with `BigInt`. A neuron that cannot fire unless one
/// particular input is 1 (its bias plus all other positive weights is
/// negative) is skipped when that input is 0, which is exact.
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
        for layer in network.layers.dropFirst() { later.append(BinaryLayerKernel(layer)) }
        self.later = later
    }

    /// Scratch state for evaluating points one at a time on one thread.
    public func makeEvaluator() -> Evaluator { Evaluator(self) }
}

// MARK: - Scaling to integers

/// The lcm of the denominators of `values`: multiplying by it makes them integers.
func commonDenominator(_ values: [Rational]) -> BigInt {
    var l = BigInt(1)
    for v in values where !l.isMultiple(of: v.denominator) { l = BigInt.lcm(l, v.denominator) }
    return l
}

/// `value * scale` where `scale` is a multiple of the denominator.
func scaled(_ value: Rational, by scale: BigInt) -> BigInt {
    value.numerator * scale.exactQuotient(dividingBy: value.denominator)
}

// MARK: - Layer 0

struct FirstLayerKernel: Sendable {
    let width: Int
    let dimension: Int
    let blocks: Int
    /// ŵ transposed into lanes: element j * blocks + b holds neurons 4b ..< 4b+4 at input j.
    let weightLanes: [SIMD4<Double>]
    let biasLanes: [SIMD4<Double>]
    let weightNorms: [Double]
    let biasMagnitudes: [Double]
    let filterable: [Bool]
    let filter: DotProductFilter
    /// Scaled integer weights, dense, row t at t * dimension, valid where `wordNeuron[t]`.
    let wordWeights: [Int64]
    let wordNeuron: [Bool]
    let scaledBias: [BigInt]
    let bigWeights: [[BigInt]]  // dense rows for neurons that are not word neurons (else empty)

    init(_ layer: Layer, dimension: Int) {
        width = layer.neurons.count
        self.dimension = dimension
        blocks = (width + 3) / 4
        filter = DotProductFilter(dimension: dimension)
        var lanes = [SIMD4<Double>](repeating: .zero, count: max(1, dimension * blocks))
        var biasLanes = [SIMD4<Double>](repeating: .zero, count: blocks)
        var norms = [Double](repeating: 0, count: width)
        var biasMagnitudes = [Double](repeating: 0, count: width)
        var filterable = [Bool](repeating: true, count: width)
        var words = [Int64](repeating: 0, count: width * dimension)
        var wordNeuron = [Bool](repeating: true, count: width)
        var scaledBias: [BigInt] = []
        var bigWeights: [[BigInt]] = []
        for (t, neuron) in layer.neurons.enumerated() {
            // Filter data.
            var norm = 0.0
            for (k, j) in neuron.indices.enumerated() {
                guard let a = neuron.weights[k].approximation, DotProductFilter.accepts(a) else {
                    filterable[t] = false
                    continue
                }
                lanes[j * blocks + t / 4][t % 4] = a
                norm += Swift.abs(a)
            }
            if let b = neuron.bias.approximation, DotProductFilter.accepts(b) {
                biasLanes[t / 4][t % 4] = b
                biasMagnitudes[t] = Swift.abs(b)
            } else {
                filterable[t] = false
            }
            // Rounding up the norm: computed in at most `dimension` additions of
            // nonnegative terms; DotProductFilter's factor covers that rounding.
            norms[t] = norm
            if !norm.isFinite { filterable[t] = false }
            // Exact data.
            let l = commonDenominator(neuron.weights + [neuron.bias])
            scaledBias.append(scaled(neuron.bias, by: l))
            var row = [BigInt](repeating: 0, count: dimension)
            for (k, j) in neuron.indices.enumerated() { row[j] = scaled(neuron.weights[k], by: l) }
            for j in 0 ..< dimension {
                if let w = row[j].int64Value { words[t * dimension + j] = w } else { wordNeuron[t] = false }
            }
            bigWeights.append(wordNeuron[t] ? [] : row)
        }
        weightLanes = lanes
        self.biasLanes = biasLanes
        weightNorms = norms
        self.biasMagnitudes = biasMagnitudes
        self.filterable = filterable
        wordWeights = words
        self.wordNeuron = wordNeuron
        self.scaledBias = scaledBias
        self.bigWeights = bigWeights
    }

    /// The exact sign of neuron t's pre-activation at point i.
    func exactSign(_ t: Int, point i: Int, in points: RationalPoints) -> Sign {
        var sum = IntegerAccumulator()
        if wordNeuron[t], let sign = points.withWordPoint(i, { x, d -> Sign in
            wordWeights.withUnsafeBufferPointer { w in
                let base = t * dimension
                for j in 0 ..< dimension { sum.add(w[base + j], times: x[j]) }
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
        for j in 0 ..< dimension {
            let w = wordNeuron[t] ? BigInt(wordWeights[t * dimension + j]) : bigWeights[t][j]
            sum.add(w, times: p.numerators[j])
        }
        sum.add(scaledBias[t], times: p.denominator)
        return sum.value
    }
}

// MARK: - Layers reading bits

struct BinaryLayerKernel: Sendable {
    let width: Int
    let rowStart: [Int]
    let columns: [Int32]
    let values: [Int64]
    let bias: [Int64]
    /// An input that must be 1 for the neuron to fire, or -1.
    let gate: [Int32]
    /// Neurons evaluated with BigInt: (columns, scaled weights, scaled bias).
    let bigNeurons: [Int: (columns: [Int], weights: [BigInt], bias: BigInt)]
    let isBig: [Bool]

    init(_ layer: Layer) {
        width = layer.neurons.count
        var rowStart = [0]
        var columns: [Int32] = [], values: [Int64] = []
        var bias: [Int64] = [], gate: [Int32] = []
        var bigNeurons: [Int: (columns: [Int], weights: [BigInt], bias: BigInt)] = [:]
        var isBig: [Bool] = []
        let limit = BigInt(1).shiftedLeft(by: 62)
        for (t, neuron) in layer.neurons.enumerated() {
            let l = commonDenominator(neuron.weights + [neuron.bias])
            var w: [BigInt] = []
            var cols: [Int] = []
            for (k, value) in neuron.weights.enumerated() where !value.isZero {
                w.append(scaled(value, by: l))
                cols.append(neuron.indices[k])
            }
            let b = scaled(neuron.bias, by: l)
            var total = b.magnitude
            for v in w { total += v.magnitude }
            // Gate: posSum - W'_k < 0 means input k must be 1 for the sum to reach 0.
            var positiveSum = b
            for v in w where v.sign == .positive { positiveSum += v }
            var g: Int32 = -1
            for (k, v) in w.enumerated() where v.sign == .positive && (positiveSum - v).sign == .negative {
                g = Int32(cols[k])
                break
            }
            gate.append(g)
            if total < limit {
                isBig.append(false)
                for (k, v) in w.enumerated() {
                    columns.append(Int32(cols[k]))
                    values.append(v.int64Value!)
                }
                bias.append(b.int64Value!)
            } else {
                isBig.append(true)
                bigNeurons[t] = (cols, w, b)
                bias.append(0)
            }
            rowStart.append(columns.count)
        }
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
        self.bias = bias
        self.gate = gate
        self.bigNeurons = bigNeurons
        self.isBig = isBig
    }

    /// Computes the outputs from `input` (0/1 words) into `output`.
    func evaluate(_ input: UnsafeBufferPointer<Int64>, into output: UnsafeMutableBufferPointer<Int64>) {
        rowStart.withUnsafeBufferPointer { starts in
        columns.withUnsafeBufferPointer { cols in
        values.withUnsafeBufferPointer { vals in
        bias.withUnsafeBufferPointer { biases in
        gate.withUnsafeBufferPointer { gates in
        isBig.withUnsafeBufferPointer { big in
            for t in 0 ..< width {
                let g = gates[t]
                if g >= 0 && input[Int(g)] == 0 {
                    output[t] = 0
                    continue
                }
                if big[t] {
                    output[t] = bigPreActivation(t, input).sign == .negative ? 0 : 1
                    continue
                }
                var sum = biases[t]
                for k in starts[t] ..< starts[t + 1] { sum &+= vals[k] &* input[Int(cols[k])] }
                output[t] = sum >= 0 ? 1 : 0
            }
        } } } } } }
    }

    /// The exact scaled pre-activation of neuron t: Σ W'_k h_k + B'.
    func preActivation(_ t: Int, _ input: UnsafeBufferPointer<Int64>) -> BigInt {
        if isBig[t] { return bigPreActivation(t, input) }
        var sum = bias[t]
        for k in rowStart[t] ..< rowStart[t + 1] { sum += values[k] * input[Int(columns[k])] }
        return BigInt(sum)
    }

    func bigPreActivation(_ t: Int, _ input: UnsafeBufferPointer<Int64>) -> BigInt {
        let neuron = bigNeurons[t]!
        var sum = IntegerAccumulator()
        sum.add(neuron.bias)
        for (k, c) in neuron.columns.enumerated() where input[c] != 0 { sum.add(neuron.weights[k]) }
        return sum.value
    }
}
