import ExactArithmetic
import Testing
import TestSupport
@testable import CertificateChecker

/// Weights and coordinates at and around the edges of the word fast paths
/// (Int64, Σ|W| + |B| < 2^63, Int128 products), mixed with small values.
let edgeTexts = ["4611686018427387904", "9223372036854775807", "-9223372036854775807", "9223372036854775808", "-9223372036854775808",
                 "1/9223372036854775807", "3/4611686018427387904", "1000000000000000000000000000001", "4611686018427387903",
                 "-4611686018427387905", "0x1p-70", "1/3"]
let smallTexts = ["0", "1", "-1", "2", "-2", "3", "1/2", "-3/4", "0.25", "5/3", "-7", "1e1"]

/// A random network and data set as text, evaluated independently with the producer's Rationals.
struct RandomCase {
    var network = "", data = ""
    var rows: [[Rational]] = [], labels: [Int] = []
    var layers: [[(indices: [Int], weights: [Rational], bias: Rational)]] = []

    init(_ rng: inout SplitMix64, edges: Bool) {
        func text(_ integral: Bool) -> String {
            if edges && rng.below(4) == 0 { return edgeTexts[rng.below(edgeTexts.count)] }
            let t = smallTexts[rng.below(smallTexts.count)]
            return integral && rng.below(3) > 0 ? String(rng.below(7) - 3) : t
        }
        let d = rng.below(3) + 1
        let depth = rng.below(3) + 1
        var width = d
        var layerTexts: [String] = []
        for l in 0 ..< depth {
            let count = l == depth - 1 ? rng.below(3) + 1 : rng.below(10) + 1
            var neurons: [(indices: [Int], weights: [Rational], bias: Rational)] = [], neuronTexts: [String] = []
            for _ in 0 ..< count {
                let indices = (0 ..< width).filter { _ in rng.below(3) > 0 }
                let values = indices.map { _ in text(l > 0) }, bias = text(l > 0)
                neurons.append((indices, values.map { try! Rational(parsing: $0) }, try! Rational(parsing: bias)))
                let quoted = values.map { rng.below(4) == 0 && !$0.contains("/") && !$0.hasPrefix("0x") ? $0 : "\"\($0)\"" }
                neuronTexts.append("{\"weights\": {\"indices\": [\(indices.map(String.init).joined(separator: ", "))], \"values\": [\(quoted.joined(separator: ", "))]}, \"bias\": \"\(bias)\"}")
            }
            layers.append(neurons)
            layerTexts.append("{\"neurons\": [\(neuronTexts.joined(separator: ", "))]}")
            width = count
        }
        network = "{\"format\": \"memcert.network/1\", \"inputDimension\": \(d), \"outputBits\": \(width), \"layers\": [\(layerTexts.joined(separator: ", "))]}"
        var seen = Set<[Rational]>()
        while rows.count < (d == 1 ? 10 : 25) {
            let texts = (0 ..< d).map { _ in edges && rng.below(5) == 0 ? edgeTexts[rng.below(edgeTexts.count)] : "\(rng.below(9) - 4)/\(rng.below(3) + 1)" }
            let values = texts.map { try! Rational(parsing: $0) }
            if !seen.insert(values).inserted { continue }
            rows.append(values)
            labels.append(rng.below(1 << width))
            data += texts.joined(separator: ",") + ",\(labels.last!)\n"
        }
    }

    /// Outputs and least |z| per layer, plainly.
    func reference() -> (outputs: [Int], margins: [Rational]) {
        var margins = [Rational?](repeating: nil, count: layers.count)
        var outputs: [Int] = []
        for x in rows {
            var h = x
            for (l, layer) in layers.enumerated() {
                h = layer.map { neuron in
                    var z = neuron.bias
                    for (k, j) in neuron.indices.enumerated() { z += neuron.weights[k] * h[j] }
                    let m = z.sign == .negative ? -z : z
                    if margins[l] == nil || m < margins[l]! { margins[l] = m }
                    return z.sign == .negative ? Rational(0) : Rational(1)
                }
            }
            outputs.append(h.enumerated().reduce(0) { $0 | ($1.element.isZero ? 0 : 1 << $1.offset) })
        }
        return (outputs, margins.map { $0! })
    }

    /// The same data labelled with the reference outputs, so that every point is evaluated.
    func relabeled(_ outputs: [Int]) -> String {
        zip(data.split(separator: "\n"), outputs).map { line, output in line.split(separator: ",").dropLast().joined(separator: ",") + ",\(output)" }
            .joined(separator: "\n") + "\n"
    }
}

@Suite("The checker's evaluator against a plain rational evaluation")
struct EvaluatorTests {
    @Test("outputs, first mismatches and least margins agree, with values at every word edge, pushing and pulling alike",
          arguments: [false, true])
    func randomNetworks(edges: Bool) throws {
        var rng = SplitMix64(seed: edges ? 906 : 907)
        for round in 0 ..< 150 {
            let c = RandomCase(&rng, edges: edges)
            let (outputs, margins) = c.reference()
            let net = try readNetwork(c.network).get()
            for relabel in [false, true] {
                let data = try readData(relabel ? c.relabeled(outputs) : c.data).get()
                for strategy in [Evaluator.Strategy.cheaper, .push, .pull] {
                    let result = Evaluator.run(net, data, strategy: strategy)
                    let firstWrong = relabel ? nil : outputs.indices.first { outputs[$0] != c.labels[$0] }
                    #expect(result.mismatch?.point == firstWrong, "round \(round) \(strategy)")
                    if let m = result.mismatch { #expect(Int(m.output) == outputs[m.point], "round \(round)") }
                    if relabel {
                        #expect(result.margins.map { $0.q!.description } == margins.map(\.description), "round \(round) \(strategy)\n\(c.network)")
                    }
                }
            }
        }
    }

    @Test("the exact margin comparison agrees with rational comparison, including 256-bit products")
    func marginOrder() {
        var rng = SplitMix64(seed: 908)
        for _ in 0 ..< 20000 {
            func value() -> UInt128 {
                switch rng.below(4) {
                case 0: return UInt128(rng.below(5))
                case 1: return UInt128(rng.next()) << UInt128(rng.below(63))
                default: return (UInt128(rng.next()) << 62 | UInt128(rng.next() >> 2)) >> UInt128(rng.below(60))
                }
            }
            var margin = Margin()
            var best: Rational?
            for _ in 0 ..< 6 {
                let v = value(), q = max(1, value())
                margin.offer(v, q)
                let r = Rational(BigInt(Int128(v)), BigInt(Int128(q)))
                if best == nil || r < best! { best = r }
            }
            #expect(margin.q!.description == best!.description)
        }
    }
}
