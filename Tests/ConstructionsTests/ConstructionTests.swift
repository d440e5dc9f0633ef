import Foundation
@testable import DataSets
import ExactArithmetic
import Testing
import TestSupport
import TextFormats
import ThresholdNetworks
@testable import Constructions

/// Plain exact evaluation, layer by layer in rationals: an independent check of memorization.
func bruteForceMemorizes(_ network: Network, _ data: DataSet) -> Bool {
    for i in 0 ..< data.count {
        var input = data.points.point(i)
        for layer in network.layers {
            input = layer.neurons.map { neuron in
                var z = neuron.bias
                for (k, j) in neuron.indices.enumerated() { z += neuron.weights[k] * input[j] }
                return z.sign == .negative ? Rational(0) : Rational(1)
            }
        }
        var label = 0
        for (j, bit) in input.enumerated() where bit == 1 { label |= 1 << j }
        if label != data.labels[i] { return false }
    }
    return true
}

func dataSet(_ rows: [[Rational]], _ labels: [Int]) -> DataSet {
    var points = RationalPoints(dimension: rows.first?.count ?? 1)
    for r in rows { points.append(r) }
    return DataSet(points: points, labels: labels, lines: Array(1 ... rows.count))
}

func build(_ data: DataSet, seed: UInt64 = 1, compression: ConstructionOptions.Compression = .auto,
           width: ConstructionOptions.Width = .adaptive, precision: Int = 32,
           minimumDistance: MinimumDistance? = nil) throws -> ConstructionResult {
    var options = ConstructionOptions()
    options.compression = compression
    options.width = width
    options.precision = precision
    options.minimumDistance = minimumDistance
    return try Rajput2021().construct(data, options: options, seed: seed)
}

/// Stage A's layer is dyadic with the requested precision (weights drawn for data scaled by
/// 2^-e carry e more fractional bits when e > 0; `scaleExponent` is e); every later weight and
/// bias is an integer.
func checkWeightKinds(_ network: Network, precision: Int, scaleExponent: Int = 0) {
    let limit = BigInt(1).shiftedLeft(by: precision)
    let weightLimit = BigInt(1).shiftedLeft(by: precision + max(0, scaleExponent))
    for neuron in network.layers[0].neurons where network.layers.count > 1 {
        for w in neuron.weights {
            #expect(w.isDyadic && weightLimit.isMultiple(of: w.denominator), "first-layer weight \(w)")
        }
        #expect(neuron.bias.isDyadic && limit.isMultiple(of: neuron.bias.denominator), "first-layer bias \(neuron.bias)")
    }
    for layer in network.layers.dropFirst() {
        for neuron in layer.neurons {
            #expect(neuron.weights.allSatisfy(\.isInteger) && neuron.bias.isInteger, "layer \(layer.name)")
        }
    }
}

@Suite("rajput2021 construction")
struct ConstructionTests {
    @Test("memorizes generated sphere data across n, d and label schemes (checked by brute force)",
          arguments: [(1, 3, LabelScheme.random), (2, 1, .random), (7, 2, .alternating), (60, 5, .classes(3)),
                      (200, 64, .random), (300, 10, .classes(10)), (400, 3, .random)])
    func memorizesSphereData(n: Int, d: Int, labels: LabelScheme) throws {
        let delta = d == 1 ? Rational(1) : Rational(1, 50)
        let data = try Generators.sphere(SphereRequest(count: n, dimension: d, delta: delta, labels: labels, seed: UInt64(n)))
        let result = try build(data)
        #expect(result.verification.memorized)
        #expect(bruteForceMemorizes(result.network, data))
        checkWeightKinds(result.network, precision: 32)
    }

    @Test("several thousand points in close pairs at distance about δ, multi-class")
    func thousands() throws {
        let data = try Generators.sphere(SphereRequest(count: 3000, dimension: 8, delta: Rational(1, 20), labels: .classes(5),
                                                       seed: 3, layout: .pairs))
        let result = try build(data)
        let verification = try Verifier.verify(result.network, on: data)
        #expect(verification.memorized && verification.pointCount == 3000)
        #expect(result.network.outputBits == 3)
        checkWeightKinds(result.network, precision: 32)
    }

