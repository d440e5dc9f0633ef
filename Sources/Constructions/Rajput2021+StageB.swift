import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
import WorkSharing

/// Stage B (docs/ARCHITECTURE.md, "Theorem 1, stage by stage"): the paper's
/// compression z = A c mod 2 by a random GF(2) matrix A of m rows, at its cheapest.
///
/// - One layer. Row r of A with t ones (positions P_r) becomes t neurons
///   g_{r,i} = 1[Σ_{p ∈ P_r} c_p - i >= 0], i = 1...t: a thermometer of the row's
///   count of ones. Its parity is the alternating sum z_r = g_{r,1} - g_{r,2} + g_{r,3} - ...,
///   a 0/1 linear form that the next layer reads directly. Weights are 1, biases -i.
/// - Sparse rows. The rows have w ones each, spread over the k columns as evenly as
///   possible (column weights differ by at most one); w starts at ⌈k/m⌉, the fewest
///   that leave no column empty, and grows until A keeps the N key classes distinct,
///   checked exactly. Stage B then has m·w neurons.
///
/// - Complexity: each draw costs O(N · k/64 + N · popcount) word operations for the
///   distinctness check, on all cores.
struct ParityStage {
    /// Rows of A as increasing code positions.
    let rows: [[Int]]
    /// The one layer of thermometers (empty when every row is a single position).
    let layers: [Layer]
    /// z_r as forms over the layer (or over the codes when there is no layer).
    let outputs: [BitForm]

    /// What the search for A did, for reports.
    struct Search {
        /// Ones per row of the A that was kept.
        var rowWeight: Int
        /// Matrices drawn in all (each checked exactly).
        var draws: Int
    }

    /// Draws sparse rows until the classes' compressed codes are distinct; returns the
    /// stage, the compressed code of each class (bit r is z_r), and the search.
    ///
    /// - Parameters:
    ///   - k: code bits; `m` compressed bits (1...62, so each z fits a word), m < k.
    ///   - classCodes: one code per class.
    ///   - neuronLimit: stop once m·w (the stage's neurons) would exceed it; nil for no
    ///     limit. `auto` passes the size at which gf2 can no longer be the smallest.
    /// - Returns: nil when the limit stopped the search.
    /// - Throws: `RequestError` when even dense rows (the paper's A, each entry 1 with
    ///   probability 1/2) merge two classes in 64 draws.
    static func build(k: Int, m: Int, classCodes: PackedCodes, seed: UInt64,
                      neuronLimit: Int? = nil) throws(RequestError) -> (stage: ParityStage, z: [UInt64], search: Search)? {
        precondition(m >= 1 && m <= 62 && m < k, "stage B needs 1 <= m <= 62 and m < k")
        var rng = SeededRandom(seed: seed, stream: RandomStream.compression)
        var draws = 0
        // Sparse rows: w from ⌈k/m⌉ in steps of about a quarter, three draws each, up to k/2.
        var w = (k + m - 1) / m
        let step = max(1, (w + 3) / 4)
        while 2 * w <= k {
            if let neuronLimit, m * w > neuronLimit { return nil }
            for _ in 0 ..< 3 {
                draws += 1
                let rows = sparseRows(k: k, m: m, weight: w, rng: &rng)
                if let z = distinctCodes(rows, k: k, classCodes: classCodes) {
                    return (ParityStage(rows: rows), z, Search(rowWeight: w, draws: draws))
                }
            }
            w += step
        }
        // Dense rows, the paper's A.
        for _ in 0 ..< 64 {
            draws += 1
            var rows: [[Int]] = []
            for _ in 0 ..< m {
                var row = (0 ..< k).filter { _ in rng.next() >> 63 == 1 }
                if row.isEmpty { row = [rng.below(k)] }
                rows.append(row)
            }
            if let neuronLimit, rows.reduce(0, { $0 + $1.count }) > neuronLimit { return nil }
            if let z = distinctCodes(rows, k: k, classCodes: classCodes) {
                return (ParityStage(rows: rows), z, Search(rowWeight: rows.map(\.count).max() ?? 0, draws: draws))
            }
        }
        throw RequestError("stage B: \(draws) random GF(2) matrices with \(m) rows all merged two key classes")
    }

    /// m rows of `weight` distinct positions in 0..<k, taken in turn from a deck of shuffled
    /// copies of 0..<k, so every column is used ⌊m·w/k⌋ or ⌈m·w/k⌉ times. A position already
    /// in the row is deferred to the next row.
    static func sparseRows(k: Int, m: Int, weight: Int, rng: inout SeededRandom) -> [[Int]] {
        precondition(weight >= 1 && weight <= k)
        var deck: [Int] = []
        var next = 0
        var deferred: [Int] = []
        var rows: [[Int]] = []
        rows.reserveCapacity(m)
        for _ in 0 ..< m {
            var row = Set<Int>()
            var carried: [Int] = []
            for p in deferred {
                if row.count < weight && row.insert(p).inserted { continue }
                carried.append(p)
            }
            deferred = carried
            while row.count < weight {
                if next == deck.count {
                    deck = Array(0 ..< k)
                    deck.shuffle(using: &rng)
                    next = 0
                }
                let p = deck[next]
                next += 1
                if !row.insert(p).inserted { deferred.append(p) }
            }
            rows.append(row.sorted())
        }
        return rows
    }

    /// The compressed code of every class under `rows` (bit r = parity of row r), or nil
    /// when two classes get the same one. Exact: XORs of column masks.
    static func distinctCodes(_ rows: [[Int]], k: Int, classCodes: PackedCodes) -> [UInt64]? {
        var columnMasks = [UInt64](repeating: 0, count: k)
        for (r, row) in rows.enumerated() { for p in row { columnMasks[p] |= 1 << UInt64(r) } }
        let columns = columnMasks
        let stride = classCodes.stride, words = classCodes.words
        let count = words.count / stride
        let z = Parallel.mapChunks(count: count, chunkSize: 4096) { range -> [UInt64] in
            range.map { c in
                var value: UInt64 = 0
                for w in 0 ..< stride {
                    var word = words[c * stride + w]
                    while word != 0 {
                        value ^= columns[w * 64 + word.trailingZeroBitCount]
                        word &= word - 1
                    }
                }
                return value
            }
        }.flatMap { $0 }
        return allDistinct(z) ? z : nil
    }

    /// Builds the layer of thermometers for `rows`.
    init(rows: [[Int]]) {
        self.rows = rows
        if rows.allSatisfy({ $0.count == 1 }) {
            layers = []
            outputs = rows.map { BitForm.bit($0[0]) }
            return
        }
        var neurons: [Neuron] = []
        var outputs: [BitForm] = []
        for row in rows {
            var form: [(index: Int, weight: Int)] = []
            for i in 1 ... row.count {
                form.append((neurons.count, i % 2 == 1 ? 1 : -1))
                neurons.append(Neuron(terms: row.map { ($0, 1) }, bias: -i))
            }
            outputs.append(BitForm(terms: form))
        }
        layers = [Layer(name: "parity", neurons: neurons)]
        self.outputs = outputs
    }
}

/// True when no two of `keys` are equal (sorts a copy).
///
/// - Complexity: O(N log N).
func allDistinct<T: Comparable>(_ keys: [T]) -> Bool {
    let sorted = keys.sorted()
    for i in sorted.indices.dropFirst() where sorted[i] == sorted[i - 1] { return false }
    return true
}
