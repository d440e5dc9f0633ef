import Synchronization

// MARK: - Plain exact evaluation of every neuron on every point
//
// No filters, no gates, no shared rows: every pre-activation of every neuron is
// computed exactly, on both cores.
// - NetworkLayer 0 reads x = a / D: z_t = (Σ W_k a_k + B D) / (L_t D). For small neurons
//   and small points the numerator is summed in Int128 with wrapping operations;
//   that is safe because |W_k| < 2^63 with Σ|W_k| + |B| < 2^63 (NetworkReader) and
//   |a_k|, D <= 2^63, so every partial sum is below 2^126 in magnitude.
// - Later layers read bits. Their Int64 sums cannot overflow: every partial sum
//   is B plus a subset of the W_k, below Σ|W_k| + |B| < 2^63 in magnitude. A point
//   either *pushes*, from each input that is 1, its weights into the neurons that
//   read it (a transposed copy of the layer), or *pulls* each neuron's sum along
//   its own row, whichever touches fewer weights. Pulling pays off through gates:
//   input g is a gate of neuron t when W_g > 0 and U = B + Σ_{k≠g} max(W_k, 0) < 0;
//   then h_g = 0 forces z <= U < 0, so t outputs 0 and need not be summed. Gated
//   neurons are skipped only once the layer's least margin is 0 (nothing about
//   their |z| can matter any more), so every margin is still exact. Small neurons
//   with identical rows (indices and scaled weights) share one pushed sum, to which
//   each adds its own bias; the bound above holds for each of them.
// - Anything else (big points, big neurons) is summed with GMP.
// The least |z| per layer is kept exactly (`Margin`).
// Each layer applies its comparison to the exact sign of z (`LayerComparison`); for
// integer sums, z > 0 is z - 1 >= 0. A neuron of a "sign" layer with z = 0 is a tie:
// the point fails (the least such neuron of the first layer that has one is named).

/// The least |z| seen in a layer, as an exact fraction v / q.
struct Margin: Sendable {
    enum Value: Sendable {
        case none
        case small(v: UInt128, q: UInt128)
        case big(Q)
    }
    var value = Value.none
    var isZero: Bool {
        switch value {
        case .none: return false
        case .small(let v, _): return v == 0
        case .big(let q): return q.isZero
        }
    }

    var q: Q? {
        switch value {
        case .none: return nil
        case .small(let v, let q): return Q(Z(Int128(v)), Z(Int128(q)))
        case .big(let q): return q
        }
    }

    /// Offers v / q (q > 0, both < 2^127).
    @inline(__always)
    mutating func offer(_ v: UInt128, _ q: UInt128) {
        switch value {
        case .none: value = .small(v: v, q: q)
        case .small(let cv, let cq):
            if cv == 0 { return }
            if v == 0 { value = .small(v: 0, q: 1); return }
            // v/q < cv/cq  ⟺  v·cq < cv·q. With b(x) the bit length, 2^(b(x)+b(y)-2) <= x·y < 2^(b(x)+b(y)),
            // so the bit lengths decide unless their sums are within 1; then compare the 256-bit products.
            let left = v.bitWidth * 2 - v.leadingZeroBitCount - cq.leadingZeroBitCount
            let right = cv.bitWidth * 2 - cv.leadingZeroBitCount - q.leadingZeroBitCount
            if left <= right - 2 { value = .small(v: v, q: q); return }
            if left >= right + 2 { return }
            let a = v.multipliedFullWidth(by: cq), b = cv.multipliedFullWidth(by: q)
            if a.high < b.high || (a.high == b.high && a.low < b.low) { value = .small(v: v, q: q) }
        case .big:
            offer(Q(Z(Int128(v)), Z(Int128(q))))
        }
    }

    mutating func offer(_ candidate: Q) {
        if let current = q, !(candidate < current) { return }
        value = .big(candidate)
    }

