import ExactArithmetic
import TextFormats

// MARK: - The .npy format (NumPy's "format.py", versions 1.0, 2.0 and 3.0)
//
// A file is the magic string "\x93NUMPY", a major and a minor version byte, the header's
// length (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), the header, and
// the array's bytes. The header is a Python literal dict with exactly the keys 'descr' (the
// dtype, e.g. '<f4'), 'fortran_order' (True or False) and 'shape' (a tuple of integers),
// ending in a newline (blanks may pad it). memcert reads it strictly with its own small
// parser: no other Python syntax is accepted, and every problem names the file and the byte.

/// The element types memcert reads: IEEE binary16/32/64 and integers of 1, 2, 4 or 8 bytes.
public enum NumPyElement: Sendable, Equatable {
    case float(bytes: Int)  // 2, 4, 8
    case signed(bytes: Int)  // 1, 2, 4, 8
    case unsigned(bytes: Int)

    public var size: Int {
        switch self {
        case .float(let b), .signed(let b), .unsigned(let b): return b
        }
    }

    public var isInteger: Bool {
        if case .float = self { return false }
        return true
    }
}

/// A parsed .npy array: its header, and its element bytes (a view into the file's bytes).
public struct NumPyArray {
    public let file: String
    public let element: NumPyElement
    public let bigEndian: Bool
    public let fortranOrder: Bool
    public let shape: [Int]
    /// The element bytes, exactly count · size of them.
    public let data: UnsafeBufferPointer<UInt8>
    /// The descr as written, for messages.
    public let descr: String

    public var count: Int { shape.reduce(1, *) }

    /// Rows and columns of a 2-D array (a 1-D array is one column).
    public var rows: Int { shape.first ?? 1 }
    public var columns: Int { shape.count >= 2 ? shape[1] : 1 }

    /// The index of this array's first row in the file it comes from (0 for a whole file; a
    /// block of rows read from a stream or shard names its elements by their index in the file).
    public let rowBase: Int

    /// Parses the header and checks that the data is exactly as long as the shape says.
    ///
    /// - Complexity: O(header length); the data is not touched.
    public init(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(InputError) {
        let header = try NumPyHeader(prefix: bytes, fileSize: bytes.count, file: file)
        self.init(header: header, data: UnsafeBufferPointer(rebasing: bytes[header.dataStart...]))
    }

    /// The array of `header` over its element bytes, or a block of its rows: `data` then holds
    /// the elements of `rows` rows from row `rowBase` on, in the file's order (C order: row after
    /// row; Fortran order: the rows' part of each column, column after column), so that the
    /// block is itself an array of shape (rows, columns).
    public init(header: NumPyHeader, data: UnsafeBufferPointer<UInt8>, rows: Int? = nil, rowBase: Int = 0) {
        file = header.file
        element = header.element
        bigEndian = header.bigEndian
        fortranOrder = header.fortranOrder
        descr = header.descr
        var shape = header.shape
        if let rows, !shape.isEmpty { shape[0] = rows }
        self.shape = shape
        self.data = data
        self.rowBase = rowBase
        precondition(data.count == count * element.size, "a block of whole rows")
    }

    /// The element type and byte order of a descr such as '<f4', '>i8' or '|u1'.
    static func dtype(_ descr: String, file: String) throws(InputError) -> (NumPyElement, Bool) {
        let chars = Array(descr.utf8)
        func unsupported(_ why: String) -> InputError {
            InputError(file: file, message: "unsupported dtype '\(descr)': \(why) (memcert reads float16/32/64 and signed or unsigned integers of 1 to 8 bytes)")
        }
        guard chars.count >= 2, let order = chars.first, [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "=")].contains(order) else {
            throw unsupported("not a simple dtype")
        }
        // The kind first, so that '|O' or '<U5' is named for what it is.
        switch chars[1] {
        case UInt8(ascii: "b"), UInt8(ascii: "?"): throw unsupported("booleans")
        case UInt8(ascii: "c"): throw unsupported("complex numbers")
        case UInt8(ascii: "O"): throw unsupported("Python objects")
        case UInt8(ascii: "U"), UInt8(ascii: "S"), UInt8(ascii: "a"): throw unsupported("strings")
        case UInt8(ascii: "V"): throw unsupported("raw or structured records")
        case UInt8(ascii: "M"), UInt8(ascii: "m"): throw unsupported("dates or time deltas")
        case UInt8(ascii: "f"), UInt8(ascii: "i"), UInt8(ascii: "u"): break
        default: throw unsupported("an unknown kind")
        }
        guard order != UInt8(ascii: "="), chars.count >= 3, chars.count <= 4, chars[2...].allSatisfy({ $0 &- 48 < 10 }),
              let size = Int(String(decoding: chars[2...], as: UTF8.self)) else {
            throw unsupported("not a simple dtype with an explicit byte order ('<', '>' or '|') and size")
        }
        let element: NumPyElement
        switch (chars[1], size) {
        case (UInt8(ascii: "f"), 2), (UInt8(ascii: "f"), 4), (UInt8(ascii: "f"), 8): element = .float(bytes: size)
        case (UInt8(ascii: "i"), 1), (UInt8(ascii: "i"), 2), (UInt8(ascii: "i"), 4), (UInt8(ascii: "i"), 8): element = .signed(bytes: size)
        case (UInt8(ascii: "u"), 1), (UInt8(ascii: "u"), 2), (UInt8(ascii: "u"), 4), (UInt8(ascii: "u"), 8): element = .unsigned(bytes: size)
        case (UInt8(ascii: "f"), _): throw unsupported("a float of \(size) bytes")
        default: throw unsupported("an integer of \(size) bytes")
        }
        if order == UInt8(ascii: "|") && size != 1 { throw unsupported("'|' (no byte order) fits only 1-byte elements") }
        return (element, order == UInt8(ascii: ">"))
    }

