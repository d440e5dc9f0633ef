import ExactArithmetic

/// A pull parser over JSON bytes (RFC 8259) that reports every problem with
/// the file, line and column where it occurs.
///
/// Readers drive it with the shape they expect (`beginObject`, `nextKey`,
/// `readRational`, ...), so a value of the wrong kind is reported at its own
/// position, and large arrays are read without building an intermediate tree.
public struct JSONScanner {
    public let file: String
    public let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next unread byte.
    public private(set) var position = 0
    /// Per open container: whether a member has been read (so a comma is due).
    private var containerHasMembers: [Bool] = []

    /// The deepest nesting accepted, so hostile input cannot exhaust the stack.
    public static let maximumDepth = 256

    /// A scanner over `bytes`; a leading UTF-8 byte-order mark is skipped (docs/formats.md, T1).
    public init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    // MARK: - Errors

    /// An error located at `offset` (default: the current position).
    public func error(_ message: String, at offset: Int? = nil) -> InputError {
        let (line, column) = TextPosition.lineAndColumn(of: offset ?? position, in: bytes)
        return InputError(file: file, line: line, column: column, message: message)
    }

    private func describeNext() -> String {
        guard position < bytes.count else { return "end of file" }
        let b = bytes[position]
        if b >= 32 && b < 127 { return "'\(Character(UnicodeScalar(b)))'" }
        return "byte 0x" + String(b, radix: 16)
    }

    // MARK: - Structure

    public mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(InputError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else {
            throw error("expected \(what), found \(describeNext())")
        }
        position += 1
    }

    /// Consumes `{`.
    public mutating func beginObject() throws(InputError) {
        try expect(UInt8(ascii: "{"), "'{' (an object)")
        try push()
    }

    /// Consumes `[`.
    public mutating func beginArray() throws(InputError) {
        try expect(UInt8(ascii: "["), "'[' (an array)")
        try push()
    }

    private mutating func push() throws(InputError) {
        guard containerHasMembers.count < JSONScanner.maximumDepth else {
            throw error("nesting deeper than \(JSONScanner.maximumDepth) levels")
        }
        containerHasMembers.append(false)
    }

