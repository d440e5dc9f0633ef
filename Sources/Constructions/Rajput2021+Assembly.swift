import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks

// MARK: - The key stage

/// How the codes became keys (stage B, or its replacement), with what was drawn.
struct KeyStage: Sendable {
    /// gf2, hash or none (never auto).
    var compression: ConstructionOptions.Compression
    /// The 0/1 carriers stage C reads: the m GF(2) bits, or the k code bits.
    var carriers: Int
    /// gf2: ones per row of A (nil when stage B was skipped, and for hash and none).
    var rowWeight: Int?
    /// gf2 matrices or hash weight vectors drawn, each checked exactly.
    var draws: Int?
    /// The largest bit size of a key weight v_r (u = Σ v_r z_r).
    var keyWeightBits: Int
    /// The bit size of the largest key.
    var keyBits: Int
    /// Why the stage differs from what was asked, or nil.
    var note: String?
}

/// The inputs stage C needs from the key stage.
struct Keys {
    /// Stage B's layers (empty for hash and none).
    var layers: [Layer]
    /// The carriers z_r, 0/1 forms over the last layer before stage C.
    var carriers: [BitForm]
    /// v_r: u = Σ v_r z_r.
    var keyWeights: [BigInt]
    /// The key of each class.
    var keys: [BigInt]
    /// Each class's carrier values (bit r is z_r at the class).
    var carrierValues: PackedCodes
    var report: KeyStage

    /// `none`: the code read in binary, u = Σ_t 2^t c_t.
    static func binary(k: Int, classes: KeyClasses, as compression: ConstructionOptions.Compression = .none,
                       note: String? = nil) -> Keys {
        let keys = (0 ..< classes.count).map { classes.uncompressedKey($0) }
        return Keys(layers: [], carriers: (0 ..< k).map { BitForm.bit($0) },
                    keyWeights: (0 ..< k).map { BigInt(1).shiftedLeft(by: $0) }, keys: keys, carrierValues: classes.codes,
                    report: KeyStage(compression: compression, carriers: k, keyWeightBits: k,
                                     keyBits: keys.map(\.bitLength).max() ?? 0, note: note))
    }

    /// `hash`: u = Σ_t w_t c_t with random w_t of about 2 log2 N bits (`HashedKeys`).
    static func hashed(k: Int, classes: KeyClasses, seed: UInt64) throws(RequestError) -> Keys {
        let hashed = try HashedKeys.draw(k: k, classCodes: classes.codes, seed: seed)
        let weights = hashed.weights.map { BigInt($0) }
        return Keys(layers: [], carriers: (0 ..< k).map { BitForm.bit($0) }, keyWeights: weights, keys: hashed.keys,
                    carrierValues: classes.codes,
                    report: KeyStage(compression: .hash, carriers: k, draws: hashed.draws,
                                     keyWeightBits: weights.map(\.bitLength).max() ?? 0,
                                     keyBits: hashed.keys.map(\.bitLength).max() ?? 0))
    }

    /// `gf2`: stage B, z = A c mod 2 with sparse rows (`ParityStage`), u = Σ_r 2^r z_r.
    /// When k <= m the codes are already short: no stage B, keys are the codes. Nil when
    /// `neuronLimit` stopped the search for A.
    static func gf2(k: Int, m: Int, classes: KeyClasses, seed: UInt64, neuronLimit: Int? = nil) throws(RequestError) -> Keys? {
        guard k > m else {
            return binary(k: k, classes: classes, as: .gf2,
                          note: "stage B skipped: k = \(k) code bits are no more than m = \(m); the keys are the codes")
        }
        guard let (parity, z, search) = try ParityStage.build(k: k, m: m, classCodes: classes.codes, seed: seed,
                                                              neuronLimit: neuronLimit) else { return nil }
        let keys = z.map { BigInt($0) }
        return Keys(layers: parity.layers, carriers: parity.outputs, keyWeights: (0 ..< m).map { BigInt(1).shiftedLeft(by: $0) },
                    keys: keys, carrierValues: PackedCodes(words: z, stride: 1),
                    report: KeyStage(compression: .gf2, carriers: m, rowWeight: search.rowWeight, draws: search.draws,
                                     keyWeightBits: m, keyBits: keys.map(\.bitLength).max() ?? 0))
    }
}

// MARK: - The network

/// The whole rajput2021 network after stage A: the key stage (B or its replacement),
/// C and D on the key classes, joined into one network and checked for structure.
struct Rajput2021Assembly {
    var network: Network
    var stages: [StageReport]
    /// s, the classes per block, the number of blocks, and the position carriers (stage C).
    var blockSize: Int
    var blocks: Int
    var positionCarriers: Int
    var positionHalfspaces: Int
    var positionWeightBits: Int
    /// How the keys were made.
    var keyStage: KeyStage
    /// `auto`: every variant considered, in the order built, with its size or why it was not built.
    var candidates: [Candidate] = []

    /// One variant `auto` considered.
    struct Candidate: Sendable {
        var compression: ConstructionOptions.Compression
        /// Its counts, or nil when it was not built.
        var counts: NetworkCounts?
        /// Why it was not built, or nil.
        var reason: String?
    }

