import Crypto
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Reading a byte range of a data file in blocks (docs/formats.md, sections 3.1 and 5.4)
//
// The checker's own streaming reader: pread in blocks of whole lines, rows parsed with
// this checker's row reader (`DataReader.parseChunk`), evaluated with its own evaluator,
// and each row's key (SHA-256 of its canonical coordinates) with its label, byte offset
// and line sent to a `KeyedRows` sorter on disk. Memory: one block plus the network.

/// A regular file read with pread.
final class RangeFile: @unchecked Sendable {
    let path: String
    let size: Int
    private let fd: Int32

    init(path: String) throws(MalformedInput) {
        self.path = path
        try FilePaths.requireRegularFile(path)
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw MalformedInput(path, "cannot open: \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw MalformedInput(path, "is not a regular file")
        }
        size = Int(info.st_size)
    }

    deinit { close(fd) }

    /// Up to `count` bytes from `offset` (fewer only at the end of the file).
    func read(_ offset: Int, _ count: Int) throws(MalformedInput) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(0, count))
        var done = 0
        while done < out.count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(offset + done)) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw MalformedInput(path, "cannot read: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            done += n
        }
        out.removeLast(out.count - done)
        return out
    }

    /// SHA-256 of the bytes [start, end) as 64 lowercase hex digits.
    func sha256(_ start: Int, _ end: Int, progress: Progress? = nil) throws(MalformedInput) -> String {
        var hasher = SHA256()
        try hash(start, end, into: &hasher, progress: progress)
        return hexDigest(hasher.finalize())
    }

    /// Feeds the bytes [start, end) to `hasher`, in blocks of 4 MiB.
    func hash(_ start: Int, _ end: Int, into hasher: inout SHA256, progress: Progress? = nil) throws(MalformedInput) {
        var offset = start
        while offset < end {
            let block = try read(offset, min(1 << 22, end - offset))
            if block.isEmpty { throw MalformedInput(path, "is shorter than \(end) bytes") }
            block.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            progress?.advance(block.count)
            offset += block.count
        }
    }

    /// The first line start at or after ⌊j·S/K⌋ (section 3.1; a(0) = 0, a(K) = S).
    func boundary(_ j: Int, of k: Int) throws(MalformedInput) -> Int {
        if j <= 0 { return 0 }
        if j >= k { return size }
        let p = Int(UInt64(k).dividingFullWidth(UInt64(j).multipliedFullWidth(by: UInt64(size))).quotient)
        if p == 0 { return 0 }
        var offset = p - 1
        while offset < size {
            let block = try read(offset, 1 << 16)
            if block.isEmpty { break }
            if let lf = block.firstIndex(of: 0x0A) { return offset + lf + 1 }
            offset += block.count
        }
        return size
    }
}

