import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
import WorkSharing

/// Stage A (docs/ARCHITECTURE.md, "Theorem 1, stage by stage"): Gaussian
/// hyperplanes with exact dyadic weights, added until every two differently
/// labeled points get different codes.
///
/// Scale: the hyperplanes are drawn for the data scaled exactly by 2^-e, where
/// R̂ = 2^e is the least power of two >= R, so the scaled data lie in the unit
/// ball whatever the input's scale: w ~ N(0, I_d) and b ~ N(0, 1), each
/// rounded to `precision` fractional bits. The scale is folded back into the
/// weights exactly (w 2^-e, a dyadic rational), so the neuron reads the
/// original data: 1[(w 2^-e)·x + b >= 0] = 1[w·(x/R̂) + b >= 0]. No value is
/// ever formed as a double outside its range, and nothing rounds to 0 for data
/// of tiny or huge scale.
struct HyperplaneStage {
    let data: DataSet
    let precision: Int
    /// True when every point has the same norm: hyperplanes through 0 (b = 0).
    let central: Bool
    /// e = log2 of R̂, the power of two >= R by which the data are scaled.
    let radiusExponent: Int
    /// 2^-e, exact: multiplies every drawn weight.
    let weightScale: Rational
    var rng: SeededRandom
    /// Multiply-adds spent on evaluating drawn hyperplanes (points × hyperplanes × d), against `workCap`.
    var work = 0.0

    /// The most multiply-adds stage A spends evaluating hyperplanes on points
    /// (points × hyperplanes × d, over all draws): about minutes on two cores.
    static let workCap = 4e11

    init(data: DataSet, precision: Int, central: Bool, radiusSquared: Rational, seed: UInt64) {
        self.data = data
        self.precision = precision
        self.central = central
        radiusExponent = HyperplaneStage.exponent(atLeastSquareRootOf: radiusSquared)
        let power = Rational(BigInt(1).shiftedLeft(by: Swift.abs(radiusExponent)))
        weightScale = radiusExponent >= 0 ? Rational(1) / power : power
        rng = SeededRandom(seed: seed, stream: RandomStream.hyperplanes)
    }

    /// The least integer e with 4^e >= r2 (0 when r2 = 0): R̂ = 2^e >= R.
    static func exponent(atLeastSquareRootOf r2: Rational) -> Int {
        if r2.isZero { return 0 }
        func fourPower(_ e: Int) -> Rational {
            e >= 0 ? Rational(BigInt(1).shiftedLeft(by: 2 * e)) : Rational(1) / Rational(BigInt(1).shiftedLeft(by: -2 * e))
        }
        var e = (r2.numerator.bitLength - r2.denominator.bitLength) / 2
        while fourPower(e) < r2 { e += 1 }
        while fourPower(e - 1) >= r2 { e -= 1 }
        return e
    }

    /// One hyperplane for the scaled data: w ~ N(0, I_d), b ~ N(0, 1) (or 0 when
    /// central), each rounded to `precision` fractional bits and stored exactly,
    /// with w multiplied by 2^-e so the neuron reads the original data.
    mutating func draw() -> Neuron {
        let scale = weightScale
        let weights = (0 ..< data.dimension).map { _ in
            Rational(nearestDyadic: rng.gaussian(), fractionalBits: precision) * scale
        }
        let bias = central ? Rational() : Rational(nearestDyadic: rng.gaussian(), fractionalBits: precision)
        return Neuron(dense: weights, bias: bias)
    }

    /// Counts `multiplyAdds` against the cap; throws when the cap is reached.
    mutating func spend(_ multiplyAdds: Double, drawn: Int) throws(RequestError) {
        work += multiplyAdds
        if work > HyperplaneStage.workCap {
            throw RequestError("stage A stopped after \(drawn) random hyperplanes: evaluating them on the points took "
                               + "\(HyperplaneStage.workCap.scientificText()) multiply-adds (points × hyperplanes × d), the cap; "
                               + "differently labeled points this close need many hyperplanes (try a larger --precision)")
        }
    }

    /// Signs (as bits, 1 for w·x + b >= 0) of `neurons` at the points `indices`.
    func bits(of neurons: [Neuron], at indices: [Int]) -> [UInt64] {
        precondition(neurons.count <= 64)
        let compiled = CompiledNetwork(singleLayer: Layer(name: "batch", neurons: neurons), inputDimension: data.dimension)
        let points = data.points
        return Parallel.mapChunks(count: indices.count, chunkSize: 1024) { range -> [UInt64] in
            var evaluator = compiled.makeEvaluator()
            return range.map { k in
                evaluator.evaluateFirstLayer(point: indices[k], in: points)
                var word: UInt64 = 0
                for (t, sign) in evaluator.firstLayerSigns.enumerated() where sign != .negative { word |= 1 << UInt64(t) }
                return word
            }
        }.flatMap { $0 }
    }

