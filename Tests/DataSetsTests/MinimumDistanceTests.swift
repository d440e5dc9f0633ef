import ExactArithmetic
import Testing
import TextFormats
@testable import DataSets

@Suite("Exact minimum distance")
struct MinimumDistanceTests {
    @Test("the grid search and the all-pairs search find the same exact minimum, ties included")
    func gridAgreesWithAllPairs() throws {
        var cases: [DataSet] = []
        cases.append(try Generators.sphere(SphereRequest(count: 1500, dimension: 6, delta: Rational(1, 20), seed: 3, layout: .pairs)))
        cases.append(try Generators.sphere(SphereRequest(count: 1500, dimension: 3, delta: Rational(1, 100), seed: 4)))
        cases.append(try Generators.momentCurve(n: 800, dimension: 4, labels: .random, seed: 1))
        // A lattice: many pairs tie at the minimum distance 1/3.
        var rows = ""
        for x in 0 ..< 30 { for y in 0 ..< 30 { rows += "\(Rational(x, 3)),\(Rational(y, 3)),\((x + y) % 2)\n" } }
        cases.append(try parseCSV(rows))
        // Large coordinates next to small distances.
        var far = ""
        for i in 0 ..< 500 { far += "\(1_000_000 + i * 7),\(Rational(i % 13, 1000)),\(i % 2)\n" }
        cases.append(try parseCSV(far))
        for data in cases {
            // An unlimited budget: the default one is a time limit, and this test is about exactness.
            let grid = data.minimumDistance(workBudget: .max, allPairsLimit: 0)
            let all = data.minimumDistance(workBudget: .max, allPairsLimit: .max)
            #expect(grid.minimumSquaredDistance != nil)
            #expect(grid.minimumSquaredDistance == all.minimumSquaredDistance)
            if let (i, j) = grid.closestPair { #expect(data.points.squaredDistance(i, j) == grid.minimumSquaredDistance!) }
        }
        #expect(cases[3].minimumDistance().minimumSquaredDistance == Rational(1, 9))
    }

    @Test("δ² = min squared distance / R², exact, and the search is skipped with a reason when too costly")
    func deltaAndSkip() throws {
        let data = try parseCSV("0,0,0\n3,4,1\n0,1,1\n")
        let s = data.minimumDistance()
        #expect(s.radiusSquared == 25)
        #expect(s.deltaSquared == Rational(1, 25))
        #expect(s.deltaDecimal(digits: 3) == "0.200")
        #expect(!s.onCentredSphere)
        let spread = try Generators.sphere(SphereRequest(count: 3000, dimension: 32, delta: Rational(1, 100), seed: 1))
        let skipped = spread.minimumDistance(workBudget: 1000, allPairsLimit: 0)
        #expect(skipped.minimumSquaredDistance == nil && skipped.skipped != nil)
        #expect(spread.minimumDistance().onCentredSphere)
    }
}
