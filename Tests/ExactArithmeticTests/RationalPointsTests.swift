import Testing
import TestSupport
@testable import ExactArithmetic

@Suite("RationalPoints")
struct RationalPointsTests {
    @Test("points round-trip through word and big storage, with canonical common denominators")
    func roundTrip() {
        var rng = SplitMix64(seed: 40)
        for round in 0 ..< 200 {
            let d = Int(rng.next() % 6) + 1
            var points = RationalPoints(dimension: d)
            var stored: [[Rational]] = []
            for _ in 0 ..< 10 {
                let p = (0 ..< d).map { _ in randomRational(&rng, maxBits: round % 2 == 0 ? 20 : 80) }
                points.append(p)
                stored.append(p)
            }
            for i in 0 ..< stored.count {
                #expect(points.point(i) == stored[i])
                let scaled = points.scaledPoint(i)
                let expectedDenominator = stored[i].reduce(BigInt(1)) { BigInt.lcm($0, $1.denominator) }
                #expect(scaled.denominator == expectedDenominator)
                #expect(points.squaredNorm(i) == stored[i].reduce(Rational(0)) { $0 + $1 * $1 })
                let j = (i + 3) % stored.count
                let direct = zip(stored[i], stored[j]).reduce(Rational(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                #expect(points.squaredDistance(i, j) == direct)
            }
        }
    }

    @Test("equal points hash equally whatever the written form; different points compare unequal")
    func equality() throws {
        var points = RationalPoints(dimension: 2)
        points.append([try Rational(parsing: "0.50"), try Rational(parsing: "2/6")])
        points.append([Rational(1, 2), Rational(1, 3)])
        points.append([Rational(1, 2), Rational(1, 4)])
        let big = Rational(BigInt(1).shiftedLeft(by: 90) + 1, BigInt(3))
        points.append([big, Rational(1)])
        points.append([big, Rational(1)])
        #expect(points.pointsEqual(0, 1) && points.pointHash(0) == points.pointHash(1))
        #expect(!points.pointsEqual(1, 2))
        #expect(!points.isWordPoint(3))
        #expect(points.pointsEqual(3, 4) && points.pointHash(3) == points.pointHash(4))
        #expect(!points.pointsEqual(2, 3))
        let sub = points.subset([3, 0])
        #expect(sub.point(0) == points.point(3) && sub.point(1) == points.point(0))
    }

    @Test("approximations obey the filter's error model")
    func approximations() {
        var rng = SplitMix64(seed: 41)
        var points = RationalPoints(dimension: 3)
        for _ in 0 ..< 300 { points.append((0 ..< 3).map { _ in randomRational(&rng, maxBits: 100) }) }
        let rho = Rational(exactly: Rational.approximationRelativeError)!
        var buffer = [Double](repeating: 0, count: 3)
        for i in 0 ..< points.count {
            let maxAbs = buffer.withUnsafeMutableBufferPointer { points.approximate(i, into: $0) }
            guard let maxAbs else { continue }
            #expect(maxAbs == buffer.map { abs($0) }.max())
            for j in 0 ..< 3 {
                let a = Rational(exactly: buffer[j])!
                #expect((points.coordinate(i, j) - a).magnitude <= rho * a.magnitude)
            }
        }
    }
}
