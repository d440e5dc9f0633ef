import DataSets
import ExactArithmetic
import TextFormats

/// One threshold neuron: h(z) = 1 if w·z + b >= 0 else 0 (docs/ARCHITECTURE.md,
/// "Threshold networks and their sizes").
///
/// Weights are sparse: `indices` are strictly increasing positions in the
/// previous layer and `weights[k]` is the weight at `indices[k]`.
public struct Neuron: Sendable, Equatable {
    public var indices: [Int]
    public var weights: [Rational]
    public var bias: Rational

    public init(indices: [Int], weights: [Rational], bias: Rational) {
        precondition(indices.count == weights.count, "indices and weights differ in length")
        self.indices = indices
        self.weights = weights
        self.bias = bias
    }

    /// A neuron from a dense weight vector (zero weights dropped).
    public init(dense: [Rational], bias: Rational) {
        var indices: [Int] = [], weights: [Rational] = []
        for (i, w) in dense.enumerated() where !w.isZero {
            indices.append(i)
            weights.append(w)
        }
        self.init(indices: indices, weights: weights, bias: bias)
    }

    /// A neuron with integer weights given as (index, weight) pairs in increasing index order.
    public init(terms: [(Int, Int)], bias: Int) {
        self.init(indices: terms.map(\.0), weights: terms.map { Rational($0.1) }, bias: Rational(bias))
    }
}

/// How the neurons of a layer turn their pre-activation z = w·h + b into an output
/// (docs/formats.md, section 4, "Meaning").
///
/// - `atLeast` (`">="`, the default and all that `memcert.network/1` can say): 1[z >= 0];
///   a pre-activation of exactly 0 fires.
/// - `greater` (`">"`): 1[z > 0]; exactly 0 does not fire (ONNX `Greater`, and `Less` after
///   negating the form).
/// - `sign` (`"sign"`): ONNX `Sign(z)` read as a bit, 1 for z > 0 and 0 for z < 0. At z = 0
///   exactly `Sign` outputs 0, which is no bit: the point is a *tie*, the network has no
///   output there, and verification reports the point as a failure naming the layer and
///   neuron. A tie is never resolved silently.
public enum Comparison: String, Sendable, CaseIterable {
    case atLeast = ">="
    case greater = ">"
    case sign = "sign"

    /// The output for a pre-activation of sign `s`, or nil for a tie (`sign` at z = 0).
    @inlinable
    public func output(_ s: Sign) -> Int64? {
        switch s {
        case .positive: return 1
        case .negative: return 0
        case .zero: return self == .atLeast ? 1 : (self == .greater ? 0 : nil)
        }
    }
}

/// A layer of neurons reading the previous layer's outputs (layer 0 reads the input).
public struct Layer: Sendable, Equatable {
    public var name: String
    public var neurons: [Neuron]
    /// How the layer's neurons compare their pre-activation with 0.
    public var comparison: Comparison

    public init(name: String, neurons: [Neuron], comparison: Comparison = .atLeast) {
        self.name = name
        self.neurons = neurons
        self.comparison = comparison
    }
}

/// A feed-forward threshold network: layer l reads only layer l-1's outputs;
/// the last layer's `outputBits` neurons encode the label as Σ o_j 2^j.
public struct Network: Sendable {
    /// The format identifier of networks whose layers all compare with `>=`: what every
    /// network was before layers could choose their comparison, and what the writer still
    /// writes for them (so their files and certificates do not change).
    public static let format = "memcert.network/1"
    /// The format identifier of networks with a layer whose comparison is `>` or `sign`.
    public static let formatWithComparisons = "memcert.network/2"
    /// The format identifiers the reader accepts.
    public static let formats = [format, formatWithComparisons]

    /// The identifier the writer uses: /1 when every layer compares with `>=`, /2 otherwise.
    public var formatIdentifier: String {
        layers.allSatisfy { $0.comparison == .atLeast } ? Network.format : Network.formatWithComparisons
    }
    /// The most output bits a network may have: the label limit of the data sets
    /// (`LabelCode.maximumBits`, 62), so every label fits a machine word.
    public static let maximumOutputBits = LabelCode.maximumBits
    /// The largest input dimension a network file may declare (the format's limit).
    public static let maximumInputDimension = 100_000_000

    public var inputDimension: Int
    public var outputBits: Int
    public var layers: [Layer]
    /// Free-form metadata; ignored by verification.
    public var provenance: JSONValue?

    public init(inputDimension: Int, outputBits: Int, layers: [Layer], provenance: JSONValue? = nil) {
        self.inputDimension = inputDimension
        self.outputBits = outputBits
        self.layers = layers
        self.provenance = provenance
    }

    /// The first structural problem, or nil when the network is well formed:
    /// at least one layer, no empty layer, indices strictly increasing and in
    /// range, and a last layer of `outputBits` neurons.
    public var structuralProblem: String? {
        if inputDimension < 0 { return "negative input dimension" }
        if outputBits < 1 || outputBits > Network.maximumOutputBits {
            return "outputBits must be between 1 and \(Network.maximumOutputBits), found \(outputBits)"
        }
        if layers.isEmpty { return "a network needs at least one layer" }
        var width = inputDimension
        for (l, layer) in layers.enumerated() {
            if layer.neurons.isEmpty { return "layer \(l) (\(layer.name)) has no neurons" }
            for (t, neuron) in layer.neurons.enumerated() {
                var previous = -1
                for index in neuron.indices {
                    if index <= previous { return "layer \(l) neuron \(t): indices are not strictly increasing" }
                    if index >= width {
                        return "layer \(l) neuron \(t): index \(index) is out of range (the previous layer has \(width) outputs)"
                    }
                    previous = index
                }
            }
            width = layer.neurons.count
        }
        if width != outputBits {
            return "the last layer has \(width) neurons but outputBits is \(outputBits)"
        }
        return nil
    }

    /// The widths of the layers.
    public var widths: [Int] { layers.map(\.neurons.count) }
}
