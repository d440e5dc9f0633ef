import ExactArithmetic
import TextFormats
import WorkSharing

// MARK: - Reading CSV (docs/formats.md, section 3)
//
// One point per line: d coordinates, then the label. A leading byte-order mark
// is ignored (T1); lines end at LF, and one CR directly before it (or before the
// end of the file) belongs to the line end (C1); blank lines and lines whose
// first non-blank character is '#' are skipped (C2). The first other line is a
// header when none of its fields looks like a number (C4). Numbers are read
// exactly. The bytes (a mapped file, for the command line) are split at line
// boundaries and parsed on all cores; errors report the first bad place in file
// order.

extension DataSet {
    /// Parses CSV held in an array (see `parseCSV(_:file:)`).
    public static func parseCSV(_ bytes: [UInt8], file: String) throws(InputError) -> DataSet {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(InputError) in try parseCSV(buffer, file: file) }
        }
        return try result.get()
    }

    /// Parses CSV bytes; `file` names the source in errors (reading files is the
    /// command line's job).
    public static func parseCSV(_ file: UnsafeBufferPointer<UInt8>, file name: String) throws(InputError) -> DataSet {
        let hasMark = file.count >= 3 && file[0] == 0xEF && file[1] == 0xBB && file[2] == 0xBF
        let bytes = hasMark ? UnsafeBufferPointer(rebasing: file[3...]) : file
        let file = name
        // Find the first content line: it fixes the column count and may be a header.
        var offset = 0
        var line = 1
        var columns = 0
        var bodyStart = 0, bodyFirstLine = 1, firstContentLine = 1
        while offset < bytes.count {
            let end = CSVLines.lineEnd(bytes, from: offset)
            let content = CSVLines.trimmed(bytes, offset, CSVLines.contentEnd(bytes, offset, end))
            if content.lowerBound < content.upperBound && bytes[content.lowerBound] != UInt8(ascii: "#") {
                if let cr = content.first(where: { bytes[$0] == 0x0D }) {
                    throw InputError(file: file, line: line, column: CSVLines.column(bytes, lineStart: offset, at: cr),
                                     message: CSVLines.carriageReturnMessage)
                }
                let fields = CSVLines.fields(bytes, content)
                columns = fields.count
                firstContentLine = line
                let isHeader = !fields.contains { CSVLines.looksNumeric(UnsafeBufferPointer(rebasing: bytes[$0])) }
                if isHeader {
                    bodyStart = min(end + 1, bytes.count)
                    bodyFirstLine = line + 1
                } else {
                    bodyStart = offset
                    bodyFirstLine = line
                }
                break
            }
            offset = end + 1
            line += 1
        }
        if columns == 0 { throw CSVLines.noData(bytes, file: file) }
        if columns < 2 {
            throw InputError(file: file, line: firstContentLine, column: 1,
                             message: "a line needs at least one coordinate and a label, found 1 column")
        }
        let dimension = columns - 1

        // Chunks of whole lines.
        let body = UnsafeBufferPointer(rebasing: bytes[bodyStart...])
        let chunkBounds = lineAlignedRanges(body, target: max(1 << 18, body.count / (Parallel.workerCount * 4) + 1))
        let base = SharedBuffer(readOnly: body)
        let parsed = Parallel.mapChunks(count: chunkBounds.count, chunkSize: 1) { range -> CSVChunk in
            var chunk = CSVChunk(dimension: dimension)
            chunk.parse(base.readOnly, chunkBounds[range.lowerBound])
            return chunk
        }

        // Merge in file order; line numbers become absolute.
        var points = RationalPoints(dimension: dimension)
        points.reserveCapacity(parsed.reduce(0) { $0 + $1.points.count })
        var labels: [Int] = [], lines: [Int] = []
        var firstLine = bodyFirstLine
        for chunk in parsed {
            if let error = chunk.error {
                throw InputError(file: file, line: firstLine + error.line, column: error.column, message: error.message)
            }
            points.append(contentsOf: chunk.points)
            labels.append(contentsOf: chunk.labels)
            lines.append(contentsOf: chunk.lines.lazy.map { $0 + firstLine })
            firstLine += chunk.lineCount
        }
        if labels.isEmpty { throw CSVLines.noData(bytes, file: file) }
        return try DataSet.mergingDuplicates(points: points, labels: labels, lines: lines, file: file)
    }

    /// Merges equal points with equal labels; rejects equal points with different labels.
    /// With `rows`, `lines` are NumPy rows counted from 1 and the message names rows (no line).
    static func mergingDuplicates(points: RationalPoints, labels: [Int], lines: [Int], file: String, rows: Bool = false)
        throws(InputError) -> DataSet {
        var table = PointHashTable(capacity: points.count)
        var keep: [Int] = []
        keep.reserveCapacity(points.count)
        var merged = 0
        for i in 0 ..< points.count {
            if let j = table.insertOrFind(i, in: points) {
                if labels[j] != labels[i] && rows {
                    throw InputError(file: file, message: "row \(i) equals row \(j), which has label \(labels[j]), but its label is \(labels[i]); "
                                         + "no function gives both, so the data cannot be memorized (rows counted from 0)")
                }
                if labels[j] != labels[i] {
                    throw InputError(file: file, line: lines[i], column: 1,
                                     message: "this point equals the point on line \(lines[j]), which has label \(labels[j]), "
                                         + "but here its label is \(labels[i]); no function gives both, so the data cannot be memorized")
                }
                merged += 1
            } else {
                keep.append(i)
            }
        }
        if merged == 0 {
            return DataSet(points: points, labels: labels, lines: lines, mergedDuplicates: 0, source: file)
        }
        return DataSet(points: points.subset(keep), labels: keep.map { labels[$0] }, lines: keep.map { lines[$0] },
                       mergedDuplicates: merged, source: file)
    }
}

