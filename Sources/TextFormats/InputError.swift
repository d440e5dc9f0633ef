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

/// Line and column (both 1-based; columns count characters) of a byte offset.
public enum TextPosition {
    public static func lineAndColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0 ..< end where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        // Count characters, not bytes: skip UTF-8 continuation bytes.
        var column = 1
        for i in lineStart ..< end where bytes[i] & 0xC0 != 0x80 { column += 1 }
        return (line, column)
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
