import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
import WorkSharing

/// Baum's one-hidden-layer construction (E. B. Baum, "On the capabilities of
/// multilayer perceptrons", J. Complexity 4, 1988; docs/ARCHITECTURE.md, "Baselines"):
/// per output bit, the points with that bit 1 go in groups of at most d; each
/// group gets an exact hyperplane a·x = c through its points and no other data
/// point, and two parallel neurons 1[a·x - c + ε >= 0] and 1[a·x - c - ε >= 0]
/// with ε half the least |a·x - c| over the other points. Their difference is 1
/// exactly on the group's points, so the output 1[Σ (h+ - h-) - 1 >= 0] is the bit.
/// A group whose points are affinely dependent, or whose hyperplane must contain
/// another point, is split in two.
public struct Baum1988: Construction {
    /// A group of points with the same output bit and a hyperplane a·x = c through them.
    struct Group: Sendable {
        var bit: Int
        var members: [Int]
        var attempt: Int
        var normal: [BigInt] = []
        var offset = Rational()
        var freedom = 0
        var epsilon = Rational()
    }

    public init() {}

    public var method: ConstructionMethod { .baum1988 }

    public func build(_ data: DataSet, options: ConstructionOptions, seed: UInt64) throws -> BuiltNetwork {
        let buildStart = ContinuousClock.now
        let bits = data.outputBitsNeeded
        let d = data.dimension
        var pending: [Group] = []
        for bit in 0 ..< bits {
            let ones = (0 ..< data.count).filter { LabelCode.bit(bit, of: data.labels[$0]) == 1 }
            for start in stride(from: 0, to: ones.count, by: d) {
                pending.append(Group(bit: bit, members: Array(ones[start ..< min(ones.count, start + d)]), attempt: 0))
            }
        }
        var done: [Group] = []
        var splits = 0
        while !pending.isEmpty {
            // Hyperplanes for every pending group, in parallel (each group has its own random stream).
            let batch = pending
            let proposed = Parallel.mapChunks(count: batch.count, chunkSize: 8) { range in
                range.map { Baum1988.proposeHyperplane(batch[$0], data: data, seed: seed) }
            }.flatMap { $0 }
            pending = []
            var candidates: [Group] = []
            for (group, proposal) in zip(batch, proposed) {
                if let proposal { candidates.append(proposal) } else { try Baum1988.split(group, into: &pending, splits: &splits, data: data) }
            }
            if candidates.isEmpty { continue }
            // Every candidate's least gap to the other points, in one filtered pass.
            var owner = [[Int32]](repeating: [Int32](repeating: -1, count: data.count), count: bits)
            for (t, c) in candidates.enumerated() { for i in c.members { owner[c.bit][i] = Int32(t) } }
            let owners = owner, bitOf = candidates.map(\.bit)
            let layer = Layer(name: "candidates", neurons: candidates.map { Neuron(dense: $0.normal.map { Rational($0) }, bias: -$0.offset) })
            let compiled = CompiledNetwork(singleLayer: layer, inputDimension: d)
            let gaps = compiled.firstLayerMinima(data.points) { i, t in owners[bitOf[t]][i] != Int32(t) }
            for (var group, gap) in zip(candidates, gaps) {
                if let gap, gap.isZero {
                    // Another point lies on this hyperplane: turn it (when the group leaves freedom) or split.
                    if group.freedom > 1 && group.attempt < 8 {
                        group.attempt += 1
                        pending.append(group)
                    } else {
                        try Baum1988.split(group, into: &pending, splits: &splits, data: data)
                    }
                } else {
                    group.epsilon = (gap ?? 2) / 2
                    done.append(group)
                }
            }
        }
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
        let quantities: [Quantity] = [
            ("groups", .array(groupCounts.map { .integer($0) }), "groups per output bit"),
            ("generalPositionGroups", .array(ones.map { .integer(($0 + d - 1) / d) }), "⌈n1/d⌉ per output bit"),
            ("splitGroups", .integer(splits), "groups split because of dependent points or another point on the hyperplane"),
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

    /// A hyperplane through the group's points: the null space of their differences
    /// (fraction-free elimination), one random integer combination of its basis when it
    /// has more than one vector. Nil when the points are affinely dependent.
    static func proposeHyperplane(_ group: Group, data: DataSet, seed: UInt64) -> Group? {
        let d = data.dimension
        let origin = data.points.point(group.members[0])
        let rows: [[BigInt]] = group.members.dropFirst().map { k in
            let difference = zip(data.points.point(k), origin).map { $0 - $1 }
            let l = Rational.commonDenominator(of: difference)
            return difference.map { $0.scaled(by: l) }
        }
        if !rows.isEmpty && FractionFreeElimination.echelon(rows).rank < rows.count { return nil }
        let basis = FractionFreeElimination.nullSpace(rows, columns: d)
        var rng = SeededRandom(seed: seed, stream: 0xBA0 &+ UInt64(group.bit) << 48 &+ UInt64(group.members[0]) << 8 &+ UInt64(group.attempt))
        var result = group
        result.freedom = basis.count
        for _ in 0 ..< 16 {
            var normal = [BigInt](repeating: 0, count: d)
            for (k, vector) in basis.enumerated() {
                let coefficient = basis.count == 1 || (group.attempt == 0 && k == 0) ? 1 : (group.attempt == 0 ? 0 : rng.below(7) - 3)
                for j in 0 ..< d where coefficient != 0 { normal[j] += BigInt(coefficient) * vector[j] }
            }
            guard normal.contains(where: { !$0.isZero }) else { continue }
            var offset = Rational()
            for j in 0 ..< d { offset += Rational(normal[j]) * origin[j] }
            result.normal = normal
            result.offset = offset
            return result
        }
        return nil
    }
}
