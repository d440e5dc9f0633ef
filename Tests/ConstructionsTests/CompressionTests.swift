import Foundation
@testable import DataSets
import ExactArithmetic
import Testing
import TestSupport
import TextFormats
import ThresholdNetworks
@testable import Constructions

// MARK: - An independent plain evaluator

/// Plain exact evaluation of every neuron on every point, written for these tests and
/// sharing nothing with the library's evaluator (no filter, no gates, no shared rows):
/// layer 0 as integer dot products (weights and point scaled to integers; Int128 with
/// overflow checks, BigInt past them), later layers as integer sums pushed from the inputs
/// that are 1 (Int64 when a layer's weights and biases cannot overflow, BigInt otherwise).
/// Returns the lines of the points whose output differs from their label.
func plainMismatches(_ network: Network, _ data: DataSet) -> [Int] {
    // Layer 0, scaled to integers.
    let first = network.layers[0].neurons.map { neuron -> (indices: [Int], weights: [BigInt], bias: BigInt) in
        let scale = Rational.commonDenominator(of: neuron.weights + [neuron.bias])
        return (neuron.indices, neuron.weights.map { $0.scaled(by: scale) }, neuron.bias.scaled(by: scale))
    }
    // Later layers, by input: out[j] lists (neuron, weight) for every neuron reading input j.
    struct PushLayer {
        var biases: [BigInt]
        var out: [[(neuron: Int, weight: BigInt)]]
        var small: (biases: [Int64], out: [[(neuron: Int, weight: Int64)]])?
    }
    var width = network.layers[0].neurons.count
    let later = network.layers.dropFirst().map { layer -> PushLayer in
        var out = [[(neuron: Int, weight: BigInt)]](repeating: [], count: width)
        var biases: [BigInt] = []
        var fits = true
        for (t, neuron) in layer.neurons.enumerated() {
            let scale = Rational.commonDenominator(of: neuron.weights + [neuron.bias])
            var total = neuron.bias.scaled(by: scale).magnitude
            for (k, j) in neuron.indices.enumerated() {
                let w = neuron.weights[k].scaled(by: scale)
                out[j].append((t, w))
                total += w.magnitude
            }
            biases.append(neuron.bias.scaled(by: scale))
            if total >= BigInt(1).shiftedLeft(by: 62) { fits = false }
        }
        width = layer.neurons.count
        let small = fits ? (biases.map { $0.int64Value! }, out.map { $0.map { ($0.neuron, $0.weight.int64Value!) } }) : nil
        return PushLayer(biases: biases, out: out, small: small)
    }
    var wrong: [Int] = []
    for i in 0 ..< data.count {
        let point = data.points.scaledPoint(i)  // x = numerators / denominator, denominator > 0
        var input: [Bool] = first.map { r in
            // sign(W·X + B·D), in Int128 while nothing overflows
            if let b = r.bias.int128Value, let d = point.denominator.int128Value {
                var (sum, overflow) = b.multipliedReportingOverflow(by: d)
                for (k, j) in r.indices.enumerated() where !overflow {
                    guard let w = r.weights[k].int128Value, let x = point.numerators[j].int128Value else { overflow = true; break }
                    let (p, o1) = w.multipliedReportingOverflow(by: x)
                    let (s, o2) = sum.addingReportingOverflow(p)
                    (sum, overflow) = (s, o1 || o2)
                }
                if !overflow { return sum >= 0 }
            }
            var z = r.bias * point.denominator
            for (k, j) in r.indices.enumerated() { z += r.weights[k] * point.numerators[j] }
            return z.sign != .negative
        }
        for layer in later {
            if let small = layer.small {
                var sums = small.biases
                for (j, on) in input.enumerated() where on { for (t, w) in small.out[j] { sums[t] += w } }
                input = sums.map { $0 >= 0 }
            } else {
                var sums = layer.biases
                for (j, on) in input.enumerated() where on { for (t, w) in layer.out[j] { sums[t] += w } }
                input = sums.map { $0.sign != .negative }
            }
        }
        var label = 0
        for (j, bit) in input.enumerated() where bit { label |= 1 << j }
        if label != data.labels[i] { wrong.append(data.lines[i]) }
    }
    return wrong
}

