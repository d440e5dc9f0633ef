import Testing
import TestSupport
@testable import ExactArithmetic

@Suite("Exact parsing")
struct ParsingTests {
    @Test("the documented forms parse to their exact values", arguments: [
        ("-12", Rational(-12)), ("0.125", Rational(1, 8)), ("1e-3", Rational(1, 1000)),
        ("-2.5E+4", Rational(-25000)), ("3/7", Rational(3, 7)), ("6/14", Rational(3, 7)),
        ("+5", Rational(5)), (".5", Rational(1, 2)), ("5.", Rational(5)), ("-0", Rational(0)),
        ("0.1", Rational(1, 10)), ("1E0", Rational(1)), ("000.000", Rational(0)), ("-0/5", Rational(0)),
        ("2.5e-1", Rational(1, 4)), ("12345678901234567890", Rational(BigInt("12345678901234567890")!)),
        ("0.3333333333333333333333", Rational(BigInt("3333333333333333333333")!, BigInt.powerOfTen(22))),
        ("9223372036854775807", Rational(BigInt(Int64.max))), ("-9223372036854775808", Rational(BigInt(Int64.min))),
        ("1e30", Rational(BigInt.powerOfTen(30))), ("1e-19", Rational(1, 1).power(1) / Rational(BigInt.powerOfTen(19))),
        ("0x1.8p-1", Rational(3, 4)), ("-0X.8P1", Rational(-1)), ("0x10p0", Rational(16)), ("0x0p5", Rational(0)),
        ("+0xAp-2", Rational(5, 2)), ("0x1p64", Rational(BigInt(1).shiftedLeft(by: 64))), ("0xffffffffffffffffp0", Rational(BigInt(UInt64.max))),
        ("1e5000", Rational(BigInt.powerOfTen(5000))), ("1e-0005000", Rational(BigInt(1), BigInt.powerOfTen(5000))),
        ("0x1p-16500", Rational(BigInt(1), BigInt(1).shiftedLeft(by: 16500))),
    ])
    func validForms(text: String, expected: Rational) throws {
        #expect(try Rational(parsing: text) == expected)
    }

    @Test("bad numbers name the problem and its offset", arguments: [
        ("", NumberParseError.Kind.empty, 0), ("nan", .notANumber, 0), ("-inf", .infinite, 1), ("Infinity", .infinite, 0),
        ("1.2.3", .unexpectedCharacter("."), 3), ("3/0", .zeroDenominator, 2), ("1.5/2", .fractionOfNonIntegers, 3),
        ("1e", .missingDigits, 2), ("1e+", .missingDigits, 3), ("abc", .unexpectedCharacter("a"), 0), ("-", .missingDigits, 1),
        ("3/-7", .unexpectedCharacter("-"), 2), ("1e999999999", .exponentOutOfRange, 2), ("12 ", .unexpectedCharacter(" "), 2),
        ("0x10", .missingBinaryExponent, 4), ("1/2/3", .unexpectedCharacter("/"), 3), (".", .missingDigits, 1),
        ("1e5001", .exponentOutOfRange, 2), ("1e-5001", .exponentOutOfRange, 3), ("0x1p16501", .binaryExponentOutOfRange, 4),
        ("0x", .missingDigits, 2), ("0xp1", .missingDigits, 2), ("0x1p", .missingDigits, 4), ("0x1.2.3p1", .missingBinaryExponent, 5),
        ("0x1p1x", .unexpectedCharacter("x"), 5), ("0xg", .missingDigits, 2),
    ])
    func invalidForms(text: String, kind: NumberParseError.Kind, offset: Int) {
        #expect(throws: NumberParseError(kind, at: offset)) { try Rational(parsing: text) }
    }

    @Test("parse(print(x)) == x on random decimals and fractions, including thousands of digits")
    func roundTrip() throws {
        var rng = SplitMix64(seed: 20)
        for round in 0 ..< 400 {
            let digits = round < 300 ? Int(rng.next() % 30) + 1 : Int(rng.next() % 4000) + 1
            let mantissa = randomDecimalText(&rng, digits: digits)
            let k = Int(rng.next() % UInt64(digits + 3))
            // Insert a decimal point k digits from the right (when possible) and compare with p / 10^k.
            let negative = mantissa.hasPrefix("-")
            var body = negative ? String(mantissa.dropFirst()) : mantissa
            if k < body.count { body.insert(".", at: body.index(body.endIndex, offsetBy: -k)) } else {
                body = "0." + String(repeating: "0", count: k - body.count) + body
            }
            let text = (negative ? "-" : "") + body
            let expected = Rational(BigInt(mantissa)!, BigInt.powerOfTen(k))
            let parsed = try Rational(parsing: text)
            #expect(parsed == expected, "\(text)")
            #expect(try Rational(parsing: parsed.description) == parsed)
            let withExponent = try Rational(parsing: mantissa + "e-" + String(k))
            #expect(withExponent == expected)
        }
    }
}
