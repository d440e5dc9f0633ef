import DataSets
import ExactArithmetic
import IntegerLinearAlgebra
import TextFormats
import ThresholdNetworks
import WorkSharing

/// Baum's one-hidden-layer construction (E. B. Baum, "On the capabilities of
/// multilayer perceptrons", J. Complexity 4, 1988; docs/ARCHITECTURE.md, "Baselines"):
/// per output bit, the points with that bit 1 go in groups of at most r (the
/// dimension of the data's affine hull; r = d in general position); each group
/// gets an exact hyperplane a·x = c through its points and no point whose bit is 0,
/// and two parallel neurons 1[a·x - c + ε >= 0] and 1[a·x - c - ε >= 0] with ε half
/// the least |a·x - c| over the points whose bit is 0. Their difference is 1 exactly
/// on the hyperplane, 0 at those points, and never negative, so the output
/// 1[Σ (h+ - h-) - 1 >= 0] is the bit (a 1-point may lie near other groups'
/// hyperplanes too). Windows of dependent points are cut short or kept whole
/// (`formGroups`); a group whose hyperplane must contain a 0-point is split in two.
///
/// - Complexity: the hull dimension, O(n · d · r) word operations; per group one
///   modular reduction and one exact p-adic solve (about r³ word operations plus
///   r² · b for normals of b bits, `IntegerMatrix.kernelVector`); per round of
///   proposals one filtered pass over all points (`CompiledNetwork.firstLayerMinima`).
public struct Baum1988: Construction {
    /// A group of points with the same output bit and a hyperplane a·x = c through them.
    struct Group: Sendable {
        var bit: Int
        var members: [Int]
        var attempt: Int
        /// Rows of the members' difference matrix that are independent modulo p and span
        /// the others, when known (nil after a split).
        var independentRows: [Int]? = nil
        var normal: [BigInt] = []
        var offset = Rational()
        var epsilon = Rational()
    }

    public init() {}

    public var method: ConstructionMethod { .baum1988 }

