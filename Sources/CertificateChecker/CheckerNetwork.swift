import ExactArithmetic
import Foundation

/// A network read by the checker from Foundation's JSON tree, evaluated plainly:
/// every neuron's weights and bias scaled to integers by the lcm L of their
/// denominators, every pre-activation summed exactly, no shortcuts.
struct CheckerNetwork {
    struct Neuron {
        var indices: [Int]
        var weights: [BigInt]  // scaled by `scale`
        var bias: BigInt
        var scale: BigInt
    }

    var inputDimension = 0
    var outputBits = 0
    var layers: [[Neuron]] = []
    var neurons = 0, weights = 0, biases = 0, largestWeightBits = 0

    init(path: String) throws(UnreadableInput) {
        guard let root = try CertificateChecker.readJSON(path) as? [String: Any],
              root["format"] as? String == "memcert.network/1",
              let d = (root["inputDimension"] as? NSNumber)?.intValue, let bits = (root["outputBits"] as? NSNumber)?.intValue,
              let layerList = root["layers"] as? [[String: Any]], !layerList.isEmpty else {
            throw UnreadableInput(path, "not a memcert.network/1 file")
        }
        inputDimension = d
        outputBits = bits
        var width = d
        for (l, layer) in layerList.enumerated() {
            guard let list = layer["neurons"] as? [[String: Any]], !list.isEmpty else { throw UnreadableInput(path, "layer \(l) has no neurons") }
            var parsed: [Neuron] = []
            for entry in list {
                guard let w = entry["weights"] as? [String: Any], let indices = (w["indices"] as? [NSNumber])?.map(\.intValue),
                      let texts = w["values"] as? [String], let biasText = entry["bias"] as? String, indices.count == texts.count,
                      let values = try? texts.map({ try Rational(parsing: $0) }), let bias = try? Rational(parsing: biasText) else {
                    throw UnreadableInput(path, "layer \(l): a neuron needs weights {indices, values as strings} and a bias string")
                }
                guard zip(indices, indices.dropFirst()).allSatisfy({ $0 < $1 }), indices.allSatisfy({ $0 >= 0 && $0 < width }) else {
                    throw UnreadableInput(path, "layer \(l): indices must increase and stay below \(width)")
                }
                var scale = bias.denominator
                for v in values where !scale.isMultiple(of: v.denominator) { scale = BigInt.lcm(scale, v.denominator) }
                func scaled(_ v: Rational) -> BigInt { v.numerator * scale.exactQuotient(dividingBy: v.denominator) }
                parsed.append(Neuron(indices: indices, weights: values.map(scaled), bias: scaled(bias), scale: scale))
                neurons += 1
                if !bias.isZero { biases += 1 }
                for v in values where !v.isZero {
                    weights += 1
                    largestWeightBits = max(largestWeightBits, v.numerator.bitLength + v.denominator.bitLength - 1)
                }
            }
            layers.append(parsed)
            width = parsed.count
        }
        guard width == outputBits else { throw UnreadableInput(path, "the last layer has \(width) neurons, outputBits is \(outputBits)") }
    }

    /// Evaluates every point: the first mismatch (point, output) in data order, and per
    /// layer the least |w·h + b| over all points and neurons.
    func evaluateAll(_ data: CheckerData) -> (firstMismatch: (Int, Int)?, margins: [Rational]) {
        let n = data.points.count
        let chunks = min(n, 64)
        let results = Locked([(mismatch: (Int, Int)?, margins: [(BigInt, BigInt)?])](repeating: (nil, []), count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            var mismatch: (Int, Int)?
            // Least |v| / s per layer as an unreduced pair (v, s).
            var best = [(BigInt, BigInt)?](repeating: nil, count: layers.count)
            for i in stride(from: c, to: n, by: chunks) {
                let (x, denominator) = data.points[i]
                var input: [BigInt] = x
                for (l, layer) in layers.enumerated() {
                    var output: [BigInt] = []
                    output.reserveCapacity(layer.count)
                    for neuron in layer {
                        var sum = l == 0 ? neuron.bias * denominator : neuron.bias
                        for (k, j) in neuron.indices.enumerated() { sum += neuron.weights[k] * input[j] }
                        let scale = l == 0 ? neuron.scale * denominator : neuron.scale
                        let magnitude = sum.magnitude
                        if let (v, s) = best[l] {
                            if magnitude * s < v * scale { best[l] = (magnitude, scale) }
                        } else {
                            best[l] = (magnitude, scale)
                        }
                        output.append(sum.sign == .negative ? 0 : 1)
                    }
                    input = output
                }
                var label = 0
                for (j, bit) in input.enumerated() where bit == 1 { label |= 1 << j }
                if label != data.labels[i], mismatch == nil || i < mismatch!.0 { mismatch = (i, label) }
            }
            results.update { $0[c] = (mismatch, best) }
        }
        let all = results.value
        let mismatch = all.compactMap(\.mismatch).min { $0.0 < $1.0 }
        let margins = (0 ..< layers.count).map { l in
            all.compactMap { $0.margins[l] }.map { Rational($0.0, $0.1) }.min() ?? Rational()
        }
        return (mismatch, margins)
    }
}
