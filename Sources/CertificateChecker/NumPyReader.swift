import Foundation
internal import ZIPFoundation

// MARK: - NumPy data sets (docs/formats.md, section 3.2), read by the checker's own code
//
// A .npy file is the magic "\x93NUMPY", a version (1.0, 2.0 or 3.0), a little-endian header
// length (2 bytes in version 1, 4 in versions 2 and 3), a header dict
// `{'descr': ..., 'fortran_order': ..., 'shape': (...), }` padded with blanks and ending in a
// newline, then exactly the elements. An .npz is a zip archive of NAME.npy entries; a
// certificate's data archive holds X (n × d) and y (n integers). This reader shares nothing
// with the producer's: its own header grammar, element decoding and canonical rows. Every
// finite IEEE element is the dyadic rational m · 2^e it stores (IEEE 754-2019, section 3.4);
// point i's line is i + 1.

enum NumPyReader {
    /// Whether DATA is read as .npy or .npz: by the extension of its name, in any case.
    static func kind(of file: String) -> String? {
        let lower = file.lowercased()
        return lower.hasSuffix(".npy") ? "npy" : lower.hasSuffix(".npz") ? "npz" : nil
    }

    /// The data set of an .npy file (labels in X's last column) or an .npz archive (arrays X and y)
    /// whose bytes are `bytes`, at `path`. An archive is read from its file: ZIPFoundation's
    /// in-memory archive traps on offsets past the end of a damaged archive, its file-backed one
    /// reports them.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, path: String, file: String) throws(MalformedInput) -> LabeledPoints {
        if kind(of: file) == "npy" {
            let x = try Array(bytes, file: file)
            guard x.shape.count == 2, x.shape[1] >= 2 else {
                throw MalformedInput(file, "X must be a 2-D array with at least one coordinate column and the label column last, its shape is \(x.shape)")
            }
            return try points(x, labels: nil, file: file)
        }
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw MalformedInput(file, "not a readable .npz (zip) archive")
        }
        var arrays: [[UInt8]] = []
        for name in ["X", "y"] {
            guard let entry = archive[name + ".npy"], entry.type == .file else { throw MalformedInput(file, "has no array '\(name)' (entry \(name).npy)") }
            guard entry.uncompressedSize <= 1 << 34 else { throw MalformedInput(file, "the array \(name) is larger than 16 GiB") }
            var out: [UInt8] = []
            out.reserveCapacity(Int(min(entry.uncompressedSize, 1 << 26)))
            do {
                // extract(_:consumer:) computes the CRC-32 but leaves comparing it to the caller.
                let crc = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard UInt64(out.count + chunk.count) <= entry.uncompressedSize else { throw CocoaError(.fileReadCorruptFile) }
                    out.append(contentsOf: chunk)
                }
                guard crc == entry.checksum else { throw CocoaError(.fileReadCorruptFile) }
            } catch {
                throw MalformedInput(file, "the array \(name) cannot be unpacked (damaged entry or checksum)")
            }
            guard UInt64(out.count) == entry.uncompressedSize else { throw MalformedInput(file, "the array \(name) is shorter than its entry declares") }
            arrays.append(out)
        }
        return try arrays[0].withUnsafeBufferPointer { (xb) throws(MalformedInput) -> LabeledPoints in
            try arrays[1].withUnsafeBufferPointer { (yb) throws(MalformedInput) -> LabeledPoints in
                let x = try Array(xb, file: "\(file) (array X)")
                let y = try Array(yb, file: "\(file) (array y)")
                guard x.shape.count == 2, x.shape[1] >= 1 else { throw MalformedInput(x.file, "X must be a 2-D array (points × coordinates), its shape is \(x.shape)") }
                guard y.kind != UInt8(ascii: "f") else { throw MalformedInput(y.file, "the labels must have an integer dtype") }
                guard y.shape == [x.shape[0]] || y.shape == [x.shape[0], 1] else {
                    throw MalformedInput(y.file, "the labels' shape \(y.shape) does not match X's \(x.shape[0]) rows")
                }
                return try points(x, labels: y, file: file)
            }
        }
    }

    // MARK: Arrays

    struct Array {
        let file: String
        let kind: UInt8  // f, i, u
        let size: Int
        let bigEndian: Bool
        let fortran: Bool
        let shape: [Int]
        let data: UnsafeBufferPointer<UInt8>
        /// The file's row index of this array's row 0 (a block of a larger file, S9), for names.
        let rowBase: Int

        init(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(MalformedInput) {
            let start = try Array.headerEnd(bytes, fileSize: bytes.count, file: file)
            try self.init(header: UnsafeBufferPointer(rebasing: bytes[..<start]), file: file, data: UnsafeBufferPointer(rebasing: bytes[start...]))
            let total = try Array.elementBytes(shape, size, file: file)
            try Array.checkSize(fileSize: bytes.count, headerEnd: start, elements: total, shape: shape, file: file)
        }

        /// The array of the header `header` (all bytes before the first element), with the
        /// elements `data`, whose first row is row `rowBase` of the file (for names and lines).
        init(header: UnsafeBufferPointer<UInt8>, file: String, data: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0),
             shape: [Int]? = nil, rowBase: Int = 0) throws(MalformedInput) {
            self.file = file
            let major = Int(header[6])
            let start = 8 + (major == 1 ? 2 : 4)
            let dict = try Header.parse(Swift.Array(header[start...]), ascii: major < 3, file: file, base: start)
            (kind, size, bigEndian) = try Array.dtype(dict.descr, file: file)
            fortran = dict.fortran
            self.shape = shape ?? dict.shape
            self.data = data
            self.rowBase = rowBase
        }

        /// An array of the given dtype and layout over `data` (a block of rows of a larger file, S9).
        init(file: String, kind: UInt8, size: Int, bigEndian: Bool, fortran: Bool, shape: [Int], data: UnsafeBufferPointer<UInt8>, rowBase: Int) {
            self.file = file
            self.kind = kind
            self.size = size
            self.bigEndian = bigEndian
            self.fortran = fortran
            self.shape = shape
            self.data = data
            self.rowBase = rowBase
        }

        /// The offset of the first element (magic, version, header length and header end there),
        /// read from `prefix`, the file's first bytes (at least 12 or the whole file), of a file of
        /// `fileSize` bytes. P1: the magic, a version 1.0, 2.0 or 3.0, and a header inside the file.
        static func headerEnd(_ prefix: UnsafeBufferPointer<UInt8>, fileSize: Int, file: String) throws(MalformedInput) -> Int {
            guard prefix.count >= 10, Swift.Array(prefix[0 ..< 6]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] else {
                throw MalformedInput(file, "not an .npy file (no magic \\x93NUMPY)")
            }
            let major = Int(prefix[6])
            guard (1 ... 3).contains(major), prefix[7] == 0 else { throw MalformedInput(file, "unsupported .npy version \(prefix[6]).\(prefix[7])") }
            let lengthBytes = major == 1 ? 2 : 4
            guard prefix.count >= 8 + lengthBytes else { throw MalformedInput(file, "the file ends inside the header length") }
            var length = 0
            for k in (0 ..< lengthBytes).reversed() { length = length << 8 | Int(prefix[8 + k]) }
            let start = 8 + lengthBytes
            guard length <= fileSize - start else { throw MalformedInput(file, "the header runs past the end of the file") }
            return start + length
        }

        /// The bytes of all elements of `shape` (elements of `size` bytes), refused when too large.
        static func elementBytes(_ shape: [Int], _ size: Int, file: String) throws(MalformedInput) -> Int {
            var total = size
            for extent in shape {
                let (t, overflow) = total.multipliedReportingOverflow(by: extent)
                guard !overflow else { throw MalformedInput(file, "the shape \(shape) is too large") }
                total = t
            }
            return total
        }

        /// P1: exactly the elements after the header; fewer is truncated, more is an error.
        static func checkSize(fileSize: Int, headerEnd: Int, elements total: Int, shape: [Int], file: String) throws(MalformedInput) {
            let held = fileSize - headerEnd
            guard held == total else {
                throw MalformedInput(file, held < total
                    ? "truncated: the shape \(shape) needs \(total) bytes of elements, the file holds \(held)"
                    : "\(held - total) bytes after the last element")
            }
        }

        static func dtype(_ descr: String, file: String) throws(MalformedInput) -> (UInt8, Int, Bool) {
            let c = Swift.Array(descr.utf8)
            guard c.count == 3 || c.count == 4, c[0] == UInt8(ascii: "<") || c[0] == UInt8(ascii: ">") || c[0] == UInt8(ascii: "|"),
                  let size = Int(String(decoding: c[2...], as: UTF8.self)), c[2...].allSatisfy({ $0 &- 48 < 10 }) else {
                throw MalformedInput(file, "unsupported dtype '\(descr)'")
            }
            let fits: Bool
            switch c[1] {
            case UInt8(ascii: "f"): fits = [2, 4, 8].contains(size)
            case UInt8(ascii: "i"), UInt8(ascii: "u"): fits = [1, 2, 4, 8].contains(size)
            default: fits = false
            }
            guard fits, c[0] != UInt8(ascii: "|") || size == 1 else { throw MalformedInput(file, "unsupported dtype '\(descr)'") }
            return (c[1], size, c[0] == UInt8(ascii: ">"))
        }

        /// Element [i, j] (or [i] of a 1-D array) as (negative, magnitude, exponent), nil when not finite.
        func element(_ i: Int, _ j: Int) -> (Bool, UInt64, Int)? {
            let k = shape.count < 2 ? i : fortran ? j * shape[0] + i : i * shape[1] + j
            var raw: UInt64 = 0
            for b in 0 ..< size { raw = raw << 8 | UInt64(data[k * size + (bigEndian ? b : size - 1 - b)]) }
            switch kind {
            case UInt8(ascii: "i"):
                let v = Int64(bitPattern: raw << UInt64(64 - 8 * size)) >> Int64(64 - 8 * size)
                return (v < 0, v.magnitude, 0)
            case UInt8(ascii: "u"):
                return (false, raw, 0)
            default:
                let e = size == 2 ? 5 : size == 4 ? 8 : 11, f = size == 2 ? 10 : size == 4 ? 23 : 52
                let biased = Int(raw >> UInt64(f)) & (1 << e - 1), fraction = raw & (1 << UInt64(f) - 1)
                let negative = raw >> UInt64(e + f) & 1 == 1
                let bias = 1 << (e - 1) - 1
                if biased == 1 << e - 1 { return nil }
                return biased == 0 ? (negative, fraction, 1 - bias - f) : (negative, fraction | 1 << UInt64(f), biased - bias - f)
            }
        }

        func name(_ i: Int, _ j: Int) -> String { shape.count < 2 ? "[\(rowBase + i)]" : "[\(rowBase + i), \(j)]" }
    }

    // MARK: The header dict

    enum Header {
        /// `{`, then entries `'key': value` separated by commas (one trailing comma allowed), `}`,
        /// blanks, and a final newline; keys exactly descr (a quoted string), fortran_order
        /// (True/False) and shape (a tuple of non-negative integers, `(n,)` for one).
        static func parse(_ h: [UInt8], ascii: Bool, file: String, base: Int) throws(MalformedInput) -> (descr: String, fortran: Bool, shape: [Int]) {
            var at = 0
            func fail(_ message: String) -> MalformedInput { MalformedInput(file, "header byte \(base + at): \(message)") }
            guard h.last == 0x0A else { throw fail("the header does not end in a newline") }
            if let bad = h.dropLast().firstIndex(where: { $0 < 0x20 || (ascii && $0 >= 0x80) }) {
                at = bad
                throw fail("a control or (before version 3) non-ASCII byte")
            }
            let end = h.count - 1
            func blanks() { while at < end && h[at] == 0x20 { at += 1 } }
            func take(_ byte: UInt8) -> Bool {
                blanks()
                guard at < end && h[at] == byte else { return false }
                at += 1
                return true
            }
            func quoted() throws(MalformedInput) -> String {
                blanks()
                guard at < end, h[at] == 0x27 || h[at] == 0x22 else { throw fail("expected a quoted string") }
                let quote = h[at], from = at + 1
                at = from
                while at < end && h[at] != quote {
                    guard h[at] != 0x5C else { throw fail("a backslash in a header string") }
                    at += 1
                }
                guard at < end else { throw fail("an unterminated string") }
                at += 1
                return String(decoding: h[from ..< at - 1], as: UTF8.self)
            }
            guard take(UInt8(ascii: "{")) else { throw fail("expected '{'") }
            var descr: String?, fortran: Bool?, shape: [Int]?
            while !take(UInt8(ascii: "}")) {
                let key = try quoted()
                guard take(UInt8(ascii: ":")) else { throw fail("expected ':'") }
                blanks()
                switch key {
                case "descr" where descr == nil:
                    descr = try quoted()
                case "fortran_order" where fortran == nil:
                    if h[at...].starts(with: Swift.Array("True".utf8)) { fortran = true; at += 4 }
                    else if h[at...].starts(with: Swift.Array("False".utf8)) { fortran = false; at += 5 }
                    else { throw fail("fortran_order must be True or False") }
                case "shape" where shape == nil:
                    guard take(UInt8(ascii: "(")) else { throw fail("shape must be a tuple") }
                    var dims: [Int] = [], comma = false
                    while !take(UInt8(ascii: ")")) {
                        guard dims.isEmpty || comma else { throw fail("expected ',' or ')' in the shape") }
                        blanks()
                        let from = at
                        var v = 0
                        while at < end && h[at] &- 48 < 10 {
                            v = v * 10 + Int(h[at] - 48)
                            guard v <= 1 << 48 else { throw fail("a dimension is too large") }
                            at += 1
                        }
                        guard at > from, dims.count < 32 else { throw fail("the shape must hold non-negative integers") }
                        dims.append(v)
                        comma = take(UInt8(ascii: ","))
                    }
                    guard dims.count != 1 || comma else { throw fail("a one-element shape is written (n,)") }
                    shape = dims
                default:
                    throw fail("the key '\(key)' is unknown or repeated")
                }
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "}")) else { throw fail("expected ',' or '}'") }
                break
            }
            blanks()
            guard at == end else { throw fail("text after the dict") }
            guard let descr, let fortran, let shape else { throw fail("the header must have descr, fortran_order and shape") }
            return (descr, fortran, shape)
        }
    }

    // MARK: Points

    /// Canonical rows (D, a_1, ..., a_d) with D = 2^k the least common denominator, in words
    /// when they fit, else in GMP integers; labels from `labels` or X's last column; repeated rows merged (C7).
    static func points(_ x: Array, labels: Array?, file: String) throws(MalformedInput) -> LabeledPoints {
        guard x.shape[0] >= 1 else { throw MalformedInput(x.file, "contains no data rows") }
        var (set, hashes) = try rows(x, labels: labels, file: file, hashing: true)
        DataReader.mergeRepeatedRows(&set, hashes: hashes)
        return set
    }

    /// The rows of `x` (all of them, none merged), point i on line `x.rowBase` + i + 1, and, with
    /// `hashing`, a hash of each canonical row. NaN, infinities and bad labels throw, naming the element.
    /// - Complexity: O(n·d) element decodings; GMP integers only for rows whose scaled values pass 63 bits.
    static func rows(_ x: Array, labels: Array?, file: String, hashing: Bool) throws(MalformedInput) -> (LabeledPoints, [Int]) {
        let n = x.shape[0], d = labels == nil ? x.shape[1] - 1 : x.shape[1]
        var set = LabeledPoints(file: file, dimension: d, rows: [], big: [:], labels: [], lines: [], mergedDuplicates: 0, conflict: nil)
        set.rows.reserveCapacity(n * (d + 1))
        set.labels.reserveCapacity(n)
        var hashes: [Int] = []
        var values = [(Bool, UInt64, Int)](repeating: (false, 0, 0), count: d)
        var row = [Int64](repeating: 0, count: d + 1)
        for i in 0 ..< n {
            var least = 0
            for j in 0 ..< d {
                guard let (negative, m, e) = x.element(i, j) else {
                    throw MalformedInput(x.file, "element \(x.name(i, j)) is NaN or an infinity")
                }
                var (magnitude, exponent) = (m, e)
                if magnitude != 0 {
                    let t = magnitude.trailingZeroBitCount
                    magnitude >>= UInt64(t)
                    exponent += t
                    least = min(least, exponent)
                } else {
                    exponent = 0  // zero: no exponent of its own (e - least must stay >= 0)
                }
                values[j] = (negative, magnitude, exponent)
            }
            // The label, after the coordinates (S9: of several bad elements, the least row's least column is named).
            let (source, column) = labels.map { ($0, 0) } ?? (x, d)
            guard let (negative, magnitude, exponent) = source.element(i, column) else {
                throw MalformedInput(source.file, "element \(source.name(i, column)) (a label) is NaN or an infinity")
            }
            // The label: an integer value in [0, 2^62 - 1].
            let tz = magnitude == 0 ? 0 : magnitude.trailingZeroBitCount
            guard magnitude == 0 || (!negative && exponent + tz >= 0 && 64 - magnitude.leadingZeroBitCount + exponent <= 62) else {
                throw MalformedInput(source.file, "element \(source.name(i, column)): the label must be an integer from 0 to 2^62 - 1")
            }
            let label = magnitude == 0 ? 0 : exponent >= 0 ? Int64(magnitude << UInt64(exponent)) : Int64(magnitude >> UInt64(-exponent))
            // D = 2^-least; a_j = ±m_j 2^(e_j - least).
            var small = -least <= 62
            if small {
                row[0] = 1 << Int64(-least)
                for j in 0 ..< d {
                    let (negative, magnitude, exponent) = values[j]
                    let shift = exponent - least
                    guard magnitude == 0 || (shift < 63 && 64 - magnitude.leadingZeroBitCount + shift <= 63) else {
                        small = false
                        break
                    }
                    let a = Int64(magnitude) << Int64(shift)
                    row[j + 1] = magnitude == 0 ? 0 : negative ? -a : a
                }
            }
            var hasher = Hasher()
            if small {
                set.rows.append(contentsOf: row)
                if hashing { for v in row { hasher.combine(v) } }
            } else {
                let exact = [Z(1).shiftedLeft(by: -least)] + values.map { (negative, magnitude, exponent) -> Z in
                    let a = Z(Int128(magnitude)).shiftedLeft(by: exponent - least)
                    return negative ? -a : a
                }
                set.big[i] = exact
                set.rows.append(contentsOf: repeatElement(0, count: d + 1))
                if hashing { for v in exact { hasher.combine(v.description) } }
            }
            if hashing { hashes.append(hasher.finalize()) }
            set.labels.append(label)
            set.lines.append(x.rowBase + i + 1)
        }
        return (set, hashes)
    }
}
