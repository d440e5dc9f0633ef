import ExactArithmetic
import Testing
import TestSupport
@testable import IntegerLinearAlgebra

/// Seeded points: integer or rational (small or 80-bit denominators), in an affine
/// subspace of a chosen dimension, with some coordinates constant.
func randomPoints(_ rng: inout SplitMix64, count: Int, dimension d: Int, hull: Int, rational: Bool) -> RationalPoints {
    // x = base + Σ_k t_k v_k with `hull` directions v_k (zero on a few coordinates).
    func value(_ bits: Int) -> Rational {
        let numerator = BigInt(Int64(rng.below(1 << 12)) - (1 << 11))
        guard rational else { return Rational(numerator) }
        let denominator = bits > 60 ? BigInt(1).shiftedLeft(by: bits) + BigInt(Int64(rng.below(1000))) : BigInt(Int64(rng.below(9) + 1))
        return Rational(numerator, denominator)
    }
    let bits = rng.below(2) == 0 ? 4 : 80
    let base = (0 ..< d).map { _ in value(bits) }
    let zeroColumns = Set((0 ..< d).filter { _ in rng.below(4) == 0 })
    let directions = (0 ..< hull).map { _ in (0 ..< d).map { zeroColumns.contains($0) ? Rational() : value(bits) } }
    var points = RationalPoints(dimension: d)
    for _ in 0 ..< count {
        var x = base
        for v in directions {
            let t = Rational(rng.below(41) - 20)
            for j in 0 ..< d { x[j] += t * v[j] }
        }
        points.append(x)
    }
    return points
}

/// The exact rank of the differences x_i - x_0, by fraction-free elimination on
/// rows scaled independently of the library (lcm of the row's denominators).
func bareissHullDimension(_ points: RationalPoints) -> Int {
    if points.count <= 1 { return points.count - 1 }
    let rows: [[BigInt]] = (1 ..< points.count).map { k in
        let difference = zip(points.point(k), points.point(0)).map { $0 - $1 }
        let l = difference.reduce(BigInt(1)) { BigInt.lcm($0, $1.denominator) }
        return difference.map { $0.numerator * l.exactQuotient(dividingBy: $0.denominator) }
    }
    return FractionFreeElimination.echelon(rows).rank
}

@Suite("Affine hulls and hyperplanes through points")
struct AffineHullTests {
    @Test("affineDimensionModPrime equals the exact hull dimension (integer and rational points, seeded)")
    func hullDimension() {
        var rng = SplitMix64(seed: 11)
        for round in 0 ..< 60 {
            let d = rng.below(12) + 1
            let hull = rng.below(d + 1)
            let points = randomPoints(&rng, count: rng.below(30) + 1, dimension: d, hull: hull, rational: round % 2 == 1)
            #expect(points.affineDimensionModPrime() == bareissHullDimension(points), "round \(round)")
        }
        #expect(RationalPoints(dimension: 3).affineDimensionModPrime() == -1)
    }

    @Test("hull dimension across several elimination blocks (n = 9000 > 4096 in d = 3)")
    func blocks() {
        var rng = SplitMix64(seed: 12)
        var points = RationalPoints(dimension: 3)
        // On the plane x + y + z = 7 until the very last point, which leaves it.
        for _ in 0 ..< 8999 {
            let a = Int64(rng.below(1000)), b = Int64(rng.below(1000))
            points.append(scaledNumerators: [a, b, 7 - a - b], denominator: 1)
        }
        #expect(points.affineDimensionModPrime() == 2)
        points.append(scaledNumerators: [0, 0, 0], denominator: 1)
        #expect(points.affineDimensionModPrime() == 3)
    }

    @Test("difference rows are primitive positive multiples of the differences; varying coordinates")
    func differences() {
        var rng = SplitMix64(seed: 13)
        for round in 0 ..< 40 {
            let d = rng.below(8) + 1
            let points = randomPoints(&rng, count: 6, dimension: d, hull: rng.below(d + 1), rational: round % 2 == 1)
            let m = points.differenceMatrix(origin: 0, others: 1 ..< 6)
            for k in 1 ..< 6 {
                let row = m.row(k - 1)
                let difference = zip(points.point(k), points.point(0)).map { $0 - $1 }
                // row = λ · difference with λ > 0.
                if let j = difference.firstIndex(where: { !$0.isZero }) {
                    let lambda = Rational(row[j]) / difference[j]
                    #expect(lambda.sign == .positive)
                    for i in 0 ..< d { #expect(Rational(row[i]) == lambda * difference[i]) }
                    #expect(row.reduce(BigInt(0)) { BigInt.gcd($0, $1) } == 1)
                } else {
                    #expect(row.allSatisfy { $0.isZero })
                }
            }
            let varying = points.varyingCoordinates()
            for j in 0 ..< d {
                let values = Set((0 ..< points.count).map { points.coordinate($0, j) })
                #expect(varying[j] == (values.count > 1))
            }
        }
    }

    @Test("hyperplane(through:) contains every listed point exactly, dependent points included")
    func hyperplanes() throws {
        var rng = SplitMix64(seed: 14)
        var independentCases = 0, dependentCases = 0
        for round in 0 ..< 40 {
            let d = rng.below(10) + 2
            // Hulls of every dimension: dependent members are common when hull < members - 1.
            let points = randomPoints(&rng, count: d + 2, dimension: d, hull: rng.below(d + 1), rational: round % 2 == 1)
            let members = Array(0 ..< rng.below(d) + 1)
            let free = (0 ..< d).map { _ in Int64(rng.below(1 << 20)) - (1 << 19) }
            let rank = bareissHullDimension(points.subset(members))
            let result = try points.hyperplane(through: members, free: free)
            guard let (w, c) = result else {
                // Only when no column is left free: the members' hull is the whole space.
                #expect(rank == d, "round \(round): no hyperplane though the hull has dimension \(rank) < \(d)")
                continue
            }
            if rank == members.count - 1 { independentCases += 1 } else { dependentCases += 1 }
            #expect(w.contains { !$0.isZero })
            for i in members {
                let value = zip(w, points.point(i)).reduce(Rational()) { $0 + Rational($1.0) * $1.1 }
                #expect(value == c, "round \(round) point \(i)")
            }
        }
        #expect(independentCases > 10 && dependentCases > 5)
    }

    @Test("a dependency that holds modulo p but not over Q is caught by the exact check")
    func primeCoincidence() throws {
        // x1 - x0 = (p, 1, 0) and x2 - x0 = (0, 1, 0): independent over Q, equal modulo p.
        let p = Int64(ModularElimination.prime)
        var points = RationalPoints(dimension: 3)
        points.append(scaledNumerators: [0, 0, 0], denominator: 1)
        points.append(scaledNumerators: [p, 1, 0], denominator: 1)
        points.append(scaledNumerators: [0, 1, 0], denominator: 1)
        let differences = points.differenceMatrix(origin: 0, others: [1, 2])
        #expect(differences.rank == 2)
        #expect(ModularElimination.rank(of: differences) == 1)
        #expect(try points.hyperplane(through: [0, 1, 2], free: [3, 5, 7]) == nil)
        // Solving with both rows needs pivots modulo p, which they do not have: nil again, never a wrong plane.
        #expect(try points.hyperplane(through: [0, 1, 2], free: [3, 5, 7], independent: [0, 1]) == nil)
        // Each pair alone is fine.
        let plane = try #require(try points.hyperplane(through: [0, 2], free: [3, 5, 7]))
        #expect(plane.normal[1] == 0 && plane.offset == 0)
    }
}
