import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
import WorkSharing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The construction of Rajput, Sreenivasan, Papailiopoulos and Karbasi,
/// "An Exponential Improvement on the Memorization Capacity of Deep Threshold
/// Networks" (NeurIPS 2021, arXiv 2106.07724), Theorem 1 and Figure 1, as
/// docs/ARCHITECTURE.md ("Theorem 1, stage by stage") describes it: a Gaussian
/// first layer (stage A, `HyperplaneStage`), integer keys of the codes (B: GF(2)
/// compression, `ParityStage`, or a hashed key read directly, `HashedKeys`), blocks
/// and positions (C, `BlockStage`, `PositionKey`), and one memorizing neuron per
/// block and label bit (D, `MemorizeStage`). `--compression auto` builds the key
/// stages and keeps the smallest network (`Rajput2021Assembly.choosing`). Only the
/// first layer has non-integer weights. Each stage checks its own promise exactly;
/// `construct` then verifies the whole network.
public struct Rajput2021: Construction {
    public init() {}

    public var method: ConstructionMethod { .rajput2021 }

    public func build(_ data: DataSet, options: ConstructionOptions, seed: UInt64) throws -> BuiltNetwork {
        guard options.precision >= 1 && options.precision <= 1000 else {
            throw RequestError("--precision must be between 1 and 1000 fractional bits")
        }
        var seconds: [(String, Double)] = []
        var start = ContinuousClock.now
        // --width theory needs δ, so it gets the long budget; otherwise δ is only reported.
        let minimumDistance = options.minimumDistance
            ?? data.minimumDistance(workBudget: options.width == .theory ? Rajput2021.theoryDistanceBudget
                                                                         : options.minimumDistanceBudget)
        seconds.append(("separation", start.duration(to: .now) / .seconds(1)))  // the report's key for the δ phase
        let n = data.count
        let provenance = Rajput2021.provenance(options, seed: seed)

        // All labels equal: the output is constant (and k0 is never needed).
        if data.distinctLabelCount == 1 {
            return constantNetwork(data, provenance: provenance, minimumDistance: minimumDistance, seconds: seconds)
        }
        let delta = minimumDistance.deltaSquared.flatMap { $0.approximation }.map { $0.squareRoot() }
        let k0 = TheoryWidth(pointCount: n, minimumDistance: minimumDistance)

        // Stage A.
        start = .now
        var stageA = HyperplaneStage(data: data, precision: options.precision, central: minimumDistance.onCentredSphere,
                                     radiusSquared: minimumDistance.radiusSquared, seed: seed)
        let hyperplanes: [Neuron]
        let drawn: Int
        switch options.width {
        case .adaptive:
            (hyperplanes, drawn) = try stageA.adaptive()
        case .theory:
            let width: Int
            switch k0 {
            case .value(let value): width = value
            case .tooLarge(let reason), .unknown(let reason):
                throw RequestError("--width theory cannot draw k0 = ⌈2π ln(n)/δ⌉ hyperplanes: \(reason)")
            }
            guard width <= Rajput2021.theoryWidthCap else {
                throw RequestError("--width theory would need k0 = \(width) first-layer neurons, above the cap of "
                                   + "\(Rajput2021.theoryWidthCap); use --width adaptive")
            }
            try MemoryBudget.require(MemoryBudget.product(width, max(1, data.dimension), 64),
                                     for: "k0 × d first-layer weights (k0 = \(width))")
            try MemoryBudget.require(MemoryBudget.product(n, (width + 63) / 64, 8), for: "the codes of n points under k0 hyperplanes")
            (hyperplanes, drawn) = try stageA.fixedWidth(width)
        }
        let k = hyperplanes.count
        let codes = PackedCodes(layer: Layer(name: "A", neurons: hyperplanes), points: data.points)
        seconds.append(("stage A", start.duration(to: .now) / .seconds(1)))

        // Key classes, then stage B (or not), C and D.
        start = .now
        let classes = try KeyClasses(codes: codes, labels: data.labels, bitCount: k)
        let m = Int(log2(Double(classes.count)).rounded(.up)) * 2 + 2
        var chosen = try Rajput2021Assembly.choosing(options.compression, data: data, hyperplanes: hyperplanes, classes: classes,
                                                     compressedBits: m, seed: seed)
        chosen.network.provenance = Rajput2021.provenance(options, seed: seed, keyStage: chosen.keyStage.compression)
        seconds.append(("stages B-D", start.duration(to: .now) / .seconds(1)))
        let key = chosen.keyStage
        let keyNote: String
        switch key.compression {
        case .gf2 where key.rowWeight != nil: keyNote = "z = A c mod 2, A of m rows with \(key.rowWeight ?? 0) ones each"
        case .hash: keyNote = "u = Σ w_t c_t, random w_t in [1, 2^\(key.keyWeightBits))"
        default: keyNote = "u = Σ 2^t c_t, the code read in binary"
        }
        var quantities: [Quantity] = [
            ("k", .integer(k), "first-layer width (hyperplanes kept; \(drawn) drawn)"),
            ("k0", k0.json, k0.note),
            ("drawnHyperplanes", .integer(drawn), "random hyperplanes drawn in stage A"),
            ("compression", .string(key.compression.rawValue),
             options.compression == .auto ? "chosen by auto: \(keyNote)" : keyNote),
            ("m", .integer(key.carriers), key.rowWeight != nil ? "compressed code bits ⌈2 log2 N⌉ + 2 (the key reads them)"
                                                             : "code bits the key reads (no stage B)"),
            ("rowWeight", key.rowWeight.map { .integer($0) } ?? .null, "ones per row of the GF(2) matrix A (gf2)"),
            ("keyDraws", key.draws.map { .integer($0) } ?? .null, "GF(2) matrices or hash weights drawn until the keys were distinct"),
            ("keyWeightBits", .integer(key.keyWeightBits), "largest bits of a key weight (2^r for gf2 and none, w_t for hash)"),
            ("keyBits", .integer(key.keyBits), "bits of the largest key u"),
            ("positionCarriers", .integer(chosen.positionCarriers),
             "position carriers in C1, copied in C2 (\(chosen.positionHalfspaces) of them half-spaces of the keys' bits)"),
            ("positionWeightBits", .integer(chosen.positionWeightBits), "bits of the position key's weights"),
            ("keyClasses", .integer(classes.count), "N: distinct codes (points with equal code and label)"),
            ("blockSize", .integer(chosen.blockSize), "s ≈ √((3 + label bits) N) classes per block"),
            ("blocks", .integer(chosen.blocks), "⌈N/s⌉ blocks"),
            ("onePerPointNeurons", .integer(n * data.outputBitsNeeded), "n·(label bits): one neuron per point and label bit"),
            ("sqrtN", .string(Double(n).squareRoot().roundedText(digits: 1)), "√n"),
            ("inverseDelta", delta.map { .string((1 / $0).roundedText(digits: 1)) } ?? .null, "1/δ"),
        ]
        if let note = key.note { quantities.append(("keyNote", .string(note), "")) }
        if !chosen.candidates.isEmpty {
            quantities.append(("candidates", .array(chosen.candidates.map(\.json)),
                               "auto: each compression with neurons / weights / weight bits, or why it was not built"))
        }
        return BuiltNetwork(network: chosen.network, stages: chosen.stages, quantities: quantities,
                            minimumDistance: minimumDistance, seconds: seconds)
    }

