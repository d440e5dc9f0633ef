/// Text that came from input, made safe to print in a one-line message.
///
/// Messages quote input: a field of a CSV file, a JSON key, a file name. Raw
/// control characters in them could end the line early, move the cursor, or
/// recolour a terminal; invalid UTF-8 would be replaced silently. Every error
/// type's description passes its text through `escaped(_:)`, so whatever a
/// message quotes, it prints as one line of visible characters.
public enum MessageText {
    /// `text` with every character that is not visible escaped: C0 controls
    /// (tab, newline, ESC, ...), DEL and C1 controls as `\xHH`; line and
    /// paragraph separators, bidirectional controls, zero-width characters and
    /// the byte-order mark as `\u{HHHH}`. Printable text, including non-ASCII
    /// letters and backslashes, is unchanged, so escaping twice changes nothing more.
    ///
    /// - Complexity: O(length of `text`).
    public static func escaped(_ text: String) -> String {
        // Fast path: nothing to escape (the common case).
        if !text.unicodeScalars.contains(where: needsEscape) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                result += hex(scalar.value)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Bytes from input as printable text: valid UTF-8 as `escaped(_:)` shows
    /// it, every byte that is not part of valid UTF-8 as `\xHH`.
    public static func escaped(bytes: some Collection<UInt8>) -> String {
        let a = Array(bytes)
        var result = ""
        var i = 0
        while i < a.count {
            let lead = a[i]
            let length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0
            if length > 0, i + length <= a.count, let scalar = String(validating: a[i ..< i + length], as: UTF8.self) {
                result += escaped(scalar)
                i += length
            } else {
                result += hex(UInt32(lead))
                i += 1
            }
        }
        return result
    }

    /// True for the scalars `escaped(_:)` rewrites.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00 ... 0x1F, 0x7F ... 0x9F: return true  // C0, DEL, C1
        case 0x200B ... 0x200F, 0x2028 ... 0x202E, 0x2060 ... 0x2069, 0xFEFF, 0xFFFD: return true
        default: return false
        }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        if value < 0x100 { return "\\x" + (digits.count < 2 ? "0" + digits : digits) }
        return "\\u{" + digits + "}"
    }
}
