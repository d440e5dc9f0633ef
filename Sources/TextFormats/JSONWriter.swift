/// Serialises JSON deterministically: members in the order given, two-space
/// indentation, arrays of scalars on one line, and a final newline.
public enum JSONWriter {
    /// The text of `value`.
    public static func text(_ value: JSONValue) -> String {
        var out = [UInt8]()
        write(value, into: &out, indent: 0)
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `value`, newline-terminated.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var out = [UInt8]()
        write(value, into: &out, indent: 0)
        out.append(0x0A)
        return out
    }

    /// Appends `value` at nesting level `indent`.
    public static func write(_ value: JSONValue, into out: inout [UInt8], indent: Int) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let s): appendString(s, into: &out)
        case .array(let elements):
            if elements.isEmpty { out.append(contentsOf: "[]".utf8); return }
            if elements.allSatisfy(\.isScalar) {
                out.append(UInt8(ascii: "["))
                for (i, e) in elements.enumerated() {
                    if i > 0 { out.append(contentsOf: ", ".utf8) }
                    write(e, into: &out, indent: indent)
                }
                out.append(UInt8(ascii: "]"))
                return
            }
            out.append(contentsOf: "[\n".utf8)
            for (i, e) in elements.enumerated() {
                appendIndent(indent + 1, into: &out)
                write(e, into: &out, indent: indent + 1)
                out.append(contentsOf: (i + 1 < elements.count ? ",\n" : "\n").utf8)
            }
            appendIndent(indent, into: &out)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(contentsOf: "{\n".utf8)
            for (i, m) in members.enumerated() {
                appendIndent(indent + 1, into: &out)
                appendString(m.key, into: &out)
                out.append(contentsOf: ": ".utf8)
                write(m.value, into: &out, indent: indent + 1)
                out.append(contentsOf: (i + 1 < members.count ? ",\n" : "\n").utf8)
            }
            appendIndent(indent, into: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends a JSON string literal with the escapes RFC 8259 requires.
    public static func appendString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0 ..< 0x20:
                let hex = String(byte, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends two spaces per level.
    public static func appendIndent(_ level: Int, into out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }
}

extension JSONValue {
    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}