/// Open addressing over point indices, hashing the stored exact form.
struct PointHashTable {
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// Inserts point i, or returns the index of an equal point already present.
    mutating func insertOrFind(_ i: Int, in points: RationalPoints) -> Int? {
        var slot = points.pointHash(i) & mask
        while true {
            let occupant = slots[slot]
            if occupant < 0 {
                slots[slot] = Int32(i)
                return nil
            }
            if points.pointsEqual(Int(occupant), i) { return Int(occupant) }
            slot = (slot + 1) & mask
        }
    }
}

/// One chunk's parsed lines, with line numbers relative to the chunk.
struct CSVChunk: Sendable {
    var points: RationalPoints
    var labels: [Int] = []
    var lines: [Int] = []
    var lineCount = 0
    var error: (line: Int, column: Int, message: String)?

    init(dimension: Int) { points = RationalPoints(dimension: dimension) }

    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        let dimension = points.dimension
        var scratch = [Rational](repeating: Rational(), count: dimension)
        var offset = range.lowerBound
        var line = 0
        points.reserveCapacity((range.count / max(1, 8 * (dimension + 1))) + 1)
        while offset < range.upperBound {
            let end = CSVLines.lineEnd(bytes, from: offset, limit: range.upperBound)
            defer {
                offset = end + 1
                line += 1
            }
            let content = CSVLines.trimmed(bytes, offset, CSVLines.contentEnd(bytes, offset, end))
            if content.isEmpty || bytes[content.lowerBound] == UInt8(ascii: "#") { continue }
            func fail(_ at: Int, _ message: String) {
                let column = CSVLines.column(bytes, lineStart: offset, at: at)
                error = (line, column, message)
            }
            var fieldStart = content.lowerBound
            var field = 0
            var label = 0
            var failed = false
            while true {
                var fieldEnd = fieldStart
                while fieldEnd < content.upperBound && bytes[fieldEnd] != UInt8(ascii: ",") { fieldEnd += 1 }
                let f = CSVLines.trimmed(bytes, fieldStart, fieldEnd)
                if field > dimension {
                    fail(fieldStart, "too many fields: expected \(dimension + 1) (\(dimension) coordinates and a label)")
                    failed = true
                    break
                }
                let text = UnsafeBufferPointer(rebasing: bytes[f])
                do {
                    let value = try Rational.parse(text)
                    if field < dimension {
                        scratch[field] = value
                    } else {
                        guard value.isInteger, value.sign != .negative, let l = value.numerator.intValue,
                              l <= LabelCode.maximumLabel else {
                            fail(f.lowerBound, "the label must be an integer from 0 to 2^\(LabelCode.maximumBits) - 1, found '\(TextPosition.excerpt(text))'")
                            failed = true
                            break
                        }
                        label = l
                    }
                } catch {
                    let what = field < dimension ? "coordinate \(field + 1)" : "label"
                    if error.kind == .unexpectedCharacter("\r") {
                        fail(f.lowerBound + error.offset, CSVLines.carriageReturnMessage)
                    } else if error.kind == .empty {
                        fail(f.lowerBound, "\(what) is empty")
                    } else {
                        fail(f.lowerBound + error.offset, "\(what) '\(TextPosition.excerpt(text))': \(error.description)")
                    }
                    failed = true
                    break
                }
                field += 1
                if fieldEnd >= content.upperBound { break }
                fieldStart = fieldEnd + 1
            }
            if failed { break }
            if field < dimension + 1 {
                fail(content.upperBound, "too few fields: expected \(dimension + 1) (\(dimension) coordinates and a label), found \(field)")
                break
            }
            points.append(scratch)
            labels.append(label)
            lines.append(line)
        }
        lineCount = line
    }
}

