import ExactArithmetic
import Testing
import TextFormats
@testable import DataSets

@Suite("Generators")
struct GeneratorTests {
    @Test("sphere points are exactly on the unit sphere and exactly δ-separated", arguments: [
        (SphereLayout.uniform, 2, 50, Rational(1, 20)), (.uniform, 3, 500, Rational(1, 10)), (.pairs, 5, 400, Rational(1, 20)),
        (.uniform, 32, 300, Rational(1, 2)), (.pairs, 2, 61, Rational(1, 25)),
    ])
    func sphere(layout: SphereLayout, d: Int, n: Int, delta: Rational) throws {
        let data = try Generators.sphere(SphereRequest(count: n, dimension: d, delta: delta, seed: 2, layout: layout))
        #expect(data.count == n)
        for i in 0 ..< n { #expect(data.points.squaredNorm(i) == 1) }
        var minimum: Rational?
        for i in 0 ..< n {
            for j in i + 1 ..< n {
                let s = data.points.squaredDistance(i, j)
                if minimum == nil || s < minimum! { minimum = s }
            }
        }
        #expect(minimum! >= delta * delta)
        if layout == .pairs {
            #expect(minimum! <= delta * delta * Rational(25, 16))
            for i in stride(from: 0, to: n - 1, by: 2) {
                #expect(data.points.squaredDistance(i, i + 1) <= delta * delta * Rational(25, 16))
            }
        }
        // The exact minimum-distance search finds the same minimum.
        #expect(data.minimumDistance().minimumSquaredDistance == minimum)
    }

    @Test("the same request gives the same bytes; labels follow the scheme")
    func reproducible() throws {
        let request = SphereRequest(count: 200, dimension: 4, delta: Rational(1, 10), labels: .classes(4), seed: 8)
        let a = try Generators.sphere(request).csvBytes(), b = try Generators.sphere(request).csvBytes()
        #expect(a == b)
        var other = request
        other.seed = 9
        #expect(try Generators.sphere(other).csvBytes() != a)
        let labels = try Generators.sphere(request).labels
        #expect(Set(labels) == [0, 1, 2, 3])
        #expect(LabelScheme.alternating.labels(count: 5, seed: 1) == [0, 1, 0, 1, 0])
    }

    @Test("infeasible or hopeless requests are refused with the reason, not looped on")
    func refusals() {
        func message(_ request: SphereRequest) -> String {
            do { _ = try Generators.sphere(request); return "" } catch { return error.message }
        }
        #expect(message(SphereRequest(count: 200, dimension: 2, delta: Rational(1, 10))).contains("infeasible"))
        #expect(message(SphereRequest(count: 3, dimension: 1, delta: Rational(1, 10))).contains("only two points"))
        #expect(message(SphereRequest(count: 2, dimension: 3, delta: Rational(3))).contains("at most 2 apart"))
        #expect(message(SphereRequest(count: 45, dimension: 2, delta: Rational(1, 10))).contains("unreasonably long"))
        #expect(message(SphereRequest(count: 10, dimension: 3, delta: Rational(0))).contains("positive"))
    }

    @Test("circle points are exactly on the unit circle in counterclockwise cyclic order")
    func circle() throws {
        let n = 101
        let data = try Generators.circle(n: n, labels: .alternating, seed: 1)
        for i in 0 ..< n {
            #expect(data.points.squaredNorm(i) == 1)
            let p = data.points.point(i), q = data.points.point((i + 1) % n)
            let cross = p[0] * q[1] - p[1] * q[0]
            #expect(cross.sign == .positive)  // each step turns counterclockwise by less than π
        }
        // Winding once: the number of sign changes of y is 2.
        var changes = 0
        for i in 0 ..< n where (data.points.coordinate(i, 1).sign == .negative) != (data.points.coordinate((i + 1) % n, 1).sign == .negative) {
            changes += 1
        }
        #expect(changes == 2)
        #expect(data.labels.prefix(4) == [0, 1, 0, 1])
    }

    @Test("moment-curve points are exactly (t, t², ..., t^D) in increasing t")
    func momentCurve() throws {
        let data = try Generators.momentCurve(n: 9, dimension: 5, labels: .alternating, seed: 1)
        var previous: Rational?
        for i in 0 ..< 9 {
            let p = data.points.point(i)
            let t = p[0]
            for k in 1 ..< 5 { #expect(p[k] == t.power(k + 1)) }
            if let previous { #expect(t > previous) }
            previous = t
        }
        #expect(data.points.coordinate(0, 0) == -1 && data.points.coordinate(8, 0) == 1)
    }
}