    @Test("all labels equal: a constant network")
    func constantLabels() throws {
        let data = dataSet([[1, 2], [3, 4], [5, 7]], [5, 5, 5])
        let result = try build(data)
        #expect(result.network.layers.count == 1)
        #expect(bruteForceMemorizes(result.network, data))
    }

    @Test("points exactly δ apart on a lattice, d = 1 and d = 2, with duplicates merged")
    func latticeAndDuplicates() throws {
        // 1-D: 0, 1/7, 2/7, ... with alternating labels: every neighbour pair must be split.
        let line = dataSet((0 ..< 40).map { [Rational($0, 7)] }, (0 ..< 40).map { $0 % 2 })
        let r1 = try build(line)
        #expect(bruteForceMemorizes(r1.network, line))
        // 2-D grid with spacing exactly 1/4 and random labels, read from CSV with repeated rows.
        var rng = SplitMix64(seed: 9)
        var text = ""
        for x in 0 ..< 12 {
            for y in 0 ..< 12 {
                let label = rng.below(2)
                text += "\(Rational(x, 4)),\(Rational(y, 4)),\(label)\n"
                if (x + y) % 5 == 0 { text += "\(Double(x) / 4),\(Double(y) / 4),\(label)\n" }  // same point, decimal form
            }
        }
        let grid = try parseCSV(text)
        #expect(grid.mergedDuplicates > 0 && grid.count == 144)
        let r2 = try build(grid)
        #expect(bruteForceMemorizes(r2.network, grid))
        #expect(r2.minimumDistance?.deltaSquared == Rational(1, 16) / Rational(121, 8))  // (1/4)² / R², R² = 2 (11/4)²
    }

    @Test("close pairs need many hyperplanes, and stage A keeps adding them until the pairs split")
    func closePairs() throws {
        // Pairs on the unit circle 0.02 apart in angle (exact rational points), opposite labels: a
        // central hyperplane splits one pair with probability 0.02/π, so hundreds must be drawn.
        var rows: [[Rational]] = []
        var labels: [Int] = []
        for i in 0 ..< 20 {
            for (j, shift) in [0.0, 0.02].enumerated() {
                let t = Rational(nearestDyadic: tan((Double(i) * 0.15 + shift) / 2), fractionalBits: 50)
                let q = Rational(1) + t * t
                rows.append([(Rational(1) - t * t) / q, (t + t) / q])
                labels.append(j)
            }
        }
        let data = dataSet(rows, labels)
        let result = try build(data)
        #expect(bruteForceMemorizes(result.network, data))
        let k = result.network.layers[0].neurons.count
        #expect(k >= 10)
        guard case .number(let text) = result.quantities.first(where: { $0.key == "drawnHyperplanes" })!.value,
              let drawn = Int(text) else {
            Issue.record("no drawn count")
            return
        }
        #expect(drawn > 100 && drawn > k)  // most drawn hyperplanes split no remaining pair and were discarded
    }

    @Test("compression none and auto also memorize; theory width uses k0 = ⌈2π ln n / δ⌉")
    func options() throws {
        let data = try Generators.sphere(SphereRequest(count: 150, dimension: 4, delta: Rational(1, 5), seed: 4))
        for compression in ConstructionOptions.Compression.allCases {
            let result = try build(data, compression: compression)
            #expect(bruteForceMemorizes(result.network, data), "\(compression)")
        }
        let theory = try build(data, width: .theory)
        let delta = theory.minimumDistance!.deltaSquared!.approximation!.squareRoot()
        let k0 = Int((2 * Double.pi * log(150.0) / delta).rounded(.up))
        #expect(theory.network.layers[0].neurons.count == k0)
        #expect(bruteForceMemorizes(theory.network, data))
        let coarse = try build(data, precision: 4)
        checkWeightKinds(coarse.network, precision: 4)
    }

    @Test("same seed, same bytes; another seed, another network, both verified")
    func determinism() throws {
        let data = try Generators.sphere(SphereRequest(count: 300, dimension: 6, delta: Rational(1, 10), seed: 5))
        let a = try build(data, seed: 11), b = try build(data, seed: 11), c = try build(data, seed: 12)
        #expect(a.network.jsonBytes() == b.network.jsonBytes())
        #expect(a.network.jsonBytes() != c.network.jsonBytes())
        #expect(a.verification.memorized && c.verification.memorized)
        #expect(bruteForceMemorizes(c.network, data))
    }

