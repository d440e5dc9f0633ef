import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks

// MARK: - The interface every method implements

/// A way to build a threshold network that memorizes a labeled data set.
///
/// Every method takes the same inputs (the data set, the options, a seed) and
/// gives the same output (the network, a size report per stage, and named
/// quantities next to the theory). `build` only builds; callers use
/// `construct`, which also verifies the network exactly, so that nothing
/// unverified is ever handed on.
public protocol Construction: Sendable {
    /// Which method this is.
    var method: ConstructionMethod { get }

    /// Builds the network for `data`. Every random choice is drawn from `seed`
    /// (the same inputs give the same bytes).
    ///
    /// Throws `RequestError` when the method does not apply to the data or the
    /// options cannot be met, and `InternalError` when a stage breaks its own
    /// exact promise (a bug).
    func build(_ data: DataSet, options: ConstructionOptions, seed: UInt64) throws -> BuiltNetwork
}

extension Construction {
    /// Builds the network, verifies it exactly on every point, and reports.
    ///
    /// A network that does not memorize the data is a bug: it throws
    /// `InternalError` and nothing is returned.
    public func construct(_ data: DataSet, options: ConstructionOptions = ConstructionOptions(), seed: UInt64 = 1)
        throws -> ConstructionResult {
        guard data.dimension <= Network.maximumInputDimension else {
            throw RequestError("the data have \(data.dimension) coordinates, more than a network file may read "
                               + "(\(Network.maximumInputDimension))")
        }
        let built = try build(data, options: options, seed: seed)
        let start = ContinuousClock.now
        let report = try Verifier.verify(built.network, on: data, mismatchLimit: 5)
        guard report.memorized else {
            let first = report.mismatches.first.map { "line \($0.line): expected \($0.expected), output \($0.output)" } ?? ""
            throw InternalError("the \(method.rawValue) network does not memorize the data (\(report.mismatchCount) points, "
                                + "first \(first)); nothing was written")
        }
        return ConstructionResult(network: built.network, method: method, stages: built.stages, quantities: built.quantities,
                                  minimumDistance: built.minimumDistance, verification: report,
                                  seconds: built.seconds + [("verification", start.duration(to: .now) / .seconds(1))])
    }
}

// MARK: - Work caps

/// Estimates of a method's work, checked before it starts, so that no request
/// runs for hours: above the cap the method does not apply, with the reason
/// (a `RequestError`: exit 2 for `construct`, a row saying why in `compare`).
public enum WorkCap {
    /// The most operations (word multiply-adds, roughly nanoseconds) a method may plan: 3·10^11, minutes on two cores.
    public static let operations = 3e11

    /// Throws unless `estimate` operations fit the cap; `what` names the work.
    public static func require(_ estimate: Double, for what: String) throws(RequestError) {
        guard estimate <= operations else {
            throw RequestError("\(what) would take about \(estimate.scientificText()) operations, above the cap of "
                               + "\(operations.scientificText()) (minutes on two cores)")
        }
    }
}

// MARK: - Inputs

/// The options of every construction; each method reads those that concern it.
public struct ConstructionOptions: Sendable {
    /// How rajput2021 chooses the first layer's width.
    public enum Width: String, Sendable, CaseIterable {
        /// Add hyperplanes until every two differently labeled points have different codes.
        case adaptive
        /// Draw k0 = ⌈2π ln(n)/δ⌉ at once (needs δ).
        case theory
    }

    /// How rajput2021 turns the first layer's k-bit codes into integer keys (stage B).
    public enum Compression: String, Sendable, CaseIterable {
        /// The paper's random GF(2) linear code z = A c mod 2 with sparse rows, each
        /// row's parity in one layer of threshold neurons; keys u = Σ 2^r z_r.
        case gf2
        /// No stage B: the key is a random integer linear form u = Σ w_r c_r of the
        /// code bits with weights of about 2 log2 N bits, redrawn until the classes' keys
        /// are distinct; stage C reads the code bits directly.
        case hash
        /// No stage B: the key is the code read in binary, u = Σ 2^r c_r (k-bit weights).
        case none
        /// Builds gf2, hash and none and keeps the smallest network: fewest neurons, then
        /// fewest weights, then fewest weight bits in total.
        case auto
    }

    /// rajput2021: fractional bits of the first layer's dyadic weights (1 to 1000).
    public var precision: Int = 32
    /// rajput2021: the first layer's width.
    public var width: Width = .adaptive
    /// rajput2021: stage B (the key stage).
    public var compression: Compression = .auto
    /// Work allowed to the exact minimum-distance search (about nanoseconds); nil
    /// for the default, 1.2 s or 15 µs per point, whichever is larger (at most
    /// 10 s). rajput2021 with `--width theory` needs δ and ignores it.
    public var minimumDistanceBudget: Int?
    /// The data's minimum distance when the caller has computed it already
    /// (`Comparison` computes it once for every method); nil to compute it.
    public var minimumDistance: MinimumDistance?

    public init() {}
}

// MARK: - Outputs

/// A named quantity reported next to the theory (k, k0, m, N, ...).
public typealias Quantity = (key: String, value: JSONValue, note: String)

/// The size of one stage of a construction (a group of consecutive layers).
public struct StageReport: Sendable {
    public var stage: String
    public var name: String
    public var counts: NetworkCounts

    public init(stage: String, name: String, layers: [Layer]) {
        self.stage = stage
        self.name = name
        counts = layers.reduce(NetworkCounts.zero) { $0.followed(by: $1.counts) }
    }
}

/// What a construction built, before verification.
public struct BuiltNetwork: Sendable {
    public var network: Network
    public var stages: [StageReport]
    /// Named quantities next to the theory, in display order.
    public var quantities: [Quantity]
    /// The data's minimum distance, when the method computed it.
    public var minimumDistance: MinimumDistance?
    /// Wall time per phase, in seconds (reports only; never a decision).
    public var seconds: [(String, Double)]

    public init(network: Network, stages: [StageReport], quantities: [Quantity], minimumDistance: MinimumDistance?,
                seconds: [(String, Double)]) {
        self.network = network
        self.stages = stages
        self.quantities = quantities
        self.minimumDistance = minimumDistance
        self.seconds = seconds
    }
}

/// A built network, verified exactly, with what its construction measured.
public struct ConstructionResult: Sendable {
    public var network: Network
    public var method: ConstructionMethod
    public var stages: [StageReport]
    /// Named quantities next to the theory (k, k0, m, N, ...), in display order.
    public var quantities: [Quantity]
    public var minimumDistance: MinimumDistance?
    /// The exact verification on every point (`memorized` is always true).
    public var verification: VerificationReport
    /// Wall time per phase, verification last.
    public var seconds: [(String, Double)]
}
