import ExactArithmetic

/// A JSON document tree with members kept in their written order, so that
/// what memcert writes has a stable key order.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, kept as its exact literal text.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// An integer number.
    public static func integer(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }

    /// An exact rational, written as a string ("p" or "p/q").
    public static func rational(_ value: Rational) -> JSONValue { .string(value.description) }

    /// The member named `key` of an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

/// Builds object members in order: `JSONValue.object([.init("n", .integer(3)), ...])`
/// reads better as `JSONObjectBuilder` calls in report code.
public struct JSONObjectBuilder: Sendable {
    public private(set) var members: [JSONValue.Member] = []
    public init() {}
    public mutating func add(_ key: String, _ value: JSONValue) { members.append(.init(key, value)) }
    public var value: JSONValue { .object(members) }
}

// MARK: - Human output

extension JSONValue {
    /// The value as a person reads it in a report (never Swift's debug
    /// description): numbers and strings as their text, `n/a` for null,
    /// `yes`/`no`, arrays as comma-separated items (`3, 4, 5`), and objects
    /// as `key: value` pairs in braces.
    public var plainText: String {
        switch self {
        case .null: return "n/a"
        case .bool(let value): return value ? "yes" : "no"
        case .number(let text), .string(let text): return text
        case .array(let items): return items.map(\.plainText).joined(separator: ", ")
        case .object(let members): return "{" + members.map { "\($0.key): \($0.value.plainText)" }.joined(separator: ", ") + "}"
        }
    }
}
