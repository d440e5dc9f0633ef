import DataSets
import ExactArithmetic
import Testing
import TestSupport
@testable import SeparationNumbers

func dataSet(_ rows: [[Int]], _ labels: [Int]) -> DataSet {
    var points = RationalPoints(dimension: rows[0].count)
    for r in rows { points.append(r.map { Rational($0) }) }
    return DataSet(points: points, labels: labels, lines: Array(1 ... rows.count))
}

func bits(_ set: BitSet) -> [Bool] { (0 ..< set.count).map { set[$0] } }

/// Random distinct points with coordinates in -range...range (small ranges force collinear
/// points). - Precondition: n <= (2 range + 1)^d.
func randomPoints(_ rng: inout SplitMix64, n: Int, d: Int, range: Int) -> [[Int]] {
    var rows: [[Int]] = []
    while rows.count < n {
        let row = (0 ..< d).map { _ in rng.below(2 * range + 1) - range }
        if !rows.contains(row) { rows.append(row) }
    }
    return rows
}

@Suite("Separation numbers: the candidate cuts and the cover formula")
struct SeparationInstanceTests {
    @Test("the candidate cuts are exactly the subsets a line separates (a brute force over all subsets, Kirchberger)")
    func cutsAgainstBruteForce() {
        var rng = SplitMix64(seed: 13)
        for round in 0 ..< 60 {
            let n = 1 + rng.below(9)
            let range = [1, 2, 3, 50][round % 4]  // tiny grids: many collinear triples
            guard n <= (2 * range + 1) * (2 * range + 1) else { continue }
            let rows = randomPoints(&rng, n: n, d: 2, range: range)
            let labels = (0 ..< n).map { _ in rng.below(3) }
            let instance = SeparationInstance(data: dataSet(rows, labels))
            let pairs = PlanarSeparationBruteForce.pairs(labels)
            let reference = PlanarSeparationBruteForce.cuts(rows.map { (x: $0[0], y: $0[1]) })
                .filter { cut in pairs.contains { cut[$0.0] != cut[$0.1] } }
            #expect(Set(instance.candidates.map(bits)) == reference, "round \(round): \(rows) \(labels)")
            #expect(instance.candidates.count == reference.count)
        }
    }

    @Test("known counts: 7 points in convex position have 21 two-sided cuts; n collinear points n - 1")
    func knownCounts() {
        let parabola = (0 ..< 7).map { [$0, $0 * $0] }
        #expect(SeparationInstance(data: dataSet(parabola, Array(0 ..< 7))).candidates.count == 21)
        for n in 2 ... 9 {
            let collinear = (0 ..< n).map { [$0, 2 * $0 + 1] }
            let instance = SeparationInstance(data: dataSet(collinear, (0 ..< n).map { $0 % 2 }))
            #expect(instance.candidates.count == n - 1)
            #expect(instance.greedyCover().count == n - 1)
            // The same points in R^1 and in R^3.
            #expect(SeparationInstance(data: dataSet((0 ..< n).map { [3 * $0] }, (0 ..< n).map { $0 % 2 })).candidates.count == n - 1)
            #expect(SeparationInstance(data: dataSet((0 ..< n).map { [$0, -$0, 2 * $0] }, (0 ..< n).map { $0 % 2 })).candidates.count == n - 1)
        }
        // Points of a plane in R^3 have the cuts they have in the plane.
        let flat = parabola.map { $0 + [0] }
        #expect(SeparationInstance(data: dataSet(flat, Array(0 ..< 7))).candidates.count == 21)
    }

