// MARK: - Separation numbers of small planar sets, by brute force
//
// The reference the tests hold memcert's separation numbers against. It shares nothing with
// memcert's enumeration of cuts (which follows hyperplanes through points): here every subset
// of the points is tried as one side of a line, and a subset S is a cut exactly when S and its
// complement T are strictly separable. For finite sets in R^d that holds iff it holds for every
// d + 2 of their points (Kirchberger, "Über Tchebychefsche Annäherungsmethoden", Math. Ann. 57,
// 1903), and finite sets are strictly separable iff their convex hulls are disjoint. In the
// plane: no point of S on a closed segment or in a closed triangle of T (and vice versa), and no
// closed segment of S meeting a closed segment of T. Coordinates are small integers, so every
// orientation is an exact Int.
//
// The least cover is found by iterative deepening: for k = 0, 1, ..., pick the open pair with
// the fewest cuts separating it and try each of them (every cover uses one of them). A cut whose
// pairs lie inside another cut's is left out (a cover keeps its size when it is swapped).

public enum PlanarSeparationBruteForce {
    public typealias Point = (x: Int, y: Int)

    static func orientation(_ a: Point, _ b: Point, _ c: Point) -> Int {
        let v = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
        return v > 0 ? 1 : v < 0 ? -1 : 0
    }

    static func onSegment(_ p: Point, _ a: Point, _ b: Point) -> Bool {
        orientation(a, b, p) == 0 && min(a.x, b.x) <= p.x && p.x <= max(a.x, b.x) && min(a.y, b.y) <= p.y && p.y <= max(a.y, b.y)
    }

    static func segmentsMeet(_ a: Point, _ b: Point, _ c: Point, _ d: Point) -> Bool {
        let o1 = orientation(a, b, c), o2 = orientation(a, b, d), o3 = orientation(c, d, a), o4 = orientation(c, d, b)
        if o1 * o2 < 0 && o3 * o4 < 0 { return true }
        return onSegment(c, a, b) || onSegment(d, a, b) || onSegment(a, c, d) || onSegment(b, c, d)
    }

    static func inTriangle(_ p: Point, _ a: Point, _ b: Point, _ c: Point) -> Bool {
        if orientation(a, b, c) == 0 { return onSegment(p, a, b) || onSegment(p, b, c) || onSegment(p, a, c) }
        let o = [orientation(a, b, p), orientation(b, c, p), orientation(c, a, p)]
        return o.allSatisfy { $0 >= 0 } || o.allSatisfy { $0 <= 0 }
    }

    /// True when the convex hulls of `s` and `t` meet, judged on at most four points (Kirchberger).
    static func hullsMeet(_ s: [Point], _ t: [Point]) -> Bool {
        for (u, v) in [(s, t), (t, s)] {
            for p in u {
                for i in v.indices {
                    if p == v[i] { return true }
                    for j in v.indices where j > i {
                        if onSegment(p, v[i], v[j]) { return true }
                        for k in v.indices where k > j && inTriangle(p, v[i], v[j], v[k]) { return true }
                    }
                }
            }
        }
        for i in s.indices {
            for j in s.indices where j > i {
                for k in t.indices {
                    for l in t.indices where l > k && segmentsMeet(s[i], s[j], t[k], t[l]) { return true }
                }
            }
        }
        return false
    }

    /// Every cut a line can make, each as the side without point 0 (so the empty cut is one).
    public static func cuts(_ points: [Point]) -> Set<[Bool]> {
        let n = points.count
        precondition(n >= 1 && n <= 20, "brute force is for small sets")
        var result = Set<[Bool]>()
        for mask in 0 ..< (1 << (n - 1)) {
            let side = (0 ..< n).map { i in i > 0 && mask >> (i - 1) & 1 == 1 }
            let s = points.indices.filter { side[$0] }.map { points[$0] }
            let t = points.indices.filter { !side[$0] }.map { points[$0] }
            if !hullsMeet(s, t) { result.insert(side) }
        }
        return result
    }

    /// The differently labeled pairs (i < j), in order.
    public static func pairs(_ labels: [Int]) -> [(Int, Int)] {
        var result: [(Int, Int)] = []
        for i in labels.indices { for j in labels.indices where j > i && labels[i] != labels[j] { result.append((i, j)) } }
        return result
    }

    /// The least number of lines separating every differently labeled pair.
    public static func separationNumber(_ points: [Point], labels: [Int]) -> Int {
        let pairList = pairs(labels)
        precondition(pairList.count <= 128, "pairs are packed in 128 bits")
        if pairList.isEmpty { return 0 }
        let all: UInt128 = pairList.count == 128 ? ~0 : (1 << UInt128(pairList.count)) - 1
        let sets: [UInt128] = cuts(points).map { cut in
            var s: UInt128 = 0
            for (p, (i, j)) in pairList.enumerated() where cut[i] != cut[j] { s |= 1 << UInt128(p) }
            return s
        }.filter { $0 != 0 }
        // A set inside another set is never needed (swap it for the larger one).
        var distinct: [UInt128] = []
        for s in Set(sets).sorted() where !sets.contains(where: { $0 != s && $0 & s == s }) { distinct.append(s) }
        let largest = distinct.map(\.nonzeroBitCount).max() ?? 0

        func search(_ open: UInt128, _ left: Int) -> Bool {
            if open == 0 { return true }
            if left * largest < open.nonzeroBitCount { return false }
            var bestPair = -1, bestCount = Int.max
            for p in 0 ..< pairList.count where open >> UInt128(p) & 1 == 1 {
                let count = distinct.reduce(0) { $0 + ($1 >> UInt128(p) & 1 == 1 ? 1 : 0) }
                if count < bestCount { (bestPair, bestCount) = (p, count) }
            }
            for s in distinct where s >> UInt128(bestPair) & 1 == 1 && search(open & ~s, left - 1) { return true }
            return false
        }
        var k = 0
        while !search(all, k) { k += 1 }
        return k
    }
}
