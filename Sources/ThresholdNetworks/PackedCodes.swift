import ExactArithmetic
import WorkSharing

/// The codes of points under one layer of hyperplanes: bit t of point i is
/// 1[w_t·x_i + b_t >= 0] (or the layer's own `Comparison`; a `sign` tie is coded 0
/// and counted in `ties`), decided exactly. Packed in 64-bit words, `stride`
/// words per point.
public struct PackedCodes: Sendable {
    public var words: [UInt64]
    public var stride: Int
    /// Points lying exactly on some hyperplane (pre-activation 0, coded 1).
    public var pointsOnHyperplanes: Int = 0
    /// (point, hyperplane) pairs with pre-activation exactly 0.
    public var zeroSigns: Int = 0
    /// Points with a pre-activation exactly 0 under a `sign` layer: they have no code.
    public var ties: Int = 0

    public init(words: [UInt64], stride: Int) {
        self.words = words
        self.stride = stride
    }

    /// Evaluates `layer` (reading the input) on every point, on all cores.
    ///
    /// - Complexity: O(n · k · d) filtered operations, exact work only near zero.
    public init(layer: Layer, points: RationalPoints) {
        let k = layer.neurons.count
        stride = max(1, (k + 63) / 64)
        guard k > 0 else {
            words = [UInt64](repeating: 0, count: points.count)
            return
        }
        let compiled = CompiledNetwork(singleLayer: layer, inputDimension: points.dimension)
        var words = [UInt64](repeating: 0, count: points.count * stride)
        let stride = self.stride
        let zeros = words.withUnsafeMutableBufferPointer { buffer in
            let out = SharedBuffer(buffer)
            let comparison = layer.comparison
            return Parallel.mapChunks(count: points.count, chunkSize: 512) { range -> (Int, Int, Int) in
                var evaluator = compiled.makeEvaluator()
                var onPlanes = 0, zeroSigns = 0, ties = 0
                for i in range {
                    evaluator.evaluateFirstLayer(point: i, in: points)
                    var zero = false
                    for (t, sign) in evaluator.firstLayerSigns.enumerated() where sign != .negative {
                        if comparison.output(sign) == 1 { out[i * stride + t / 64] |= 1 << UInt64(t % 64) }
                        if sign == .zero {
                            zero = true
                            zeroSigns += 1
                        }
                    }
                    if zero { onPlanes += 1 }
                    if evaluator.tie != nil { ties += 1 }
                }
                return (onPlanes, zeroSigns, ties)
            }
        }
        self.words = words
        pointsOnHyperplanes = zeros.reduce(0) { $0 + $1.0 }
        zeroSigns = zeros.reduce(0) { $0 + $1.1 }
        ties = zeros.reduce(0) { $0 + $1.2 }
    }

    /// The words of point i's code.
    public subscript(range: Range<Int>) -> ArraySlice<UInt64> { words[range] }

    /// The code of point i.
    public func code(_ i: Int) -> ArraySlice<UInt64> { words[i * stride ..< (i + 1) * stride] }

    /// Bit t of point i.
    public func bit(_ t: Int, of i: Int) -> Bool { (words[i * stride + t / 64] >> UInt64(t % 64)) & 1 == 1 }
}
