import DataSets
import ExactArithmetic
import IntegerLinearAlgebra
import TextFormats

// MARK: - Groups and their hyperplanes (exact linear algebra through FLINT)

extension Baum1988 {
    /// The groups of one output bit: its 1-points in data order, cut into windows of at
    /// most `capacity` points (the dimension r of the data's affine hull, Baum's d
    /// for points in general position in it).
    ///
    /// A window whose points are affinely dependent (rank ρ of its differences below
    /// its size - 1, by `ModularElimination.independentRows`):
    /// - with few dependent points (k <= (ρ + 1) / 2 of them) it has typically reached
    ///   the directions its stretch of the data spans, say all pixels but a few that
    ///   are 0 in all its points; its hull is then that whole coordinate flat, which
    ///   holds points of the other bit value, so no hyperplane through it separates.
    ///   It keeps its first ρ + 1 - k independent points (its hull falls k dimensions
    ///   short of the flat) and gives the others back to the next window.
    /// - with many, it stays whole: the dependent points lie in the hull of the
    ///   independent ones, so they ride along on the same hyperplane.
    /// Each window so moves at least a third of its points into a group, which
    /// bounds the work at O(n1 · r · d) word operations per bit.
    ///
    /// - Returns: the groups (each with the rows of its difference matrix to solve
    ///   with) and how many windows were cut short.
    static func formGroups(bit: Int, data: DataSet, capacity: Int) -> (groups: [Group], shortened: Int) {
        var pool = (0 ..< data.count).filter { LabelCode.bit(bit, of: data.labels[$0]) == 1 }
        var groups: [Group] = []
        var shortened = 0
        var start = 0
        while start < pool.count {
            let window = Array(pool[start ..< min(pool.count, start + capacity)])
            let independent = window.count == 1 ? []
                : ModularElimination.independentRows(of: data.points.differenceMatrix(origin: window[0], others: window.dropFirst()))
            let dependent = window.count - 1 - independent.count
            let keep = independent.count + 1 - dependent
            if dependent == 0 || keep < (independent.count + 2) / 2 {
                groups.append(Group(bit: bit, members: window, attempt: 0, independentRows: independent))
                start += window.count
                continue
            }
            shortened += 1
            let kept = [window[0]] + independent.prefix(keep - 1).map { window[1 + $0] }
            groups.append(Group(bit: bit, members: kept, attempt: 0, independentRows: Array(0 ..< kept.count - 1)))
            // The others go back, in order, just before the rest of the pool (O(window) per step).
            let keptSet = Set(kept)
            let others = window.filter { !keptSet.contains($0) }
            start += window.count - others.count
            for (k, i) in others.enumerated() { pool[start + k] = i }
        }
        return (groups, shortened)
    }

    /// A hyperplane through the group's points: `RationalPoints.hyperplane(through:free:)`,
    /// the primitive integer normal checked exactly to be orthogonal to the points'
    /// differences, prescribed on the free columns by random nonzero values in
    /// ±[1, 2^b], b = 20 + ⌈log2 n⌉ (0 on coordinates that are constant over the data,
    /// where a weight would only add a constant). Every kernel vector arises from some
    /// values there, and the normal depends linearly on them; so a 0-point that does
    /// not lie on every hyperplane through the group lies on this one for a fraction
    /// at most 2^-(b+1) of the draws (one nonzero linear condition on the values:
    /// Schwartz and Zippel), and some such point does for at most n 2^-(b+1) <= 2^-21
    /// of them. A second draw is therefore the only retry worth making. Nil when the
    /// rows solved with turn out not to span the others.
    static func proposeHyperplane(_ group: Group, data: DataSet, varying: [Bool], seed: UInt64)
        throws(InternalError) -> Group? {
        var rng = SeededRandom(seed: seed, stream: 0xBA0 &+ UInt64(group.bit) << 48 &+ UInt64(group.members[0]) << 8 &+ UInt64(group.attempt))
        let anyVarying = varying.contains(true)
        let b = min(62, 20 + (Int.bitWidth - max(1, data.count - 1).leadingZeroBitCount))  // 20 + ⌈log2 n⌉
        let free: [Int64] = varying.map { v in
            guard v || !anyVarying else { return 0 }
            let magnitude = Int64(rng.below(1 << b)) + 1
            return rng.next() & 1 == 0 ? magnitude : -magnitude
        }
        guard let (normal, offset) = try data.points.hyperplane(through: group.members, free: free,
                                                                 independent: group.independentRows) else { return nil }
        var result = group
        result.normal = normal
        result.offset = offset
        return result
    }
}
