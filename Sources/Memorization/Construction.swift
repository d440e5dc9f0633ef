import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks

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

/// A built network with what its construction measured.
public struct ConstructionResult: Sendable {
    public var network: Network
    public var method: String
    public var stages: [StageReport]
    /// Named quantities next to the theory (k, k0, m, N, ...), in display order.
    public var quantities: [(key: String, value: JSONValue, note: String)]
    public var minimumDistance: MinimumDistance?
    public var verification: VerificationReport
    public var seconds: [(String, Double)]
}

/// Options of `memcert construct --method rajput2021`.
public struct Rajput2021Options: Sendable {
    public enum Width: String, Sendable, CaseIterable { case adaptive, theory }
    public enum Compression: String, Sendable, CaseIterable { case gf2, none, auto }

    public var seed: UInt64 = 1
    /// Fractional bits of the first layer's dyadic weights.
    public var precision: Int = 32
    public var width: Width = .adaptive
    public var compression: Compression = .gf2
    /// Work allowed to the exact δ search (about nanoseconds); nil for the
    /// default, 1.2 s or 15 µs per point, whichever is larger (at most 10 s).
    public var deltaWorkBudget: Int?

    public init() {}
}
