import ExactArithmetic

/// Evaluates a compiled network on one point at a time, reusing its buffers:
/// no heap allocation per point on the filtered path.
///
/// After `evaluate(point:in:)`, `firstLayerSigns` holds the exact signs of
/// layer 0's pre-activations, `outputs(ofLayer:)` each layer's bits, `tie` the
/// first neuron of a `sign` layer whose pre-activation was exactly 0 (then the
/// network has no output at the point, and the bits after it mean nothing), and
/// `label` the decoded output Σ o_j 2^j.
public struct Evaluator {
    public let network: CompiledNetwork
    private var approximations: [Double]
    private var lanes: [SIMD4<Double>]
    /// Exact signs of layer 0's pre-activations for the last point.
    public private(set) var firstLayerSigns: [Sign]
    private var layerOutputs: [[Int64]]
    private var active: [Int32]
    private var sums: [Int64]
    /// The first neuron (layer, then neuron, in order) of a `sign` layer whose
    /// pre-activation was exactly 0 at the last point, or nil.
    public private(set) var tie: (layer: Int, neuron: Int)?
    /// How many layer-0 signs the filter left to exact arithmetic.
    public private(set) var exactDecisions = 0
    /// How many layer-0 signs were decided in all.
    public private(set) var decisions = 0

    init(_ network: CompiledNetwork) {
        self.network = network
        approximations = [Double](repeating: 0, count: network.inputDimension)
        lanes = [SIMD4<Double>](repeating: .zero, count: network.first.blocks)
        firstLayerSigns = [Sign](repeating: .zero, count: network.first.width)
        layerOutputs = network.widths.map { [Int64](repeating: 0, count: $0) }
        active = [Int32](repeating: 0, count: network.widths.max() ?? 0)
        sums = [Int64](repeating: 0, count: network.later.map(\.groupCount).max() ?? 0)
    }

    /// Evaluates every layer at point `i` of `points`.
    ///
    /// - Precondition: `points.dimension == network.inputDimension`.
    public mutating func evaluate(point i: Int, in points: RationalPoints) {
        evaluateFirstLayer(point: i, in: points)
        for l in 0 ..< network.later.count {
            var tied: Int32 = -1
            let kernel = network.later[l]
            var output: [Int64] = []
            swap(&output, &layerOutputs[l + 1])  // keep the buffer uniquely referenced: no copy
            layerOutputs[l].withUnsafeBufferPointer { input in
                active.withUnsafeMutableBufferPointer { list in
                    // Branch-free: write every index, advance only past ones.
                    var count = 0
                    for i in 0 ..< input.count {
                        list[count] = Int32(truncatingIfNeeded: i)
                        count &+= Int(input[i])
                    }
                    let ones = UnsafeBufferPointer(rebasing: list[0 ..< count])
                    sums.withUnsafeMutableBufferPointer { scratch in
                        output.withUnsafeMutableBufferPointer { tied = kernel.evaluate(input, active: ones, sums: scratch, into: $0) }
                    }
                }
            }
            swap(&output, &layerOutputs[l + 1])
            if tied >= 0 && tie == nil { tie = (l + 1, Int(tied)) }
        }
    }

    /// Evaluates layer 0 only (the hyperplane codes); resets `tie`.
    public mutating func evaluateFirstLayer(point i: Int, in points: RationalPoints) {
        let kernel = network.first
        let width = kernel.width
        let comparison = kernel.comparison
        var tied = -1
        let maxAbs = approximations.withUnsafeMutableBufferPointer { points.approximate(i, into: $0) }
        var signs: [Sign] = [], bits: [Int64] = []
        swap(&signs, &firstLayerSigns)  // keep the buffers uniquely referenced: no copy
        swap(&bits, &layerOutputs[0])
        if let maxAbs {
            accumulateFirstLayer()
            for t in 0 ..< width {
                var sign: Sign?
                if kernel.filterable[t] {
                    let s = lanes[t / 4][t % 4]
                    let bound = kernel.filter.bound(weightNorm: kernel.weightNorms[t], inputMaxAbs: maxAbs,
                                                    biasMagnitude: kernel.biasMagnitudes[t])
                    sign = DotProductFilter.decide(s, bound: bound)
                }
                if sign == nil {
                    sign = kernel.exactSign(t, point: i, in: points)
                    exactDecisions += 1
                }
                signs[t] = sign!
                if let bit = comparison.output(sign!) { bits[t] = bit } else {
                    bits[t] = 0
                    if tied < 0 { tied = t }
                }
            }
        } else {
            for t in 0 ..< width {
                let sign = kernel.exactSign(t, point: i, in: points)
                signs[t] = sign
                if let bit = comparison.output(sign) { bits[t] = bit } else {
                    bits[t] = 0
                    if tied < 0 { tied = t }
                }
            }
            exactDecisions += width
        }
        decisions += width
        tie = tied >= 0 ? (0, tied) : nil
        swap(&signs, &firstLayerSigns)
        swap(&bits, &layerOutputs[0])
    }

    /// s_t = fl(b̂_t + Σ_j ŵ_tj x̂_j) for every layer-0 neuron into `lanes`, four neurons per
    /// SIMD lane (any summation order is covered by `DotProductFilter`'s bound), from the
    /// approximations of the current point.
    private mutating func accumulateFirstLayer() {
        let kernel = network.first
        approximations.withUnsafeBufferPointer { x in
            lanes.withUnsafeMutableBufferPointer { acc in kernel.accumulate(x, into: acc) }
        }
    }

    /// Bounds on |w_t·x + b_t| / 2^shift_t for the last point given to `estimateFirstLayer`,
    /// where 2^shift_t is neuron t's own power-of-two scale (see `FirstLayerKernel`): compare
    /// estimates of one neuron with each other, not across neurons.
    public private(set) var estimates: [(low: Double, high: Double)] = []

    /// Bounds |w_t·x_i + b_t| / 2^shift_t for every layer-0 neuron by the float filter:
    /// `estimates[t]` is (|s| - E, |s| + E), or (0, ∞) where the filter does not apply.
    public mutating func estimateFirstLayer(point i: Int, in points: RationalPoints) {
        let kernel = network.first
        if estimates.count != kernel.width { estimates = Array(repeating: (0, .infinity), count: kernel.width) }
        let maxAbs = approximations.withUnsafeMutableBufferPointer { points.approximate(i, into: $0) }
        guard let maxAbs else {
            for t in 0 ..< kernel.width { estimates[t] = (0, .infinity) }
            return
        }
        accumulateFirstLayer()
        for t in 0 ..< kernel.width {
            if kernel.filterable[t] {
                let s = Swift.abs(lanes[t / 4][t % 4])
                let e = kernel.filter.bound(weightNorm: kernel.weightNorms[t], inputMaxAbs: maxAbs,
                                            biasMagnitude: kernel.biasMagnitudes[t])
                estimates[t] = (s - e, s + e)
            } else {
                estimates[t] = (0, .infinity)
            }
        }
    }

    /// The bits layer `l` produced for the last point.
    public func outputs(ofLayer l: Int) -> [Int64] { layerOutputs[l] }

    /// The label the network outputs for the last point: Σ o_j 2^j.
    public var label: UInt64 {
        var value: UInt64 = 0
        for (j, bit) in layerOutputs[layerOutputs.count - 1].enumerated() where bit != 0 { value |= 1 << UInt64(j) }
        return value
    }
}

