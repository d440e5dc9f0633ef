import ExactArithmetic
import WorkSharing

extension CompiledNetwork {
    /// The least |w·h + b| per layer over all points and all neurons, exactly: how
    /// close the network runs to its thresholds (0 when some neuron sits exactly on one).
    ///
    /// Layer 0: every pre-activation is estimated in doubles with the proven bound E of
    /// `DotProductFilter`; per neuron, with U the least |s| + E, only points with
    /// |s| - E <= U can attain that neuron's minimum, and those are computed exactly. Later layers: the exact
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
    /// `including(i)`, exactly (nil when no point is included); see `firstLayerMinima`.
    public func firstLayerMinimum(_ points: RationalPoints, neurons: Range<Int>,
                                  including: @escaping @Sendable (Int) -> Bool) -> Rational? {
        firstLayerMinima(points, including: { i, t in neurons.contains(t) && including(i) }).compactMap { $0 }.min()
    }
}

extension CompiledNetwork {
    /// For each layer-0 neuron t, the least |w_t·x_i + b_t| over the points i with
    /// `including(i, t)`, exactly (nil when none is included): the filtered two-pass
    /// method of `minimumMargins`, for all neurons in one pass over the points.
    ///
    /// - Complexity: two passes of O(n · k · d) filtered operations, plus exact work
    ///   for the candidates near each neuron's minimum.
    public func firstLayerMinima(_ points: RationalPoints, including: @escaping @Sendable (Int, Int) -> Bool) -> [Rational?] {
        let kernel = first
        let width = kernel.width
        // Pass 1: per neuron, the least upper bound |s| + E.
        let uppers = Parallel.mapChunks(count: points.count, chunkSize: 256) { range -> [Double] in
            var evaluator = makeEvaluator()
            var upper = [Double](repeating: .infinity, count: width)
            for i in range {
                evaluator.estimateFirstLayer(point: i, in: points)
                for t in 0 ..< width where including(i, t) { upper[t] = Swift.min(upper[t], evaluator.estimates[t].high) }
            }
            return upper
        }
        var upper = [Double](repeating: .infinity, count: width)
        for part in uppers { for t in 0 ..< width { upper[t] = Swift.min(upper[t], part[t]) } }
        let thresholds = upper
        // Pass 2: exact values of the candidates.
        let parts = Parallel.mapChunks(count: points.count, chunkSize: 256) { range -> [Rational?] in
            var evaluator = makeEvaluator()
            var best = [Rational?](repeating: nil, count: width)
            for i in range {
                evaluator.estimateFirstLayer(point: i, in: points)
                for t in 0 ..< width where including(i, t) && evaluator.estimates[t].low <= thresholds[t] {
                    let value = kernel.exactValue(t, point: i, in: points).magnitude
                    let margin = Rational(value, kernel.scales[t] * points.scaledPoint(i).denominator)
                    if best[t] == nil || margin < best[t]! { best[t] = margin }
                }
            }
            return best
        }
        return (0 ..< width).map { t in parts.compactMap { $0[t] }.min() }
    }
}