    @Test("the √n shape: quadrupling n about doubles the neurons of stages C and D")
    func squareRootShape() throws {
        func stageCD(_ n: Int) throws -> Int {
            let data = try Generators.sphere(SphereRequest(count: n, dimension: 16, delta: Rational(1, 20), seed: 6))
            let result = try build(data)
            return result.stages.filter { $0.stage == "C" || $0.stage == "D" }.reduce(0) { $0 + $1.counts.neurons }
        }
        let small = try stageCD(1000), large = try stageCD(4000)
        let ratio = Double(large) / Double(small)
        #expect(ratio > 1.6 && ratio < 2.5, "C+D neurons \(small) -> \(large), ratio \(ratio)")
    }
}

@Suite("rajput2021 at any scale, with total edge computations")
struct ScaleAndEdgeTests {
    /// The same eight points, scaled exactly by 2^e.
    func scaledData(_ e: Int) -> DataSet {
        let rows: [[Int]] = [[0, 0], [3, 1], [1, 4], [5, 5], [2, 7], [6, 2], [4, 3], [7, 6]]
        let power = Rational(BigInt(1).shiftedLeft(by: abs(e)))
        let factor = e >= 0 ? power : Rational(1) / power
        return dataSet(rows.map { $0.map { Rational($0) * factor } }, [0, 1, 0, 1, 1, 0, 0, 1])
    }

    @Test("at 2^-200 ... 2^200 the network is the unit-scale one with its first-layer weights times 2^-e, and memorizes",
          arguments: [-200, -40, 40, 200])
    func scaleFolding(_ e: Int) throws {
        let unit = try Rajput2021().construct(scaledData(0), seed: 3)
        let scaled = try Rajput2021().construct(scaledData(e), seed: 3)
        #expect(bruteForceMemorizes(scaled.network, scaledData(e)))
        let power = Rational(BigInt(1).shiftedLeft(by: abs(e)))
        let factor = e >= 0 ? Rational(1) / power : power
        let a = unit.network.layers[0].neurons, b = scaled.network.layers[0].neurons
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) {
            #expect(x.indices == y.indices && x.bias == y.bias)
            #expect(zip(x.weights, y.weights).allSatisfy { $0 * factor == $1 })
        }
        #expect(Array(unit.network.layers.dropFirst()) == Array(scaled.network.layers.dropFirst()))
    }

    @Test("k0 is a checked value: an integer, too large (null) beyond 10^15 or below 2^-1000, unknown without δ")
    func theoryWidth() {
        func distance(_ d2: Rational?) -> MinimumDistance {
            MinimumDistance(radiusSquared: 1, minimumSquaredDistance: d2, closestPair: nil, skipped: d2 == nil ? "skipped" : nil,
                            onCentredSphere: false)
        }
        if case .value(let k) = Rajput2021.TheoryWidth(pointCount: 1000, minimumDistance: distance(Rational(1, 400))) {
            #expect(k == Int((2 * Double.pi * log(1000.0) / 0.05).rounded(.up)))
        } else {
            Issue.record("k0 for δ = 0.05 is an integer")
        }
        let huge = Rajput2021.TheoryWidth(pointCount: 3, minimumDistance: distance(Rational(1, BigInt.powerOfTen(40))))
        if case .tooLarge = huge {} else { Issue.record("δ = 1e-20 gives k0 above 10^15") }
        #expect(huge.json == .null && huge.note.contains("too large"))
        let tiny = Rajput2021.TheoryWidth(pointCount: 3, minimumDistance: distance(Rational(1, BigInt.powerOfTen(400))))
        if case .tooLarge = tiny {} else { Issue.record("δ² = 1e-400 is below the range of doubles") }
        if case .unknown = Rajput2021.TheoryWidth(pointCount: 3, minimumDistance: distance(nil)) {} else { Issue.record("no δ") }
    }

    @Test("Vershynin's exponent prints at any size")
    func vershyninText() {
        #expect(Comparison.scientific(2, plus: 3) == "103")
        #expect(Comparison.scientific(143.9, plus: 10) == "7.94e+143")
        #expect(Comparison.scientific(4.34e19, plus: 1) == "10^(4.34e+19)")
        #expect(Comparison.scientific(.infinity, plus: 1) == "10^(inf)")
    }
}
