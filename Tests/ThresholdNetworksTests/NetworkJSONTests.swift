import Foundation
import ExactArithmetic
import Testing
import TestSupport
import TextFormats
@testable import ThresholdNetworks

let validNetworkText = """
{
  "format": "memcert.network/1",
  "inputDimension": 3,
  "outputBits": 1,
  "layers": [
    { "name": "random-hyperplanes",
      "neurons": [ { "weights": { "indices": [0, 2], "values": ["3/8", "-1"] }, "bias": "0" },
                   { "weights": { "indices": [1], "values": ["6/16"] }, "bias": 0.25 } ] },
    { "name": "out", "neurons": [ { "weights": { "indices": [0, 1], "values": ["1", "1e0"] }, "bias": "-2" } ] }
  ],
  "provenance": { "method": "rajput2021", "seed": 7 }
}
"""

struct MalformedCase: Sendable, CustomStringConvertible {
    let text: String
    let fragment: String
    let line: Int
    let column: Int
    init(_ text: String, _ fragment: String, _ line: Int, _ column: Int) {
        self.text = text
        self.fragment = fragment
        self.line = line
        self.column = column
    }
    var description: String { fragment.isEmpty ? "truncated or mangled" : fragment }
}

func edited(_ old: String, _ new: String) -> String {
    validNetworkText.replacingOccurrences(of: old, with: new)
}

let malformedCases: [MalformedCase] = [
    MalformedCase("{\"format\": \"memcert.network/3\"", "unsupported format", 1, 12),
    MalformedCase(edited("\"name\": \"out\",", "\"name\": \"out\", \"comparison\": \">\","), "needs \"format\": \"memcert.network/2\"", 9, 36),
    MalformedCase(edited("\"memcert.network/1\"", "\"memcert.network/2\"").replacingOccurrences(of: "\"name\": \"out\",", with: "\"name\": \"out\", \"comparison\": \"<\","),
                  "unknown comparison \"<\"", 9, 36),
    MalformedCase(edited("\"memcert.network/1\"", "\"memcert.network/2\"").replacingOccurrences(of: "\"name\": \"out\",", with: "\"name\": \"out\", \"comparison\": 1,"),
                  "expected a string", 9, 36),
    MalformedCase(edited("[0, 2]", "[2, 0]"), "strictly increasing", 7, 50),
    MalformedCase(edited("[0, 2]", "[0, 3]"), "out of range", 7, 46),
    MalformedCase(edited("\"3/8\"", "\"3/0\""), "zero denominator", 7, 68),
    MalformedCase(edited("\"outputBits\": 1", "\"outputBits\": 2"), "but outputBits is 2", 9, 5),
    MalformedCase(String(validNetworkText.prefix(200)), "", 0, 0),
    MalformedCase(edited("\"bias\": \"-2\"", "\"bias\": \"-2\", \"bias\": \"1\""), "duplicate key", 9, 0),
    MalformedCase(edited("\"bias\": \"0\"", "\"bais\": \"0\""), "unknown key \"bais\"", 7, 0),
    MalformedCase(edited("\"-1\"]", "\"-1\", \"2\"]"), "3 weight values for 2 indices", 7, 0),
    MalformedCase(edited("\"3/8\"", "\"NaN\""), "NaN", 7, 0),
    MalformedCase(edited("\"layers\": [", "\"layers\": [], \"x\": ["), "", 0, 0),
    MalformedCase("", "expected '{'", 1, 1),
    MalformedCase("[]", "expected '{'", 1, 1),
    MalformedCase("{\"format\": \"memcert.network/1\", \"inputDimension\": 1, \"outputBits\": 1, \"layers\": []}", "at least one layer", 1, 1),
]

@Suite("memcert.network/1 reading and writing")
struct NetworkJSONTests {
    @Test("reading normalises values; writing is canonical and reads back identically")
    func roundTrip() throws {
        let net = try parseNetwork(validNetworkText)
        #expect(net.layers[0].neurons[1].weights == [Rational(3, 8)])
        #expect(net.layers[0].neurons[1].bias == Rational(1, 4))
        #expect(net.layers[1].neurons[0].weights == [1, 1])
        #expect(net.provenance?["seed"] == .number("7"))
        let text = String(decoding: net.jsonBytes(), as: UTF8.self)
        #expect(text.contains("\"values\": [\"3/8\"]"))
        #expect(text.contains("\"bias\": \"1/4\""))
        let again = try parseNetwork(text)
        #expect(again.layers == net.layers)
        #expect(String(decoding: again.jsonBytes(), as: UTF8.self) == text)
    }

