import ExactArithmetic
import IntegerLinearAlgebra
import Testing
import TestSupport
import TextFormats
import ThresholdNetworks
@testable import Constructions
import DataSets

/// Small integer "images" like MNIST's: `side` x `side` pixels in 0...255, the
/// one-pixel border always 0, each class a fixed random stroke drawn with a
/// random shift of up to one pixel and random intensities; distinct points only.
/// Far from general position: the border is constant and pixels near it are rarely lit.
func digitLikeData(count: Int, side: Int, classes: Int, seed: UInt64) -> DataSet {
    var rng = SplitMix64(seed: seed)
    let inner = side - 2
    // A stroke per class: a random walk of pixels inside the border (coordinates 1 ... side-2).
    let strokes: [[(Int, Int)]] = (0 ..< classes).map { _ in
        var (r, c) = (rng.below(inner) + 1, rng.below(inner) + 1)
        var walk: [(Int, Int)] = []
        for _ in 0 ..< side + 2 {
            walk.append((r, c))
            r = min(side - 2, max(1, r + rng.below(3) - 1))
            c = min(side - 2, max(1, c + rng.below(3) - 1))
        }
        return walk
    }
    var seen = Set<[Int64]>()
    var points = RationalPoints(dimension: side * side)
    var labels: [Int] = []
    while labels.count < count {
        let label = rng.below(classes)
        let (dr, dc) = (rng.below(3) - 1, rng.below(3) - 1)
        var image = [Int64](repeating: 0, count: side * side)
        for (r, c) in strokes[label] {
            let (y, x) = (r + dr, c + dc)
            guard y >= 1 && y <= side - 2 && x >= 1 && x <= side - 2 else { continue }
            image[y * side + x] = min(255, image[y * side + x] + Int64(rng.below(156) + 100))
            // A fainter neighbour now and then.
            if rng.below(3) == 0 && x + 1 <= side - 2 {
                image[y * side + x + 1] = min(255, image[y * side + x + 1] + Int64(rng.below(100)))
            }
        }
        guard image.contains(where: { $0 != 0 }), seen.insert(image).inserted else { continue }
        points.append(scaledNumerators: image, denominator: 1)
        labels.append(label)
    }
    return DataSet(points: points, labels: labels, lines: Array(1 ... count))
}

/// The network's output at every point by plain exact evaluation (integer inputs:
/// first-layer sums in BigInt, then one rational comparison per neuron); true when
/// every label is reproduced. Independent of the library's compiled evaluator.
func memorizesIntegerData(_ network: Network, _ data: DataSet) -> Bool {
    for i in 0 ..< data.count {
        let x = data.points.scaledPoint(i)
        precondition(x.denominator == 1, "integer data only")
        var input: [Int] = network.layers[0].neurons.map { neuron in
            var sum = Rational()
            var integerPart = BigInt(0)
            for (k, j) in neuron.indices.enumerated() {
                let w = neuron.weights[k]
                if w.isInteger { integerPart += w.numerator * x.numerators[j] } else { sum += w * Rational(x.numerators[j]) }
            }
            return (sum + Rational(integerPart) + neuron.bias).sign == .negative ? 0 : 1
        }
        for layer in network.layers.dropFirst() {
            input = layer.neurons.map { neuron in
                var z = neuron.bias
                for (k, j) in neuron.indices.enumerated() where input[j] == 1 { z += neuron.weights[k] }
                return z.sign == .negative ? 0 : 1
            }
        }
        var label = 0
        for (j, bit) in input.enumerated() where bit == 1 { label |= 1 << j }
        if label != data.labels[i] { return false }
    }
    return true
}

func quantity(_ result: ConstructionResult, _ key: String) -> JSONValue? {
    result.quantities.first { $0.key == key }?.value
}

@Suite("baum1988 on degenerate and high-dimensional integer data")
struct Baum1988DegenerateTests {
    @Test("points in a low-dimensional affine subspace of R^6: groups of at most its dimension")
    func lowDimensionalHull() throws {
        var rng = SplitMix64(seed: 3)
        // x = base + s u + t v with integer s, t: a plane (hull dimension 2) in R^6.
        let base: [Int64] = [5, -3, 0, 7, 7, 1], u: [Int64] = [1, 2, 0, 0, 3, -1], v: [Int64] = [0, 1, 0, 4, -2, 2]
        var points = RationalPoints(dimension: 6)
        var seen = Set<[Int64]>()
        while points.count < 40 {
            let s = Int64(rng.below(21) - 10), t = Int64(rng.below(21) - 10)
            let x = (0 ..< 6).map { base[$0] + s * u[$0] + t * v[$0] }
            if seen.insert(x).inserted { points.append(scaledNumerators: x, denominator: 1) }
        }
        let data = DataSet(points: points, labels: (0 ..< 40).map { _ in rng.below(3) }, lines: Array(1 ... 40))
        let result = try Baum1988().construct(data)
        #expect(bruteForceMemorizes(result.network, data))
        #expect(quantity(result, "affineHullDimension") == .integer(2))
    }

