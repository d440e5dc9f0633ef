import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The construction of Rajput, Sreenivasan, Papailiopoulos and Karbasi,
/// "An Exponential Improvement on the Memorization Capacity of Deep Threshold
/// Networks" (NeurIPS 2021, arXiv 2106.07724), Theorem 1 and Figure 1, as
/// realised in DESIGN section 2: a Gaussian first layer (stage A), GF(2)
/// compression (B), keys, blocks and positions (C), and one memorizing neuron
/// per block and label bit (D). Only the first layer has non-integer weights.
public enum Rajput2021 {
    /// Builds, verifies exactly, and reports. Nothing unverified is returned.
    public static func construct(_ data: DataSet, options: Rajput2021Options, minimumDistance given: MinimumDistance? = nil) throws -> ConstructionResult {
        guard options.precision >= 1 && options.precision <= 1000 else {
            throw RequestError("--precision must be between 1 and 1000 fractional bits")
        }
        var seconds: [(String, Double)] = []
        var start = ContinuousClock.now
        // --width theory needs δ, so it gets no time limit; otherwise δ is only reported.
        let minimumDistance = given ?? data.minimumDistance(workBudget: options.width == .theory ? .max : options.deltaWorkBudget)
        seconds.append(("separation", start.duration(to: .now) / .seconds(1)))
        let n = data.count
        let bits = data.outputBitsNeeded
        var quantities: [(key: String, value: JSONValue, note: String)] = []
        let delta = minimumDistance.deltaSquared.flatMap { $0.approximation }.map { $0.squareRoot() }
        let k0: Int? = delta.map { max(1, Int((2 * Double.pi * log(Double(n)) / $0).rounded(.up))) }

        // All labels equal: the output is constant.
        if data.distinctLabelCount == 1 {
            let label = data.labels[0]
            let network = Network(inputDimension: data.dimension, outputBits: bits, layers: [
                Layer(name: "output", neurons: (0 ..< bits).map { Neuron(terms: [], bias: LabelCode.bit($0, of: label) == 1 ? 0 : -1) }),
            ], provenance: provenance(options))
            quantities.append(("k", .integer(0), "hyperplanes needed: every label is \(label)"))
            return try finish(network, data: data, method: "rajput2021",
                              stages: [StageReport(stage: "D", name: "constant output", layers: network.layers)],
                              quantities: quantities, minimumDistance: minimumDistance, seconds: seconds)
        }

        // Stage A.
        start = .now
        var stageA = HyperplaneStage(data: data, precision: options.precision, central: minimumDistance.onCentredSphere,
                                     radiusSquared: minimumDistance.radiusSquared, seed: options.seed)
        let hyperplanes: [Neuron]
        let drawn: Int
        switch options.width {
        case .adaptive:
            (hyperplanes, drawn) = try stageA.adaptive()
        case .theory:
            guard let k0 else {
                throw RequestError("--width theory needs δ, and computing it was skipped: \(minimumDistance.skipped ?? "unknown")")
            }
            guard k0 <= 200_000 else { throw RequestError("--width theory would need k0 = \(k0) first-layer neurons") }
            (hyperplanes, drawn) = try stageA.fixedWidth(k0)
        }
        let k = hyperplanes.count
        let codes = PackedCodes(layer: Layer(name: "A", neurons: hyperplanes), points: data.points)
        seconds.append(("stage A", start.duration(to: .now) / .seconds(1)))

        // Key classes: equal codes (and therefore equal labels).
        start = .now
        var classIndex: [ArraySlice<UInt64>: Int] = [:]
        var classCodes: [UInt64] = []
        var classLabels: [Int] = []
        for i in 0 ..< n {
            let code = codes[i * codes.stride ..< (i + 1) * codes.stride]
            if let c = classIndex[code] {
                guard classLabels[c] == data.labels[i] else {
                    throw InternalError("stage A left two differently labeled points with one code")
                }
            } else {
                classIndex[code] = classLabels.count
                classCodes.append(contentsOf: code)
                classLabels.append(data.labels[i])
            }
        }
        let classCount = classLabels.count
        let packedClasses = PackedCodes(words: classCodes, stride: codes.stride)
        let m = Int(log2(Double(classCount)).rounded(.up)) * 2 + 2

        // Stage B, or not, then C and D.
        struct Assembly {
            var network: Network
            var stages: [StageReport]
            var blockSize: Int
            var blocks: Int
            var compressed: Bool { stages.contains { $0.stage == "B" } }
        }
        func assemble(compress: Bool) throws -> Assembly {
            let first = Layer(name: "random-hyperplanes", neurons: hyperplanes)
            var stages = [StageReport(stage: "A", name: "random hyperplanes", layers: [first])]
            var layers = [first]
            var z: [BitForm]
            var keys: [BigInt]
            if compress && k > m {
                let (parity, values) = try ParityStage.build(k: k, m: m, classCodes: packedClasses, seed: options.seed)
                layers += parity.layers
                stages.append(StageReport(stage: "B", name: "GF(2) compression", layers: parity.layers))
                z = parity.outputs
                keys = values.map { BigInt($0) }
            } else {
                z = (0 ..< k).map { BitForm.bit($0) }
                keys = (0 ..< classCount).map { c in
                    var key = BigInt(0)
                    for t in stride(from: k - 1, through: 0, by: -1) {
                        key = key.shiftedLeft(by: 1) + BigInt(Int((classCodes[c * codes.stride + t / 64] >> UInt64(t % 64)) & 1))
                    }
                    return key
                }
            }
            let blocks = BlockStage(z: z, keys: keys, classLabels: classLabels, outputBits: bits)
            stages.append(StageReport(stage: "C", name: "keys, blocks, positions", layers: Array(blocks.layers.prefix(3))))
            stages.append(StageReport(stage: "D", name: "memorize, output", layers: Array(blocks.layers.suffix(2))))
            layers += blocks.layers
            let network = Network(inputDimension: data.dimension, outputBits: bits, layers: layers,
                                  provenance: provenance(options))
            if let problem = network.structuralProblem { throw InternalError("construction produced a malformed network: \(problem)") }
            return Assembly(network: network, stages: stages, blockSize: blocks.blockSize, blocks: blocks.blockCount)
        }
        let chosen: Assembly
        switch options.compression {
        case .gf2: chosen = try assemble(compress: true)
        case .none: chosen = try assemble(compress: false)
        case .auto:
            let a = try assemble(compress: true), b = try assemble(compress: false)
            chosen = a.network.counts.weights <= b.network.counts.weights ? a : b
        }
        seconds.append(("stages B-D", start.duration(to: .now) / .seconds(1)))
        let compressedBits = chosen.compressed ? m : k
        quantities = [
            ("k", .integer(k), "first-layer width (hyperplanes kept; \(drawn) drawn)"),
            ("k0", k0.map { .integer($0) } ?? .null, "theory width ⌈2π ln(n)/δ⌉"),
            ("drawnHyperplanes", .integer(drawn), "random hyperplanes drawn in stage A"),
            ("m", .integer(compressedBits), chosen.compressed ? "compressed code bits ⌈2 log2 N⌉ + 2" : "code bits (no compression)"),
            ("keyClasses", .integer(classCount), "N: distinct codes (points with equal code and label)"),
            ("blockSize", .integer(chosen.blockSize), "s = ⌈√N⌉ keys per block"),
            ("blocks", .integer(chosen.blocks), "⌈N/s⌉ blocks"),
            ("onePerPointNeurons", .integer(n * bits), "n·(label bits): one neuron per point and label bit"),
            ("sqrtN", .string(format1(Double(n).squareRoot())), "√n"),
            ("inverseDelta", delta.map { .string(format1(1 / $0)) } ?? .null, "1/δ"),
        ]
        return try finish(chosen.network, data: data, method: "rajput2021", stages: chosen.stages, quantities: quantities,
                          minimumDistance: minimumDistance, seconds: seconds)
    }