// MARK: - Instances

/// The data's radius without its minimum distance, which these tests do not need (the
/// exact all-pairs search is slow in debug builds).
func withoutDelta(_ data: DataSet) -> MinimumDistance {
    let (r2, onSphere) = data.count > 0 ? data.radius() : (Rational(), true)
    return MinimumDistance(radiusSquared: r2, minimumSquaredDistance: nil, closestPair: nil,
                           skipped: "not computed by this test", onCentredSphere: onSphere)
}

/// `build` without computing δ.
func quickBuild(_ data: DataSet, _ compression: ConstructionOptions.Compression) throws -> ConstructionResult {
    try build(data, compression: compression, minimumDistance: withoutDelta(data))
}

/// Points i/7 on a line with labels from `rng`: every neighbour pair may need its own hyperplane.
func lineData(n: Int, classes: Int, seed: UInt64) -> DataSet {
    var rng = SplitMix64(seed: seed)
    return dataSet((0 ..< n).map { [Rational($0, 7)] }, (0 ..< n).map { _ in rng.below(classes) })
}

/// Sizes drawn from a seeded generator: n log-uniform in 1...3000 (instance i of `count` in
/// the i-th of `count` equal slices of log n, so the sample spans the range), d uniform in
/// 1...64, 2 to 16 classes, either sphere layout (points on a line when d = 1).
func sampledInstances(count: Int, seed: UInt64) -> [(name: String, make: @Sendable () throws -> DataSet)] {
    var rng = SplitMix64(seed: seed)
    return (0 ..< count).map { i in
        let u = (Double(i) + Double(rng.next() >> 11) / Double(1 << 53)) / Double(count)
        let n = min(3000, max(1, Int((pow(3000, u)).rounded())))
        let d = 1 + rng.below(64), classes = 2 + rng.below(15)
        let pairs = rng.below(2) == 1
        let instanceSeed = 100 + UInt64(i)
        let name = "sampled n = \(n), d = \(d), \(classes) classes" + (d == 1 ? " on a line" : pairs ? ", close pairs" : "")
        if d == 1 { return (name, { lineData(n: n, classes: classes, seed: instanceSeed) }) }
        // δ small enough that random placement is quick: 1/n on the circle, 1/50 above.
        let delta = d == 2 ? Rational(1, max(10, n)) : Rational(1, 50)
        return (name, {
            try Generators.sphere(SphereRequest(count: n, dimension: d, delta: delta, labels: .classes(classes), seed: instanceSeed,
                                                layout: pairs ? .pairs : .uniform))
        })
    }
}

/// The seeded sample of sizes, dimensions and labels every compression is checked on: fixed
/// corners (n = 1, n = 3000, d = 1, d = 64, one label, lines, close pairs), then sampled sizes.
let compressionInstances = fixedInstances + sampledInstances(count: 8, seed: 2021)

