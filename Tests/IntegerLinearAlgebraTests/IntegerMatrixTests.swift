import ExactArithmetic
import Testing
import TestSupport
@testable import IntegerLinearAlgebra

/// Seeded integer matrices of the shapes that break exact linear algebra: random,
/// rank-deficient, duplicated rows, zero columns, entries next to ±2^63 and far beyond.
struct MatrixCase: CustomStringConvertible {
    var kind: String
    var rows: [[BigInt]]
    var columns: Int
    var description: String { "\(kind) \(rows.count)x\(columns)" }

    static func make(_ round: Int, _ rng: inout SplitMix64, maxSize: Int = 40) -> MatrixCase {
        let r = rng.below(maxSize) + 1, c = rng.below(maxSize) + 1
        func small() -> BigInt { BigInt(Int64(rng.below(2001)) - 1000) }
        func nearWordEdge() -> BigInt {
            let offset = BigInt(Int64(rng.below(5)))
            switch rng.below(4) {
            case 0: return BigInt(Int64.max) - offset
            case 1: return BigInt(Int64.min) + offset
            case 2: return BigInt(Int64.max) + 1 + offset  // just past a word
            default: return -(BigInt(Int64.max) + 2 + offset)
            }
        }
        func huge() -> BigInt {
            var v = BigInt(Int64(bitPattern: rng.next()))
            for _ in 0 ..< rng.below(3) + 1 { v = v * BigInt(1).shiftedLeft(by: 64) + BigInt(rng.next()) }
            return v
        }
        func random(_ rows: Int, _ columns: Int, _ entry: () -> BigInt) -> [[BigInt]] {
            (0 ..< rows).map { _ in (0 ..< columns).map { _ in entry() } }
        }
        switch round % 7 {
        case 0:
            return MatrixCase(kind: "random", rows: random(r, c, small), columns: c)
        case 1:
            // Rank k < min(r, c): a product of r x k and k x c factors.
            let k = rng.below(max(1, min(r, c))) + 0
            let left = random(r, k) { BigInt(Int64(rng.below(21)) - 10) }
            let right = random(k, c) { BigInt(Int64(rng.below(21)) - 10) }
            let rows = left.map { l in (0 ..< c).map { j in (0 ..< k).reduce(BigInt(0)) { $0 + l[$1] * right[$1][j] } } }
            return MatrixCase(kind: "rank<=\(k)", rows: rows, columns: c)
        case 2:
            var rows = random(r, c, small)
            for i in 1 ..< max(1, r) where rng.below(2) == 0 { rows[i] = rows[rng.below(i)] }
            return MatrixCase(kind: "duplicated rows", rows: rows, columns: c)
        case 3:
            var rows = random(r, c, small)
            for j in 0 ..< c where rng.below(3) == 0 { for i in 0 ..< r { rows[i][j] = 0 } }
            return MatrixCase(kind: "zero columns", rows: rows, columns: c)
        case 4:
            return MatrixCase(kind: "near 2^63", rows: random(r, c) { rng.below(3) == 0 ? small() : nearWordEdge() }, columns: c)
        case 5:
            // Big entries in a rank-deficient matrix: dependencies must survive the size.
            var rows = random(r, c, huge)
            if r > 2 { rows[r - 1] = zip(rows[0], rows[1]).map { $0 * 3 - $1 * BigInt(Int64.max) } }
            return MatrixCase(kind: "beyond 2^64, dependent", rows: rows, columns: c)
        default:
            return MatrixCase(kind: "0/1 sparse", rows: random(r, c) { BigInt(rng.below(5) == 0 ? 1 : 0) }, columns: c)
        }
    }
}

func dot(_ a: [BigInt], _ b: [BigInt]) -> BigInt {
    zip(a, b).reduce(BigInt(0)) { $0 + $1.0 * $1.1 }
}

@Suite("FLINT integer matrices against fraction-free elimination")
struct IntegerMatrixTests {
    @Test("entries round-trip between BigInt and FLINT at and past every word edge")
    func roundTrip() {
        let edges: [BigInt] = [0, 1, -1, BigInt(Int64.max), BigInt(Int64.min), BigInt(Int64.max) + 1, BigInt(Int64.min) - 1,
                               BigInt(1).shiftedLeft(by: 64), -BigInt(1).shiftedLeft(by: 64), BigInt(1).shiftedLeft(by: 64) - 1,
                               BigInt(1).shiftedLeft(by: 127), -(BigInt(1).shiftedLeft(by: 300) + 12345),
                               BigInt(Int64(1) << 62), -BigInt(Int64(1) << 62), BigInt(Int64(1) << 62) - 1]
        var m = IntegerMatrix(rows: 1, columns: edges.count)
        for (j, v) in edges.enumerated() { m[0, j] = v }
        #expect(m.row(0) == edges)
        // Copy-on-write: writing a copy leaves the original alone.
        var copy = m
        copy[0, 0] = 7
        #expect(m[0, 0] == 0 && copy[0, 0] == 7)
        // Words through the exchange API.
        for v in edges {
            let back = v.withMagnitudeWords { words, sign in BigInt(magnitudeWords: words, negative: sign == .negative) }
            #expect(back == v)
        }
    }