    /// The NumPy index of the element at storage position `k` (C order: last index fastest).
    static func index(_ k: Int, shape: [Int], fortran: Bool) -> [Int] {
        var rest = k
        var result = [Int](repeating: 0, count: shape.count)
        for axis in (fortran ? Array(shape.indices) : shape.indices.reversed()) where shape[axis] > 0 {
            result[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return result
    }

    static func text(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }

    // MARK: Elements

    /// The storage position of element [row, column] of a 1-D or 2-D array.
    @inline(__always)
    func position(_ row: Int, _ column: Int) -> Int {
        if shape.count < 2 { return row }
        return fortranOrder ? column * shape[0] + row : row * shape[1] + column
    }

    /// The raw bits of the element at storage position k, in native order.
    @inline(__always)
    func bits(at k: Int) -> UInt64 {
        let size = element.size
        var value: UInt64 = 0
        let base = k * size
        if bigEndian {
            for b in 0 ..< size { value = value << 8 | UInt64(data[base + b]) }
        } else {
            for b in (0 ..< size).reversed() { value = value << 8 | UInt64(data[base + b]) }
        }
        return value
    }

    /// An element's exact value as m · 2^e with |m| < 2^64 (floats: m < 2^53), or nil for NaN
    /// and infinities. Every finite IEEE value is such a dyadic rational, subnormals included
    /// (IEEE 754-2019, section 3.4).
    @inline(__always)
    func dyadic(at k: Int) -> (negative: Bool, magnitude: UInt64, exponent: Int)? {
        let raw = bits(at: k)
        switch element {
        case .signed(let size):
            let shift = UInt64(64 - 8 * size)
            let value = Int64(bitPattern: raw << shift) >> Int64(shift)
            return (value < 0, value.magnitude, 0)
        case .unsigned:
            return (false, raw, 0)
        case .float(let size):
            let (exponentBits, fractionBits): (Int, Int) = size == 2 ? (5, 10) : size == 4 ? (8, 23) : (11, 52)
            let negative = raw >> UInt64(exponentBits + fractionBits) & 1 == 1
            let biased = Int(raw >> UInt64(fractionBits) & ((1 << UInt64(exponentBits)) - 1))
            let fraction = raw & ((1 << UInt64(fractionBits)) - 1)
            let bias = (1 << (exponentBits - 1)) - 1
            if biased == (1 << exponentBits) - 1 { return nil }  // infinity or NaN
            if biased == 0 { return (negative, fraction, 1 - bias - fractionBits) }  // zero or subnormal
            return (negative, fraction | 1 << UInt64(fractionBits), biased - bias - fractionBits)
        }
    }

    /// What a non-finite element is, for messages.
    func nonFiniteName(at k: Int) -> String {
        guard case .float(let size) = element else { return "" }
        let fractionBits = size == 2 ? 10 : size == 4 ? 23 : 52
        return bits(at: k) & ((1 << UInt64(fractionBits)) - 1) == 0 ? "an infinity" : "NaN"
    }

    /// The exact value of element [row, column].
    public func value(_ row: Int, _ column: Int) throws(InputError) -> Rational {
        let k = position(row, column)
        guard let (negative, magnitude, exponent) = dyadic(at: k) else {
            throw InputError(file: file, message: "element \(elementName(row, column)) is \(nonFiniteName(at: k)), not a number")
        }
        let m = negative ? -BigInt(magnitude) : BigInt(magnitude)
        return exponent >= 0 ? Rational(m.shiftedLeft(by: exponent)) : Rational(m, BigInt(1).shiftedLeft(by: -exponent))
    }

    /// "[i, j]" (or "[i]" for a 1-D array): NumPy's own 0-based index.
    public func elementName(_ row: Int, _ column: Int) -> String {
        shape.count < 2 ? "[\(rowBase + row)]" : "[\(rowBase + row), \(column)]"
    }
}

// MARK: - The header dict

/// A strict reader of the header: `{` then `'key': value` pairs separated by commas (a
/// trailing comma allowed), `}`, then blanks and one newline. Strings in single or double
/// quotes without escapes; True and False; tuples of non-negative decimal integers.
struct HeaderParser {
    struct Header {
        var descr: String
        var fortranOrder: Bool
        var shape: [Int]
    }
    struct Failure: Error {
        var offset: Int
        var message: String
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let base: Int
    let utf8: Bool
    var at = 0

    init(bytes: UnsafeBufferPointer<UInt8>, base: Int, utf8: Bool) {
        self.bytes = bytes
        self.base = base
        self.utf8 = utf8
    }

    func fail(_ message: String) -> Failure { Failure(offset: base + at, message: message) }

    mutating func blanks() {
        while at < bytes.count && bytes[at] == 0x20 { at += 1 }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        blanks()
        guard at < bytes.count && bytes[at] == byte else { throw fail("expected \(what)") }
        at += 1
    }

    mutating func parse() throws(Failure) -> Header {
        guard let newline = bytes.lastIndex(of: 0x0A), newline == bytes.count - 1 else { throw fail("the header does not end in a newline") }
        for (i, byte) in bytes.enumerated() where byte < 0x20 && i != bytes.count - 1 {
            at = i
            throw fail("a control character in the header")
        }
        if !utf8, let i = bytes.firstIndex(where: { $0 >= 0x80 }) {
            at = i
            throw fail("a non-ASCII byte in a version 1 or 2 header")
        }
        try expect(UInt8(ascii: "{"), "'{'")
        var descr: String?, fortran: Bool?, shape: [Int]?
        while true {
            blanks()
            if at < bytes.count && bytes[at] == UInt8(ascii: "}") { at += 1; break }
            let keyAt = at
            let key = try string()
            try expect(UInt8(ascii: ":"), "':' after the key")
            blanks()
            switch key {
            case "descr" where descr == nil:
                guard at < bytes.count, bytes[at] == UInt8(ascii: "'") || bytes[at] == UInt8(ascii: "\"") else {
                    throw fail("descr must be a string such as '<f4' (structured dtypes are not supported)")
                }
                descr = try string()
            case "fortran_order" where fortran == nil: fortran = try boolean()
            case "shape" where shape == nil: shape = try tuple()
            case "descr", "fortran_order", "shape":
                at = keyAt
                throw fail("the key '\(key)' is repeated")
            default:
                at = keyAt
                throw fail("unknown key '\(key)' (a header has exactly descr, fortran_order and shape)")
            }
            blanks()
            if at < bytes.count && bytes[at] == UInt8(ascii: ",") { at += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            break
        }
        blanks()
        guard at == bytes.count - 1 else { throw fail("unexpected text after the dict") }
        guard let descr else { throw fail("the header lacks 'descr'") }
        guard let fortran else { throw fail("the header lacks 'fortran_order'") }
        guard let shape else { throw fail("the header lacks 'shape'") }
        return Header(descr: descr, fortranOrder: fortran, shape: shape)
    }

    mutating func string() throws(Failure) -> String {
        guard at < bytes.count, bytes[at] == UInt8(ascii: "'") || bytes[at] == UInt8(ascii: "\"") else { throw fail("expected a quoted string") }
        let quote = bytes[at]
        let start = at + 1
        var end = start
        while end < bytes.count && bytes[end] != quote {
            if bytes[end] == UInt8(ascii: "\\") {
                at = end
                throw fail("escapes are not allowed in header strings")
            }
            end += 1
        }
        guard end < bytes.count else { throw fail("an unterminated string") }
        at = end + 1
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< end]), as: UTF8.self)
    }

    mutating func boolean() throws(Failure) -> Bool {
        for (word, value) in [("True", true), ("False", false)] where at + word.utf8.count <= bytes.count
            && Array(bytes[at ..< at + word.utf8.count]) == Array(word.utf8) {
            at += word.utf8.count
            return value
        }
        throw fail("fortran_order must be True or False")
    }

    mutating func tuple() throws(Failure) -> [Int] {
        guard at < bytes.count && bytes[at] == UInt8(ascii: "(") else { throw fail("shape must be a tuple such as (100, 784)") }
        at += 1
        var values: [Int] = []
        while true {
            blanks()
            if at < bytes.count && bytes[at] == UInt8(ascii: ")") {
                // A one-element tuple needs its comma: "(3)" is 3, no tuple.
                if values.count == 1 && bytes[at - 1] != UInt8(ascii: ",") && !trailingComma { throw fail("a one-element shape is written (n,)") }
                at += 1
                return values
            }
            let start = at
            var value = 0
            while at < bytes.count && bytes[at] &- 48 < 10 {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (plus, o2) = times.addingReportingOverflow(Int(bytes[at] &- 48))
                guard !o1 && !o2 && plus <= 1 << 48 else { throw fail("a dimension of the shape is too large") }
                value = plus
                at += 1
            }
            guard at > start else { throw fail("the shape holds something other than non-negative integers") }
            guard values.count < 32 else { throw fail("the shape has too many dimensions") }
            values.append(value)
            blanks()
            trailingComma = false
            if at < bytes.count && bytes[at] == UInt8(ascii: ",") {
                at += 1
                trailingComma = true
                continue
            }
            guard at < bytes.count && bytes[at] == UInt8(ascii: ")") else { throw fail("expected ',' or ')' in the shape") }
            if values.count == 1 { throw fail("a one-element shape is written (n,)") }
        }
    }

    var trailingComma = false
}