    public func build(_ data: DataSet, options: ConstructionOptions, seed: UInt64) throws -> BuiltNetwork {
        let buildStart = ContinuousClock.now
        let bits = data.outputBitsNeeded
        let d = data.dimension
        // The hull (n·d·r), one solve per group of r points (r³ each, n/r groups per bit), and the
        // verification of 2n/r neurons of d weights on n points; r <= min(n, d).
        let nn = Double(data.count), rr = Double(Swift.max(1, Swift.min(data.count, d))), dd = Double(Swift.max(1, d))
        try WorkCap.require(nn * dd * rr + Double(bits) * nn * rr * rr + 2 * Double(bits) * nn * nn * dd / rr,
                            for: "baum1988 on \(data.count) points in d = \(d)")
        // Groups hold at most r points, r the dimension of the data's affine hull (modulo p,
        // a lower bound: a smaller r only makes groups smaller).
        let hull = max(0, data.points.affineDimensionModPrime())
        let varying = data.points.varyingCoordinates()
        let formed = Parallel.mapChunks(count: bits, chunkSize: 1) { range in
            range.map { Baum1988.formGroups(bit: $0, data: data, capacity: max(1, hull)) }
        }.flatMap { $0 }
        var pending = formed.flatMap(\.groups)
        var splits = formed.reduce(0) { $0 + $1.shortened }
        let progress = ProgressMeter("baum1988 hyperplanes", total: pending.reduce(0) { $0 + $1.members.count }, threshold: 2_000)
        var done: [Group] = []
        while !pending.isEmpty {
            // Hyperplanes for every pending group, in parallel (each group has its own random stream).
            let batch = pending
            let proposed = try Parallel.mapChunks(count: batch.count, chunkSize: batch.count < 64 ? 1 : 8) { (range) throws(InternalError) in
                var result: [Group?] = []
                for k in range { result.append(try Baum1988.proposeHyperplane(batch[k], data: data, varying: varying, seed: seed)) }
                return result
            }.flatMap { $0 }
            pending = []
            var candidates: [Group] = []
            for (group, proposal) in zip(batch, proposed) {
                if let proposal { candidates.append(proposal) } else { try Baum1988.split(group, into: &pending, splits: &splits, data: data) }
            }
            if candidates.isEmpty { continue }
            // Every candidate's least gap to the points whose bit is 0, in one filtered pass.
            let labels = data.labels, bitOf = candidates.map(\.bit)
            let layer = Layer(name: "candidates", neurons: candidates.map { Neuron(dense: $0.normal.map { Rational($0) }, bias: -$0.offset) })
            let compiled = CompiledNetwork(singleLayer: layer, inputDimension: d)
            let gaps = compiled.firstLayerMinima(data.points) { i, t in LabelCode.bit(bitOf[t], of: labels[i]) == 0 }
            for (var group, gap) in zip(candidates, gaps) {
                if let gap, gap.isZero {
                    // A 0-point lies on this hyperplane: draw it once more, then split (see proposeHyperplane).
                    if group.attempt < 1 {
                        group.attempt += 1
                        pending.append(group)
                    } else {
                        try Baum1988.split(group, into: &pending, splits: &splits, data: data)
                    }
                } else {
                    group.epsilon = (gap ?? 2) / 2
                    done.append(group)
                    progress.advance(by: group.members.count)
                }
            }
        }
        progress.finish()
        var hidden: [Neuron] = []
        var feeds = [[(Int, Int)]](repeating: [], count: bits)
        var groupCounts = [Int](repeating: 0, count: bits)
        for g in done.sorted(by: { ($0.bit, $0.members[0]) < ($1.bit, $1.members[0]) }) {
            let weights = g.normal.map { Rational($0) }
            groupCounts[g.bit] += 1
            feeds[g.bit].append((hidden.count, 1))
            hidden.append(Neuron(dense: weights, bias: -g.offset + g.epsilon))
            feeds[g.bit].append((hidden.count, -1))
            hidden.append(Neuron(dense: weights, bias: -g.offset - g.epsilon))
        }
        if hidden.isEmpty { hidden.append(Neuron(terms: [], bias: -1)) }  // every label 0: a neuron that never fires
        let layers = [
            Layer(name: "hyperplane-pairs", neurons: hidden),
            Layer(name: "output", neurons: (0 ..< bits).map { Neuron(terms: feeds[$0], bias: -1) }),
        ]
        var provenance = JSONObjectBuilder()
        provenance.add("method", .string(method.rawValue))
        provenance.add("seed", .integer(seed))
        let network = Network(inputDimension: d, outputBits: bits, layers: layers, provenance: provenance.value)
        let ones = (0 ..< bits).map { i in data.labels.filter { LabelCode.bit(i, of: $0) == 1 }.count }
        let r = max(1, hull)
        let quantities: [Quantity] = [
            ("groups", .array(groupCounts.map { .integer($0) }), "groups per output bit"),
            ("affineHullDimension", .integer(hull), "r: the dimension of the data's affine hull (at most d)"),
            ("generalPositionGroups", .array(ones.map { .integer(($0 + r - 1) / r) }), "⌈n1/r⌉ per output bit"),
            ("splitGroups", .integer(splits), "groups split or cut short because of dependent points or a 0-point on the hyperplane"),
        ]
        return BuiltNetwork(network: network,
                            stages: [StageReport(stage: "1", name: "hyperplane pairs", layers: [layers[0]]),
                                     StageReport(stage: "2", name: "output", layers: [layers[1]])],
                            quantities: quantities, minimumDistance: nil, seconds: [("build", buildStart.duration(to: .now) / .seconds(1))])
    }

    static func split(_ group: Group, into pending: inout [Group], splits: inout Int, data: DataSet) throws {
        guard group.members.count > 1 else {
            throw InternalError("baum1988: no hyperplane through the single point on line \(data.lines[group.members[0]]) avoids the others")
        }
        splits += 1
        let half = group.members.count / 2
        pending.append(Group(bit: group.bit, members: Array(group.members[..<half]), attempt: 0))
        pending.append(Group(bit: group.bit, members: Array(group.members[half...]), attempt: 0))
    }
}
