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

struct FirstLayerKernel: Sendable {
    let width: Int
    let comparison: Comparison
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
    /// L_t: the lcm of neuron t's denominators; pre-activation = (scaled value) / (L_t D_i).
    let scales: [BigInt]
    /// Neuron t is seen by the filter divided by 2^shift_t, its largest value's magnitude.
    let filterShifts: [Int]

    init(_ layer: Layer, dimension: Int) {
        width = layer.neurons.count
        comparison = layer.comparison
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
        var scales: [BigInt] = []
        var filterShifts = [Int](repeating: 0, count: layer.neurons.count)
        for (t, neuron) in layer.neurons.enumerated() {
            // Filter data, for the neuron scaled by 2^-shift so that its largest value is near 1:
            // the sign of w·x + b does not change, and huge or tiny weights stay in the filter's range.
            var largest = Int.min
            for v in neuron.weights + [neuron.bias] where !v.isZero {
                largest = Swift.max(largest, v.numerator.bitLength - v.denominator.bitLength)
            }
            let shift = largest == Int.min ? 0 : largest
            filterShifts[t] = shift
            func down(_ v: Rational) -> Rational {
                if shift == 0 || v.isZero { return v }
                return shift > 0 ? Rational(v.numerator, v.denominator.shiftedLeft(by: shift))
                                 : Rational(v.numerator.shiftedLeft(by: -shift), v.denominator)
            }
            var norm = 0.0
            for (k, j) in neuron.indices.enumerated() {
                guard let a = down(neuron.weights[k]).approximation, DotProductFilter.accepts(a) else {
                    filterable[t] = false
                    continue
                }
                lanes[j * blocks + t / 4][t % 4] = a
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
            // Exact data.
            let l = Rational.commonDenominator(of: neuron.weights + [neuron.bias])
            scales.append(l)
            scaledBias.append(neuron.bias.scaled(by: l))
            var row = [BigInt](repeating: 0, count: dimension)
            for (k, j) in neuron.indices.enumerated() { row[j] = neuron.weights[k].scaled(by: l) }
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
        self.scales = scales
        self.filterShifts = filterShifts
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