    @Test("collinear points in R^4, constant and repeated coordinates, one point, two points, all labels 1")
    func smallDegenerate() throws {
        // Collinear: hull dimension 1, so every group is one point.
        let line = dataSet((0 ..< 9).map { t in [Rational(t), Rational(2 * t), Rational(-t), Rational(7)] }, [1, 0, 1, 1, 0, 2, 2, 0, 1])
        let lineResult = try Baum1988().construct(line)
        #expect(bruteForceMemorizes(lineResult.network, line))
        #expect(quantity(lineResult, "affineHullDimension") == .integer(1))
        // A constant coordinate and two equal coordinates in every point.
        var rng = SplitMix64(seed: 4)
        let rows: [[Rational]] = (0 ..< 30).map { k in
            let a = Rational(rng.below(50)), b = Rational(rng.below(50) + 100 * k)
            return [a, a, Rational(3), b, Rational(rng.below(7))]
        }
        let repeated = dataSet(rows, (0 ..< 30).map { _ in rng.below(4) })
        #expect(bruteForceMemorizes(try Baum1988().construct(repeated).network, repeated))
        // One point, two points, and a bit that is 1 everywhere.
        let one = dataSet([[Rational(1), Rational(2)]], [1])
        #expect(bruteForceMemorizes(try Baum1988().construct(one).network, one))
        let two = dataSet([[Rational(1), Rational(2)], [Rational(1), Rational(3)]], [0, 1])
        #expect(bruteForceMemorizes(try Baum1988().construct(two).network, two))
        let allOnes = dataSet((0 ..< 7).map { [Rational($0), Rational($0 * $0)] }, [1, 3, 1, 3, 3, 1, 1])
        #expect(bruteForceMemorizes(try Baum1988().construct(allOnes).network, allOnes))
    }

    @Test("coordinates at and past the word edge (±2^63) take the 128-bit and BigInt paths")
    func wordEdge() throws {
        let edge = BigInt(Int64.max)
        var rng = SplitMix64(seed: 6)
        var rows: [[Rational]] = []
        for k in 0 ..< 24 {
            rows.append((0 ..< 5).map { j in
                switch (k + j) % 4 {
                case 0: return Rational(edge - BigInt(Int64(rng.below(1000))))
                case 1: return Rational(-edge - 1 + BigInt(Int64(rng.below(1000))))  // Int64.min + small
                case 2: return Rational(edge * 4 + BigInt(Int64(rng.below(1000))))  // past a word
                default: return Rational(Int(rng.below(1000)))
                }
            })
        }
        let data = dataSet(rows, (0 ..< 24).map { _ in rng.below(3) })
        let result = try Baum1988().construct(data)
        #expect(bruteForceMemorizes(result.network, data))
    }

    @Test("an integer grid in the plane: lines through two points hold others, so groups split to single points")
    func grid() throws {
        var rng = SplitMix64(seed: 8)
        var points = RationalPoints(dimension: 2)
        for x in 0 ..< 20 { for y in 0 ..< 20 { points.append(scaledNumerators: [Int64(x), Int64(y)], denominator: 1) } }
        let data = DataSet(points: points, labels: (0 ..< 400).map { _ in rng.below(2) }, lines: Array(1 ... 400))
        let result = try Baum1988().construct(data)
        #expect(memorizesIntegerData(result.network, data))
        guard case .number(let splits)? = quantity(result, "splitGroups") else {
            Issue.record("no split count")
            return
        }
        #expect(Int(splits)! > 0)
    }

    @Test("points whose differences are dependent modulo FLINT's prime but not over Q still memorize")
    func primeCoincidence() throws {
        let p = Rational(Int(ModularElimination.prime))
        let rows: [[Rational]] = [[0, 0, 0], [p, 1, 0], [0, 1, 0], [p, 0, 0], [1, 1, 1], [2, 0, 5], [p, 2, 0]]
        let data = dataSet(rows, [1, 1, 1, 0, 0, 1, 0])
        let result = try Baum1988().construct(data)
        #expect(bruteForceMemorizes(result.network, data))
    }

    @Test("digit-like 300 x 100 integer data: exact hyperplanes, memorized (independent evaluation)")
    func digitLike() throws {
        let data = digitLikeData(count: 300, side: 10, classes: 10, seed: 21)
        let result = try Baum1988().construct(data)
        #expect(memorizesIntegerData(result.network, data))
        guard case .number(let hullText)? = quantity(result, "affineHullDimension"), let hull = Int(hullText) else {
            Issue.record("no hull dimension")
            return
        }
        #expect(hull <= 64)  // at most the 8 x 8 inner pixels vary
        // Each class lives on a few pixels, so windows of r points are dependent (cut short or split).
        guard case .number(let splits)? = quantity(result, "splitGroups") else {
            Issue.record("no split count")
            return
        }
        #expect(Int(splits)! > 0)
        // Groups stay near Baum's count for the hull: at most twice ⌈n1/r⌉ + 1 per bit.
        for bit in 0 ..< data.outputBitsNeeded {
            let ones = data.labels.filter { LabelCode.bit(bit, of: $0) == 1 }.count
            guard case .array(let perBit)? = quantity(result, "groups"), case .number(let g) = perBit[bit] else { continue }
            #expect(Int(g)! <= 2 * ((ones + hull - 1) / hull) + 1, "bit \(bit)")
        }
    }
}