let fixedInstances: [(name: String, make: @Sendable () throws -> DataSet)] = [
    ("n = 1, d = 1", { dataSet([[Rational(3, 2)]], [1]) }),
    ("n = 2, d = 64", { try Generators.sphere(SphereRequest(count: 2, dimension: 64, delta: Rational(1, 2), seed: 21)) }),
    ("n = 3, d = 3, all labels equal", { dataSet([[1, 2, 3], [3, 4, 5], [5, 7, 9]], [6, 6, 6]) }),
    ("n = 7, d = 2, alternating", {
        try Generators.sphere(SphereRequest(count: 7, dimension: 2, delta: Rational(1, 5), labels: .alternating, seed: 22)) }),
    ("n = 60, d = 5, 3 classes", {
        try Generators.sphere(SphereRequest(count: 60, dimension: 5, delta: Rational(1, 20), labels: .classes(3), seed: 23)) }),
    ("n = 250, d = 1, 4 classes on a line", { lineData(n: 250, classes: 4, seed: 24) }),
    ("n = 400, d = 64, 10 classes", {
        try Generators.sphere(SphereRequest(count: 400, dimension: 64, delta: Rational(1, 20), labels: .classes(10), seed: 25)) }),
    ("n = 1200, d = 3, close pairs, 2 classes", {
        try Generators.sphere(SphereRequest(count: 1200, dimension: 3, delta: Rational(1, 50), labels: .classes(2), seed: 26,
                                            layout: .pairs)) }),
    ("n = 3000, d = 16, close pairs, random labels", {
        try Generators.sphere(SphereRequest(count: 3000, dimension: 16, delta: Rational(1, 10), seed: 27, layout: .pairs)) }),
    ("n = 3000, d = 64, 7 classes", {
        try Generators.sphere(SphereRequest(count: 3000, dimension: 64, delta: Rational(1, 10), labels: .classes(7), seed: 28)) }),
]

/// e with 2^(e-1) < R <= 2^e for the data's radius R > 0 (0 when R = 0): stage A draws for the
/// data scaled by 2^-e.
func radiusExponent(_ data: DataSet) -> Int {
    let r2 = data.count > 0 ? data.radius().squared : Rational()
    guard r2.sign == .positive else { return 0 }
    var e = 0
    func fourTo(_ e: Int) -> Rational {  // 4^e, exact
        let p = Rational(BigInt(1).shiftedLeft(by: 2 * abs(e)))
        return e >= 0 ? p : Rational(1) / p
    }
    while fourTo(e) < r2 { e += 1 }
    while fourTo(e - 1) >= r2 { e -= 1 }
    return e
}

// MARK: - Tests

@Suite("rajput2021 key stages: gf2, hash, none, auto")
struct CompressionTests {
    @Test("the sampled sizes cover n up to 3000, d up to 64 and several classes")
    func sampleCoverage() throws {
        let sampled = sampledInstances(count: 8, seed: 2021)
        #expect(sampled.map(\.name) == compressionInstances.suffix(8).map(\.name))
        let sets = try sampled.map { try $0.make() }
        #expect(sets.allSatisfy { (1 ... 3000).contains($0.count) && (1 ... 64).contains($0.dimension) })
        #expect(sets.contains { $0.distinctLabelCount > 2 })
    }

    @Test("every compression memorizes, checked by the exact verifier and an independent plain evaluator",
          arguments: compressionInstances.indices)
    func everyCompressionMemorizes(instance: Int) throws {
        let (name, make) = compressionInstances[instance]
        let data = try make()
        for compression in ConstructionOptions.Compression.allCases {
            let result = try quickBuild(data, compression)
            // Checked twice, by the exact verifier (`construct` throws unless it memorizes) and by
            // the plain evaluator above, on every point.
            #expect(result.verification.memorized && result.verification.pointCount == data.count, "\(name), \(compression)")
            #expect(plainMismatches(result.network, data).isEmpty, "\(name), \(compression)")
            checkWeightKinds(result.network, precision: 32, scaleExponent: radiusExponent(data))
            if data.distinctLabelCount > 1 {
                let chosen = result.quantities.first { $0.key == "compression" }?.value
                #expect(compression == .auto || chosen == .string(compression.rawValue), "\(name), \(compression)")
            }
        }
    }

    @Test("duplicated rows, read from CSV, and a close pair on the circle with every compression")
    func duplicatesAndClosePairs() throws {
        var text = ""
        var rng = SplitMix64(seed: 31)
        for i in 0 ..< 90 {
            let row = "\(Rational(i % 30, 4)),\(Rational(i % 7, 3)),\((i % 30 + i % 7) % 3)\n"
            text += row
            if rng.below(3) == 0 { text += row }
        }
        let data = try parseCSV(text)
        #expect(data.mergedDuplicates > 0)
        // Two points about 2^-8 apart on the unit circle with different labels, among others.
        var rows: [[Rational]] = [], labels: [Int] = []
        for (i, t) in [Rational(1, 3), Rational(1, 3) + Rational(1, 256), Rational(-2, 5), Rational(7, 9)].enumerated() {
            let q = Rational(1) + t * t
            rows.append([(Rational(1) - t * t) / q, (t + t) / q])
            labels.append(i % 2)
        }
        let pair = dataSet(rows, labels)
        for compression in ConstructionOptions.Compression.allCases {
            for set in [data, pair] {
                let result = try build(set, compression: compression)
                #expect(plainMismatches(result.network, set).isEmpty, "\(compression)")
            }
        }
    }

