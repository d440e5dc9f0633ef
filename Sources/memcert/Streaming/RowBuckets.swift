#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TextFormats

// MARK: - Rows by key, on disk (docs/formats.md, "Repeated rows in bounded memory")
//
// Merging repeated rows (C7) needs every row compared with every other. In bounded
// memory: each row's key (SHA-256 of its canonical coordinates, `RowKeys`) goes with its
// label and position into one of 256 bucket files chosen by the key's first byte; then
// each bucket alone is read, sorted by (key, offset), and scanned; rows with one key are
// read again and compared exactly (`RowMerge.scan`). Equal points are
// adjacent, and the buckets in order give all rows sorted by key.
//
// Cost: 56 bytes of temporary disk per row, written once and read once; memory one
// bucket (about 56·n/256 bytes) plus 256 write buffers of 64 KiB.

/// One row: its key, label, byte offset and line (0 when unknown, in shards).
struct RowRecord: Sendable {
    var k0: UInt64, k1: UInt64, k2: UInt64, k3: UInt64  // the key, big-endian words (so word order is byte order)
    var label: UInt64
    var offset: UInt64
    var line: UInt64

    static let diskSize = 56
    /// The record in a row list (`memcert.rows/1`): key, label, offset.
    static let listSize = 48

    static func < (a: RowRecord, b: RowRecord) -> Bool {
        if a.k0 != b.k0 { return a.k0 < b.k0 }
        if a.k1 != b.k1 { return a.k1 < b.k1 }
        if a.k2 != b.k2 { return a.k2 < b.k2 }
        if a.k3 != b.k3 { return a.k3 < b.k3 }
        return a.offset < b.offset
    }

    func sameKey(_ other: RowRecord) -> Bool { k0 == other.k0 && k1 == other.k1 && k2 == other.k2 && k3 == other.k3 }

    var bucket: Int { Int(k0 >> 56) }

    /// Reads a record of `listSize` (row list) or `diskSize` bytes at `p`.
    init(_ p: UnsafeRawPointer, withLine: Bool) {
        k0 = UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
        k1 = UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        k2 = UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        k3 = UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        label = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 32, as: UInt64.self))
        offset = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 40, as: UInt64.self))
        line = withLine ? UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 48, as: UInt64.self)) : 0
    }

    init(key: UnsafeRawPointer, label: Int, offset: Int, line: Int) {
        self.init(key, withLine: false)
        self.label = UInt64(label)
        self.offset = UInt64(offset)
        self.line = UInt64(line)
    }

    /// Appends the record's bytes (`withLine`: 56, else 48) to `out`.
    func append(to out: inout [UInt8], withLine: Bool) {
        func put(_ v: UInt64, bigEndian: Bool) {
            let w = bigEndian ? v.bigEndian : v.littleEndian
            withUnsafeBytes(of: w) { out.append(contentsOf: $0) }
        }
        put(k0, bigEndian: true); put(k1, bigEndian: true); put(k2, bigEndian: true); put(k3, bigEndian: true)
        put(label, bigEndian: false); put(offset, bigEndian: false)
        if withLine { put(line, bigEndian: false) }
    }

    /// The key as 64 hex digits (for messages).
    var keyHex: String {
        [k0, k1, k2, k3].map { w in
            let h = String(w, radix: 16)
            return String(repeating: "0", count: 16 - h.count) + h
        }.joined()
    }
}

/// 256 temporary bucket files in a private folder, removed when this object goes away.
final class RowBuckets {
    static let count = 256
    private static let bufferBytes = 64 << 10

    let folder: String
    private var fds: [Int32]
    private var buffers: [[UInt8]]
    private(set) var rowCount = 0

    /// Creates the folder under `MEMCERT_TMPDIR`, else `TMPDIR`, else /tmp.
    init() throws(InputError) {
        var base = "/tmp"
        for name in ["MEMCERT_TMPDIR", "TMPDIR"] {
            if let value = getenv(name), value.pointee != 0 {
                base = String(cString: value)
                break
            }
        }
        var template = Array((base + "/memcert-rows.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw InputError(file: base, message: "cannot create a temporary folder for row keys: \(String(cString: strerror(errno))) "
                             + "(set MEMCERT_TMPDIR to a writable folder)")
        }
        folder = String(cString: made)
        fds = []
        buffers = Array(repeating: [], count: RowBuckets.count)
        for b in 0 ..< RowBuckets.count {
            let fd = open(folder + "/\(b)", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0 {
                let message = String(cString: strerror(errno))
                for f in fds { close(f) }
                fds = []
                removeFiles()
                throw InputError(file: folder, message: "cannot create a bucket file: \(message)")
            }
            fds.append(fd)
        }
    }

    deinit {
        for fd in fds { close(fd) }
        removeFiles()
    }

    private func removeFiles() {
        for b in 0 ..< RowBuckets.count { unlink(folder + "/\(b)") }
        rmdir(folder)
    }

    /// Adds one row.
    func add(_ record: RowRecord) throws(InputError) {
        let b = record.bucket
        record.append(to: &buffers[b], withLine: true)
        rowCount += 1
        if buffers[b].count >= RowBuckets.bufferBytes { try flush(b) }
    }

    private func flush(_ b: Int) throws(InputError) {
        var failure: String?
        buffers[b].withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(fds[b], raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                done += n
            }
        }
        if let failure { throw InputError(file: folder, message: "cannot write row keys: \(failure)") }
        buffers[b].removeAll(keepingCapacity: true)
    }

