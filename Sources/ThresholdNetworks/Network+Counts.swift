import ExactArithmetic
import TextFormats

/// The size measures of docs/ARCHITECTURE.md, "Threshold networks and their sizes".
public struct NetworkCounts: Sendable, Equatable {
    /// All neurons, hidden and output.
    public var neurons: Int
    /// Nonzero weights (edges).
    public var weights: Int
    /// Nonzero biases.
    public var biases: Int
    /// Number of layers.
    public var depth: Int
    /// The largest `Rational.bitSize` of a nonzero weight.
    public var largestWeightBits: Int
    /// The sum of `Rational.bitSize` over all nonzero weights.
    public var totalWeightBits: Int
    /// The largest `Rational.bitSize` of a bias.
    public var largestBiasBits: Int
    /// Width of the first layer.
    public var firstLayerWidth: Int

    public init(neurons: Int, weights: Int, biases: Int, depth: Int, largestWeightBits: Int,
                totalWeightBits: Int, largestBiasBits: Int, firstLayerWidth: Int) {
        self.neurons = neurons
        self.weights = weights
        self.biases = biases
        self.depth = depth
        self.largestWeightBits = largestWeightBits
        self.totalWeightBits = totalWeightBits
        self.largestBiasBits = largestBiasBits
        self.firstLayerWidth = firstLayerWidth
    }

    /// Zero counts, to add layers to.
    public static let zero = NetworkCounts(neurons: 0, weights: 0, biases: 0, depth: 0, largestWeightBits: 0,
                                           totalWeightBits: 0, largestBiasBits: 0, firstLayerWidth: 0)
}

extension Layer {
    /// Counts of this layer alone (depth 1).
    public var counts: NetworkCounts {
        var c = NetworkCounts.zero
        c.depth = 1
        c.neurons = neurons.count
        c.firstLayerWidth = neurons.count
        for neuron in neurons {
            if !neuron.bias.isZero {
                c.biases += 1
                c.largestBiasBits = max(c.largestBiasBits, neuron.bias.bitSize)
            }
            for w in neuron.weights where !w.isZero {
                let bits = w.bitSize
                c.weights += 1
                c.totalWeightBits += bits
                c.largestWeightBits = max(c.largestWeightBits, bits)
            }
        }
        return c
    }
}

extension NetworkCounts {
    /// The counts of two consecutive parts of a network.
    public func followed(by next: NetworkCounts) -> NetworkCounts {
        NetworkCounts(neurons: neurons + next.neurons, weights: weights + next.weights, biases: biases + next.biases,
                      depth: depth + next.depth, largestWeightBits: max(largestWeightBits, next.largestWeightBits),
                      totalWeightBits: totalWeightBits + next.totalWeightBits,
                      largestBiasBits: max(largestBiasBits, next.largestBiasBits),
                      firstLayerWidth: depth == 0 ? next.firstLayerWidth : firstLayerWidth)
    }
}

extension Network {
    /// Neurons, nonzero weights and biases, depth and weight sizes.
    public var counts: NetworkCounts {
        layers.reduce(NetworkCounts.zero) { $0.followed(by: $1.counts) }
    }
}

// MARK: - Output

extension NetworkCounts {
    /// The counts as a JSON object.
    public func json(widths: [Int]) -> JSONValue {
        var o = JSONObjectBuilder()
        o.add("neurons", .integer(neurons))
        o.add("weights", .integer(weights))
        o.add("biases", .integer(biases))
        o.add("depth", .integer(depth))
        o.add("largestWeightBits", .integer(largestWeightBits))
        o.add("totalWeightBits", .integer(totalWeightBits))
        o.add("largestBiasBits", .integer(largestBiasBits))
        o.add("widths", .array(widths.map { .integer($0) }))
        return o.value
    }

    /// One line: depth, neurons, weights, biases, weight sizes.
    public var summary: String {
        "depth \(depth), \(neurons) neurons, \(weights) weights, \(biases) nonzero biases, "
            + "largest weight \(largestWeightBits) bits, \(totalWeightBits) weight bits in all"
    }
}