    /// The next key of the current object, or nil after consuming its `}`.
    public mutating func nextKey() throws(InputError) -> String? {
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
            position += 1
            containerHasMembers.removeLast()
            return nil
        }
        if containerHasMembers[containerHasMembers.count - 1] {
            try expect(UInt8(ascii: ","), "',' or '}'")
        }
        containerHasMembers[containerHasMembers.count - 1] = true
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw error("expected a key in quotes, found \(describeNext())")
        }
        let key = try readString()
        try expect(UInt8(ascii: ":"), "':' after the key \"\(key)\"")
        return key
    }

    /// True when the current array has another element (positioned at it);
    /// false after consuming its `]`.
    public mutating func nextElement() throws(InputError) -> Bool {
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
            position += 1
            containerHasMembers.removeLast()
            return false
        }
        if containerHasMembers[containerHasMembers.count - 1] {
            try expect(UInt8(ascii: ","), "',' or ']'")
        }
        containerHasMembers[containerHasMembers.count - 1] = true
        skipWhitespace()
        return true
    }

    /// Requires that only whitespace remains.
    public mutating func expectEnd() throws(InputError) {
        skipWhitespace()
        if position < bytes.count { throw error("unexpected \(describeNext()) after the end of the JSON document") }
    }

    /// The offset where the next value starts (after whitespace).
    public mutating func valueStart() -> Int {
        skipWhitespace()
        return position
    }

    // MARK: - Scalars

    /// Reads a string value, decoding escapes.
    public mutating func readString() throws(InputError) -> String {
        skipWhitespace()
        let start = position
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw error("expected a string, found \(describeNext())")
        }
        position += 1
        var decoded = [UInt8]()
        var plainStart = position
        while true {
            guard position < bytes.count else { throw error("unterminated string (started here)", at: start) }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { throw error("control character in a string") }
            if b == UInt8(ascii: "\\") {
                decoded.append(contentsOf: bytes[plainStart ..< position])
                position += 1
                guard position < bytes.count else { throw error("unterminated escape") }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""): decoded.append(0x22)
                case UInt8(ascii: "\\"): decoded.append(0x5C)
                case UInt8(ascii: "/"): decoded.append(0x2F)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try readHex4()
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                              bytes[position + 1] == UInt8(ascii: "u") else { throw error("unpaired surrogate in \\u escape") }
                        position += 2
                        let low = try readHex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw error("invalid surrogate pair in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = UnicodeScalar(scalar) else { throw error("invalid \\u escape") }
                    decoded.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw error("invalid escape '\\\(Character(UnicodeScalar(e)))'", at: position - 2)
                }
                plainStart = position
                continue
            }
            position += 1
        }
        decoded.append(contentsOf: bytes[plainStart ..< position])
        position += 1  // closing quote
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw error("string is not valid UTF-8", at: start)
        }
        return text
    }

    private mutating func readHex4() throws(InputError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0 ..< 4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case 48 ... 57: digit = UInt32(b - 48)
            case 65 ... 70: digit = UInt32(b - 55)
            case 97 ... 102: digit = UInt32(b - 87)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    /// The byte range of a number token (JSON grammar), without consuming anything else.
    private mutating func scanNumberToken() throws(InputError) -> Range<Int> {
        skipWhitespace()
        let start = position
        var i = position
        if i < bytes.count && bytes[i] == UInt8(ascii: "-") { i += 1 }
        let digitsStart = i
        while i < bytes.count && bytes[i] &- 48 < 10 { i += 1 }
        guard i > digitsStart else { throw error("expected a number, found \(describeNext())") }
        if bytes[digitsStart] == UInt8(ascii: "0") && i - digitsStart > 1 {
            throw error("numbers must not have leading zeros", at: digitsStart)
        }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            let f = i
            while i < bytes.count && bytes[i] &- 48 < 10 { i += 1 }
            guard i > f else { throw error("expected digits after the decimal point", at: i) }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            let e = i
            while i < bytes.count && bytes[i] &- 48 < 10 { i += 1 }
            guard i > e else { throw error("expected exponent digits", at: i) }
        }
        position = i
        return start ..< i
    }

    /// Reads a non-negative integer number no larger than `limit`.
    public mutating func readNonNegativeInteger(limit: Int = Int(Int32.max), what: String = "value")
        throws(InputError) -> Int {
        skipWhitespace()
        let start = position
        let token = try scanNumberToken()
        var value = 0
        for i in token {
            let b = bytes[i]
            guard b &- 48 < 10 else {
                throw error("\(what) must be a non-negative integer, found \(TextPosition.excerpt(UnsafeBufferPointer(rebasing: bytes[token])))", at: start)
            }
            // A step is taken only when value · 10 + digit <= limit: no overflow, whatever the limit and length.
            let digit = Int(b - 48)
            guard digit <= limit, value <= (limit - digit) / 10 else {
                throw error("\(what) \(TextPosition.excerpt(UnsafeBufferPointer(rebasing: bytes[token]))) exceeds \(limit)", at: start)
            }
            value = value * 10 + digit
        }
        return value
    }

    /// Reads an exact rational given as a string ("3/8", "0.125", "6/16") or as
    /// a JSON number literal; both are parsed exactly from their text.
    public mutating func readRational(what: String = "value") throws(InputError) -> Rational {
        skipWhitespace()
        let start = position
        let range: Range<Int>
        var contentStart = start
        if position < bytes.count && bytes[position] == UInt8(ascii: "\"") {
            // Fast path: numbers contain no escapes; find the closing quote.
            var i = position + 1
            while i < bytes.count && bytes[i] != UInt8(ascii: "\"") && bytes[i] != UInt8(ascii: "\\") && bytes[i] >= 0x20 { i += 1 }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                if i >= bytes.count { throw error("unterminated string (started here)", at: start) }
                if bytes[i] == UInt8(ascii: "\\") {
                    // An escape: the value is the decoded string's content (J5).
                    var text = try readString()
                    let parsed = text.withUTF8 { content in
                        (Result { () throws(NumberParseError) in try Rational.parse(content) }, TextPosition.excerpt(content))
                    }
                    switch parsed.0 {
                    case .success(let value): return value
                    case .failure(let failure): throw self.error("\(what) \"\(parsed.1)\": \(failure.description)", at: start + 1)
                    }
                }
                throw error("\(what) must be a number such as \"3/8\" or \"-0.125\"", at: start)
            }
            contentStart = position + 1
            range = contentStart ..< i
            position = i + 1
        } else if position < bytes.count && (bytes[position] == UInt8(ascii: "-") || bytes[position] &- 48 < 10) {
            range = try scanNumberToken()
            contentStart = range.lowerBound
        } else {
            throw error("expected \(what) as a string such as \"3/8\", found \(describeNext())")
        }
        do {
            return try Rational.parse(UnsafeBufferPointer(rebasing: bytes[range]))
        } catch {
            let text = TextPosition.excerpt(UnsafeBufferPointer(rebasing: bytes[range]))
            throw self.error("\(what) \"\(text)\": \(error.description)", at: contentStart + error.offset)
        }
    }

    /// Reads any value into a tree (used for free-form members such as provenance).
    public mutating func readValue() throws(InputError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw error("expected a value, found end of file") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            try beginObject()
            var members: [JSONValue.Member] = []
            while let key = try nextKey() {
                if members.contains(where: { $0.key == key }) { throw error("duplicate key \"\(key)\"") }
                members.append(.init(key, try readValue()))
            }
            return .object(members)
        case UInt8(ascii: "["):
            try beginArray()
            var elements: [JSONValue] = []
            while try nextElement() { elements.append(try readValue()) }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            let token = try scanNumberToken()
            return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[token]), as: UTF8.self))
        }
    }

    /// Skips any value.
    public mutating func skipValue() throws(InputError) {
        _ = try readValue()
    }

    private mutating func literal(_ word: String) throws(InputError) {
        for byte in word.utf8 {
            guard position < bytes.count, bytes[position] == byte else {
                throw error("invalid literal, expected \(word)")
            }
            position += 1
        }
    }
}
