import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks

/// The whole rajput2021 network after stage A: stage B (or not), C and D on the
/// key classes, joined into one network and checked for structure.
struct Rajput2021Assembly {
    var network: Network
    var stages: [StageReport]
    /// s, the keys per block, and the number of blocks (stage C).
    var blockSize: Int
    var blocks: Int

    /// True when stage B compressed the codes.
    var compressed: Bool { stages.contains { $0.stage == "B" } }

    /// The network `compression` asks for: with stage B (`gf2`), without (`none`), or
    /// whichever of the two has fewer weights (`auto`, the compressed one on a tie).
    static func choosing(_ compression: ConstructionOptions.Compression, data: DataSet, hyperplanes: [Neuron],
                         classes: KeyClasses, compressedBits m: Int, seed: UInt64, provenance: JSONValue) throws -> Rajput2021Assembly {
        let tried = try (compression == .auto ? [true, false] : [compression == .gf2]).map { compress in
            try Rajput2021Assembly(data: data, hyperplanes: hyperplanes, classes: classes, compressedBits: m, compress: compress,
                                   seed: seed, provenance: provenance)
        }
        return tried.dropFirst().reduce(tried[0]) { $1.network.counts.weights < $0.network.counts.weights ? $1 : $0 }
    }

    /// Assembles the network on `hyperplanes` (stage A) for `classes`. Stage B runs
    /// when `compress` is set and the k code bits exceed the m compressed bits;
    /// otherwise the keys are the codes themselves.
    init(data: DataSet, hyperplanes: [Neuron], classes: KeyClasses, compressedBits m: Int, compress: Bool, seed: UInt64,
         provenance: JSONValue) throws {
        let k = hyperplanes.count
        let first = Layer(name: "random-hyperplanes", neurons: hyperplanes)
        var stages = [StageReport(stage: "A", name: "random hyperplanes", layers: [first])]
        var layers = [first]
        var z: [BitForm]
        var keys: [BigInt]
        if compress && k > m {
            let (parity, values) = try ParityStage.build(k: k, m: m, classCodes: classes.codes, seed: seed)
            layers += parity.layers
            stages.append(StageReport(stage: "B", name: "GF(2) compression", layers: parity.layers))
            z = parity.outputs
            keys = values.map { BigInt($0) }
        } else {
            z = (0 ..< k).map { BitForm.bit($0) }
            keys = (0 ..< classes.count).map { classes.uncompressedKey($0) }
        }
        let bits = data.outputBitsNeeded
        let blockStage = BlockStage(z: z, keys: keys)
        let memorizeStage = MemorizeStage(blocks: blockStage, classLabels: classes.labels, outputBits: bits)
        stages.append(StageReport(stage: "C", name: "keys, blocks, positions", layers: blockStage.layers))
        stages.append(StageReport(stage: "D", name: "memorize, output", layers: memorizeStage.layers))
        layers += blockStage.layers + memorizeStage.layers
        network = Network(inputDimension: data.dimension, outputBits: bits, layers: layers, provenance: provenance)
        if let problem = network.structuralProblem { throw InternalError("construction produced a malformed network: \(problem)") }
        self.stages = stages
        blockSize = blockStage.blockSize
        blocks = blockStage.blockCount
    }
}
