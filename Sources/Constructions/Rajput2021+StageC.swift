import ExactArithmetic
import TextFormats
import ThresholdNetworks

/// Stage C (docs/ARCHITECTURE.md, "Theorem 1, stage by stage", with the changes
/// noted below): blocks of s consecutive classes in the order of the integer key
/// u = Σ_r v_r z_r (over 0/1 carriers z_r: the GF(2) bits with v_r = 2^r, or the code
/// bits themselves with hashed or binary weights), and a position thermometer inside
/// each block. Stage D (`MemorizeStage`) reads it.
///
/// Layers:
/// - C1 `block-thresholds`: a_j = 1[u - t_j >= 0] for j >= 2 (t_j: first key of
///   block j; a_1 = 1 is folded into biases), and the position carriers y_i (a carrier
///   z_r copied, or a half-space Σ ±z_r >= θ; `PositionKey`).
/// - C2 `block-indicators`: e_j = 1[a_j - a_{j+1} - 1 >= 0], and copies of the y_i.
/// - C3 `positions`: q_l = 1[p - Σ_j T_l(j) e_j >= 0] for l >= 2, where
///   p = Σ_i ω_i y_i is the position key, T_l(j) the l-th smallest position key in
///   block j (one above every position key when the block has fewer), and copies of e.
///
/// Differences from the paper's realisation (same function, same Õ sizes):
/// - The thermometer reads the one-hot e_j in a layer of its own instead of the
///   telescoping form in the a_j next to e_j: one more layer, the same weights, and
///   sparse inputs.
/// - The thermometer compares a position key p, not u: p only has to tell apart the
///   differently labeled classes inside one block (classes of one label may share a
///   position), so it reads a few position carriers, chosen greedily, and only those
///   are copied through C2 (usually far fewer than the k code bits).
struct BlockStage {
    /// C1, C2 and C3.
    var layers: [Layer] = []
    /// s, the classes per block (the last block may hold fewer), and the number of blocks.
    var blockSize = 0
    var blockCount = 0
    /// The label at each position of each block, positions in increasing position key.
    var positionLabels: [[Int]] = []
    /// Where the copy of e_j sits in C3: neuron `indicatorCopies + j`.
    var indicatorCopies = 0
    /// The position carriers (C1 computes them, C2 copies them), and the bits of the
    /// position key's weights.
    var positionCarriers: [PositionKey.Carrier] = []
    var positionWeightBits = 0

    /// The block size s that minimizes the neuron count 3B + s + L·B of stages C and D
    /// (without carrier copies) for N classes in B = ⌈N/s⌉ blocks and L label bits:
    /// about √((3 + L) N), so Θ(√N) as in the paper. The smallest such s.
    ///
    /// - Complexity: O(√N).
    static func blockSize(classes n: Int, labelBits: Int) -> Int {
        guard n > 1 else { return 1 }
        let perBlock = 3 + labelBits
        func cost(_ s: Int) -> Int { perBlock * ((n + s - 1) / s) + s }
        let guess = Int((Double(perBlock) * Double(n)).squareRoot())
        var best = 1, bestCost = cost(1)
        for s in max(1, guess / 2) ... min(n, 2 * guess + 2) where cost(s) < bestCost {
            best = s
            bestCost = cost(s)
        }
        return best
    }

