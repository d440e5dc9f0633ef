import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
import WorkSharing

/// The one-neuron-per-point baseline for data on a sphere centred at 0
/// (docs/ARCHITECTURE.md, "Baselines"): for a point x_i with label bit 1, h_i = 1[<x_i, x> - (ρ² - m/4) >= 0]
/// with ρ the common norm and m the least squared distance between points
/// (m = ρ²δ²). It fires at x_i (<x_i, x_i> = ρ²) and nowhere else, since
/// <x_i, x_j> = ρ² - ‖x_i - x_j‖²/2 <= ρ² - m/2 for j ≠ i. Output bit i is the OR
/// of its neurons.
public struct Indicator: Construction {
    public init() {}

    public var method: ConstructionMethod { .indicator }

    public func build(_ data: DataSet, options: ConstructionOptions, seed: UInt64) throws -> BuiltNetwork {
        let start = ContinuousClock.now
        let minimumDistance = options.minimumDistance ?? data.minimumDistance(workBudget: options.minimumDistanceBudget)
        guard minimumDistance.onCentredSphere else {
            throw RequestError("indicator applies only to points on a sphere centred at 0 (all of the same norm); these are not")
        }
        let bias: Rational
        if let m = minimumDistance.minimumSquaredDistance {
            bias = -(minimumDistance.radiusSquared - m / 4)
        } else if data.count == 1 {
            bias = -(minimumDistance.radiusSquared / 2)
        } else {
            throw RequestError("indicator needs the exact least distance between points, and computing it was skipped: \(minimumDistance.skipped ?? "")")
        }
        let bits = data.outputBitsNeeded
        // One neuron of d weights per point and label bit that is 1, then verified on n points.
        var ones = 0
        for label in data.labels { ones += label.nonzeroBitCount }
        try WorkCap.require(Double(data.count) * Double(ones) * Double(Swift.max(1, data.dimension)),
                            for: "indicator: verifying \(ones) neurons of d = \(data.dimension) weights on \(data.count) points")
        try MemoryBudget.require(MemoryBudget.product(ones, Swift.max(1, data.dimension), 64), for: "indicator's \(ones)·d weights")
        var hidden: [Neuron] = []
        var feeds = [[Int]](repeating: [], count: bits)
        for i in 0 ..< bits {
            for j in 0 ..< data.count where LabelCode.bit(i, of: data.labels[j]) == 1 {
                feeds[i].append(hidden.count)
                hidden.append(Neuron(dense: data.points.point(j), bias: bias))
            }
        }
        if hidden.isEmpty { hidden.append(Neuron(terms: [], bias: -1)) }  // every label 0: a neuron that never fires
        let layers = [
            Layer(name: "indicators", neurons: hidden),
            Layer(name: "output", neurons: (0 ..< bits).map { i in Neuron(terms: feeds[i].map { ($0, 1) }, bias: -1) }),
        ]
        var provenance = JSONObjectBuilder()
        provenance.add("method", .string(method.rawValue))
        let network = Network(inputDimension: data.dimension, outputBits: bits, layers: layers, provenance: provenance.value)
        let quantities: [Quantity] = [
            ("indicatorNeurons", .integer(feeds.reduce(0) { $0 + $1.count }), "one per point and label bit that is 1"),
            ("threshold", .rational(-bias), "ρ² - m/4, m the least squared distance"),
        ]
        return BuiltNetwork(network: network,
                            stages: [StageReport(stage: "1", name: "indicators", layers: [layers[0]]),
                                     StageReport(stage: "2", name: "OR per output bit", layers: [layers[1]])],
                            quantities: quantities, minimumDistance: minimumDistance,
                            seconds: [("build", start.duration(to: .now) / .seconds(1))])
    }
}
