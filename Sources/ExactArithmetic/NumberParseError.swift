/// Why a piece of text is not a number memcert accepts.
///
/// `offset` is the byte offset inside the parsed text where the problem was
/// found; callers that know the text's position in a file turn it into a line
/// and column.
public struct NumberParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case empty
        case unexpectedCharacter(Character)
        case missingDigits
        case notANumber
        case infinite
        case zeroDenominator
        case fractionOfNonIntegers
        case exponentOutOfRange
    }

    public let kind: Kind
    public let offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String {
        switch kind {
        case .empty:
            return "empty field where a number was expected"
        case .unexpectedCharacter(let c):
            return "unexpected character '\(c)' in a number (expected forms: -12, 0.125, 1e-3, -2.5E+4, 3/7)"
        case .missingDigits:
            return "a number needs at least one digit"
        case .notANumber:
            return "NaN is not a number: every value must be finite and exact"
        case .infinite:
            return "infinity is not allowed: every value must be finite"
        case .zeroDenominator:
            return "zero denominator in a fraction"
        case .fractionOfNonIntegers:
            return "a fraction p/q takes integers only (no decimal point or exponent)"
        case .exponentOutOfRange:
            return "exponent out of range (|exponent| at most \(Rational.maximumDecimalExponent))"
        }
    }
}
