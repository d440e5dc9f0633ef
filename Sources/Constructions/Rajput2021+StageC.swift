import ExactArithmetic
import ThresholdNetworks

/// Stage C (docs/ARCHITECTURE.md, "Theorem 1, stage by stage", with the change
/// noted below): integer keys u = Σ 2^r z_r, blocks of s = ⌈√N⌉ consecutive keys,
/// and a position thermometer inside the block. Stage D (`MemorizeStage`) reads it.
///
/// Layers:
/// - C1 `block-thresholds`: a_j = 1[u - t_j >= 0] for j >= 2 (t_j: first key of
///   block j; a_1 = 1 is folded into biases), and copies of the z bits.
/// - C2 `block-indicators`: e_j = 1[a_j - a_{j+1} - 1 >= 0], and z copies.
/// - C3 `positions`: q_l = 1[u - Σ_j T_l(j) e_j >= 0] for l >= 2, where T_l(j)
///   is the l-th key of block j (2^m when the block is shorter), and e copies.
///   The paper's realisation reads T_l(block(u)) as a telescoping form in the
///   a_j in the same layer as e_j; reading the one-hot e_j instead costs one more
///   layer and the same number of weights, and makes the thermometer's inputs sparse.
struct BlockStage {
    /// C1, C2 and C3.
    var layers: [Layer] = []
    /// s, the keys per block (the last block may hold fewer), and the number of blocks.
    var blockSize = 0
    var blockCount = 0
    /// The classes in increasing key order: position p of block j holds class `order[j * s + p]`.
    var order: [Int] = []
    /// Where the copy of e_j sits in C3: neuron `indicatorCopies + j`.
    var indicatorCopies = 0

    /// - Parameters:
    ///   - z: the forms of the compressed bits over the previous layer (m of them).
    ///   - keys: the key of each class.
    init(z: [BitForm], keys: [BigInt]) {
        let m = z.count
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        self.order = order
        let n = keys.count
        let s = max(1, Int(Double(n).squareRoot().rounded(.up)))
        var size = s
        while size * size < n { size += 1 }
        while size > 1 && (size - 1) * (size - 1) >= n { size -= 1 }
        blockSize = size
        let blocks = (n + size - 1) / size
        blockCount = blocks
        func key(_ block: Int, _ position: Int) -> BigInt? {  // 0-based block and position
            let index = block * size + position
            return position < size && index < n ? keys[order[index]] : nil
        }
        let top = BigInt(1).shiftedLeft(by: m)  // above every key

        // C1: thresholds and z copies. u = Σ 2^r z_r as a form over the previous layer.
        var uTerms: [Int: BigInt] = [:]
        for (r, form) in z.enumerated() {
            for (i, w) in form.terms { uTerms[i, default: 0] += BigInt(w).shiftedLeft(by: r) }
        }
        let uSorted = uTerms.filter { !$0.value.isZero }.sorted { $0.key < $1.key }
        var c1: [Neuron] = []
        for j in 1 ..< blocks {
            c1.append(Neuron(indices: uSorted.map(\.key), weights: uSorted.map { Rational($0.value) },
                             bias: Rational(-key(j, 0)!)))
        }
        let zCopy1 = c1.count
        for form in z { c1.append(BitForm.neuron([form], bias: -1)) }
        layers.append(Layer(name: "block-thresholds", neurons: c1))

        // C2: block indicators (a_1 = 1, a_{B+1} = 0) and z copies.
        func a(_ j: Int) -> Int { j - 2 }  // index of a_j (1-based j >= 2) in C1
        var c2: [Neuron] = []
        for j in 1 ... blocks {
            var terms: [(Int, Int)] = []
            var bias = -1
            if j == 1 { bias += 1 } else { terms.append((a(j), 1)) }
            if j < blocks { terms.append((a(j + 1), -1)) }
            c2.append(Neuron(terms: terms, bias: bias))
        }
        let zCopy2 = c2.count
        for r in 0 ..< m { c2.append(Neuron(terms: [(zCopy1 + r, 1)], bias: -1)) }
        layers.append(Layer(name: "block-indicators", neurons: c2))

        // C3: position thermometer q_l (l = 2...size) and e copies.
        var c3: [Neuron] = []
        if size >= 2 {
            for l in 2 ... size {
                var indices: [Int] = []
                var weights: [Rational] = []
                for j in 0 ..< blocks {
                    let t = key(j, l - 1) ?? top
                    if !t.isZero {
                        indices.append(j)
                        weights.append(Rational(-t))
                    }
                }
                for r in 0 ..< m {
                    indices.append(zCopy2 + r)
                    weights.append(Rational(BigInt(1).shiftedLeft(by: r)))
                }
                c3.append(Neuron(indices: indices, weights: weights, bias: 0))
            }
        }
        let eCopy = c3.count
        indicatorCopies = eCopy
        for j in 0 ..< blocks { c3.append(Neuron(terms: [(j, 1)], bias: -1)) }
        layers.append(Layer(name: "positions", neurons: c3))
    }
}
