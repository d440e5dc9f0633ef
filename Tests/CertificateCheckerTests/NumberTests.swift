import ExactArithmetic
import Testing
import TestSupport
@testable import CertificateChecker

@Suite("The checker's exact numbers (grammar N)")
struct NumberTests {
    @Test("every form of grammar N reads exactly", arguments: [
        ("-12", "-12"), ("0.125", "1/8"), ("1e-3", "1/1000"), ("-2.5E+4", "-25000"), ("3/7", "3/7"), ("6/14", "3/7"), ("+5", "5"),
        (".5", "1/2"), ("5.", "5"), ("-0", "0"), ("007", "7"), ("1e0005000", "1" + String(repeating: "0", count: 5000)),
        ("0x1.8p-1", "3/4"), ("-0X.8P1", "-1"), ("0x10p0", "16"), ("0x0p99", "0"), ("0xAp-2", "5/2"), ("0x.0001p16", "1"),
        ("9223372036854775807", "9223372036854775807"), ("-9223372036854775808", "-9223372036854775808"),
        ("9223372036854775808", "9223372036854775808"), ("0.3333333333333333333", "3333333333333333333/10000000000000000000"),
        ("123456789012345678901234567890/10", "12345678901234567890123456789"), ("18/12", "3/2"), ("0/5", "0"),
    ])
    func valid(_ text: String, _ expected: String) {
        #expect(number(text).value == expected, "\(text)")
    }

    @Test("everything else is an error", arguments: [
        "", "+", "-", ".", "e5", "1e", "1e+", "1e5001", "1e-5001", "0x1p16501", "0x10", "0x", "0xp1", "1/0", "1/-2", "-1/+2", "1.5/2",
        "1/2.5", "1/2/3", "nan", "-NaN", "inf", "-Infinity", "1 ", " 1", "1,5", "1_000", "0b101", "1e5.5", "١", "\u{FEFF}1",
    ])
    func invalid(_ text: String) {
        #expect(number(text).failure != nil, "\(text)")
    }

    @Test("NaN and infinities get their own message")
    func specials() {
        #expect(number("nan").failure?.message.contains("NaN") == true)
        #expect(number("-INF").failure?.message.contains("infinity") == true)
    }

    @Test("agrees with the producer's independent parser on random texts, valid and not")
    func differential() {
        var rng = SplitMix64(seed: 902)
        let alphabet = Array("0123456789012345678901234567890123456789-+./eExXpPaF".utf8)
        var agreedValid = 0
        for round in 0 ..< 20000 {
            let length = round % 10 == 0 ? rng.below(60) + 1 : rng.below(12) + 1
            let text = String(decoding: (0 ..< length).map { _ in alphabet[rng.below(alphabet.count)] }, as: UTF8.self)
            let mine = number(text)
            let theirs = try? Rational(parsing: text)
            #expect(mine.value == theirs?.description, "\(text)")
            if theirs != nil { agreedValid += 1 }
        }
        #expect(agreedValid > 1000)
    }

    @Test("words and GMP agree at the Int64 edges")
    func edges() {
        for text in ["9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                     "922337203685477580.7", "1/9223372036854775807", "1/9223372036854775808", "999999999999999999",
                     "9999999999999999999e-1", "0x7fffffffffffffffp0", "0x8000000000000000p-63"] {
            #expect(number(text).value == (try? Rational(parsing: text))?.description, "\(text)")
        }
    }
}
