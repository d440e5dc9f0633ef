import ExactArithmetic
import TextFormats
import ThresholdNetworks

/// Baum's one-hidden-layer construction (E. B. Baum, "On the capabilities of
/// multilayer perceptrons", J. Complexity 4, 1988) as DESIGN section 2 states it:
/// per output bit, the points with that bit 1 go in groups of at most d; each
/// group gets an exact hyperplane a·x = c through its points and no other data
/// point, and two parallel neurons 1[a·x - c + ε >= 0] and 1[a·x - c - ε >= 0]
/// with ε half the least |a·x - c| over the other points. Their difference is 1
/// exactly on the group's points, so the output 1[Σ (h+ - h-) - 1 >= 0] is the bit.
/// A group whose points are affinely dependent, or whose hyperplane would contain
/// another point, is split in two.
public enum Baum1988 {
    /// A group and its hyperplane a·x = c with margin ε.
    struct Group {
        var members: [Int]
        var normal: [BigInt]
        var offset: Rational
        var epsilon: Rational
    }

    public static func construct(_ data: DataSet, seed: UInt64 = 1) throws -> ConstructionResult {
        let clock = Stopwatch()
        let bits = data.outputBitsNeeded
        let d = data.dimension
        var rng = SeededRandom(seed: seed, stream: 6)
        var hidden: [Neuron] = []
        var feeds = [[(Int, Int)]](repeating: [], count: bits)
        var splits = 0
        var groupCounts: [Int] = []
        for i in 0 ..< bits {
            let ones = (0 ..< data.count).filter { LabelCode.bit(i, of: data.labels[$0]) == 1 }
            var pending: [[Int]] = stride(from: 0, to: ones.count, by: d).map { Array(ones[$0 ..< min(ones.count, $0 + d)]) }
            var groups: [Group] = []
            while let members = pending.popLast() {
                if let group = try hyperplane(through: members, data: data, rng: &rng) {
                    groups.append(group)
                } else {
                    guard members.count > 1 else {
                        throw InternalError("baum1988: no hyperplane through the single point on line \(data.lines[members[0]]) avoids the others")
                    }
                    splits += 1
                    let half = members.count / 2
                    pending.append(Array(members[half...]))
                    pending.append(Array(members[..<half]))
                }
            }
            groupCounts.append(groups.count)
            for g in groups.sorted(by: { $0.members[0] < $1.members[0] }) {
                let weights = g.normal.map { Rational($0) }
                feeds[i].append((hidden.count, 1))
                hidden.append(Neuron(dense: weights, bias: -g.offset + g.epsilon))
                feeds[i].append((hidden.count, -1))
                hidden.append(Neuron(dense: weights, bias: -g.offset - g.epsilon))
            }
        }
        if hidden.isEmpty { hidden.append(Neuron(terms: [], bias: -1)) }
        let layers = [
            Layer(name: "hyperplane-pairs", neurons: hidden),
            Layer(name: "output", neurons: (0 ..< bits).map { Neuron(terms: feeds[$0], bias: -1) }),
        ]
        var provenance = JSONObjectBuilder()
        provenance.add("method", .string("baum1988"))
        provenance.add("seed", .integer(seed))
        let network = Network(inputDimension: d, outputBits: bits, layers: layers, provenance: provenance.value)
        let ones = (0 ..< bits).map { i in data.labels.filter { LabelCode.bit(i, of: $0) == 1 }.count }
        let quantities: [(key: String, value: JSONValue, note: String)] = [
            ("groups", .array(groupCounts.map { .integer($0) }), "groups per output bit"),
            ("generalPositionGroups", .array(ones.map { .integer(($0 + d - 1) / d) }), "⌈n1/d⌉ per output bit"),
            ("splitGroups", .integer(splits), "groups split because of dependent points or another point on the hyperplane"),
        ]
        return try finish(network, data: data, method: "baum1988",
                          stages: [StageReport(stage: "1", name: "hyperplane pairs", layers: [layers[0]]),
                                   StageReport(stage: "2", name: "output", layers: [layers[1]])],
                          quantities: quantities, separation: nil, seconds: [("build", clock.seconds)])
    }

    /// An exact hyperplane through `members` containing no other point, or nil when the
    /// members are affinely dependent or every choice tried meets another point.
    static func hyperplane(through members: [Int], data: DataSet, rng: inout SeededRandom) throws -> Group? {
        let d = data.dimension
        let origin = data.points.point(members[0])
        // Rows p_k - p_0, scaled to integers; the normal spans their null space.
        let rows: [[BigInt]] = members.dropFirst().map { k in
            let difference = zip(data.points.point(k), origin).map { $0 - $1 }
            var l = BigInt(1)
            for v in difference where !l.isMultiple(of: v.denominator) { l = BigInt.lcm(l, v.denominator) }
            return difference.map { $0.numerator * l.exactQuotient(dividingBy: $0.denominator) }
        }
        if !rows.isEmpty && FractionFreeElimination.echelon(rows).rank < rows.count { return nil }
        let basis = FractionFreeElimination.nullSpace(rows, columns: d)
        let inGroup = Set(members)
        for attempt in 0 ..< 8 {
            var normal = [BigInt](repeating: 0, count: d)
            for (k, vector) in basis.enumerated() {
                let coefficient = basis.count == 1 ? 1 : (attempt == 0 && k == 0 ? 1 : rng.below(7) - 3)
                for j in 0 ..< d { normal[j] += BigInt(coefficient) * vector[j] }
            }
            guard normal.contains(where: { !$0.isZero }) else { continue }
            var offset = Rational()
            for j in 0 ..< d { offset += Rational(normal[j]) * origin[j] }
            let neuron = Neuron(dense: normal.map { Rational($0) }, bias: -offset)
            let compiled = CompiledNetwork(singleLayer: Layer(name: "h", neurons: [neuron]), inputDimension: d)
            let gap = compiled.firstLayerMinimum(data.points, neurons: 0 ..< 1, including: { !inGroup.contains($0) })
            if let gap, gap.isZero {
                if basis.count == 1 { return nil }  // the hyperplane is forced and meets another point
                continue
            }
            return Group(members: members, normal: normal, offset: offset, epsilon: (gap ?? 2) / 2)
        }
        return nil
    }
}