    mutating func merge(_ other: Margin) {
        switch other.value {
        case .none: return
        case .small(let v, let q): offer(v, q)
        case .big(let q): offer(q)
        }
    }
}

/// Memory owned here and read without bounds checks in the hot loops. Every index
/// used with it was validated when the files were read (indices below the previous
/// layer's width, rows of d + 1 values).
final class Owned<T>: @unchecked Sendable {
    let p: UnsafeMutableBufferPointer<T>
    init(_ values: [T]) {
        p = .allocate(capacity: max(1, values.count))
        _ = p.initialize(from: values)
    }
    deinit { p.deallocate() }
}

/// A layer after the first, ready for pushing and pulling.
final class LaterLayer: Sendable {
    let width: Int
    let comparison: LayerComparison
    let biases: Owned<Int64>, scales: Owned<Int64>
    // By neuron (pull): neuron t reads entries starts[t] ..< starts[t + 1].
    let starts: Owned<Int>, indices: Owned<Int32>, weights: Owned<Int64>
    // By input (push): input j feeds entries pushStarts[j] ..< pushStarts[j + 1] of the distinct rows
    // of small neurons; rowOf[t] is small neuron t's row.
    let pushStarts: Owned<Int>, targets: Owned<Int32>, pushWeights: Owned<Int64>
    let rowOf: Owned<Int32>, rowCount: Int
    /// Neurons without a gate (big neurons included), and per input the small neurons it gates.
    let ungated: [Int32], ungatedCost: Int
    let gatedStarts: Owned<Int>, gated: Owned<Int32>, gatedCost: Owned<Int>
    let big: [Int: (weights: [Z], bias: Z, scale: Z)]
    /// True when every small neuron has L_t = 1 (its margin is then |z| itself).
    let integral: Bool

    init(_ layer: NetworkLayer, inputWidth: Int) {
        width = layer.width
        comparison = layer.comparison
        big = layer.big
        biases = Owned(layer.biases)
        scales = Owned(layer.scales)
        starts = Owned(layer.starts)
        indices = Owned(layer.indices)
        weights = Owned(layer.weights)
        integral = (0 ..< layer.width).allSatisfy { layer.big[$0] != nil || layer.scales[$0] == 1 }
        // Distinct rows of the small neurons; each small neuron's gate (its largest positive weight, if a gate).
        var rows: [[Int64]: Int32] = [:]
        var rowOf = [Int32](repeating: -1, count: layer.width), representatives: [Int] = []
        var gateOf = [Int](repeating: -1, count: layer.width)
        var gatedCount = [Int](repeating: 0, count: inputWidth + 1)
        for t in 0 ..< layer.width where layer.big[t] == nil {
            var key: [Int64] = []
            var positive: Int64 = 0, largest: Int64 = 0, gate = -1
            for e in layer.starts[t] ..< layer.starts[t + 1] {
                key.append(Int64(layer.indices[e]))
                key.append(layer.weights[e])
                let w = layer.weights[e]
                if w > 0 {
                    positive += w  // <= Σ|W| < 2^63 (NetworkReader)
                    if w > largest { (largest, gate) = (w, Int(layer.indices[e])) }
                }
            }
            if let r = rows[key] { rowOf[t] = r } else {
                rowOf[t] = Int32(representatives.count)
                rows[key] = rowOf[t]
                representatives.append(t)
            }
            if gate >= 0 && layer.biases[t] + (positive - largest) < 0 {
                gateOf[t] = gate
                gatedCount[gate + 1] += 1
            }
        }
        var pushCount = [Int](repeating: 0, count: inputWidth + 1)
        for t in representatives {
            for e in layer.starts[t] ..< layer.starts[t + 1] { pushCount[Int(layer.indices[e]) + 1] += 1 }
        }
        for j in 0 ..< inputWidth {
            pushCount[j + 1] += pushCount[j]
            gatedCount[j + 1] += gatedCount[j]
        }
        var pushFill = pushCount, gatedFill = gatedCount
        var targets = [Int32](repeating: 0, count: pushCount[inputWidth]), pushWeights = [Int64](repeating: 0, count: pushCount[inputWidth])
        for (r, t) in representatives.enumerated() {
            for e in layer.starts[t] ..< layer.starts[t + 1] {
                let j = Int(layer.indices[e])
                targets[pushFill[j]] = Int32(r)
                pushWeights[pushFill[j]] = layer.weights[e]
                pushFill[j] += 1
            }
        }
        var gated = [Int32](repeating: 0, count: gatedCount[inputWidth]), gatedCost = [Int](repeating: 0, count: inputWidth)
        var ungated: [Int32] = [], ungatedCost = 0
        for t in 0 ..< layer.width {
            let fanIn = layer.starts[t + 1] - layer.starts[t]
            if gateOf[t] >= 0 {
                gated[gatedFill[gateOf[t]]] = Int32(t)
                gatedFill[gateOf[t]] += 1
                gatedCost[gateOf[t]] += fanIn
            } else {
                ungated.append(Int32(t))
                ungatedCost += fanIn
            }
        }
        self.rowOf = Owned(rowOf)
        rowCount = representatives.count
        pushStarts = Owned(pushCount)
        self.targets = Owned(targets)
        self.pushWeights = Owned(pushWeights)
        self.ungated = ungated
        self.ungatedCost = ungatedCost
        gatedStarts = Owned(gatedCount)
        self.gated = Owned(gated)
        self.gatedCost = Owned(gatedCost)
    }