    static func provenance(_ options: Rajput2021Options) -> JSONValue {
        var o = JSONObjectBuilder()
        o.add("method", .string("rajput2021"))
        o.add("seed", .integer(options.seed))
        o.add("precision", .integer(options.precision))
        o.add("width", .string(options.width.rawValue))
        o.add("compression", .string(options.compression.rawValue))
        o.add("reference", .string("Rajput, Sreenivasan, Papailiopoulos, Karbasi, NeurIPS 2021, arXiv 2106.07724"))
        return o.value
    }

    static func format1(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return String(r)
    }
}

/// Verifies a constructed network exactly and packages the result; a network
/// that fails is a bug and is never returned.
func finish(_ network: Network, data: DataSet, method: String, stages: [StageReport],
            quantities: [(key: String, value: JSONValue, note: String)], minimumDistance: MinimumDistance?,
            seconds: [(String, Double)]) throws -> ConstructionResult {
    let start = ContinuousClock.now
    let report = try Verifier.verify(network, on: data, mismatchLimit: 5)
    guard report.memorized else {
        let first = report.mismatches.first.map { "line \($0.line): expected \($0.expected), output \($0.output)" } ?? ""
        throw InternalError("the \(method) network does not memorize the data (\(report.mismatchCount) points, first \(first)); nothing was written")
    }
    var times = seconds
    times.append(("verification", start.duration(to: .now) / .seconds(1)))
    return ConstructionResult(network: network, method: method, stages: stages, quantities: quantities,
                              minimumDistance: minimumDistance, verification: report, seconds: times)
}