    @Test("rank, pivots and null space agree with fraction-free elimination (sizes 1...40, seeded)")
    func againstBareiss() throws {
        var rng = SplitMix64(seed: 2024)
        for round in 0 ..< 105 {
            let test = MatrixCase.make(round, &rng)
            let m = IntegerMatrix(test.rows, columns: test.columns)
            let (_, rank, pivots) = FractionFreeElimination.echelon(test.rows)
            #expect(m.rank == rank, "\(test)")
            // Modular: never above the exact rank; equal (and the same pivots) for these seeded cases.
            let modularPivots = ModularElimination.pivotColumns(of: m)
            #expect(modularPivots.count <= rank, "\(test)")
            #expect(modularPivots == pivots, "\(test)")
            #expect(ModularElimination.rank(of: m) == rank, "\(test)")
            // Independent rows: each raises the rank of the rows before it (checked by Bareiss).
            let independent = ModularElimination.independentRows(of: m)
            #expect(independent.count == rank, "\(test)")
            var previous = 0
            for i in 0 ..< test.rows.count where test.rows.count <= 20 {
                let prefixRank = FractionFreeElimination.echelon(Array(test.rows[...i])).rank
                #expect((prefixRank > previous) == independent.contains(i), "\(test) row \(i)")
                previous = prefixRank
            }
            // The same canonical basis of the null space.
            let basis = m.nullSpaceBasis
            #expect(basis == FractionFreeElimination.nullSpace(test.rows, columns: test.columns), "\(test)")
            for v in basis { for row in test.rows { #expect(dot(row, v).isZero) } }
        }
    }

    @Test("kernelVector: M w = 0, w primitive and proportional to the free values, nil for dependent rows")
    func kernelVector() throws {
        var rng = SplitMix64(seed: 77)
        var solved = 0, refused = 0
        for round in 0 ..< 105 {
            let test = MatrixCase.make(round, &rng)
            let m = IntegerMatrix(test.rows, columns: test.columns)
            let rank = FractionFreeElimination.echelon(test.rows).rank
            let pivots = Set(FractionFreeElimination.echelon(test.rows).pivots)
            // Free values at the word edges every few rounds (no negation may overflow).
            let edges: [Int64] = [.min, .max, .min + 1, -1, 0, 1]
            let free = (0 ..< test.columns).map { _ in round % 4 == 3 ? edges[rng.below(edges.count)] : Int64(rng.below(2001)) - 1000 }
            let freeNonzero = (0 ..< test.columns).contains { !pivots.contains($0) && free[$0] != 0 }
            let w = try m.kernelVector(free: free)
            guard rank == test.rows.count && freeNonzero else {
                #expect(w == nil, "\(test)")
                refused += 1
                continue
            }
            guard let w else {
                Issue.record("no kernel vector for \(test) of full row rank")
                continue
            }
            solved += 1
            for row in test.rows { #expect(dot(row, w).isZero, "\(test)") }
            #expect(w.contains { !$0.isZero })
            var g = BigInt(0)
            for v in w { g = BigInt.gcd(g, v) }
            #expect(g == 1, "\(test): not primitive")
            // On the free columns, w = λ f for one positive rational λ.
            let freeColumns = (0 ..< test.columns).filter { !pivots.contains($0) }
            let k = freeColumns.first { free[$0] != 0 }!
            for j in freeColumns { #expect(w[j] * BigInt(free[k]) == BigInt(free[j]) * w[k], "\(test) column \(j)") }
            #expect(w[k].sign == Sign(of: free[k]))
        }
        #expect(solved > 20 && refused > 20)
    }

    @Test("a kernel vector of a wide system with entries past 2^63 (one solve, FLINT's p-adic path)")
    func wideSystem() throws {
        var rng = SplitMix64(seed: 5)
        let r = 60, c = 90
        let rows = (0 ..< r).map { _ in (0 ..< c).map { _ in BigInt(Int64.max) - BigInt(Int64(rng.below(1 << 20))) } }
        let w = try #require(try IntegerMatrix(rows, columns: c).kernelVector(free: (0 ..< c).map { _ in Int64(rng.below(7)) - 3 }))
        for row in rows { #expect(dot(row, w).isZero) }
    }
}
