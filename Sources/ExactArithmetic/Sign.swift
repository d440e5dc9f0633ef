/// The sign of an exact quantity: the result type of every predicate whose
/// boundary case matters, so that "exactly zero" is never lumped in with one side.
public enum Sign: Int8, Sendable, Hashable, Comparable, CustomStringConvertible {
    case negative = -1
    case zero = 0
    case positive = 1

    /// The sign of a machine integer.
    @inlinable
    public init<T: BinaryInteger>(of value: T) {
        self = value < 0 ? .negative : (value == 0 ? .zero : .positive)
    }

    /// The opposite sign; zero stays zero.
    @inlinable
    public var negated: Sign { Sign(rawValue: -rawValue)! }

    /// The sign of a product.
    @inlinable
    public static func * (lhs: Sign, rhs: Sign) -> Sign { Sign(rawValue: lhs.rawValue * rhs.rawValue)! }

    public static func < (lhs: Sign, rhs: Sign) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .negative: "negative"
        case .zero: "zero"
        case .positive: "positive"
        }
    }
}
