import Testing
import TestSupport
@testable import ExactArithmetic

@Suite("Fraction-free elimination")
struct EliminationTests {
    @Test("rank and null space of random integer matrices: M v = 0, and rank + nullity = columns")
    func nullSpace() {
        var rng = SplitMix64(seed: 50)
        for round in 0 ..< 200 {
            let rows = Int(rng.next() % 6) + 1, columns = Int(rng.next() % 7) + 1
            var m = (0 ..< rows).map { _ in (0 ..< columns).map { _ in BigInt(Int64(rng.next() % 2001) - 1000) } }
            if round % 3 == 0 && rows > 1 {  // a dependent row: a combination of two others
                m[rows - 1] = zip(m[0], m[rows > 2 ? 1 : 0]).map { $0 * 3 - $1 * 2 }
            }
            if round % 5 == 0 { m = m.map { $0.map { $0 * BigInt.powerOfTen(25) } } }  // large entries
            let (_, rank, _) = FractionFreeElimination.echelon(m)
            let basis = FractionFreeElimination.nullSpace(m, columns: columns)
            #expect(rank + basis.count == columns)
            for v in basis {
                #expect(v.contains { !$0.isZero })
                for row in m {
                    var s = BigInt(0)
                    for (a, b) in zip(row, v) { s += a * b }
                    #expect(s.isZero)
                }
            }
            // Rank by an independent route: Gaussian elimination over rationals.
            var q = m.map { $0.map { Rational($0) } }
            var r = 0
            for c in 0 ..< columns where r < rows {
                guard let p = (r ..< rows).first(where: { !q[$0][c].isZero }) else { continue }
                q.swapAt(p, r)
                for i in 0 ..< rows where i != r && !q[i][c].isZero {
                    let f = q[i][c] / q[r][c]
                    for j in 0 ..< columns { q[i][j] -= f * q[r][j] }
                }
                r += 1
            }
            #expect(rank == r)
        }
    }
}
