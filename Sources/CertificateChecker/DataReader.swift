#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - CSV data sets (docs/formats.md, section 3)
//
// Point i is stored canonically as x = (a_1, ..., a_d) / D, with D > 0 the least
// common denominator of its reduced coordinates: two points are equal exactly
// when these integers are. Points whose D and a_k fit in Int64 ("small") live in
// one flat array; the others keep GMP integers. The file is split into chunks
// that start at line starts and parsed on all cores; a chunk needs nothing from
// the others but the column count, so the reader could stream chunk by chunk.

struct LabeledPoints: Sendable {
    let file: String
    let dimension: Int
    /// Rows of d + 1 words (D, a_1, ..., a_d) for small points; zeros for big ones.
    var rows: [Int64]
    /// Big points: index -> (D, a_1, ..., a_d).
    var big: [Int: [Z]]
    var labels: [Int64]
    /// The line of each point (its first row).
    var lines: [Int]
    var mergedDuplicates: Int
    /// The first row (in file order) equal to an earlier point with another label, and that point's line.
    var conflict: (line: Int, earlierLine: Int)?

    var count: Int { labels.count }

    /// Point i as (D, a_1, ..., a_d) in GMP integers.
    func exactRow(_ i: Int) -> [Z] {
        if let row = big[i] { return row }
        let w = dimension + 1
        return (0 ..< w).map { Z(rows[i * w + $0]) }
    }

    /// Coordinate k of point i as a rational.
    func coordinate(_ i: Int, _ k: Int) -> Q {
        if let row = big[i] { return Q(row[k + 1], row[0]) }
        let w = dimension + 1
        return Q(Z(rows[i * w + k + 1]), Z(rows[i * w]))
    }
}

/// One chunk's rows; line numbers relative to the chunk's first line.
struct DataChunk: Sendable {
    var rows: [Int64] = []
    var big: [(Int, [Z])] = []
    var labels: [Int64] = []
    var lines: [Int] = []
    var hashes: [Int] = []
    var lineCount = 0
    var error: (line: Int, lineStart: Int, offset: Int, message: String)?
}

enum DataReader {
    @inline(__always) static func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
    static let largestLabel: Int64 = (1 << 62) - 1

    /// Reads a data set; `file` names it in errors.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String, progress: Progress? = nil) throws(MalformedInput) -> LabeledPoints {
        let start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        func located(_ message: String, line: Int, lineStart: Int, at offset: Int) -> MalformedInput {
            MalformedInput(file, message, line: line, column: textColumn(bytes, lineStart: lineStart, offset: offset))
        }

        // The first line that is not skipped: the column count, and a header or not (C3, C4).
        var offset = start, line = 1
        var columns = 0, bodyStart = bytes.count, bodyLine = line
        while offset < bytes.count {
            let (end, next) = lineEnd(bytes, offset, bytes.count)
            let content = trimmed(bytes, offset, end)
            if !content.isEmpty && bytes[content.lowerBound] != UInt8(ascii: "#") {
                if let cr = (offset ..< end).first(where: { bytes[$0] == 0x0D }) {
                    throw located("carriage return inside a line (only a CR directly before the line feed ends a line)",
                                  line: line, lineStart: offset, at: cr)
                }
                let fields = split(bytes, content)
                columns = fields.count
                if columns < 2 {
                    throw located("a line needs at least one coordinate and a label, found 1 field", line: line, lineStart: offset, at: offset)
                }
                let header = !fields.contains { looksLikeNumber(bytes, $0) }
                (bodyStart, bodyLine) = header ? (next, line + 1) : (offset, line)
                break
            }
            offset = next
            line += 1
        }
        let dimension = columns - 1

        // Chunks of whole lines, parsed on all cores.
        var bounds: [Range<Int>] = []
        if columns > 0 {
            let target = max(1 << 20, (bytes.count - bodyStart) / (Workers.count * 8) + 1)
            var lo = bodyStart
            while lo < bytes.count {
                var hi = min(bytes.count, lo + target)
                if hi < bytes.count, let lf = memchr(bytes.baseAddress! + hi - 1, 0x0A, bytes.count - hi + 1) {
                    hi = bytes.baseAddress!.distance(to: lf.assumingMemoryBound(to: UInt8.self)) + 1
                } else {
                    hi = bytes.count
                }
                bounds.append(lo ..< hi)
                lo = hi
            }
        }
        let shared = SharedBytes(bytes: bytes)
        let chunkBounds = bounds
        var chunks = Workers.map(chunkBounds.count) { c in
            let chunk = parseChunk(shared.bytes, chunkBounds[c], dimension: dimension)
            progress?.advance(chunkBounds[c].count)
            return chunk
        }

