import Testing
@testable import TextFormats

@Suite("Messages and report text")
struct MessageTextTests {
    @Test("control, invisible and bidirectional characters are escaped; printable text, non-ASCII letters and backslashes are kept")
    func escaping() {
        #expect(MessageText.escaped("plain: café, δ = 0.1, a\\b") == "plain: café, δ = 0.1, a\\b")
        #expect(MessageText.escaped("a\u{1B}[2Jb") == "a\\x1B[2Jb")
        #expect(MessageText.escaped("line\nnext\ttab\r\u{7F}\u{85}") == "line\\x0Anext\\x09tab\\x0D\\x7F\\x85")
        #expect(MessageText.escaped("\u{202E}evil\u{200B}\u{FEFF}\u{2028}") == "\\u{202E}evil\\u{200B}\\u{FEFF}\\u{2028}")
        let once = MessageText.escaped("x\u{0}y\u{1B}")
        #expect(MessageText.escaped(once) == once)  // escaping twice changes nothing more
    }

    @Test("bytes that are not UTF-8 are shown as \\xHH, valid sequences as text")
    func bytes() {
        #expect(MessageText.escaped(bytes: Array("ok é".utf8)) == "ok é")
        #expect(MessageText.escaped(bytes: [0x61, 0xC3, 0x28, 0xFF, 0x80, 0x62]) == "a\\xC3(\\xFF\\x80b")
        #expect(MessageText.escaped(bytes: [0xED, 0xA0, 0x80]) == "\\xED\\xA0\\x80")  // a surrogate is not UTF-8
        #expect(MessageText.escaped(bytes: [0xE2, 0x82]) == "\\xE2\\x82")  // cut short
    }

    @Test("every error type's description is one visible line")
    func errors() {
        let input = InputError(file: "a\nb.csv", line: 2, column: 3, message: "bad \u{1B}[31m")
        #expect(input.description == "a\\x0Ab.csv:2:3: bad \\x1B[31m")
        #expect(RequestError("x\ny").description == "x\\x0Ay")
        #expect(InternalError("\u{7}").description == "\\x07")
        let bytes: [UInt8] = [0x31, 0x0A, 0x1B, 0xFF]
        let excerpt = bytes.withUnsafeBufferPointer { TextPosition.excerpt($0) }
        #expect(excerpt == "1\\x0A\\x1B\\xFF")
    }

    @Test("reports print JSON values as text, and large or odd doubles without trapping")
    func reportText() {
        let value = JSONValue.array([.integer(3), .integer(4), .null, .bool(true), .string("x"),
                                     .object([.init("k", .number("1/2"))])])
        #expect(value.plainText == "3, 4, n/a, yes, x, {k: 1/2}")
        #expect(4e11.scientificText() == "4.0e+11")
        #expect((-0.0025).scientificText(digits: 2) == "-2.5e-3")  // trailing zeros dropped, as in roundedText
        #expect(9.99.scientificText(digits: 1) == "1.0e+1")
        #expect(Double.infinity.scientificText() == "inf" && Double.nan.scientificText() == "nan")
        #expect(Double.leastNonzeroMagnitude.scientificText() == "4.9e-324")
        #expect(Double.greatestFiniteMagnitude.scientificText() == "1.8e+308")
        #expect(12.4.integerText == "12" && 1e300.integerText == "1.0e+300" && Double.nan.integerText == "nan")
    }
}
