import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks

/// Stage B (docs/ARCHITECTURE.md, "Theorem 1, stage by stage"): z = A c mod 2
/// with a random A over GF(2), realised as balanced XOR trees of threshold gates.
/// A tree node reads two 0/1 forms a, b and keeps OR = 1[a + b - 1 >= 0] and
/// AND = 1[a + b - 2 >= 0]; XOR = OR - AND is a form the next level reads
/// directly. All weights are in {-1, 0, 1}.
struct ParityStage {
    /// Rows of A as sets of code positions.
    let rows: [[Int]]
    /// The layers of the trees (empty when every row has at most one position).
    let layers: [Layer]
    /// z_r as forms over the last tree layer (or over the codes when there is none).
    let outputs: [BitForm]

    /// Draws A (m rows over k code bits) until the key classes' compressed codes
    /// are distinct, and builds the trees. `classCodes` holds one code per class.
    static func build(k: Int, m: Int, classCodes: PackedCodes, seed: UInt64) throws(RequestError) -> (ParityStage, [UInt64]) {
        precondition(m <= 62, "compressed codes must fit in a word")
        var rng = SeededRandom(seed: seed, stream: RandomStream.compression)
        let classes = classCodes.words.count / classCodes.stride
        for _ in 0 ..< 64 {
            var rowMasks: [[UInt64]] = []
            var rows: [[Int]] = []
            for _ in 0 ..< m {
                var mask = [UInt64](repeating: 0, count: classCodes.stride)
                var positions: [Int] = []
                for t in 0 ..< k where rng.next() >> 63 == 1 {
                    mask[t / 64] |= 1 << UInt64(t % 64)
                    positions.append(t)
                }
                rowMasks.append(mask)
                rows.append(positions)
            }
            var z = [UInt64](repeating: 0, count: classes)
            var seen = Set<UInt64>()
            var distinct = true
            for c in 0 ..< classes {
                var value: UInt64 = 0
                for r in 0 ..< m {
                    var parity = 0
                    for w in 0 ..< classCodes.stride { parity ^= (classCodes.words[c * classCodes.stride + w] & rowMasks[r][w]).nonzeroBitCount }
                    value |= UInt64(parity & 1) << UInt64(r)
                }
                z[c] = value
                if !seen.insert(value).inserted { distinct = false; break }
            }
            if distinct { return (ParityStage(rows: rows), z) }
        }
        throw RequestError("stage B: 64 random GF(2) matrices with \(m) rows all merged two key classes")
    }

    /// Builds the XOR trees for `rows`.
    init(rows: [[Int]]) {
        self.rows = rows
        var values: [[BitForm]] = rows.map { $0.map { BitForm.bit($0) } }
        var layers: [Layer] = []
        while values.contains(where: { $0.count > 1 }) {
            var neurons: [Neuron] = []
            var next: [[BitForm]] = []
            for row in values {
                var out: [BitForm] = []
                var i = 0
                while i < row.count {
                    if i + 1 < row.count {
                        let orIndex = neurons.count
                        neurons.append(BitForm.neuron([row[i], row[i + 1]], bias: -1))  // OR
                        neurons.append(BitForm.neuron([row[i], row[i + 1]], bias: -2))  // AND
                        out.append(BitForm(terms: [(orIndex, 1), (orIndex + 1, -1)]))  // XOR = OR - AND
                        i += 2
                    } else {
                        // Carry an odd value up one level: 1[v - 1 >= 0] = v for v in {0, 1}.
                        neurons.append(BitForm.neuron([row[i]], bias: -1))
                        out.append(BitForm.bit(neurons.count - 1))
                        i += 1
                    }
                }
                next.append(out)
            }
            layers.append(Layer(name: "parity-\(layers.count + 1)", neurons: neurons))
            values = next
        }
        self.layers = layers
        outputs = values.map { $0.first ?? .zero }
    }
}
