// MARK: - The two ways a check can end early

/// The certificate, or a file it names, is malformed, unreadable or outside the
/// certificate's folder (exit status 2). The description is one line,
/// `FILE[:LINE:COLUMN]: message`, with control characters escaped.
public struct MalformedInput: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String

    init(_ file: String, _ message: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.message = message
        self.line = line
        self.column = column
    }

    /// Located at byte `offset` of `bytes` (T2: lines by LF, columns by UTF-8 sequences; a
    /// leading byte-order mark is no column).
    init(_ file: String, _ message: String, offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        let end = min(max(offset, 0), bytes.count)
        let mark = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var line = 1, lineStart = min(mark, end)
        for i in 0 ..< end where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        self.init(file, message, line: line, column: textColumn(bytes, lineStart: lineStart, offset: end))
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return escapingControls(text + ": " + message)
    }
}

/// A claim that does not hold (exit status 1): `claim` is its name in the
/// certificate (`claims.n`, `claims.bounds[0].weights`, `files.data.sha256`).
public struct ClaimFailure: Error, Sendable, CustomStringConvertible {
    public let claim: String
    public let message: String
    init(_ claim: String, _ message: String) {
        self.claim = claim
        self.message = escapingControls(message)
    }
    public var description: String { "\(claim): \(message)" }
}

// MARK: - Positions (T2)

/// The length of the valid UTF-8 sequence starting at byte `i` (Unicode 15, Table 3-7:
/// no overlong forms, no surrogates, nothing above U+10FFFF), or nil when none starts there.
func validUTF8Length(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
    let b0 = bytes[i]
    if b0 < 0x80 { return 1 }
    func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
        i + k < bytes.count && bytes[i + k] >= low && bytes[i + k] <= high
    }
    switch b0 {
    case 0xC2 ... 0xDF: return continuation(1) ? 2 : nil
    case 0xE0: return continuation(1, 0xA0) && continuation(2) ? 3 : nil
    case 0xE1 ... 0xEC, 0xEE ... 0xEF: return continuation(1) && continuation(2) ? 3 : nil
    case 0xED: return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : nil
    case 0xF0: return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : nil
    case 0xF1 ... 0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
    case 0xF4: return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : nil
    default: return nil
    }
}

/// The 1-based column of byte `offset` in the line that starts at byte `lineStart` (T2): one
/// column per valid UTF-8 sequence before it, and one per byte of anything that is not one.
func textColumn(_ bytes: UnsafeBufferPointer<UInt8>, lineStart: Int, offset: Int) -> Int {
    var column = 1, i = lineStart
    let end = min(offset, bytes.count)
    while i < end {
        i += validUTF8Length(bytes, at: i) ?? 1
        column += 1
    }
    return column
}

/// Text safe to print on a terminal: control characters (and DEL) become `\xHH`.
/// Strings in Swift are valid Unicode, so invalid UTF-8 never reaches here raw;
/// readers turn bytes into text only through `excerpt`.
func escapingControls(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        if scalar.value < 0x20 || scalar.value == 0x7F || (scalar.value >= 0x80 && scalar.value < 0xA0) {
            out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// A short printable excerpt of input bytes for messages: invalid UTF-8 and
/// control bytes are shown as `\xHH`; at most `limit` bytes are shown.
func excerpt(_ bytes: some Collection<UInt8>, limit: Int = 40) -> String {
    var out = ""
    var rest = Array(bytes.prefix(limit))
    let cut = bytes.count > limit
    while !rest.isEmpty {
        // Longest valid UTF-8 prefix (at most 4 bytes for one scalar).
        var taken = 0
        for length in 1 ... min(4, rest.count) {
            if let s = String(validating: rest[0 ..< length], as: UTF8.self), s.unicodeScalars.count == 1 {
                out += escapingControls(s)
                taken = length
                break
            }
        }
        if taken == 0 {
            out += "\\x" + (rest[0] < 16 ? "0" : "") + String(rest[0], radix: 16, uppercase: true)
            taken = 1
        }
        rest.removeFirst(taken)
    }
    return cut ? out + "..." : out
}