    @Test("memcert.network/2: comparisons read and written; a network of >= layers only is still written as /1")
    func comparisons() throws {
        var net = try parseNetwork(validNetworkText)
        #expect(net.layers.allSatisfy { $0.comparison == .atLeast })
        #expect(String(decoding: net.jsonBytes(), as: UTF8.self).contains("\"format\": \"memcert.network/1\""))
        #expect(!String(decoding: net.jsonBytes(), as: UTF8.self).contains("comparison"))
        for comparison in Comparison.allCases {
            net.layers[1].comparison = comparison
            let text = String(decoding: net.jsonBytes(), as: UTF8.self)
            #expect(text.contains(comparison == .atLeast ? "memcert.network/1" : "memcert.network/2"))
            let again = try parseNetwork(text)
            #expect(again.layers == net.layers)
            #expect(String(decoding: again.jsonBytes(), as: UTF8.self) == text)
        }
        // /2 with ">=" written out, or with no comparison at all, reads as the /1 network.
        let explicit = edited("\"memcert.network/1\"", "\"memcert.network/2\"").replacingOccurrences(of: "\"name\": \"out\",", with: "\"name\": \"out\", \"comparison\": \">=\",")
        #expect(try parseNetwork(explicit).layers == parseNetwork(validNetworkText).layers)
    }

    @Test("docs/formats.md J1-J5: a byte-order mark, escaped number strings, bare numbers; integers must be JSON integers")
    func specification() throws {
        let marked = try parseNetwork("\u{FEFF}" + validNetworkText)
        #expect(marked.layers.count == 2)
        let escaped = try parseNetwork(edited("\"3/8\"", "\"\\u0033/8\""))
        #expect(escaped.layers[0].neurons[0].weights[0] == Rational(3, 8))
        let bare = try parseNetwork(edited("\"3/8\"", "0.375e0"))
        #expect(bare.layers[0].neurons[0].weights[0] == Rational(3, 8))
        let hex = try parseNetwork(edited("\"3/8\"", "\"0x1.8p-2\""))
        #expect(hex.layers[0].neurons[0].weights[0] == Rational(3, 8))
        for bad in ["\"inputDimension\": 3.0", "\"inputDimension\": 3e0", "\"inputDimension\": \"3\"", "\"inputDimension\": true"] {
            #expect(throws: InputError.self) { try parseNetwork(edited("\"inputDimension\": 3", bad)) }
        }
        #expect(throws: InputError.self) { try parseNetwork(edited("\"outputBits\": 1", "\"outputBits\": 63")) }
        #expect(throws: InputError.self) { try parseNetwork(edited("\"3/8\"", "\"1e5001\"")) }
        // An inputDimension of any length is refused at its limit, never an overflow while reading.
        for huge in ["9223372036854775808", "18446744073709551616", String(repeating: "9", count: 300)] {
            #expect(throws: InputError.self) { try parseNetwork(edited("\"inputDimension\": 3", "\"inputDimension\": \(huge)")) }
        }
    }

    @Test("columns (T2): a leading byte-order mark is no column; one per UTF-8 sequence, one per byte of an invalid one")
    func columns() {
        for (prefix, column) in [("\u{FEFF}", 6), ("", 6)] {
            do {
                _ = try parseNetwork(prefix + "{\"a\" 1}")
                Issue.record("accepted")
            } catch {
                #expect(error.line == 1 && error.column == column, "\(error)")
            }
        }
        let bytes: [UInt8] = Array("{\"".utf8) + [0xE2, 0x82] + Array("\" 1}".utf8)
        let error = bytes.withUnsafeBufferPointer { TextPosition.lineAndColumn(of: bytes.count - 2, in: $0) }
        #expect(error.line == 1 && error.column == 7)  // {, ", E2, 82, ", space: the 1 is column 7
    }

    @Test("each malformed network names the problem with line and column", arguments: malformedCases)
    func malformed(_ c: MalformedCase) {
        let (text, fragment, line, column) = (c.text, c.fragment, c.line, c.column)
        do {
            _ = try parseNetwork(text)
            Issue.record("accepted a malformed network")
        } catch {
            #expect(error.file == "net.json")
            #expect(error.line != nil && error.column != nil, "\(error)")
            #expect(fragment.isEmpty || error.message.contains(fragment), "\(error)")
            if line > 0 { #expect(error.line == line, "\(error)") }
            if column > 0 { #expect(error.column == column, "\(error)") }
        }
    }

    @Test("random bytes and random mutations of a valid file never crash the reader")
    func fuzz() {
        var rng = SplitMix64(seed: 200)
        let base = Array(validNetworkText.utf8)
        var accepted = 0, rejected = 0
        for round in 0 ..< 3000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0 ..< rng.below(300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = base
                for _ in 0 ..< rng.below(4) + 1 {
                    let i = rng.below(bytes.count)
                    switch rng.below(3) {
                    case 0: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.remove(at: i)
                    default: bytes = Array(bytes.prefix(i))
                    }
                    if bytes.isEmpty { break }
                }
            }
            let outcome = bytes.withUnsafeBufferPointer { buffer in
                Result { () throws(InputError) in try Network.parse(buffer, file: "fuzz.json") }
            }
            switch outcome {
            case .success(let net): #expect(net.structuralProblem == nil); accepted += 1
            case .failure(let error): #expect(error.line != nil); rejected += 1
            }
        }
        #expect(rejected > 2000)
    }

    @Test("deep nesting is rejected, not a stack overflow")
    func deepNesting() {
        let text = "{\"format\": \"memcert.network/1\", \"provenance\": " + String(repeating: "[", count: 100_000)
        #expect(throws: InputError.self) { try parseNetwork(text) }
    }
}