/// Byte-level helpers for CSV lines.
enum CSVLines {
    /// The offset of the next '\n' at or after `from` (or `limit`).
    static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, limit: Int? = nil) -> Int {
        let stop = limit ?? bytes.count
        var i = from
        while i < stop && bytes[i] != UInt8(ascii: "\n") { i += 1 }
        return i
    }

    /// The end of a line's content (C1): `end` (its LF or the end of the bytes) less one CR directly before it.
    static func contentEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        end > start && bytes[end - 1] == 0x0D ? end - 1 : end
    }

    static let carriageReturnMessage = "carriage return inside a line (only one CR directly before the line feed belongs to the line end)"

    /// C8: no data rows, located at line (number of lines + 1), column 1.
    static func noData(_ bytes: UnsafeBufferPointer<UInt8>, file: String) -> InputError {
        var lines = 0
        for byte in bytes where byte == 0x0A { lines += 1 }
        if let last = bytes.last, last != 0x0A { lines += 1 }
        return InputError(file: file, line: lines + 1, column: 1, message: "contains no data rows")
    }

    /// The range without surrounding blanks (spaces and tabs; C2).
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int> {
        var a = start, b = end
        while a < b && isSpace(bytes[a]) { a += 1 }
        while b > a && isSpace(bytes[b - 1]) { b -= 1 }
        return a ..< b
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// The trimmed ranges of the comma-separated fields in `content`.
    static func fields(_ bytes: UnsafeBufferPointer<UInt8>, _ content: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = content.lowerBound
        var i = start
        while true {
            if i == content.upperBound || bytes[i] == UInt8(ascii: ",") {
                result.append(trimmed(bytes, start, i))
                if i == content.upperBound { break }
                start = i + 1
            }
            i += 1
        }
        return result
    }

    /// C4: text that starts like a number (digit, sign or point) or is nan, inf or
    /// infinity in any case, so that a malformed first data line is reported as bad
    /// data, never taken for a header.
    static func looksNumeric(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = text.first else { return false }
        if first &- 48 < 10 || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") { return true }
        let word = String(decoding: text, as: UTF8.self).lowercased()
        return word == "nan" || word == "inf" || word == "infinity"
    }

    /// The 1-based column of byte `at` in the line starting at `lineStart` (docs/formats.md, T2).
    static func column(_ bytes: UnsafeBufferPointer<UInt8>, lineStart: Int, at: Int) -> Int {
        TextPosition.column(of: at, lineStart: lineStart, in: bytes)
    }
}

// MARK: - Writing CSV

extension DataSet {
    /// CSV text: optional comment lines, a header `x1,...,xd,label`, then one
    /// point per line with canonical exact values.
    public func csvBytes(comments: [String] = []) -> [UInt8] {
        var out = [UInt8]()
        for comment in comments { out.append(contentsOf: ("# " + comment + "\n").utf8) }
        out.append(contentsOf: ((1 ... max(1, dimension)).prefix(dimension).map { "x\($0)" } + ["label"])
            .joined(separator: ",").utf8)
        out.append(0x0A)
        for i in 0 ..< count {
            for j in 0 ..< dimension {
                out.append(contentsOf: points.coordinate(i, j).description.utf8)
                out.append(UInt8(ascii: ","))
            }
            out.append(contentsOf: String(labels[i]).utf8)
            out.append(0x0A)
        }
        return out
    }
}
