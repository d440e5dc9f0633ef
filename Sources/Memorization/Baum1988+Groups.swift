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
    /// its size - 1, by `ModularElimination.independentRows`) has typically reached
    /// the directions its neighbourhood of the data spans, say all pixels except a
    /// few that are 0 in all its points; its hull is then that whole coordinate
    /// flat, which holds points of the other bit value, so no hyperplane through it
    /// separates. Such a window keeps its independent points minus as many as there
    /// were dependent ones (its hull falls short of the flat by that much) and gives
    /// the others back to the next window. Kept groups are therefore affinely
    /// independent modulo p, hence over Q.
    ///
    /// - Returns: the groups and how many windows were cut short.
    /// - Complexity: one modular row reduction of a capacity x d matrix per group.
    static func formGroups(bit: Int, data: DataSet, capacity: Int) -> (groups: [Group], shortened: Int) {
        var pool = (0 ..< data.count).filter { LabelCode.bit(bit, of: data.labels[$0]) == 1 }
        var groups: [Group] = []
        var shortened = 0
        var start = 0
        while start < pool.count {
            let window = Array(pool[start ..< min(pool.count, start + capacity)])
            if window.count == 1 {
                groups.append(Group(bit: bit, members: window, attempt: 0))
                start += 1
                continue
            }
            let differences = data.points.differenceMatrix(origin: window[0], others: window.dropFirst())
            let independent = ModularElimination.independentRows(of: differences)
            let dependent = window.count - 1 - independent.count
            if dependent == 0 {
                groups.append(Group(bit: bit, members: window, attempt: 0))
                start += window.count
                continue
            }
            shortened += 1
            let kept = [window[0]] + independent.prefix(max(0, independent.count - dependent)).map { window[1 + $0] }
            groups.append(Group(bit: bit, members: kept, attempt: 0))
            let keptSet = Set(kept)
            pool = window.filter { !keptSet.contains($0) } + pool[(start + window.count)...]
            start = 0
        }
        return (groups, shortened)
    }

    /// A hyperplane through the group's points: `RationalPoints.hyperplane(through:free:)`,
    /// the primitive integer normal checked exactly to be orthogonal to the points'
    /// differences, prescribed on the free columns by random values in ±2^20 (0 on
    /// coordinates that are constant over the data, where a weight would only add a
    /// constant). Every kernel vector arises from some values there, and a given
    /// other point lies on the hyperplane for a fraction at most 2^-20 of the draws
    /// unless it lies on every hyperplane through the group (Schwartz and Zippel: one
    /// nonzero linear condition on the values), so a retry with new values is only
    /// worth it once. Nil when the points are affinely dependent modulo p.
    static func proposeHyperplane(_ group: Group, data: DataSet, varying: [Bool], seed: UInt64)
        throws(InternalError) -> Group? {
        var rng = SeededRandom(seed: seed, stream: 0xBA0 &+ UInt64(group.bit) << 48 &+ UInt64(group.members[0]) << 8 &+ UInt64(group.attempt))
        let anyVarying = varying.contains(true)
        let free: [Int64] = varying.map { v in
            guard v || !anyVarying else { return 0 }
            return Int64(rng.below((1 << 21) + 1)) - (1 << 20)
        }
        guard let (normal, offset) = try data.points.hyperplane(through: group.members, free: free) else { return nil }
        var result = group
        result.normal = normal
        result.offset = offset
        return result
    }
}
