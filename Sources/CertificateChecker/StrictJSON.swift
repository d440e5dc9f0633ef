// MARK: - A strict JSON reader (RFC 8259; docs/formats.md J1)
//
// A pull parser: callers say what shape they expect, so a value of the wrong
// kind is reported where it stands, and a large network is read without a tree.
// Strict where RFC 8259 allows choice: no duplicate keys (compared after
// decoding), integers kept apart from other numbers (the number's text is
// kept, never converted to a float), nesting at most 256 deep, nothing but
// whitespace after the value. A leading byte-order mark is skipped (T1).

/// A parsed JSON value with the byte offset where it starts (for certificates).
struct JSONNode {
    enum Value {
        case object([(key: String, node: JSONNode)])
        case array([JSONNode])
        case string(String)
        /// The number's text, exactly as written (JSON grammar already checked).
        case number(String)
        case bool(Bool)
        case null
    }
    let value: Value
    let offset: Int
}

struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    private(set) var position = 0
    private var depth = 0
    static let maximumDepth = 256

    init(_ bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    func error(_ message: String, at offset: Int? = nil) -> MalformedInput {
        MalformedInput(file, message, offset: offset ?? position, in: bytes)
    }

    private func describeNext() -> String {
        position < bytes.count ? "'\(excerpt(bytes[position ..< min(bytes.count, position + 1)]))'" : "the end of the file"
    }

    mutating func skipWhitespace() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09 {
            position += 1
        }
    }

    /// The first byte of the next value (after whitespace), without consuming it.
    mutating func peek() throws(MalformedInput) -> UInt8 {
        skipWhitespace()
        guard position < bytes.count else { throw error("expected a value, found the end of the file") }
        return bytes[position]
    }

    /// Consumes `byte` after whitespace, or throws naming `what` was expected.
    private mutating func expect(_ byte: UInt8, _ what: String) throws(MalformedInput) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { throw error("expected \(what), found \(describeNext())") }
        position += 1
    }

    // MARK: Containers

    /// Per open object: whether a member was read, and the keys seen.
    struct ObjectState {
        var first = true
        var keys = Set<String>()
    }

    mutating func beginObject() throws(MalformedInput) -> ObjectState {
        try expect(UInt8(ascii: "{"), "an object")
        depth += 1
        if depth > JSONReader.maximumDepth { throw error("nesting deeper than \(JSONReader.maximumDepth) levels") }
        return ObjectState()
    }

    /// The next key and the offset of its value, or nil after the closing brace.
    mutating func nextKey(_ state: inout ObjectState) throws(MalformedInput) -> (key: String, offset: Int)? {
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return nil
        }
        if !state.first { try expect(UInt8(ascii: ","), "',' or '}'") }
        state.first = false
        skipWhitespace()
        let keyOffset = position
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a key (a string), found \(describeNext())") }
        let key = try readString()
        if !state.keys.insert(key).inserted { throw error("duplicate key \"\(key)\"", at: keyOffset) }
        try expect(UInt8(ascii: ":"), "':'")
        skipWhitespace()
        return (key, position)
    }

    mutating func beginArray() throws(MalformedInput) -> Bool {
        try expect(UInt8(ascii: "["), "an array")
        depth += 1
        if depth > JSONReader.maximumDepth { throw error("nesting deeper than \(JSONReader.maximumDepth) levels") }
        return true
    }

    /// True when another element follows (positioned at it); false after the closing bracket.
    mutating func nextElement(_ first: inout Bool) throws(MalformedInput) -> Bool {
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return false
        }
        if !first { try expect(UInt8(ascii: ","), "',' or ']'") }
        first = false
        skipWhitespace()
        return true
    }

    /// After the top-level value: only whitespace may follow.
    mutating func finish() throws(MalformedInput) {
        skipWhitespace()
        if position < bytes.count { throw error("unexpected \(describeNext()) after the JSON value") }
    }

    // MARK: Strings

    /// A string's content: the raw byte range when it has no escapes (and is
    /// valid UTF-8), else the decoded bytes.
    enum StringContent {
        case raw(Range<Int>)
        case decoded([UInt8])
    }

    mutating func readStringContent() throws(MalformedInput) -> StringContent {
        try expect(UInt8(ascii: "\""), "a string")
        let start = position
        var decoded: [UInt8]? = nil
        var plainStart = position
        while true {
            guard position < bytes.count else { throw error("unterminated string", at: start - 1) }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { throw error("raw control character in a string (write it as an escape)") }
            if b >= 0x80 {
                position += try utf8SequenceLength(at: position)
                continue
            }
            if b != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            if decoded == nil { decoded = [] }
            decoded!.append(contentsOf: bytes[plainStart ..< position])
            let escapeStart = position
            position += 1
            guard position < bytes.count else { throw error("unterminated string", at: start - 1) }
            let e = bytes[position]
            position += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded!.append(e)
            case UInt8(ascii: "b"): decoded!.append(0x08)
            case UInt8(ascii: "f"): decoded!.append(0x0C)
            case UInt8(ascii: "n"): decoded!.append(0x0A)
            case UInt8(ascii: "r"): decoded!.append(0x0D)
            case UInt8(ascii: "t"): decoded!.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xDC00 && scalar < 0xE000 { throw error("unpaired low surrogate in a \\u escape", at: escapeStart) }
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired high surrogate in a \\u escape", at: escapeStart)
                    }
                    position += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw error("invalid surrogate pair in a \\u escape", at: escapeStart) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                decoded!.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default:
                throw error("invalid escape '\\\(excerpt([e]))'", at: escapeStart)
            }
            plainStart = position
        }
        let end = position
        position += 1
        guard var result = decoded else { return .raw(start ..< end) }
        result.append(contentsOf: bytes[plainStart ..< end])
        return .decoded(result)
    }

    mutating func readString() throws(MalformedInput) -> String {
        switch try readStringContent() {
        case .raw(let range): return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        case .decoded(let content): return String(decoding: content, as: UTF8.self)
        }
    }

    /// The length of the valid UTF-8 sequence at `i` (Unicode Table 3-7), or an error.
    private func utf8SequenceLength(at i: Int) throws(MalformedInput) -> Int {
        guard let length = validUTF8Length(bytes, at: i) else { throw error("invalid UTF-8 in a string", at: i) }
        return length
    }

    private mutating func hex4() throws(MalformedInput) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0 ..< 4 {
            guard position < bytes.count else { throw error("truncated \\u escape") }
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case 0x30 ... 0x39: digit = UInt32(b - 0x30)
            case 0x41 ... 0x46: digit = UInt32(b - 0x37)
            case 0x61 ... 0x66: digit = UInt32(b - 0x57)
            default: throw error("invalid hex digit in a \\u escape")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    // MARK: Numbers and literals

    /// The byte range of a number, checked against RFC 8259's grammar:
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func readNumberToken() throws(MalformedInput) -> Range<Int> {
        skipWhitespace()
        let start = position
        func digit(_ i: Int) -> Bool { i < bytes.count && bytes[i] &- 0x30 < 10 }
        var i = position
        if i < bytes.count && bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { throw error("expected a value, found \(describeNext())") }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if digit(i) { throw error("a JSON number has no leading zeros", at: start) }
        } else {
            while digit(i) { i += 1 }
        }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { throw error("expected digits after '.'", at: i) }
            while digit(i) { i += 1 }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard digit(i) else { throw error("expected exponent digits", at: i) }
            while digit(i) { i += 1 }
        }
        position = i
        return start ..< i
    }

    /// A JSON integer (digits only: no sign, fraction or exponent; J3) at most `limit`.
    mutating func readInteger(_ what: String, limit: Int) throws(MalformedInput) -> Int {
        let start = position
        guard try peek() &- 0x30 < 10 else { throw error("\(what) must be a JSON integer (digits only), found \(describeNext())") }
        let token = try readNumberToken()
        var value = 0
        for i in token {
            guard bytes[i] &- 0x30 < 10 else {
                throw error("\(what) must be a JSON integer (digits only), found \(excerpt(bytes[token]))", at: start)
            }
            // Each step is taken only when it stays within the limit (value · 10 + digit <= limit),
            // so any number of digits is read without overflow, whatever the limit.
            let digit = Int(bytes[i] &- 0x30)
            guard digit <= limit, value <= (limit - digit) / 10 else { throw error("\(what) \(excerpt(bytes[token])) exceeds \(limit)", at: start) }
            value = value * 10 + digit
        }
        return value
    }

    private mutating func literal(_ word: StaticString) throws(MalformedInput) {
        let start = position
        for k in 0 ..< word.utf8CodeUnitCount {
            guard position < bytes.count, bytes[position] == word.utf8Start[k] else { throw error("invalid literal", at: start) }
            position += 1
        }
    }

    // MARK: Trees

    /// Reads any value into a tree (certificates, and free-form members).
    mutating func readValue() throws(MalformedInput) -> JSONNode {
        let first = try peek()
        let offset = position
        switch first {
        case UInt8(ascii: "{"):
            var state = try beginObject()
            var members: [(key: String, node: JSONNode)] = []
            while let (key, _) = try nextKey(&state) { members.append((key, try readValue())) }
            return JSONNode(value: .object(members), offset: offset)
        case UInt8(ascii: "["):
            _ = try beginArray()
            var elements: [JSONNode] = []
            var firstElement = true
            while try nextElement(&firstElement) { elements.append(try readValue()) }
            return JSONNode(value: .array(elements), offset: offset)
        case UInt8(ascii: "\""):
            return JSONNode(value: .string(try readString()), offset: offset)
        case UInt8(ascii: "t"):
            try literal("true")
            return JSONNode(value: .bool(true), offset: offset)
        case UInt8(ascii: "f"):
            try literal("false")
            return JSONNode(value: .bool(false), offset: offset)
        case UInt8(ascii: "n"):
            try literal("null")
            return JSONNode(value: .null, offset: offset)
        default:
            let token = try readNumberToken()
            return JSONNode(value: .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[token]), as: UTF8.self)), offset: offset)
        }
    }

    /// Reads a whole document into a tree.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(MalformedInput) -> JSONNode {
        var reader = JSONReader(bytes, file: file)
        let root = try reader.readValue()
        try reader.finish()
        return root
    }
}
