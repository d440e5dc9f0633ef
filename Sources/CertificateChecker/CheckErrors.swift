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

    /// Located at byte `offset` of `bytes` (T2: lines by LF, columns by characters).
    init(_ file: String, _ message: String, offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        let end = min(max(offset, 0), bytes.count)
        var line = 1, lineStart = 0
        for i in 0 ..< end where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        var column = 1
        for i in lineStart ..< end where bytes[i] & 0xC0 != 0x80 { column += 1 }
        self.init(file, message, line: line, column: column)
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
