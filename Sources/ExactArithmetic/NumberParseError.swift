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
        case binaryExponentOutOfRange
        case missingBinaryExponent
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
            let shown = c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && !($0.value >= 0x80 && $0.value < 0xA0) })
                ? String(c) : c.unicodeScalars.map { "\\x" + String($0.value, radix: 16, uppercase: true) }.joined()
            return "unexpected character '\(shown)' in a number (expected forms: -12, 0.125, 1e-3, -2.5E+4, 3/7, 0x1.8p-1)"
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
        case .binaryExponentOutOfRange:
            return "exponent out of range (a hexadecimal float's |exponent| is at most \(Rational.maximumBinaryExponent))"
        case .missingBinaryExponent:
            return "a hexadecimal number needs a binary exponent (p followed by digits, as in 0x1.8p-1)"
        }
    }
}