        // In file order: the first error, then the rows with absolute line numbers.
        var set = LabeledPoints(file: file, dimension: dimension, rows: [], big: [:], labels: [], lines: [], mergedDuplicates: 0, conflict: nil)
        var hashes: [Int] = []
        var firstLine = bodyLine
        let total = chunks.reduce(0) { $0 + $1.labels.count }
        set.rows.reserveCapacity(total * (dimension + 1))
        set.labels.reserveCapacity(total)
        set.lines.reserveCapacity(total)
        hashes.reserveCapacity(total)
        for c in chunks.indices {
            if let e = chunks[c].error { throw located(e.message, line: firstLine + e.line, lineStart: e.lineStart, at: e.offset) }
            for (i, row) in chunks[c].big { set.big[set.labels.count + i] = row }
            set.rows.append(contentsOf: chunks[c].rows)
            set.labels.append(contentsOf: chunks[c].labels)
            set.lines.append(contentsOf: chunks[c].lines.lazy.map { $0 + firstLine })
            hashes.append(contentsOf: chunks[c].hashes)
            firstLine += chunks[c].lineCount
            chunks[c] = DataChunk()  // release as we go: peak memory is one copy plus one chunk
        }
        if set.labels.isEmpty {
            // C8: at the end of the file, line (number of lines + 1).
            var lines = 0
            for i in start ..< bytes.count where bytes[i] == 0x0A { lines += 1 }
            if bytes.count > start && bytes[bytes.count - 1] != 0x0A { lines += 1 }
            throw MalformedInput(file, "contains no data rows", line: lines + 1, column: 1)
        }
        mergeRepeatedRows(&set, hashes: hashes)
        return set
    }

    // MARK: Lines and fields

    /// The end of the line's content starting at `from` (C1: the LF, less one CR
    /// directly before it or before the end of the file) and the start of the next line.
    static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ limit: Int) -> (end: Int, next: Int) {
        var lf = limit
        if from < limit, let p = memchr(bytes.baseAddress! + from, 0x0A, limit - from) {
            lf = bytes.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
        }
        var end = lf
        if end > from && bytes[end - 1] == 0x0D && (lf < limit || limit == bytes.count) { end -= 1 }
        return (end, lf + 1)
    }

    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int) -> Range<Int> {
        var lo = a, hi = b
        while lo < hi && blank(bytes[lo]) { lo += 1 }
        while hi > lo && blank(bytes[hi - 1]) { hi -= 1 }
        return lo ..< hi
    }

    /// The trimmed comma-separated fields of a line's content.
    static func split(_ bytes: UnsafeBufferPointer<UInt8>, _ content: Range<Int>) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        var start = content.lowerBound
        for i in content where bytes[i] == UInt8(ascii: ",") {
            fields.append(trimmed(bytes, start, i))
            start = i + 1
        }
        fields.append(trimmed(bytes, start, content.upperBound))
        return fields
    }

    /// C4: starts with a digit, '+', '-' or '.', or is nan, inf or infinity in any case.
    static func looksLikeNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ field: Range<Int>) -> Bool {
        guard let first = field.first.map({ bytes[$0] }) else { return false }
        if first &- 0x30 < 10 || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: ".") { return true }
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[field]), as: UTF8.self).lowercased()
        return word == "nan" || word == "inf" || word == "infinity"
    }

    // MARK: Rows

    static func parseChunk(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, dimension d: Int) -> DataChunk {
        var chunk = DataChunk()
        chunk.rows.reserveCapacity(range.count / max(1, 6 * (d + 1)) * (d + 1))
        var values = [Fraction](repeating: .small(num: 0, den: 1), count: d)
        var row = [Int64](repeating: 0, count: d + 1)
        var offset = range.lowerBound
        var line = 0
        rowLoop: while offset < range.upperBound {
            let (end, next) = lineEnd(bytes, offset, range.upperBound)
            let lineStart = offset
            defer {
                offset = next
                line += 1
            }
            let content = trimmed(bytes, lineStart, end)
            if content.isEmpty || bytes[content.lowerBound] == UInt8(ascii: "#") { continue }
            func fail(_ at: Int, _ message: String) { chunk.error = (line, lineStart, at, message) }
            var fieldStart = content.lowerBound
            var label: Int64 = 0
            for k in 0 ... d {
                if fieldStart > content.upperBound {
                    fail(content.upperBound, "too few fields: expected \(d + 1) (\(d) coordinates and a label), found \(k)")
                    break rowLoop
                }
                var fieldEnd = content.upperBound
                if let p = memchr(bytes.baseAddress! + fieldStart, Int32(UInt8(ascii: ",")), content.upperBound - fieldStart) {
                    fieldEnd = bytes.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
                }
                let field = trimmed(bytes, fieldStart, fieldEnd)
                let what = k < d ? "coordinate \(k + 1)" : "the label"
                if let cr = field.first(where: { bytes[$0] == 0x0D }) {
                    fail(cr, "carriage return inside a line (only a CR directly before the line feed ends a line)")
                    break rowLoop
                }
                let value: Fraction
                do {
                    value = try ExactNumber.parse(UnsafeBufferPointer(rebasing: bytes[field]))
                } catch {
                    fail(field.lowerBound + error.offset, field.isEmpty ? "\(what) is empty"
                         : "\(what) '\(excerpt(bytes[field]))': \(error.message)")
                    break rowLoop
                }
                if k < d {
                    values[k] = value
                } else {
                    guard case .small(let l, 1) = value, l >= 0, l <= largestLabel else {
                        fail(field.lowerBound, "the label must be an integer from 0 to 2^62 - 1, found '\(excerpt(bytes[field]))'")
                        break rowLoop
                    }
                    label = l
                }
                fieldStart = fieldEnd + 1
            }
            if fieldStart <= content.upperBound {
                fail(fieldStart - 1, "too many fields: expected \(d + 1) (\(d) coordinates and a label)")
                break
            }
            var hasher = Hasher()
            if smallRow(values, into: &row) {
                chunk.rows.append(contentsOf: row)
                for v in row { hasher.combine(v) }
            } else {
                let exact = bigRow(values)
                chunk.big.append((chunk.labels.count, exact))
                chunk.rows.append(contentsOf: repeatElement(0, count: d + 1))
                for v in exact { hasher.combine(v.description) }
            }
            chunk.hashes.append(hasher.finalize())
            chunk.labels.append(label)
            chunk.lines.append(line)
        }
        chunk.lineCount = line
        return chunk
    }

    /// (D, a_1, ..., a_d) in words when every value fits (overflow checked at each step).
    static func smallRow(_ values: [Fraction], into row: inout [Int64]) -> Bool {
        var lcd: Int64 = 1
        for v in values {
            guard case .small(_, let den) = v else { return false }
            let g = Int64(gcd64(UInt64(lcd), UInt64(den)))
            let (product, overflow) = (lcd / g).multipliedReportingOverflow(by: den)
            if overflow { return false }
            lcd = product
        }
        row[0] = lcd
        for (k, v) in values.enumerated() {
            guard case .small(let num, let den) = v else { return false }
            let (a, overflow) = num.multipliedReportingOverflow(by: lcd / den)
            if overflow { return false }
            row[k + 1] = a
        }
        return true
    }

    /// (D, a_1, ..., a_d) in GMP integers. Some value does not fit in a word, so neither does the row.
    static func bigRow(_ values: [Fraction]) -> [Z] {
        let exact = values.map(\.q)
        var lcd = Z(1)
        for v in exact where !lcd.isMultiple(of: v.denominator) {
            lcd = (lcd * v.denominator).dividedExactly(by: Z.gcd(lcd, v.denominator))
        }
        return [lcd] + exact.map { $0.numerator * lcd.dividedExactly(by: $0.denominator) }
    }

    // MARK: Repeated rows (C7)

    /// Merges rows equal to an earlier point with the same label and records the first
    /// conflict. Rows are grouped by a seeded hash and compared exactly within a group,
    /// each only against the group's distinct points: O(n log n), no pairwise scan.
    static func mergeRepeatedRows(_ set: inout LabeledPoints, hashes: [Int]) {
        let n = set.count, w = set.dimension + 1
        let order = (0 ..< n).sorted { hashes[$0] != hashes[$1] ? hashes[$0] < hashes[$1] : $0 < $1 }
        func equal(_ i: Int, _ j: Int) -> Bool {
            if set.big[i] != nil || set.big[j] != nil {
                guard let a = set.big[i], let b = set.big[j] else { return false }
                return zip(a, b).allSatisfy { $0 == $1 }
            }
            for k in 0 ..< w where set.rows[i * w + k] != set.rows[j * w + k] { return false }
            return true
        }
        var merged = [Bool](repeating: false, count: n)
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && hashes[order[end]] == hashes[order[start]] { end += 1 }
            var distinct: [Int] = []
            for i in order[start ..< end] {
                if let j = distinct.first(where: { equal($0, i) }) {
                    if set.labels[i] == set.labels[j] {
                        merged[i] = true
                    } else if set.conflict == nil || set.lines[i] < set.conflict!.line {
                        set.conflict = (set.lines[i], set.lines[j])
                    }
                } else {
                    distinct.append(i)
                }
            }
            start = end
        }
        let mergedCount = merged.lazy.filter { $0 }.count
        set.mergedDuplicates = mergedCount
        if mergedCount == 0 { return }
        var rows: [Int64] = [], labels: [Int64] = [], lines: [Int] = [], big: [Int: [Z]] = [:]
        rows.reserveCapacity((n - mergedCount) * w)
        for i in 0 ..< n where !merged[i] {
            if let row = set.big[i] { big[labels.count] = row }
            rows.append(contentsOf: set.rows[i * w ..< (i + 1) * w])
            labels.append(set.labels[i])
            lines.append(set.lines[i])
        }
        (set.rows, set.labels, set.lines, set.big) = (rows, labels, lines, big)
    }
}

/// Mapped bytes shared read-only with the workers.
struct SharedBytes: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
}