    /// Every label equal: one output layer of constant neurons, and no hyperplanes.
    func constantNetwork(_ data: DataSet, provenance: JSONValue, minimumDistance: MinimumDistance,
                         seconds: [(String, Double)]) -> BuiltNetwork {
        let label = data.labels[0]
        let bits = data.outputBitsNeeded
        let network = Network(inputDimension: data.dimension, outputBits: bits, layers: [
            Layer(name: "output", neurons: (0 ..< bits).map { Neuron(terms: [], bias: LabelCode.bit($0, of: label) == 1 ? 0 : -1) }),
        ], provenance: provenance)
        return BuiltNetwork(network: network, stages: [StageReport(stage: "D", name: "constant output", layers: network.layers)],
                            quantities: [("k", .integer(0), "hyperplanes needed: every label is \(label)")],
                            minimumDistance: minimumDistance, seconds: seconds)
    }

    /// The network file's provenance: the method, its options and the paper.
    static func provenance(_ options: ConstructionOptions, seed: UInt64,
                           keyStage: ConstructionOptions.Compression? = nil) -> JSONValue {
        var o = JSONObjectBuilder()
        o.add("method", .string(ConstructionMethod.rajput2021.rawValue))
        o.add("seed", .integer(seed))
        o.add("precision", .integer(options.precision))
        o.add("width", .string(options.width.rawValue))
        o.add("compression", .string(options.compression.rawValue))
        if let keyStage, keyStage != options.compression { o.add("keyStage", .string(keyStage.rawValue)) }
        o.add("reference", .string("Rajput, Sreenivasan, Papailiopoulos, Karbasi, NeurIPS 2021, arXiv 2106.07724"))
        return o.value
    }
}

extension Rajput2021 {
    /// `--width theory` draws at most this many hyperplanes.
    public static let theoryWidthCap = 200_000

    /// Work allowed to the exact minimum-distance search when `--width theory`
    /// needs δ (about nanoseconds): 10 minutes.
    public static let theoryDistanceBudget = 600_000_000_000

    /// k0 = ⌈2π ln(n)/δ⌉, the theory's first-layer width, computed only when the
    /// labels differ and only as a checked value.
    enum TheoryWidth {
        case value(Int)
        /// Beyond `reportCap` (or δ² below the range of doubles): reported, never converted.
        case tooLarge(String)
        /// δ was not computed.
        case unknown(String)

        /// The largest k0 reported as an integer: 10^15.
        static let reportCap = 1e15

        init(pointCount n: Int, minimumDistance: MinimumDistance) {
            guard let d2 = minimumDistance.deltaSquared else {
                self = .unknown("δ was not computed: \(minimumDistance.skipped ?? "fewer than two points")")
                return
            }
            guard let approximation = d2.approximation, approximation > 0 else {
                self = .tooLarge("δ² = \(d2.scientificString()) is below 2^-1000, so k0 exceeds 10^300")
                return
            }
            let k = 2 * Double.pi * log(Double(max(n, 1))) / approximation.squareRoot()
            guard k.isFinite, k <= TheoryWidth.reportCap, let value = Int(exactly: k.rounded(.up)) else {
                self = .tooLarge("k0 ≈ \(k.scientificText(digits: 2)) is above 10^15")
                return
            }
            self = .value(max(1, value))
        }

        /// An integer, or null when unknown or too large.
        var json: JSONValue {
            if case .value(let value) = self { return .integer(value) }
            return .null
        }

        /// The note next to it in the report.
        var note: String {
            switch self {
            case .value: return "theory width ⌈2π ln(n)/δ⌉"
            case .tooLarge(let reason): return "theory width ⌈2π ln(n)/δ⌉: too large, " + reason
            case .unknown(let reason): return "theory width ⌈2π ln(n)/δ⌉: " + reason
            }
        }
    }
}
