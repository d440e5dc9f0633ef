/// How generated points get their labels.
public enum LabelScheme: Sendable, Equatable, LosslessStringConvertible {
    /// Uniform random bits.
    case random
    /// 0, 1, 0, 1, ... in generation order (cyclic order on a circle, t order on a curve).
    case alternating
    /// Uniform random labels in 0..<C, 2 <= C <= `maximumClasses`.
    case classes(Int)

    /// The most classes `classes:C` may ask for: 2^20.
    public static let maximumClasses = 1 << 20

    /// Parses `random`, `alternating` or `classes:C` (2 <= C <= 2^20); nil for anything else.
    public init?(_ text: String) {
        switch text {
        case "random": self = .random
        case "alternating": self = .alternating
        default:
            guard text.hasPrefix("classes:"), let c = Int(text.dropFirst("classes:".count)), c >= 2,
                  c <= LabelScheme.maximumClasses else { return nil }
            self = .classes(c)
        }
    }

    public var description: String {
        switch self {
        case .random: "random"
        case .alternating: "alternating"
        case .classes(let c): "classes:\(c)"
        }
    }

    /// Labels for `count` points in generation order.
    public func labels(count: Int, seed: UInt64) -> [Int] {
        var rng = SeededRandom(seed: seed, stream: RandomStream.labels)
        switch self {
        case .random: return (0 ..< count).map { _ in Int(rng.next() >> 63) }
        case .alternating: return (0 ..< count).map { $0 % 2 }
        case .classes(let c): return (0 ..< count).map { _ in rng.below(c) }
        }
    }
}
