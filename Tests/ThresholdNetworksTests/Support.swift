import DataSets
import ExactArithmetic
import TestSupport
import TextFormats
@testable import ThresholdNetworks


/// The plain reference: every layer evaluated with exact rationals, no scaling, no filter, no gates.
/// Each layer's comparison is applied as docs/formats.md says, spelled out here on its own:
/// `>=` fires at z >= 0, `>` at z > 0, `sign` at z > 0 with z = 0 a tie (recorded, output 0).
func referenceOutputs(_ network: Network, _ x: [Rational]) -> (signs: [Sign], label: UInt64, tie: (layer: Int, neuron: Int)?) {
    var input = x
    var firstSigns: [Sign] = []
    var tie: (layer: Int, neuron: Int)?
    for (l, layer) in network.layers.enumerated() {
        var output: [Rational] = []
        for (t, neuron) in layer.neurons.enumerated() {
            var z = neuron.bias
            for (k, j) in neuron.indices.enumerated() { z += neuron.weights[k] * input[j] }
            if l == 0 { firstSigns.append(z.sign) }
            let fires: Bool
            switch layer.comparison {
            case .atLeast: fires = z >= Rational()
            case .greater: fires = z > Rational()
            case .sign:
                fires = z > Rational()
                if z.isZero && tie == nil { tie = (l, t) }
            }
            output.append(fires ? 1 : 0)
        }
        input = output
    }
    var label: UInt64 = 0
    for (j, bit) in input.enumerated() where bit == 1 { label |= 1 << UInt64(j) }
    return (firstSigns, label, tie)
}

/// A random rational of a chosen size class.
func randomRational(_ rng: inout SplitMix64, sizeClass: Int) -> Rational {
    switch sizeClass {
    case 0: return Rational(rng.below(7) - 3)
    case 1: return Rational(Int(Int64(bitPattern: rng.next()) >> 30), 1 << 32)  // dyadic, 32 fractional bits
    case 2: return Rational(Int(Int64(bitPattern: rng.next()) >> 40), Int(rng.next() % 1000) + 1)
    case 3:
        let big = BigInt(Int64(bitPattern: rng.next())) * BigInt(Int64(bitPattern: rng.next())) * BigInt(rng.below(1000) + 1)
        return Rational(big, BigInt(rng.below(1_000_000) + 1))
    default: return Rational(BigInt(Int64(bitPattern: rng.next())), BigInt.powerOfTen(rng.below(25)))
    }
}

/// Parses a network from text, for tests.
func parseNetwork(_ text: String) throws(InputError) -> Network {
    var copy = text
    let result = copy.withUTF8 { bytes in
        Result { () throws(InputError) in try Network.parse(bytes, file: "net.json") }
    }
    return try result.get()
}

/// Evaluates `network` on one point with the compiled evaluator.
func evaluate(_ network: Network, _ x: [Rational]) -> (signs: [Sign], label: UInt64) {
    var points = RationalPoints(dimension: x.count)
    points.append(x)
    var evaluator = CompiledNetwork(network).makeEvaluator()
    evaluator.evaluate(point: 0, in: points)
    return (evaluator.firstLayerSigns, evaluator.label)
}

/// Parses CSV text, for tests.
func parseCSV(_ text: String, file: String = "data.csv") throws(InputError) -> DataSet {
    try DataSet.parseCSV(Array(text.utf8), file: file)
}