    /// - Parameters:
    ///   - z: the carriers, 0/1 forms over the previous layer.
    ///   - keyWeights: v_r, the key's weight on carrier r (u = Σ_r v_r z_r).
    ///   - keys: the key of each class (u at the class's code), all distinct.
    ///   - carrierValues: each class's carrier values (bit r of class c is z_r at c).
    ///   - classLabels: each class's label.
    ///   - blockSize: s (at least 1).
    ///   - seed: for the position key's weights.
    /// - Throws: `InternalError` when a promise of the key stage fails (equal keys).
    init(z: [BitForm], keyWeights: [BigInt], keys: [BigInt], carrierValues: PackedCodes, classLabels: [Int],
         blockSize size: Int, seed: UInt64) throws(InternalError) {
        precondition(z.count == keyWeights.count && keys.count == classLabels.count && size >= 1)
        let n = keys.count
        blockSize = size
        let blocks = (n + size - 1) / size
        blockCount = blocks
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        let blockRanges = (0 ..< blocks).map { $0 * size ..< min(n, ($0 + 1) * size) }
        for j in blockRanges.indices.dropFirst() where keys[order[blockRanges[j].lowerBound - 1]] == keys[order[blockRanges[j].lowerBound]] {
            throw InternalError("stage C: two key classes share a key")
        }

        // The position key p, then each block's positions.
        let positionKey = try PositionKey(order: order, blocks: blockRanges, values: carrierValues, labels: classLabels,
                                          count: z.count, seed: seed)
        let carriers = positionKey.carriers
        positionCarriers = carriers
        positionWeightBits = positionKey.weightBits
        let position = positionKey.values
        var thresholds: [[UInt64]] = []  // the distinct position keys of each block, increasing
        for range in blockRanges {
            let sorted = order[range].sorted { position[$0] < position[$1] }
            var values: [UInt64] = [], labels: [Int] = []
            for c in sorted {
                if let last = values.last, last == position[c] {
                    guard labels[labels.count - 1] == classLabels[c] else {
                        throw InternalError("stage C: two differently labeled classes of one block share a position key")
                    }
                    continue
                }
                values.append(position[c])
                labels.append(classLabels[c])
            }
            thresholds.append(values)
            positionLabels.append(labels)
        }
        let positions = positionLabels.map(\.count).max() ?? 1
        let top = positionKey.bound  // above every position key

        // C1: thresholds and position carriers. u = Σ v_r z_r as a form over the previous layer.
        var uTerms: [Int: BigInt] = [:]
        for (r, form) in z.enumerated() {
            for (i, w) in form.terms { uTerms[i, default: 0] += BigInt(w) * keyWeights[r] }
        }
        let uSorted = uTerms.filter { !$0.value.isZero }.sorted { $0.key < $1.key }
        let uIndices = uSorted.map(\.key), uWeights = uSorted.map { Rational($0.value) }  // shared by every a_j
        var c1: [Neuron] = []
        for j in 1 ..< blocks {
            c1.append(Neuron(indices: uIndices, weights: uWeights, bias: Rational(-keys[order[blockRanges[j].lowerBound]])))
        }
        let copies1 = c1.count
        for carrier in carriers {
            switch carrier {
            case .bit(let r):
                c1.append(BitForm.neuron([z[r]], bias: -1))
            case .halfspace(let plus, let minus, let threshold):
                var terms: [Int: Int] = [:]
                for r in 0 ..< z.count {
                    let word = r / 64, bit = UInt64(1) << UInt64(r % 64)
                    let sign = plus[word] & bit != 0 ? 1 : minus[word] & bit != 0 ? -1 : 0
                    if sign != 0 { for (i, w) in z[r].terms { terms[i, default: 0] += sign * w } }
                }
                let sorted = terms.filter { $0.value != 0 }.sorted { $0.key < $1.key }
                c1.append(Neuron(terms: sorted.map { ($0.key, $0.value) }, bias: -threshold))
            }
        }
        layers.append(Layer(name: "block-thresholds", neurons: c1))

        // C2: block indicators (a_1 = 1, a_{B+1} = 0) and copies of the position carriers.
        func a(_ j: Int) -> Int { j - 2 }  // index of a_j (1-based j >= 2) in C1
        var c2: [Neuron] = []
        for j in 1 ... blocks {
            var terms: [(Int, Int)] = []
            var bias = -1
            if j == 1 { bias += 1 } else { terms.append((a(j), 1)) }
            if j < blocks { terms.append((a(j + 1), -1)) }
            c2.append(Neuron(terms: terms, bias: bias))
        }
        let copies2 = c2.count
        for i in carriers.indices { c2.append(Neuron(terms: [(copies1 + i, 1)], bias: -1)) }
        layers.append(Layer(name: "block-indicators", neurons: c2))

        // C3: position thermometer q_l (l = 2...positions) and e copies.
        var c3: [Neuron] = []
        let positionIndices = carriers.indices.map { copies2 + $0 }
        let positionWeights = positionKey.weights.map { Rational(BigInt($0)) }
        if positions >= 2 {
            for l in 2 ... positions {
                var indices: [Int] = []
                var weights: [Rational] = []
                for j in 0 ..< blocks {
                    let t = l <= thresholds[j].count ? thresholds[j][l - 1] : top
                    if t != 0 {
                        indices.append(j)
                        weights.append(-Rational(BigInt(t)))
                    }
                }
                indices += positionIndices
                weights += positionWeights
                c3.append(Neuron(indices: indices, weights: weights, bias: 0))
            }
        }
        indicatorCopies = c3.count
        for j in 0 ..< blocks { c3.append(Neuron(terms: [(j, 1)], bias: -1)) }
        layers.append(Layer(name: "positions", neurons: c3))
    }
}