    /// The network `compression` asks for. `auto` builds hash, none and gf2 and keeps
    /// the smallest: fewest neurons, then fewest nonzero weights, then fewest weight bits
    /// in total; on a full tie the one built first. gf2's search for sparse rows stops
    /// as soon as its stage B alone would make it larger than the best so far (the
    /// other stages then have at least the neurons counted in `neuronsBesideStageB`).
    static func choosing(_ compression: ConstructionOptions.Compression, data: DataSet, hyperplanes: [Neuron],
                         classes: KeyClasses, compressedBits m: Int, seed: UInt64) throws -> Rajput2021Assembly {
        let k = hyperplanes.count
        func assemble(_ keys: Keys) throws -> Rajput2021Assembly {
            try Rajput2021Assembly(data: data, hyperplanes: hyperplanes, classes: classes, keys: keys, seed: seed)
        }
        switch compression {
        case .none:
            return try assemble(Keys.binary(k: k, classes: classes))
        case .hash:
            return try assemble(Keys.hashed(k: k, classes: classes, seed: seed))
        case .gf2:
            guard let keys = try Keys.gf2(k: k, m: m, classes: classes, seed: seed) else {
                throw InternalError("stage B stopped without a neuron limit")
            }
            return try assemble(keys)
        case .auto:
            var best = try assemble(Keys.hashed(k: k, classes: classes, seed: seed))
            var bestCounts = best.network.counts
            var candidates = [Candidate(compression: .hash, counts: bestCounts)]
            func consider(_ next: Rajput2021Assembly) {
                let a = next.network.counts, b = bestCounts
                candidates.append(Candidate(compression: next.keyStage.compression, counts: a))
                if (a.neurons, a.weights, a.totalWeightBits) < (b.neurons, b.weights, b.totalWeightBits) {
                    best = next
                    bestCounts = a
                }
            }
            consider(try assemble(Keys.binary(k: k, classes: classes)))
            if k <= m {
                candidates.append(Candidate(compression: .gf2, reason: "k = \(k) <= m = \(m): gf2 would be none"))
            } else {
                let beside = neuronsBesideStageB(k: k, classes: classes.count, outputBits: data.outputBitsNeeded)
                let limit = bestCounts.neurons - beside
                let keys: Keys?
                do {
                    keys = try Keys.gf2(k: k, m: m, classes: classes, seed: seed, neuronLimit: limit)
                } catch {
                    keys = nil
                    candidates.append(Candidate(compression: .gf2, reason: error.message))
                }
                if let keys {
                    consider(try assemble(keys))
                } else if candidates.last?.compression != .gf2 {
                    candidates.append(Candidate(compression: .gf2, reason: "stage B alone would pass \(max(limit, 0)) neurons, "
                                                + "so the network would pass \(bestCounts.neurons)"))
                }
            }
            best.candidates = candidates
            return best
        }
    }

    /// A lower bound on the neurons of a network outside stage B: k (A), at least
    /// (B - 1) + 1, B + 1 and (s - 1) + B in C (one position carrier at least, as some
    /// block holds two classes), and at least one memorizing neuron and the output bits in
    /// D, for N >= 2 classes in B = ⌈N/s⌉ blocks of s (`BlockStage.blockSize`).
    static func neuronsBesideStageB(k: Int, classes n: Int, outputBits: Int) -> Int {
        let s = BlockStage.blockSize(classes: n, labelBits: outputBits)
        let blocks = (n + s - 1) / s
        return k + (blocks - 1 + 1) + (blocks + 1) + (s - 1 + blocks) + 1 + outputBits
    }

    /// Assembles the network on `hyperplanes` (stage A) for `classes` with `keys`.
    init(data: DataSet, hyperplanes: [Neuron], classes: KeyClasses, keys: Keys, seed: UInt64) throws {
        let first = Layer(name: "random-hyperplanes", neurons: hyperplanes)
        var stages = [StageReport(stage: "A", name: "random hyperplanes", layers: [first])]
        var layers = [first]
        if !keys.layers.isEmpty {
            layers += keys.layers
            stages.append(StageReport(stage: "B", name: "GF(2) compression", layers: keys.layers))
        }
        let bits = data.outputBitsNeeded
        let blockStage = try BlockStage(z: keys.carriers, keyWeights: keys.keyWeights, keys: keys.keys,
                                        carrierValues: keys.carrierValues, classLabels: classes.labels,
                                        blockSize: BlockStage.blockSize(classes: classes.count, labelBits: bits), seed: seed)
        let memorizeStage = MemorizeStage(blocks: blockStage, outputBits: bits)
        stages.append(StageReport(stage: "C", name: "keys, blocks, positions", layers: blockStage.layers))
        stages.append(StageReport(stage: "D", name: "memorize, output", layers: memorizeStage.layers))
        layers += blockStage.layers + memorizeStage.layers
        network = Network(inputDimension: data.dimension, outputBits: bits, layers: layers)
        if let problem = network.structuralProblem { throw InternalError("construction produced a malformed network: \(problem)") }
        self.stages = stages
        blockSize = blockStage.blockSize
        blocks = blockStage.blockCount
        positionCarriers = blockStage.positionCarriers.count
        positionHalfspaces = blockStage.positionCarriers.filter { if case .halfspace = $0 { true } else { false } }.count
        positionWeightBits = blockStage.positionWeightBits
        keyStage = keys.report
    }
}

extension Rajput2021Assembly.Candidate {
    /// `{"compression", "neurons", "weights", "totalWeightBits", "depth"}`, or
    /// `{"compression", "reason"}` when it was not built.
    var json: JSONValue {
        var o = JSONObjectBuilder()
        o.add("compression", .string(compression.rawValue))
        if let counts {
            o.add("neurons", .integer(counts.neurons))
            o.add("weights", .integer(counts.weights))
            o.add("totalWeightBits", .integer(counts.totalWeightBits))
            o.add("depth", .integer(counts.depth))
        } else {
            o.add("reason", .string(reason ?? ""))
        }
        return o.value
    }
}