    /// Adds hyperplanes until no two differently labeled points share a code.
    /// A drawn hyperplane that splits no remaining mixed class is discarded.
    ///
    /// Only points whose class still mixes labels are evaluated; hyperplanes
    /// are drawn and evaluated 16 at a time and applied in drawing order, so
    /// the result depends on the seed only.
    mutating func adaptive() throws(RequestError) -> (neurons: [Neuron], drawn: Int) {
        var classOf = [Int32](repeating: 0, count: data.count)
        var active = pruneUnmixed(Array(0 ..< data.count), classOf: classOf)
        var kept: [Neuron] = []
        var drawn = 0
        var uselessInARow = 0
        let progress = ProgressMeter("stage A", total: active.count, threshold: 50_000)
        while !active.isEmpty {
            try spend(Double(active.count) * 16 * Double(max(1, data.dimension)), drawn: drawn)
            let batch = (0 ..< 16).map { _ in draw() }
            let words = bits(of: batch, at: active)
            var live = [Bool](repeating: true, count: active.count)
            for (t, neuron) in batch.enumerated() {
                drawn += 1
                // Refine: new class = (old class, bit), over the points still live.
                var remap: [Int64: Int32] = [:]
                var oldClasses = Set<Int32>()
                var newClass = [Int32](repeating: -1, count: active.count)
                for (k, i) in active.enumerated() where live[k] {
                    oldClasses.insert(classOf[i])
                    let key = Int64(classOf[i]) << 1 | Int64((words[k] >> UInt64(t)) & 1)
                    if let id = remap[key] { newClass[k] = id } else {
                        let id = Int32(remap.count)
                        remap[key] = id
                        newClass[k] = id
                    }
                }
                if remap.count == oldClasses.count {
                    uselessInARow += 1
                    if uselessInARow > 20_000 || drawn > 1_000_000 {
                        throw stuck(active.enumerated().filter { live[$0.offset] }.map(\.element), classOf: classOf, drawn: drawn)
                    }
                    continue
                }
                uselessInARow = 0
                kept.append(neuron)
                for (k, i) in active.enumerated() where live[k] { classOf[i] = newClass[k] }
                // Points whose new class is pure need no more hyperplanes.
                var firstLabel: [Int32: Int] = [:]
                var mixed = Set<Int32>()
                for (k, i) in active.enumerated() where live[k] {
                    let c = classOf[i]
                    if let l = firstLabel[c] { if l != data.labels[i] { mixed.insert(c) } } else { firstLabel[c] = data.labels[i] }
                }
                var done = 0
                for (k, i) in active.enumerated() where live[k] && !mixed.contains(classOf[i]) {
                    live[k] = false
                    done += 1
                }
                progress.advance(by: done)
                if mixed.isEmpty { break }
            }
            active = active.enumerated().filter { live[$0.offset] }.map(\.element)
        }
        progress.finish()
        return (kept, drawn)
    }

    /// The points of `active` whose class still holds two different labels.
    func pruneUnmixed(_ active: [Int], classOf: [Int32]) -> [Int] {
        var firstLabel: [Int32: Int] = [:]
        var mixed = Set<Int32>()
        for i in active {
            let c = classOf[i]
            if let l = firstLabel[c] { if l != data.labels[i] { mixed.insert(c) } } else { firstLabel[c] = data.labels[i] }
        }
        return active.filter { mixed.contains(classOf[$0]) }
    }

    func stuck(_ active: [Int], classOf: [Int32], drawn: Int) -> RequestError {
        // Name one pair still sharing a code.
        var byClass: [Int32: Int] = [:]
        for i in active {
            if let j = byClass[classOf[i]], data.labels[j] != data.labels[i] {
                let distance = data.points.squaredDistance(i, j)
                return RequestError("stage A gave up after \(drawn) random hyperplanes: the points on lines \(data.lines[j]) and "
                                    + "\(data.lines[i]) (labels \(data.labels[j]) and \(data.labels[i]), squared distance "
                                    + "\(distance.scientificString())) still share a code; a random hyperplane separates two points at "
                                    + "distance δ·R with probability of order δ, so for points this close try --method baum1988 "
                                    + "(or a larger --precision when δ is above about 2^-precision)")
            }
            byClass[classOf[i]] = i
        }
        return RequestError("stage A gave up after \(drawn) random hyperplanes; try a larger --precision")
    }

    /// k0 random hyperplanes at once, redrawn (up to 20 times) until they separate every differently labeled pair.
    mutating func fixedWidth(_ k0: Int) throws(RequestError) -> (neurons: [Neuron], drawn: Int) {
        var drawn = 0
        for _ in 0 ..< 20 {
            try spend(Double(data.count) * Double(k0) * Double(max(1, data.dimension)), drawn: drawn)
            let neurons = (0 ..< k0).map { _ in draw() }
            drawn += k0
            let codes = PackedCodes(layer: Layer(name: "A", neurons: neurons), points: data.points)
            var labelOf: [[UInt64]: Int] = [:]
            var ok = true
            for i in 0 ..< data.count {
                let code = Array(codes[i * codes.stride ..< (i + 1) * codes.stride])
                if let l = labelOf[code], l != data.labels[i] { ok = false; break }
                labelOf[code] = data.labels[i]
            }
            if ok { return (neurons, drawn) }
        }
        throw RequestError("--width theory: 20 draws of k0 = \(k0) hyperplanes all left some differently labeled pair together")
    }
}