func hexDigest(_ digest: some Sequence<UInt8>) -> String {
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in digest {
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// The column count and where rows may start, from the start of the file (C3, C4).
struct DataLayout {
    var dimension: Int
    /// Offset of the first line that may hold a row (after the header, or the first content line).
    var bodyStart: Int

    static func read(_ file: RangeFile) throws(MalformedInput) -> DataLayout {
        var count = 1 << 16
        while true {
            let prefix = try file.read(0, count)
            let whole = prefix.count >= file.size
            let found = try prefix.withUnsafeBufferPointer { (bytes) throws(MalformedInput) -> DataLayout? in
                let start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
                var offset = start, line = 1
                while offset < bytes.count {
                    let lf = bytes[offset...].firstIndex(of: 0x0A)
                    if lf == nil && !whole { return nil }
                    let (end, next) = DataReader.lineEnd(bytes, offset, bytes.count)
                    let content = DataReader.trimmed(bytes, offset, end)
                    if !content.isEmpty && bytes[content.lowerBound] != UInt8(ascii: "#") {
                        if let cr = (offset ..< end).first(where: { bytes[$0] == 0x0D }) {
                            throw MalformedInput(file.path, "carriage return inside a line (only a CR directly before the line feed ends a line)",
                                                 line: line, column: textColumn(bytes, lineStart: offset, offset: cr))
                        }
                        let fields = DataReader.split(bytes, content)
                        if fields.count < 2 {
                            throw MalformedInput(file.path, "a line needs at least one coordinate and a label, found 1 field", line: line, column: 1)
                        }
                        let header = !fields.contains { DataReader.looksLikeNumber(bytes, $0) }
                        return DataLayout(dimension: fields.count - 1, bodyStart: header ? min(next, bytes.count) : offset)
                    }
                    offset = next
                    line += 1
                }
                if !whole { return nil }
                throw MalformedInput(file.path, "contains no data rows", line: line, column: 1)
            }
            if let found { return found }
            count *= 2
        }
    }
}

/// What a pass over a range gives.
struct RangeResult {
    var rows = 0
    /// Lines of the range (for C8).
    var lines = 0
    /// The first row (in file order) whose output differs from its label.
    var mismatch: (line: Int, offset: Int, output: Int64, label: Int64, tie: (layer: Int, neuron: Int)?)?
    var margins: [Margin]
}

enum RangePass {
    /// Reads rows of [start, end) of `file` in blocks, evaluates `net` on every row (unless the
    /// dimensions differ), keeps the least margins and sends every row to `sorter`.
    /// Line numbers count from 1 at `start`; `name` names the data in messages.
    static func run(_ file: RangeFile, _ start: Int, _ end: Int, layout: DataLayout, net: NetworkModel, evaluate: Bool,
                    name: String, sorter: KeyedRows, blockBytes: Int, progress: Progress?) throws(MalformedInput) -> RangeResult {
        var result = RangeResult(margins: Array(repeating: Margin(), count: net.layers.count))
        var position = start, line = 1, readSize = blockBytes
        var lastByte: UInt8 = 0x0A
        while position < end {
            let want = min(readSize, end - position)
            var bytes = try file.read(position, want)
            if bytes.count < want { throw MalformedInput(file.path, "changed while it was read") }
            if position + bytes.count < end {
                guard let lf = bytes.lastIndex(of: 0x0A) else { readSize *= 2; continue }
                bytes.removeLast(bytes.count - lf - 1)
            }
            readSize = blockBytes
            lastByte = bytes[bytes.count - 1]
            var from = 0
            if layout.bodyStart > position {
                from = min(bytes.count, layout.bodyStart - position)
                for b in bytes[0 ..< from] where b == 0x0A { line += 1 }
            }
            if from < bytes.count {
                try block(bytes, from, base: position, firstLine: &line, layout: layout, net: net, evaluate: evaluate,
                          name: name, sorter: sorter, into: &result)
            }
            progress?.advance(bytes.count)
            position += bytes.count
        }
        result.lines = line - 1 + (end > start && lastByte != 0x0A && layout.bodyStart >= end ? 1 : 0)
        return result
    }

    private static func block(_ bytes: [UInt8], _ from: Int, base: Int, firstLine line: inout Int, layout: DataLayout, net: NetworkModel,
                              evaluate: Bool, name: String, sorter: KeyedRows, into result: inout RangeResult) throws(MalformedInput) {
        let d = layout.dimension
        // Pieces of whole lines for the workers.
        var pieces: [Range<Int>] = []
        var lo = from
        let target = max(1 << 16, (bytes.count - from) / (Workers.count * 2) + 1)
        while lo < bytes.count {
            var hi = min(bytes.count, lo + target)
            while hi < bytes.count && bytes[hi - 1] != 0x0A { hi += 1 }
            pieces.append(lo ..< hi)
            lo = hi
        }
        let pieceList = pieces
        let parts = bytes.withUnsafeBufferPointer { all -> [(DataChunk, [Int], [UInt8])] in
            let shared = SharedBytes(bytes: all)
            return Workers.map(pieceList.count) { p -> (DataChunk, [Int], [UInt8]) in
                let range = pieceList[p]
                let chunk = DataReader.parseChunk(shared.bytes, range, dimension: d)
                // Line start offsets of the rows.
                var offsets: [Int] = [], l = 0, at = range.lowerBound
                for rowLine in chunk.lines {
                    while l < rowLine {
                        at = DataReader.lineEnd(shared.bytes, at, range.upperBound).next
                        l += 1
                    }
                    offsets.append(at)
                }
                return (chunk, offsets, RowKeyText.keys(chunk, dimension: d))
            }
        }
        for (chunk, offsets, keys) in parts {
            if let e = chunk.error {
                throw bytes.withUnsafeBufferPointer { all in
                    MalformedInput(name, e.message, line: line + e.line, column: textColumn(all, lineStart: e.lineStart, offset: e.offset))
                }
            }
            let points = LabeledPoints(file: name, dimension: d, rows: chunk.rows, big: Dictionary(uniqueKeysWithValues: chunk.big),
                                       labels: chunk.labels, lines: chunk.lines.map { $0 + line }, mergedDuplicates: 0, conflict: nil)
            try take(points, offsets: offsets.map { base + $0 }, keys: keys, net: net, evaluate: evaluate, sorter: sorter, into: &result)
            line += chunk.lineCount
        }
    }

    /// The part of a pass every row source shares (CSV lines, `.npy` rows): evaluates `net` on
    /// `points` (unless `evaluate` is false or a mismatch was already found), keeps the least
    /// margins and the first mismatch, and sends each row's (key, label, offset, line) to
    /// `sorter`. `offsets` are byte offsets of line starts (CSV) or row indexes (`.npy`, S10);
    /// `keys` holds 32 bytes per row.
    static func take(_ points: LabeledPoints, offsets: [Int], keys: [UInt8], net: NetworkModel, evaluate: Bool,
                     sorter: KeyedRows, into result: inout RangeResult) throws(MalformedInput) {
        if evaluate && result.mismatch == nil && points.count > 0 {
            let evaluation = Evaluator.run(net, points)
            if let (i, output, tie) = evaluation.mismatch {
                result.mismatch = (points.lines[i], offsets[i], output, points.labels[i], tie)
            }
            for (l, m) in evaluation.margins.enumerated() { result.margins[l].merge(m) }
        }
        for i in 0 ..< points.count {
            try sorter.add(key: keys, at: i * 32, label: points.labels[i], offset: offsets[i], line: points.lines[i])
        }
        result.rows += points.count
    }
}

// MARK: - Row keys

enum RowKeyText {
    /// SHA-256 of each row's canonical text `c_1,...,c_d` (section 5.4), 32 bytes per row.
    static func keys(_ chunk: DataChunk, dimension d: Int) -> [UInt8] {
        var big: [Int: [Z]] = [:]
        for (i, row) in chunk.big { big[i] = row }
        return keys(rows: chunk.rows, big: big, labels: chunk.labels, dimension: d)
    }

    /// The keys of rows given as canonical words `rows` ((D, a_1..a_d) per row) and GMP rows `big`.
    static func keys(rows: [Int64], big: [Int: [Z]], labels: [Int64], dimension d: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(labels.count * 32)
        var text: [UInt8] = []
        for i in 0 ..< labels.count {
            text.removeAll(keepingCapacity: true)
            canonicalText(rows: rows, i, big: big, dimension: d, into: &text)
            let key = Array(SHA256.hash(data: text))
            out.append(contentsOf: weakKeys.map { weaken(key, label: labels[i], mode: $0) } ?? key)
        }
        return out
    }

    /// Appends row i's canonical text `c_1,...,c_d` to `text`.
    static func canonicalText(rows: [Int64], _ i: Int, big: [Int: [Z]], dimension d: Int, into text: inout [UInt8]) {
        if let row = big[i] {
            for k in 0 ..< d {
                if k > 0 { text.append(0x2C) }
                text.append(contentsOf: Q(row[k + 1], row[0]).description.utf8)
            }
        } else {
            let w = d + 1
            let D = rows[i * w]
            for k in 0 ..< d {
                if k > 0 { text.append(0x2C) }
                let a = rows[i * w + k + 1]
                let g = Int64(gcd64(a.magnitude, UInt64(D)))
                // a / g and D / g: |a| < 2^63 or a = -2^63 with g a power of two... use magnitudes.
                let num = a.magnitude / UInt64(g), den = UInt64(D) / UInt64(g)
                if a < 0 { text.append(0x2D) }
                text.append(contentsOf: String(num).utf8)
                if den != 1 {
                    text.append(0x2F)
                    text.append(contentsOf: String(den).utf8)
                }
            }
        }
    }

    /// The canonical text of the row whose line starts at byte `offset` of `file`, read again
    /// from the file with this checker's row reader (to decide exactly whether rows with one key
    /// are one point; section 3.1, S3).
    static func canonicalText(of file: RangeFile, at offset: Int, dimension d: Int, name: String) throws(MalformedInput) -> [UInt8] {
        var count = 1024  // most rows are shorter; a longer one is read again, doubling
        var bytes: [UInt8] = []
        while true {
            bytes = try file.read(offset, count)
            if let lf = bytes.firstIndex(of: 0x0A) {
                bytes.removeLast(bytes.count - lf - 1)
                break
            }
            if offset + bytes.count >= file.size { break }
            guard count < 1 << 30 else { throw MalformedInput(name, "the row at byte \(offset) is longer than 2^30 bytes") }
            count *= 2
        }
        let chunk = bytes.withUnsafeBufferPointer { DataReader.parseChunk($0, 0 ..< $0.count, dimension: d) }
        guard chunk.error == nil, chunk.labels.count == 1 else {
            throw MalformedInput(name, "the row at byte \(offset) no longer reads as one row (did the file change?)")
        }
        var big: [Int: [Z]] = [:]
        for (i, row) in chunk.big { big[i] = row }
        var text: [UInt8] = []
        canonicalText(rows: chunk.rows, 0, big: big, dimension: d, into: &text)
        return text
    }

    /// Test hook (docs/formats.md, S3): `MEMCERT_TEST_WEAK_KEYS` = `all` gives every row one
    /// key, `label` gives rows of one label one of 4 keys, so that the exact confirmation of
    /// rows with equal keys is exercised. Keys only decide which rows are compared, so this
    /// cannot change a verdict of the checker.
    static let weakKeys: String? = {
        guard let value = getenv("MEMCERT_TEST_WEAK_KEYS"), value.pointee != 0 else { return nil }
        return String(cString: value)
    }()

    static func weaken(_ key: [UInt8], label: Int64, mode: String) -> [UInt8] {
        var weak = [UInt8](repeating: 0, count: 32)
        if mode == "label" {
            weak[0] = UInt8(truncatingIfNeeded: label)
            weak[1] = key[0] & 3
        }
        return weak
    }
}

// MARK: - Rows sorted by key, on disk

/// Rows (key, label, offset, line) in 256 temporary files by the key's first byte, each
/// later sorted alone: sorting n rows in O(n/256) memory. Safe to feed from several threads.
final class KeyedRows: @unchecked Sendable {
    static let recordSize = 56
    let folder: String
    private let state: Mutex<[[UInt8]]>
    private var fds: [Int32] = []

    init() throws(MalformedInput) {
        var base = "/tmp"
        for name in ["MEMCERT_TMPDIR", "TMPDIR"] {
            if let v = getenv(name), v.pointee != 0 { base = String(cString: v); break }
        }
        var template = Array((base + "/memcert-check.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw MalformedInput(base, "cannot create a temporary folder for row keys: \(String(cString: strerror(errno))) (set MEMCERT_TMPDIR)")
        }
        folder = String(cString: made)
        state = Mutex(Array(repeating: [], count: 256))
        for b in 0 ..< 256 {
            let fd = open(folder + "/\(b)", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0 { cleanUp(); throw MalformedInput(folder, "cannot create a temporary file") }
            fds.append(fd)
        }
    }

    deinit { cleanUp() }

    private func cleanUp() {
        for fd in fds { close(fd) }
        for b in 0 ..< 256 { unlink(folder + "/\(b)") }
        rmdir(folder)
    }

    func add(key: [UInt8], at k: Int, label: Int64, offset: Int, line: Int) throws(MalformedInput) {
        var record = [UInt8](key[k ..< k + 32])
        for v in [UInt64(label), UInt64(offset), UInt64(line)] { withUnsafeBytes(of: v.littleEndian) { record.append(contentsOf: $0) } }
        try add(record)
    }

    func add(_ record: [UInt8]) throws(MalformedInput) {
        let b = Int(record[0])
        let failed = state.withLock { buffers -> Bool in
            buffers[b].append(contentsOf: record)
            if buffers[b].count >= 1 << 16 {
                let ok = writeAll(fds[b], buffers[b])
                buffers[b].removeAll(keepingCapacity: true)
                return !ok
            }
            return false
        }
        if failed { throw MalformedInput(folder, "cannot write row keys: \(String(cString: strerror(errno)))") }
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
    }

    /// Each bucket's records (56 bytes each) sorted by key then offset, in key order.
    func forEachBucket(_ body: ([[UInt8]]) throws(ClaimFailure) -> Void) throws(CheckStop) {
        for b in 0 ..< 256 {
            let pending = state.withLock { buffers in
                let p = buffers[b]
                buffers[b] = []
                return p
            }
            if !writeAll(fds[b], pending) { throw .malformed(MalformedInput(folder, "cannot write row keys")) }
            let size = Int(lseek(fds[b], 0, SEEK_END))
            var bytes = [UInt8](repeating: 0, count: size)
            var done = 0
            while done < size {
                let n = bytes.withUnsafeMutableBytes { pread(fds[b], $0.baseAddress! + done, size - done, off_t(done)) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { throw .malformed(MalformedInput(folder, "cannot read row keys back")) }
                done += n
            }
            var records: [[UInt8]] = []
            records.reserveCapacity(size / KeyedRows.recordSize)
            var p = 0
            while p < size {
                records.append(Array(bytes[p ..< p + KeyedRows.recordSize]))
                p += KeyedRows.recordSize
            }
            records.sort { a, b in
                let c = memcmp(a, b, 32)
                if c != 0 { return c < 0 }
                return KeyedRows.offset(a) < KeyedRows.offset(b)
            }
            do { try body(records) } catch { throw .claim(error) }
            ftruncate(fds[b], 0)
        }
    }

    static func label(_ r: [UInt8]) -> UInt64 { word(r, 32) }
    static func offset(_ r: [UInt8]) -> UInt64 { word(r, 40) }
    static func line(_ r: [UInt8]) -> UInt64 { word(r, 48) }
    static func word(_ r: [UInt8], _ at: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in (0 ..< 8).reversed() { v = v << 8 | UInt64(r[at + i]) }
        return v
    }
}

/// Why a pass over sorted rows stopped.
enum CheckStop: Error {
    case claim(ClaimFailure)
    case malformed(MalformedInput)
}

/// Repeated rows and conflicts from rows sorted by key (C7).
struct RowGroups {
    var points = 0, merged = 0
    var largestLabel: UInt64 = 0
    var conflict: (row: [UInt8], point: [UInt8])?

    /// Rows whose keys are equal but whose exact coordinates differ (a SHA-256 collision, or the
    /// test hook's weak keys): they stay distinct points.
    var collisions = 0

    /// Groups all rows of `sorter`: rows with one key are compared exactly, by reading each of
    /// them again from `file` at its offset (`RowKeyText.canonicalText(of:at:)`, on all cores),
    /// so the points, merges and conflicts do not rest on SHA-256 being collision-free.
    static func group(_ sorter: KeyedRows, file: RangeFile, dimension d: Int, name: String) throws(MalformedInput) -> RowGroups {
        try group(sorter) { (offset) throws(MalformedInput) in
            try RowKeyText.canonicalText(of: file, at: Int(offset), dimension: d, name: name)
        }
    }

    /// Groups all rows of `sorter`, reading a row's exact canonical text with `text(offset)`
    /// (a CSV line's start, or a `.npy` row's index, S10) where rows share a key; `text` runs on
    /// all cores.
    static func group(_ sorter: KeyedRows, text: @escaping @Sendable (UInt64) throws(MalformedInput) -> [UInt8]) throws(MalformedInput) -> RowGroups {
        var groups = RowGroups()
        var reread: MalformedInput?
        do throws(CheckStop) {
            try sorter.forEachBucket { (records) throws(ClaimFailure) in
                if reread != nil { return }
                do throws(MalformedInput) {
                    try groups.scan(records) { (offsets) throws(MalformedInput) in try RowGroups.readAll(offsets, text) }
                } catch { reread = error }
            }
        } catch { if case .malformed(let m) = error { throw m } }
        if let reread { throw reread }
        return groups
    }

    /// `text(offset)` for every offset, on all workers, in order; the first failure in order is thrown.
    static func readAll(_ offsets: [UInt64], _ text: @escaping @Sendable (UInt64) throws(MalformedInput) -> [UInt8]) throws(MalformedInput) -> [[UInt8]] {
        let per = 256
        let parts = Workers.map((offsets.count + per - 1) / per) { c -> Result<[[UInt8]], MalformedInput> in
            var out: [[UInt8]] = []
            for k in c * per ..< min(offsets.count, (c + 1) * per) {
                do throws(MalformedInput) { out.append(try text(offsets[k])) } catch { return .failure(error) }
            }
            return .success(out)
        }
        var all: [[UInt8]] = []
        all.reserveCapacity(offsets.count)
        for p in parts { all.append(contentsOf: try p.get()) }
        return all
    }

    /// Rows of several-row key runs are read again in batches of about this many, so the texts in
    /// memory stay bounded whatever the bucket's size.
    static let batchRows = 1 << 14

    /// Scans rows sorted by (key, offset). Within a run of one key, each row is one point with
    /// the first earlier row of the run whose exact canonical text is equal; `texts(offsets)`
    /// gives the texts of the rows at those offsets, in order, for batches of such runs.
    mutating func scan(_ records: [[UInt8]], texts: ([UInt64]) throws(MalformedInput) -> [[UInt8]]) throws(MalformedInput) {
        var pending: [Range<Int>] = []
        var pendingRows = 0
        var i = 0
        while i < records.count {
            var j = i + 1
            while j < records.count && memcmp(records[j], records[i], 32) == 0 { j += 1 }
            if j == i + 1 {
                points += 1
                largestLabel = max(largestLabel, KeyedRows.label(records[i]))
            } else {
                pending.append(i ..< j)
                pendingRows += j - i
                if pendingRows >= RowGroups.batchRows {
                    try compare(pending, of: records, texts: texts)
                    pending.removeAll(keepingCapacity: true)
                    pendingRows = 0
                }
            }
            i = j
        }
        if !pending.isEmpty { try compare(pending, of: records, texts: texts) }
    }

    /// Runs of one key, several rows each: the points of a run are its distinct exact texts, in
    /// offset order.
    private mutating func compare(_ runs: [Range<Int>], of records: [[UInt8]], texts: ([UInt64]) throws(MalformedInput) -> [[UInt8]]) throws(MalformedInput) {
        let offsets = runs.flatMap { records[$0].map { KeyedRows.offset($0) } }
        let read = try texts(offsets)
        guard read.count == offsets.count else { preconditionFailure("one text per row") }
        var at = 0
        for run in runs {
            var representatives: [[UInt8]: [UInt8]] = [:]  // exact text -> the point (its first row)
            for r in records[run] {
                let t = read[at]
                at += 1
                largestLabel = max(largestLabel, KeyedRows.label(r))
                guard let point = representatives[t] else {
                    if !representatives.isEmpty { collisions += 1 }
                    representatives[t] = r
                    points += 1
                    continue
                }
                if KeyedRows.label(r) == KeyedRows.label(point) {
                    merged += 1
                } else if conflict == nil || KeyedRows.offset(r) < KeyedRows.offset(conflict!.row) {
                    conflict = (r, point)
                }
            }
        }
    }
}

/// SHA-256 of bytes in memory.
func sha256Bytes(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