    @Test("the plain evaluator can fail: a flipped output bias is caught")
    func evaluatorCanFail() throws {
        let data = try compressionInstances[4].make()
        var network = try quickBuild(data, .hash).network
        let last = network.layers.count - 1
        network.layers[last].neurons[0].bias = network.layers[last].neurons[0].bias + Rational(1)
        #expect(!plainMismatches(network, data).isEmpty)
    }

    @Test("auto keeps the candidate with the fewest neurons, then weights, then weight bits")
    func autoKeepsTheSmallest() throws {
        for instance in [4, 7, 8] {
            let data = try compressionInstances[instance].make()
            let auto = try quickBuild(data, .auto)
            var built: [(ConstructionOptions.Compression, NetworkCounts)] = []
            for compression in [ConstructionOptions.Compression.hash, .none, .gf2] {
                built.append((compression, try quickBuild(data, compression).network.counts))
            }
            let best = built.min { a, b in
                (a.1.neurons, a.1.weights, a.1.totalWeightBits) < (b.1.neurons, b.1.weights, b.1.totalWeightBits)
            }!
            let c = auto.network.counts
            #expect((c.neurons, c.weights, c.totalWeightBits) == (best.1.neurons, best.1.weights, best.1.totalWeightBits))
            guard case .array(let candidates)? = auto.quantities.first(where: { $0.key == "candidates" })?.value else {
                Issue.record("auto reports no candidates")
                continue
            }
            #expect(candidates.count == 3)
            // Every candidate that was built reports the counts of the same variant built alone.
            for case .object(let members) in candidates {
                let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
                guard case .string(let name)? = fields["compression"],
                      let variant = built.first(where: { $0.0.rawValue == name }) else { continue }
                if let neurons = fields["neurons"] { #expect(neurons == .integer(variant.1.neurons), "\(name)") }
            }
        }
    }

    @Test("one layer of t thermometer neurons gives the parity of t bits as an alternating sum (all inputs, t <= 9)")
    func parityLayer() {
        for t in 1 ... 9 {
            let stage = ParityStage(rows: [Array(0 ..< t), [0]])
            for x in 0 ..< (1 << t) {
                let bits = (0 ..< t).map { (x >> $0) & 1 }
                let fired: [Int]
                if let layer = stage.layers.first {
                    fired = layer.neurons.map { n in
                        let z = n.indices.enumerated().reduce(n.bias) { $0 + n.weights[$1.offset] * Rational(bits[$1.element]) }
                        return z.sign == .negative ? 0 : 1
                    }
                } else {
                    fired = bits
                }
                let z = stage.outputs[0].terms.reduce(0) { $0 + $1.weight * fired[$1.index] }
                #expect(z == x.nonzeroBitCount % 2, "t = \(t), x = \(x)")
                #expect(stage.outputs[1].terms.reduce(0) { $0 + $1.weight * fired[$1.index] } == bits[0])
            }
            #expect((stage.layers.first?.neurons.count ?? 0) == (t == 1 ? 0 : t + 1))
        }
    }

    @Test("sparse GF(2) rows: w ones each, every column used ⌊mw/k⌋ or ⌈mw/k⌉ times")
    func sparseRows() {
        var rng = SeededRandom(seed: 5, stream: 99)
        for (k, m, w) in [(10, 4, 3), (375, 36, 11), (40, 22, 2), (7, 6, 7)] {
            let rows = ParityStage.sparseRows(k: k, m: m, weight: w, rng: &rng)
            #expect(rows.count == m && rows.allSatisfy { Set($0).count == w && $0 == $0.sorted() })
            var uses = [Int](repeating: 0, count: k)
            for row in rows { for p in row { uses[p] += 1 } }
            #expect(uses.max()! - uses.min()! <= 1, "k \(k) m \(m) w \(w): \(uses)")
        }
    }

    @Test("hash keys are Σ w_t c_t with 1 <= w_t < 2^b, distinct on the classes")
    func hashKeys() throws {
        let data = try compressionInstances[8].make()
        let result = try quickBuild(data, .hash)
        let k = result.network.layers[0].neurons.count
        let codes = PackedCodes(layer: result.network.layers[0], points: data.points)
        let classes = try KeyClasses(codes: codes, labels: data.labels, bitCount: k)
        let hashed = try HashedKeys.draw(k: k, classCodes: classes.codes, seed: 1)
        #expect(Set(hashed.keys).count == classes.count)
        #expect(hashed.weights.allSatisfy { $0 >= 1 && $0 < 1 << UInt64(hashed.weightBits) })
        for c in stride(from: 0, to: classes.count, by: 97) {
            var key = BigInt(0)
            for t in 0 ..< k where classes.codes.bit(t, of: c) { key += BigInt(hashed.weights[t]) }
            #expect(key == hashed.keys[c])
        }
        // b is about 2 log2 N: the weights have O(log n) bits.
        #expect(hashed.weightBits <= 2 * (Int.bitWidth - classes.count.leadingZeroBitCount) + 5)
    }

    @Test("the position key separates the differently labeled classes of every block and nothing else is needed")
    func positionKey() throws {
        let data = try compressionInstances[8].make()
        let result = try quickBuild(data, .hash)
        let k = result.network.layers[0].neurons.count
        let codes = PackedCodes(layer: result.network.layers[0], points: data.points)
        let classes = try KeyClasses(codes: codes, labels: data.labels, bitCount: k)
        let order = Array(0 ..< classes.count)  // any order: blocks of 50 consecutive classes
        let blocks = stride(from: 0, to: classes.count, by: 50).map { $0 ..< min(classes.count, $0 + 50) }
        let key = try PositionKey(order: order, blocks: blocks, values: classes.codes, labels: classes.labels, count: k, seed: 3)
        #expect(PositionKey.separates(key.values, order: order, blocks: blocks, labels: classes.labels))
        #expect(key.carriers.count < k)
        for range in blocks {
            for a in range {
                for b in range where a < b && classes.labels[a] != classes.labels[b] { #expect(key.values[a] != key.values[b]) }
            }
        }
        // A key that merges a differently labeled pair is refused.
        var merged = key.values
        let block = blocks[0]
        if let a = block.first, let b = block.first(where: { classes.labels[$0] != classes.labels[a] }) {
            merged[b] = merged[a]
            #expect(!PositionKey.separates(merged, order: order, blocks: blocks, labels: classes.labels))
        } else {
            Issue.record("the first block has one label")
        }
    }

    @Test("sizes: fewer neurons than one per point on close pairs, and the circle bound in the first layer")
    func sizes() throws {
        // The demo's data: 3000 points on S^15 in close pairs at δ = 0.1.
        let demo = try Generators.sphere(SphereRequest(count: 3000, dimension: 16, delta: Rational(1, 10), seed: 1, layout: .pairs))
        let result = try quickBuild(demo, .auto)
        #expect(result.network.counts.neurons < 3000, "\(result.network.counts.neurons) neurons")
        // Alternating labels on a circle: the first layer needs n/2 hyperplanes, and stage A keeps exactly that many.
        let circle = try Generators.circle(n: 200, labels: .alternating, seed: 13)
        let ring = try quickBuild(circle, .auto)
        #expect(ring.network.layers[0].neurons.count == 100)
        #expect(plainMismatches(ring.network, circle).isEmpty)
    }
}