    /// z_t by pulling along neuron t's row (small neurons), exact in Int64.
    @inline(__always)
    func pull(_ t: Int, _ bits: UnsafeMutableBufferPointer<UInt8>) -> Int64 {
        var z = biases.p[t]
        for e in starts.p[t] ..< starts.p[t + 1] { z &+= weights.p[e] &* Int64(bits[Int(indices.p[e])]) }
        return z
    }

    /// z_t of a big neuron with GMP, as |z| / L_t and the sign of z (-1, 0 or 1).
    func pullBig(_ t: Int, _ bits: UnsafeMutableBufferPointer<UInt8>) -> (Q, Int) {
        let (w, b, scale) = big[t]!
        var z = b
        for (k, e) in (starts.p[t] ..< starts.p[t + 1]).enumerated() where bits[Int(indices.p[e])] == 1 { z = z + w[k] }
        return (Q(z.magnitude, scale), z.signum)
    }
}

struct Evaluation: Sendable {
    /// The first point (by index) whose output differs from its label, with that output, or
    /// where a "sign" layer ties (then `tie` names the layer and its least tied neuron).
    var mismatch: (point: Int, output: Int64, tie: (layer: Int, neuron: Int)?)?
    var margins: [Margin]
}

enum Evaluator {
    /// How later layers are summed: the cheaper way per point (the default), or, for tests
    /// that compare the two ways, always pushing or always pulling when pulling is allowed.
    enum Strategy: Sendable { case cheaper, push, pull }

    static func run(_ net: NetworkModel, _ data: LabeledPoints, progress: Progress? = nil, strategy: Strategy = .cheaper) -> Evaluation {
        let later = (1 ..< max(1, net.layers.count)).map { LaterLayer(net.layers[$0], inputWidth: net.layers[$0 - 1].width) }
        let n = data.count
        let chunk = 1024
        let tasks = (n + chunk - 1) / chunk
        let firstMismatch = Atomic<Int>(Int.max)
        let parts = Workers.map(tasks) { c -> Evaluation in
            let range = c * chunk ..< min(n, (c + 1) * chunk)
            if range.lowerBound > firstMismatch.load(ordering: .relaxed) { return Evaluation(mismatch: nil, margins: []) }
            let result = data.rows.withUnsafeBufferPointer { evaluate(net.layers[0], later, data, $0, range, strategy) }
            if let m = result.mismatch { firstMismatch.min(m.point, ordering: .relaxed) }
            progress?.advance(range.count)
            return result
        }
        var total = Evaluation(mismatch: nil, margins: Array(repeating: Margin(), count: net.layers.count))
        for part in parts {
            if let m = part.mismatch, total.mismatch == nil || m.point < total.mismatch!.point { total.mismatch = m }
            for (l, margin) in part.margins.enumerated() { total.margins[l].merge(margin) }
        }
        return total
    }