    /// Calls `body` with each bucket's records sorted by (key, offset), buckets in key order.
    func forEachSortedBucket(_ body: ([RowRecord]) throws -> Void) throws {
        for b in 0 ..< RowBuckets.count {
            try flush(b)
            buffers[b] = []
            let size = Int(lseek(fds[b], 0, SEEK_END))
            var bytes = [UInt8](repeating: 0, count: size)
            var done = 0
            while done < size {
                let n = bytes.withUnsafeMutableBytes { pread(fds[b], $0.baseAddress! + done, size - done, off_t(done)) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { throw InputError(file: folder, message: "cannot read row keys back: \(String(cString: strerror(errno)))") }
                done += n
            }
            var records: [RowRecord] = []
            records.reserveCapacity(size / RowRecord.diskSize)
            bytes.withUnsafeBytes { raw in
                var p = 0
                while p + RowRecord.diskSize <= raw.count {
                    records.append(RowRecord(raw.baseAddress! + p, withLine: true))
                    p += RowRecord.diskSize
                }
            }
            bytes = []
            records.sort(by: <)
            try body(records)
            ftruncate(fds[b], 0)
        }
    }
}

/// What merging repeated rows gives (C7): points, merged rows, labels, the first conflict.
struct RowMerge {
    var points = 0
    var mergedDuplicates = 0
    var largestLabel: UInt64 = 0
    /// The first row (least offset) that equals an earlier point with another label, and that point.
    var conflict: (row: RowRecord, point: RowRecord)?
    /// Rows whose keys are equal but whose exact coordinates differ (a SHA-256 collision, or the
    /// test hook's weak keys); they stay distinct points. Only counted when rows are compared exactly.
    var collisions = 0

    /// Rows of several-row key runs are read again in batches of about this many, so the texts
    /// in memory stay bounded whatever the bucket's size.
    static let batchRows = 1 << 14

    /// Scans one bucket sorted by (key, offset). With `texts` (the exact canonical texts of the
    /// given rows, read again from the data, in order), rows with one key are one point only when
    /// their texts are equal; without it (`certify --combine`, which cannot read the data) equal
    /// keys are taken as equal points. Runs of one key are gathered into batches of about
    /// `batchRows` rows so that `texts` can read them on all cores.
    ///
    /// - Complexity: O(rows) here, plus one `texts` call per batch.
    mutating func scan(_ records: [RowRecord], texts: (([RowRecord]) throws -> [[UInt8]])? = nil) throws {
        var pending: [Range<Int>] = []
        var pendingRows = 0
        var i = 0
        while i < records.count {
            var j = i + 1
            while j < records.count && records[j].sameKey(records[i]) { j += 1 }
            if j == i + 1 || texts == nil {
                takeAsOnePoint(records[i ..< j])
            } else {
                pending.append(i ..< j)
                pendingRows += j - i
                if pendingRows >= RowMerge.batchRows {
                    try compareExactly(pending, of: records, texts: texts!)
                    pending.removeAll(keepingCapacity: true)
                    pendingRows = 0
                }
            }
            i = j
        }
        if !pending.isEmpty { try compareExactly(pending, of: records, texts: texts!) }
    }

    /// Rows of one key taken as one point (the first row), without reading them again.
    private mutating func takeAsOnePoint(_ run: ArraySlice<RowRecord>) {
        let first = run[run.startIndex]
        points += 1
        largestLabel = max(largestLabel, first.label)
        for r in run.dropFirst() {
            largestLabel = max(largestLabel, r.label)
            if r.label == first.label {
                mergedDuplicates += 1
            } else if conflict == nil || r.offset < conflict!.row.offset {
                conflict = (r, first)
            }
        }
    }

    /// Runs of one key, several rows each: the points of a run are its distinct exact texts, in
    /// offset order.
    private mutating func compareExactly(_ runs: [Range<Int>], of records: [RowRecord],
                                         texts: ([RowRecord]) throws -> [[UInt8]]) throws {
        let rows = runs.flatMap { records[$0] }
        let read = try texts(rows)
        precondition(read.count == rows.count, "texts must give one text per row")
        var at = 0
        for run in runs {
            var representatives: [[UInt8]: RowRecord] = [:]  // exact text -> the point (its first row)
            for r in records[run] {
                let t = read[at]
                at += 1
                largestLabel = max(largestLabel, r.label)
                guard let point = representatives[t] else {
                    if !representatives.isEmpty { collisions += 1 }
                    representatives[t] = r
                    points += 1
                    continue
                }
                if r.label == point.label {
                    mergedDuplicates += 1
                } else if conflict == nil || r.offset < conflict!.row.offset {
                    conflict = (r, point)
                }
            }
        }
    }
}