    @Test("every candidate's hyperplane makes exactly its cut, with no point on it (d = 1, 2, 3)")
    func realisation() {
        var rng = SplitMix64(seed: 7)
        for round in 0 ..< 24 {
            let d = 1 + round % 3
            let range = round % 2 == 0 ? 2 : 40
            let n = min(2 + rng.below(d == 3 ? 7 : 9), 2 * range + 1)  // distinct points exist
            let rows = randomPoints(&rng, n: n, d: d, range: range)
            let instance = SeparationInstance(data: dataSet(rows, (0 ..< n).map { _ in rng.below(3) }))
            for c in instance.candidates.indices {
                let neuron = instance.neuron(c)
                let cut = instance.candidates[c]
                var values: [Rational] = []
                for row in rows {
                    var z = neuron.bias
                    for (i, w) in zip(neuron.indices, neuron.weights) { z += w * Rational(row[i]) }
                    values.append(z)
                }
                #expect(values.allSatisfy { !$0.isZero }, "round \(round), cut \(c): a point on the hyperplane")
                // The cut is the side without point 0.
                let fires = values.map { $0 > Rational(0) }
                #expect((0 ..< n).allSatisfy { (fires[$0] != fires[0]) == cut[$0] }, "round \(round), cut \(c)")
            }
            if !instance.pairs.isEmpty { #expect(instance.covers(instance.greedyCover())) }
        }
    }

    @Test("the sequential counter allows exactly the assignments with at most k true cuts (all assignments tried)")
    func sequentialCounter() {
        // Collinear alternating points: m = n - 1 kept cuts, each the only one separating its neighbours.
        for n in 2 ... 5 {  // up to 2^(m + (m - 1)k) assignments each
            let instance = SeparationInstance(data: dataSet((0 ..< n).map { [$0, 0] }, (0 ..< n).map { $0 % 2 }))
            let m = instance.kept.count
            #expect(m == n - 1)
            for k in 0 ... m + 1 {
                let formula = instance.coverFormula(k: k)
                let clauses = parseDIMACS(formula.bytes)
                #expect(clauses.count == formula.clauses)
                if k >= 1 && k < m { #expect(formula.clauses - instance.pairs.count == 2 * m * k + m - 3 * k - 1, "Sinz's count") }
                let extra = formula.variables - m
                for x in 0 ..< (1 << m) {
                    let satisfiable = (0 ..< (1 << extra)).contains { s in
                        clauses.allSatisfy { clause in
                            clause.contains { literal in
                                let v = abs(literal) - 1
                                let value = v < m ? x >> v & 1 == 1 : s >> (v - m) & 1 == 1
                                return value == (literal > 0)
                            }
                        }
                    }
                    // The pair clauses need every cut (each separates its own neighbours only); the counter, <= k.
                    let covers = x == (1 << m) - 1
                    #expect(satisfiable == (covers && x.nonzeroBitCount <= k), "n \(n) k \(k) x \(x)")
                }
            }
        }
    }

    @Test("the formula's text is canonical DIMACS: header, one clause a line, no comments")
    func canonicalText() {
        let instance = SeparationInstance(data: dataSet([[0, 0], [1, 0], [2, 0]], [0, 1, 0]))
        // Candidates, as the side without point 0, in order: {2} (bits 001) and {1, 2} (011); {2} separates
        // the pair (1, 2) and {1, 2} the pair (0, 1). k = 1: s_(1,1) = 3.
        #expect(String(decoding: instance.coverFormula(k: 1).bytes, as: UTF8.self) == "p cnf 3 4\n2 0\n1 0\n-1 3 0\n-2 -3 0\n")
        #expect(String(decoding: instance.coverFormula(k: 0).bytes, as: UTF8.self) == "p cnf 2 4\n2 0\n1 0\n-1 0\n-2 0\n")
        #expect(String(decoding: instance.coverFormula(k: 2).bytes, as: UTF8.self) == "p cnf 2 2\n2 0\n1 0\n")
    }
}

/// Clauses of a DIMACS text (for the tests' own brute force).
func parseDIMACS(_ bytes: [UInt8]) -> [[Int]] {
    let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
    return lines.dropFirst().map { line in line.split(separator: " ").compactMap { Int($0) }.filter { $0 != 0 } }
}
