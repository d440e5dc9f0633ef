/// Bad input, located: the file, and where known the line and column.
///
/// Its description is the one line the command-line tool prints before
/// exiting with status 2: `file:line:column: message`.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, with control characters and invisible
    /// formatting characters escaped (`MessageText`), so it prints as one line.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return MessageText.escaped(text + ": " + message)
    }
}

/// Positions in text (docs/formats.md, T2): lines are counted by LF bytes; a column
/// counts one per valid UTF-8 sequence and one per byte of anything that is not one; a
/// leading byte-order mark is no column.
public enum TextPosition {
    /// Line and column (both 1-based) of a byte offset.
    public static func lineAndColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        let mark = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var line = 1
        var lineStart = min(mark, end)
        for i in 0 ..< end where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return (line, column(of: end, lineStart: lineStart, in: bytes))
    }

    /// The 1-based column of byte `offset` in the line that starts at byte `lineStart`.
    public static func column(of offset: Int, lineStart: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var column = 1
        var i = lineStart
        let end = min(offset, bytes.count)
        while i < end {
            i += validSequenceLength(at: i, in: bytes) ?? 1
            column += 1
        }
        return column
    }

    /// The length of the well-formed UTF-8 sequence at byte `i` (Unicode, Table 3-7), or nil.
    static func validSequenceLength(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let lead = bytes[i]
        if lead < 0x80 { return 1 }
        func follows(_ k: Int, _ range: ClosedRange<UInt8> = 0x80 ... 0xBF) -> Bool {
            i + k < bytes.count && range.contains(bytes[i + k])
        }
        switch lead {
        case 0xC2 ... 0xDF: return follows(1) ? 2 : nil
        case 0xE0: return follows(1, 0xA0 ... 0xBF) && follows(2) ? 3 : nil
        case 0xE1 ... 0xEC, 0xEE ... 0xEF: return follows(1) && follows(2) ? 3 : nil
        case 0xED: return follows(1, 0x80 ... 0x9F) && follows(2) ? 3 : nil
        case 0xF0: return follows(1, 0x90 ... 0xBF) && follows(2) && follows(3) ? 4 : nil
        case 0xF1 ... 0xF3: return follows(1) && follows(2) && follows(3) ? 4 : nil
        case 0xF4: return follows(1, 0x80 ... 0x8F) && follows(2) && follows(3) ? 4 : nil
        default: return nil
        }
    }

    /// A short, printable excerpt of bytes for messages (at most `limit` characters
    /// of input): control characters and bytes that are not UTF-8 are escaped
    /// (`MessageText.escaped(bytes:)`).
    public static func excerpt(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 40) -> String {
        var end = min(bytes.count, limit)
        // Do not cut a UTF-8 sequence: extend over continuation bytes (at most 3).
        while end < bytes.count && end < limit + 3 && bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = MessageText.escaped(bytes: bytes[0 ..< end])
        return end < bytes.count ? text + "..." : text
    }
}