    static func evaluate(_ first: NetworkLayer, _ later: [LaterLayer], _ data: LabeledPoints, _ rows: UnsafeBufferPointer<Int64>,
                         _ range: Range<Int>, _ strategy: Strategy) -> Evaluation {
        let depth = later.count + 1
        let w = data.dimension + 1
        var margins = Array(repeating: Margin(), count: depth)
        let widths = [first.width] + later.map(\.width)
        // Scratch per layer: output bits, and the list of outputs that are 1.
        let bits = widths.map { Owned([UInt8](repeating: 0, count: $0)) }
        let ones = widths.map { Owned([Int32](repeating: 0, count: $0)) }
        var onesCount = [Int](repeating: 0, count: depth)
        let firstComparison = first.comparison
        let acc = Owned([Int64](repeating: 0, count: widths.max()!))
        let firstStarts = Owned(first.starts), firstIndices = Owned(first.indices), firstWeights = Owned(first.weights)
        let firstBiases = Owned(first.biases), firstScales = Owned(first.scales)
        let firstHasBig = !first.big.isEmpty
        for i in range {
            // NetworkLayer 0.
            var count = 0
            var tied = Int.max
            let bigPoint = data.big.isEmpty ? nil : data.big[i]
            for t in 0 ..< first.width {
                let fires: Bool
                if bigPoint == nil && (!firstHasBig || first.big[t] == nil) {
                    let base = i * w, d = rows[base]
                    var s = Int128(firstBiases.p[t]) &* Int128(d)
                    for e in firstStarts.p[t] ..< firstStarts.p[t + 1] {
                        s = s &+ Int128(firstWeights.p[e]) &* Int128(rows[base + 1 + Int(firstIndices.p[e])])
                    }
                    let (f, tie) = firstComparison.decide(s > 0 ? 1 : (s < 0 ? -1 : 0))
                    fires = f
                    if tie { tied = min(tied, t) }
                    if !margins[0].isZero { margins[0].offer(s.magnitude, UInt128(firstScales.p[t]) * UInt128(d)) }
                } else {
                    let row = data.exactRow(i)
                    let (weights, bias, scale) = first.big[t] ?? ((first.starts[t] ..< first.starts[t + 1]).map { Z(first.weights[$0]) },
                                                                  Z(first.biases[t]), Z(first.scales[t]))
                    var s = bias * row[0]
                    for (k, e) in (first.starts[t] ..< first.starts[t + 1]).enumerated() { s = s + weights[k] * row[1 + Int(first.indices[e])] }
                    let (f, tie) = firstComparison.decide(s.signum)
                    fires = f
                    if tie { tied = min(tied, t) }
                    if !margins[0].isZero { margins[0].offer(Q(s.magnitude, scale * row[0])) }
                }
                bits[0].p[t] = fires ? 1 : 0
                if fires {
                    ones[0].p[count] = Int32(t)
                    count += 1
                }
            }
            onesCount[0] = count
            if tied != Int.max { return Evaluation(mismatch: (i, 0, (0, tied)), margins: margins) }
            // Later layers.
            for l in 1 ..< depth {
                let layer = later[l - 1]
                let comparison = layer.comparison
                let strict: Int64 = comparison == .atLeast ? 0 : 1  // z > 0 is z - 1 >= 0 for integers (|z| < 2^63 - 1)
                let signs = comparison == .sign
                let input = bits[l - 1].p, active = UnsafeBufferPointer(rebasing: ones[l - 1].p[0 ..< onesCount[l - 1]])
                let out = bits[l].p, outOnes = ones[l].p
                var count = 0
                var pulling = false
                if margins[l].isZero && strategy != .push {
                    var pullCost = layer.ungatedCost, pushCost = 0
                    for j in active {
                        pullCost += layer.gatedCost.p[Int(j)]
                        pushCost += layer.pushStarts.p[Int(j) + 1] - layer.pushStarts.p[Int(j)]
                    }
                    pulling = pullCost < pushCost || strategy == .pull
                }
                if pulling {
                    // Only ungated neurons and those whose gate is 1; the rest output 0 (z <= U < 0).
                    out.update(repeating: 0)
                    func evaluate(_ t: Int) {
                        let s = layer.big[t] == nil ? Int(layer.pull(t, input).signum()) : layer.pullBig(t, input).1
                        let (fires, tie) = comparison.decide(s)
                        if tie { tied = min(tied, t) }
                        if fires {
                            out[t] = 1
                            outOnes[count] = Int32(t)
                            count += 1
                        }
                    }
                    for t in layer.ungated { evaluate(Int(t)) }
                    for j in active {
                        for e in layer.gatedStarts.p[Int(j)] ..< layer.gatedStarts.p[Int(j) + 1] { evaluate(Int(layer.gated.p[e])) }
                    }
                } else {
                    let a = acc.p
                    for r in 0 ..< layer.rowCount { a[r] = 0 }
                    for j in active {
                        for e in layer.pushStarts.p[Int(j)] ..< layer.pushStarts.p[Int(j) + 1] {
                            a[Int(layer.targets.p[e])] &+= layer.pushWeights.p[e]
                        }
                    }
                    let track = !margins[l].isZero
                    if layer.big.isEmpty && !track {
                        // The common case, kept tight: small neurons only, margin already 0.
                        for t in 0 ..< layer.width {
                            let z = a[Int(layer.rowOf.p[t])] &+ layer.biases.p[t]
                            let fires = z &- strict >= 0
                            if signs && z == 0 { tied = min(tied, t) }
                            out[t] = fires ? 1 : 0
                            outOnes[count] = Int32(t)
                            count += fires ? 1 : 0
                        }
                    } else {
                        var least = Int64.max
                        for t in 0 ..< layer.width {
                            let fires: Bool
                            if layer.big.isEmpty || layer.big[t] == nil {
                                let z = a[Int(layer.rowOf.p[t])] &+ layer.biases.p[t]
                                fires = z &- strict >= 0
                                if signs && z == 0 { tied = min(tied, t) }
                                if track {
                                    if layer.integral { least = min(least, Int64(z.magnitude)) } else {
                                        margins[l].offer(UInt128(z.magnitude), UInt128(layer.scales.p[t]))
                                    }
                                }
                            } else {
                                let (margin, sign) = layer.pullBig(t, input)
                                let (f, tie) = comparison.decide(sign)
                                fires = f
                                if tie { tied = min(tied, t) }
                                if track { margins[l].offer(margin) }
                            }
                            out[t] = fires ? 1 : 0
                            outOnes[count] = Int32(t)
                            count += fires ? 1 : 0
                        }
                        if track && least != Int64.max { margins[l].offer(UInt128(least), 1) }
                    }
                }
                onesCount[l] = count
                if tied != Int.max { return Evaluation(mismatch: (i, 0, (l, tied)), margins: margins) }
            }
            var output: Int64 = 0
            for j in ones[depth - 1].p[0 ..< onesCount[depth - 1]] { output |= 1 << Int64(j) }
            if output != data.labels[i] { return Evaluation(mismatch: (i, output, nil), margins: margins) }
        }
        return Evaluation(mismatch: nil, margins: margins)
    }
}
