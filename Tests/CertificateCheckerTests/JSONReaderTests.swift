import Testing
import TestSupport
@testable import CertificateChecker

@Suite("The checker's strict JSON reader")
struct JSONReaderTests {
    @Test("RFC 8259 values, with a byte-order mark skipped and numbers kept as their text")
    func valid() throws {
        let root = try readJSON("\u{FEFF} {\"a\": [1, -0.5e3, true, null, \"x\\u00e9\\ud83d\\ude00\\n\"], \"b\": {}} ").get()
        guard case .object(let members) = root.value, case .array(let list) = members[0].node.value else { Issue.record("shape"); return }
        #expect(members.map(\.key) == ["a", "b"])
        guard case .number(let n) = list[1].value, case .string(let s) = list[4].value else { Issue.record("values"); return }
        #expect(n == "-0.5e3")
        #expect(s == "xé😀\n")
    }

    @Test("what RFC 8259 forbids or the format refuses is a located error", arguments: [
        ("{\"a\": 1, \"a\": 2}", "duplicate key"), ("{\"a\": 1, \"\\u0061\": 2}", "duplicate key"),
        ("{\"a\": 01}", "leading zeros"), ("{\"a\": 1.}", "digits after"), ("{\"a\": .5}", "expected a value"),
        ("{\"a\": +1}", "expected a value"), ("{\"a\": 1e}", "exponent digits"), ("{\"a\": 1} x", "after the JSON value"),
        ("{\"a\": \"\\ud800\"}", "surrogate"), ("{\"a\": \"\\udc00\"}", "surrogate"), ("{\"a\": \"\u{1}\"}", "control character"),
        ("{\"a\": \"\\x\"}", "invalid escape"), ("{\"a\": tru}", "invalid literal"), ("{\"a\" 1}", "expected ':'"),
        ("{\"a\": 1,}", "expected a key"), ("[1 2]", "expected ',' or ']'"), ("", "end of the file"), ("{\"a\": \"abc", "unterminated"),
        ("{'a': 1}", "expected a key"), ("{\"a\": NaN}", "expected a value"), ("{\"a\": Infinity}", "expected a value"),
    ])
    func invalid(_ text: String, _ fragment: String) {
        let error = readJSON(text).failure
        #expect(error?.message.contains(fragment) == true, "\(text): \(error.map(String.init(describing:)) ?? "accepted")")
        #expect(error?.line != nil && error?.column != nil)
    }

    @Test("invalid UTF-8 inside a string is refused and never echoed raw")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] {
            let text: [UInt8] = Array("{\"a\": \"".utf8) + bytes + Array("\"}".utf8)
            let error = reading(text) { (b) throws(MalformedInput) in try JSONReader.parse(b, file: "t.json") }.failure
            #expect(error?.message.contains("UTF-8") == true)
        }
    }

    @Test("nesting deeper than 256 is refused, not a stack overflow")
    func nesting() {
        #expect(readJSON(String(repeating: "[", count: 256) + String(repeating: "]", count: 256)).value != nil)
        #expect(readJSON(String(repeating: "[", count: 257) + String(repeating: "]", count: 257)).failure?.message.contains("deeper") == true)
        #expect(readJSON(String(repeating: "[", count: 100_000)).failure != nil)
    }

    @Test("JSON integers are digits only: no sign, fraction, exponent, string or boolean", arguments: [
        ("7", 7), ("0", 0), ("4611686018427387904", nil), ("7.0", nil), ("7e0", nil), ("-0", nil), ("-1", nil), ("\"7\"", nil),
        ("true", nil), ("1.9", nil), ("70", 70), ("4611686018427387903", (1 << 62) - 1),
        // Past the limit at any length, never an overflow while reading.
        ("9223372036854775807", nil), ("9223372036854775808", nil), ("18446744073709551616", nil), (String(repeating: "9", count: 300), nil),
    ] as [(String, Int?)])
    func integers(_ text: String, _ expected: Int?) {
        let result = reading(Array(text.utf8)) { (b) throws(MalformedInput) -> Int in
            var reader = JSONReader(b, file: "t.json")
            let value = try reader.readInteger("x", limit: 1 << 62 - 1)
            try reader.finish()
            return value
        }
        #expect(result.value == expected, "\(text)")
    }

    @Test("random bytes and mutated documents give typed errors, never a crash")
    func fuzz() {
        var rng = SplitMix64(seed: 901)
        let base = Array("{\"format\": \"x\", \"list\": [1, 2.5, -3e2, \"\\u00e9\"], \"o\": {\"k\": [true, false, null]}}".utf8)
        var rejected = 0
        for round in 0 ..< 4000 {
            let bytes = mutated(base, &rng, round: round)
            if reading(bytes, { (b) throws(MalformedInput) in try JSONReader.parse(b, file: "f.json") }).failure != nil { rejected += 1 }
        }
        #expect(rejected > 2500)
    }
}
