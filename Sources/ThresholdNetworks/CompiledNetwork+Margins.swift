import ExactArithmetic
import WorkSharing

extension CompiledNetwork {
    /// The least |w·h + b| per layer over all points and all neurons, exactly: how
    /// close the network runs to its thresholds (0 when some neuron sits exactly on one).
    ///
    /// Layer 0: every pre-activation is estimated in doubles with the proven bound E of
    /// `DotProductFilter`; with U the least |s| + E, only pairs with |s| - E <= U can
    /// attain the minimum, and those are computed exactly. Later layers: the exact
    /// scaled integers of every neuron (gates ignored) on the outputs of the layer
    /// before, over the neuron's scale; a layer stops being scanned once its minimum is 0.
    ///
    /// - Complexity: one evaluation per point plus, per layer whose minimum is above 0,
    ///   all its weights per point.
    public func minimumMargins(on points: RationalPoints) -> [Rational] {
        precondition(points.dimension == inputDimension, "dimension mismatch")
        var margins = [firstLayerMargin(points)]
        if later.isEmpty { return margins }
        let parts = Parallel.mapChunks(count: points.count, chunkSize: 256) { range -> [Rational?] in
            var evaluator = makeEvaluator()
            var best = [Rational?](repeating: nil, count: later.count)
            for i in range {
                if best.allSatisfy({ $0 != nil && $0!.isZero }) { break }
                evaluator.evaluate(point: i, in: points)
                for l in 0 ..< later.count where !(best[l]?.isZero ?? false) {
                    let input = evaluator.outputs(ofLayer: l)
                    input.withUnsafeBufferPointer { bits in
                        for t in 0 ..< later[l].width {
                            let margin = later[l].margin(of: t, input: bits)
                            if best[l] == nil || margin < best[l]! { best[l] = margin }
                        }
                    }
                }
            }
            return best
        }
        for l in 0 ..< later.count {
            margins.append(parts.compactMap { $0[l] }.min() ?? Rational())
        }
        return margins
    }

    /// The least |w·x + b| over all points and neurons of layer 0.
    func firstLayerMargin(_ points: RationalPoints) -> Rational {
        firstLayerMinimum(points, neurons: 0 ..< first.width, including: { _ in true }) ?? Rational()
    }

    /// The least |w_t·x_i + b_t| over layer-0 neurons t in `neurons` and points i with
    /// `including(i)`, exactly (nil when no point is included); see `minimumMargins`.
    public func firstLayerMinimum(_ points: RationalPoints, neurons: Range<Int>,
                                  including: @escaping @Sendable (Int) -> Bool) -> Rational? {
        let kernel = first
        // Pass 1: the least upper bound |s| + E, and pass 2: the candidates and their exact values.
        func scan(threshold: Double?) -> (upper: Double, exact: Rational?) {
            let parts = Parallel.mapChunks(count: points.count, chunkSize: 512) { range -> (Double, Rational?) in
                var x = [Double](repeating: 0, count: kernel.dimension)
                var upper = Double.infinity
                var best: Rational?
                for i in range where including(i) {
                    let maxAbs = x.withUnsafeMutableBufferPointer { points.approximate(i, into: $0) }
                    for t in neurons {
                        var lo = 0.0, hi = Double.infinity
                        if let maxAbs, kernel.filterable[t] {
                            var s = kernel.biasLanes[t / 4][t % 4]
                            for j in 0 ..< kernel.dimension { s += kernel.weightLanes[j * kernel.blocks + t / 4][t % 4] * x[j] }
                            let e = kernel.filter.bound(weightNorm: kernel.weightNorms[t], inputMaxAbs: maxAbs,
                                                        biasMagnitude: kernel.biasMagnitudes[t])
                            lo = Swift.abs(s) - e
                            hi = Swift.abs(s) + e
                        }
                        upper = Swift.min(upper, hi)
                        if let threshold, lo <= threshold {
                            let value = kernel.exactValue(t, point: i, in: points).magnitude
                            let margin = Rational(value, kernel.scales[t] * points.scaledPoint(i).denominator)
                            if best == nil || margin < best! { best = margin }
                        }
                    }
                }
                return (upper, best)
            }
            return (parts.map(\.0).min() ?? .infinity, parts.compactMap(\.1).min())
        }
        let upper = scan(threshold: nil).upper
        return scan(threshold: upper.isFinite ? upper : .infinity).exact
    }
}
