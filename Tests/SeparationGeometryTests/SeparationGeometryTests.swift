import Constructions
import DataSets
import ExactArithmetic
import TestSupport
import Foundation
import Testing
import TextFormats
import ThresholdNetworks
@testable import SeparationGeometry


func dataSet(_ rows: [[Rational]], _ labels: [Int]) -> DataSet {
    var points = RationalPoints(dimension: rows[0].count)
    for r in rows { points.append(r) }
    return DataSet(points: points, labels: labels, lines: Array(1 ... rows.count))
}

@Suite("Region counts")
struct RegionCountTests {
    @Test("affine and central counts follow the arrangement recurrences (Pascal's rule), including D >= K and K = 0")
    func recurrences() {
        // Independent reference: R(k, d) = R(k-1, d) + R(k-1, d-1), R(0, d) = R(k, 0) = 1 (adding a hyperplane in
        // general position splits as many regions as it meets); central C(k, d) = C(k-1, d) + C(k-1, d-1) with
        // C(1, d) = 2 for d >= 1 and C(k, 1) = 2 (Cover 1965).
        var affine = [[BigInt]](repeating: [BigInt](repeating: 1, count: 41), count: 61)
        for k in 1 ... 60 { for d in 1 ... 40 { affine[k][d] = affine[k - 1][d] + affine[k - 1][d - 1] } }
        var central = [[BigInt]](repeating: [BigInt](repeating: 1, count: 41), count: 61)
        for k in 1 ... 60 {
            for d in 1 ... 40 { central[k][d] = k == 1 || d == 1 ? 2 : central[k - 1][d] + central[k - 1][d - 1] }
        }
        for k in 0 ... 60 {
            for d in 0 ... 40 {
                #expect(RegionCounts.affine(hyperplanes: k, dimension: d) == affine[k][d], "affine \(k) \(d)")
                #expect(RegionCounts.central(hyperplanes: k, dimension: d) == central[k][d], "central \(k) \(d)")
                if d >= k { #expect(RegionCounts.affine(hyperplanes: k, dimension: d) == BigInt(1).shiftedLeft(by: k)) }
            }
        }
        #expect(RegionCounts.affine(hyperplanes: 0, dimension: 5) == 1)
        #expect(RegionCounts.central(hyperplanes: 0, dimension: 5) == 1)
    }

    @Test("large K and D agree with a sum of GMP binomials and finish quickly")
    func large() {
        var reference = BigInt(0)
        for i in 0 ... 700 { reference += BigInt.binomial(2000, i) }
        #expect(RegionCounts.affine(hyperplanes: 2000, dimension: 700) == reference)
        let start = Date()
        let big = RegionCounts.affine(hyperplanes: 1_000_000, dimension: 10_000)
        #expect(big.bitLength > 80_000)
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test("the inverse is the least K whose count reaches N")
    func inverse() throws {
        var rng = SplitMix64(seed: 1)
        for _ in 0 ..< 200 {
            let d = rng.below(6) + 1
            let target = BigInt(rng.below(100_000) + 2)
            for central in [false, true] {
                guard let k = try RegionCounts.inverse(target: target, dimension: d, central: central) else {
                    #expect(central && d == 1)  // central lines cut R^1 into 2 regions at most
                    continue
                }
                let count = { (k: Int) in central ? RegionCounts.central(hyperplanes: k, dimension: d) : RegionCounts.affine(hyperplanes: k, dimension: d) }
                #expect(count(k) >= target)
                #expect(k == 0 || count(k - 1) < target)
            }
        }
        #expect(try RegionCounts.inverse(target: 1000, dimension: 2, central: false) == 45)
        #expect(try RegionCounts.inverse(target: 5, dimension: 0, central: false) == nil)
    }
}

@Suite("Curve bounds")
struct CurveBoundTests {
    @Test("n alternating points on a circle give n/2, in any dimension the circle is embedded in")
    func circleAlternating() throws {
        for n in [4, 10, 51, 200] {
            let data = try Generators.circle(n: n, labels: .alternating, seed: 1)
            let circle = try CurveBounds.circle(data).get()
            #expect(circle.radiusSquared == 1 && circle.center == [0, 0])
            // Generated in counterclockwise order: the cyclic order is a rotation of 0..<n (or of its reverse).
            let start = circle.cyclicOrder.firstIndex(of: 0)!
            let rotated = Array(circle.cyclicOrder[start...] + circle.cyclicOrder[..<start])
            #expect(rotated == Array(0 ..< n) || rotated == [0] + Array((1 ..< n).reversed()))
            #expect(circle.bound == (n % 2 == 0 ? n / 2 : (n - 1) / 2))
            #expect(LowerBoundReport(data: data, neurons: n).best == circle.bound)
        }
        // The same circle placed isometrically in a tilted plane of R^4: x -> x1 a + x2 b + (0, 0, 0, 1/3) with
        // orthonormal rational a = (3/5, 0, 4/5, 0), b = (0, 5/13, 0, 12/13).
        let flat = try Generators.circle(n: 30, labels: .alternating, seed: 1)
        let rows = (0 ..< 30).map { i -> [Rational] in
            let p = flat.points.point(i)
            return [p[0] * Rational(3, 5), p[1] * Rational(5, 13), p[0] * Rational(4, 5), p[1] * Rational(12, 13) + Rational(1, 3)]
        }
        let tilted = dataSet(rows, flat.labels)
        #expect(try CurveBounds.circle(tilted).get().bound == 15)
    }

    @Test("points off the circle or off its plane, by an exact nudge, give no circle bound")
    func notConcyclic() throws {
        let data = try Generators.circle(n: 20, labels: .alternating, seed: 1)
        var rows = (0 ..< 20).map { data.points.point($0) }
        rows[7][0] += Rational(1, BigInt.powerOfTen(30))
        #expect(throws: CurveBounds.Failure.self) { try CurveBounds.circle(dataSet(rows, data.labels)).get() }
        let lifted = (0 ..< 20).map { i -> [Rational] in data.points.point(i) + [i == 11 ? Rational(1, 1000) : 0] }
        #expect(throws: CurveBounds.Failure.self) { try CurveBounds.circle(dataSet(lifted, data.labels)).get() }
        let line = dataSet((0 ..< 5).map { [Rational($0), Rational($0)] }, [0, 1, 0, 1, 0])
        #expect(throws: CurveBounds.Failure.self) { try CurveBounds.circle(line).get() }
        #expect(LowerBoundReport(data: dataSet(rows, data.labels), neurons: 20).bounds.allSatisfy { $0.argument != "circle" })
    }

    @Test("a hand-made arrangement of lines meets the circle bound with equality")
    func equality() throws {
        // 6 alternating points; 3 lines through the centre at angles 30°, 90°, 150° put each point in its own
        // sector, so they separate every differently labeled pair: width 3 = ⌈6/2⌉.
        let data = try Generators.circle(n: 6, labels: .alternating, seed: 1)
        let bound = try CurveBounds.circle(data).get().bound
        #expect(bound == 3)
        // Normals (-sin φ, cos φ) for φ = 30°, 90°, 150°, rounded to rationals that keep the same sides.
        let lines: [[Rational]] = [[Rational(-1, 2), Rational(866, 1000)], [-1, 0], [Rational(-1, 2), Rational(-866, 1000)]]
        let layer = Layer(name: "lines", neurons: lines.map { Neuron(dense: $0, bias: 0) })
        let check = SeparationCheck(data: data, layer: layer)
        #expect(check.validFirstLayer)
        #expect(check.occupiedCells == 6)
        #expect(layer.neurons.count == bound)
    }

    @Test("moment-curve points with alternating labels give ⌈(n-1)/d⌉; one exact nudge off the curve removes it")
    func momentCurve() throws {
        for (n, d) in [(21, 4), (10, 1), (30, 3), (7, 6)] {
            let data = try Generators.momentCurve(n: n, dimension: d, labels: .alternating, seed: 1)
            let m = try CurveBounds.momentCurve(data).get()
            #expect(m.labelChanges == n - 1)
            #expect(m.bound == (n - 1 + d - 1) / d)
            guard d > 1 else { continue }  // in d = 1 every point is on t -> t
            var rows = (0 ..< n).map { data.points.point($0) }
            rows[n / 2][d - 1] += Rational(1, BigInt.powerOfTen(40))
            #expect(throws: CurveBounds.Failure.self) { try CurveBounds.momentCurve(dataSet(rows, data.labels)).get() }
        }
    }

    @Test("bound × δ tends to π for n alternating points on the circle (the Ω(1/δ) side)")
    func inverseDelta() throws {
        var previousGap = Double.infinity
        for n in [8, 32, 128, 512] {
            let data = try Generators.circle(n: n, labels: .alternating, seed: 1)
            let bound = try CurveBounds.circle(data).get().bound
            let delta = data.minimumDistance().deltaSquared!.approximation!.squareRoot()
            let gap = abs(Double(bound) * delta - Double.pi)
            #expect(gap < 6.0 / Double(n * n), "n = \(n): bound·δ = \(Double(bound) * delta)")  // n sin(π/n) = π - π³/(6n²) + ...
            #expect(gap < previousGap)
            previousGap = gap
        }
    }

    @Test("a constructed network's first layer is at least every certified bound")
    func upperSide() throws {
        let circle = try Generators.circle(n: 40, labels: .random, seed: 3)
        let curve = try Generators.momentCurve(n: 40, dimension: 3, labels: .random, seed: 3)
        for data in [circle, curve] {
            let best = LowerBoundReport(data: data, neurons: 40).best
            let built = try Rajput2021().construct(data)
            #expect(built.network.layers[0].neurons.count >= best)
            #expect(best > 1)
        }
    }
}

@Suite("Separation check")
struct SeparationCheckTests {
    @Test("codes, cells and pair counts agree with a brute-force exact evaluation")
    func agreesWithBruteForce() {
        var rng = SplitMix64(seed: 7)
        for _ in 0 ..< 60 {
            let d = rng.below(4) + 1, k = rng.below(5) + 1
            let n = d == 1 ? rng.below(10) + 2 : rng.below(40) + 2  // at most 15 distinct values per coordinate
            var rows: [[Rational]] = []
            var seen = Set<[Rational]>()
            while rows.count < n {
                let p = (0 ..< d).map { _ in Rational(rng.below(7) - 3, rng.below(3) + 1) }
                if seen.insert(p).inserted { rows.append(p) }
            }
            let labels = (0 ..< n).map { _ in rng.below(3) }
            let data = dataSet(rows, labels)
            // Hyperplanes through some of the points, so that exact zeros occur.
            let neurons = (0 ..< k).map { _ -> Neuron in
                let w = (0 ..< d).map { _ in Rational(rng.below(5) - 2) }
                let through = rows[rng.below(n)]
                var b = Rational()
                for j in 0 ..< d { b -= w[j] * through[j] }
                return Neuron(dense: w, bias: b)
            }
            let check = SeparationCheck(data: data, layer: Layer(name: "h", neurons: neurons))
            func code(_ p: [Rational]) -> [Bool] {
                neurons.map { neuron in
                    var z = neuron.bias
                    for (k, j) in neuron.indices.enumerated() { z += neuron.weights[k] * p[j] }
                    return z.sign != .negative
                }
            }
            var together = 0, mixed = 0
            for i in 0 ..< n {
                #expect((0 ..< k).map { check.codes.bit($0, of: i) } == code(rows[i]))
                for j in i + 1 ..< n where code(rows[i]) == code(rows[j]) {
                    together += 1
                    if labels[i] != labels[j] { mixed += 1 }
                }
            }
            #expect(check.unseparatedPairs == BigInt(together))
            #expect(check.unseparatedDifferentlyLabeledPairs == BigInt(mixed))
            #expect(check.validFirstLayer == (mixed == 0))
            #expect(check.occupiedCells == Set((0 ..< n).map { code(rows[$0]) }).count)
        }
    }

    @Test("a point exactly on a hyperplane counts as its 1 side, so a pair planted there stays together")
    func plantedOnHyperplane() {
        let data = dataSet([[0, 0], [1, 0], [-1, 0]], [0, 1, 1])
        let layer = Layer(name: "h", neurons: [Neuron(dense: [1, 0], bias: 0)])  // the line x1 = 0
        let check = SeparationCheck(data: data, layer: layer)
        #expect(check.codes.pointsOnHyperplanes == 1)
        #expect(!check.validFirstLayer)
        #expect(check.examples.first.map { [$0.firstLine, $0.secondLine] } == [1, 2])
        #expect(check.unseparatedDifferentlyLabeledPairs == 1)
    }
}

@Suite("Counting bound")
struct CountingBoundTests {
    @Test("1457/536 is an upper bound on e: Σ_{k<=10} 1/k! + 1/(10!·10) > e is below it")
    func eUpper() {
        var sum = Rational(), factorial = BigInt(1)
        for k in 0 ... 10 {
            if k > 0 { factorial *= BigInt(k) }
            sum += Rational(BigInt(1), factorial)
        }
        let tail = Rational(BigInt(1), factorial * 10)  // Σ_{k>10} 1/k! < 1/(10!·10)
        #expect(sum + tail <= CountingBound.eUpper)
        #expect(sum > Rational(2718281, 1_000_000))  // and it is a close bound
    }

    @Test("the least W is exact at its boundary and matches the real-valued formula away from ties")
    func minimumWeights() {
        var rng = SplitMix64(seed: 9)
        for _ in 0 ..< 200 {
            let n = rng.below(5000) + 1, neurons = rng.below(10_000) + 1
            let w = CountingBound.minimumWeights(points: n, neurons: neurons)
            let p = CountingBound.eUpper.numerator * BigInt(neurons), q = CountingBound.eUpper.denominator
            #expect(BigInt.power(p, 2 * w) >= BigInt(1).shiftedLeft(by: n) * BigInt.power(q, 2 * w))
            #expect(w == 0 || BigInt.power(p, 2 * w - 2) < BigInt(1).shiftedLeft(by: n) * BigInt.power(q, 2 * w - 2))
            let real = Double(n) / (2 * log2(1457.0 / 536.0 * Double(neurons)))
            if abs(real - real.rounded()) > 1e-6 { #expect(w == Int(real.rounded(.up))) }
        }
    }
}

@Suite("Region count costs")
struct RegionCostTests {
    @Test("the result-size estimate bounds the true bit length from above")
    func resultBitsBound() {
        var rng = SplitMix64(seed: 9)
        for _ in 0 ..< 300 {
            let k = rng.below(400), d = rng.below(60)
            let exact = RegionCounts.affine(hyperplanes: k, dimension: d)
            #expect(Double(exact.bitLength) <= RegionCounts.resultBits(hyperplanes: k, dimension: d), "k \(k), d \(d)")
        }
    }

    @Test("counts beyond the cap are refused before any work; the inverse stops at 2^62 with the reason")
    func caps() throws {
        #expect(throws: RequestError.self) { try RegionCounts.checkCost(hyperplanes: Int.max, dimension: Int.max) }
        #expect(throws: RequestError.self) { try RegionCounts.checkCost(hyperplanes: 1 << 50, dimension: 1 << 50) }
        try RegionCounts.checkCost(hyperplanes: Int.max, dimension: 1)
        try RegionCounts.checkCost(hyperplanes: 1_000_000, dimension: 10_000)
        #expect(throws: RequestError.self) { try RegionCounts.inverse(target: BigInt(Int.max), dimension: 1, central: false) }
        #expect(try RegionCounts.inverse(target: BigInt(1 << 62) + 1, dimension: 1, central: false) == 1 << 62)
        #expect(try RegionCounts.inverse(target: BigInt(1).shiftedLeft(by: 300), dimension: 400, central: false) == 300)
    }
}
