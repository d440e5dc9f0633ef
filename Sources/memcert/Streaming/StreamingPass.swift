#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Certificates
import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
import WorkSharing

// MARK: - One pass over a part of a data file, block by block
//
// Memory is O(network + block): a block of whole lines of CSV (`blockBytes`, grown only for
// a longer line) or of whole rows of .npy (StreamingPass+NumPy.swift) is read with pread,
// parsed on all cores, evaluated on all cores, its least margins folded in, and its rows'
// keys written to disk buckets for merging repeated rows afterwards (`RowBuckets`). The
// bytes read are digested on the way (CSV: SHA-256 of the byte range; .npy: of the
// element bytes, S11).

struct StreamingPass {
    struct Options {
        /// Bytes per block (whole lines; a longer line makes its block longer).
        var blockBytes = 8 << 20
        /// Fold the least margins of every layer in (for certificates).
        var margins = false
        var mismatchLimit = 100
    }

    struct Mismatch {
        var line: Int
        var offset: Int
        var expected: Int
        var output: UInt64
        var tie: VerificationReport.Tie?
    }

    /// What the rows are read from: CSV lines or .npy rows.
    enum Source {
        case csv(CSVLayout)
        case numpy(NumPyHeader)
    }

    var source: Source
    /// d, coordinates per row.
    var dimension: Int
    /// CSV: the byte range read; .npy: the rows read.
    var range: Range<Int>
    var fileSize: Int
    /// CSV: the SHA-256 of the byte range; .npy: of the element bytes of the rows (S11), or of
    /// the whole file when the pass read all rows for a whole-file certificate.
    var rangeSHA256 = ""
    /// .npy: the SHA-256 of the bytes before the first element.
    var headerSHA256 = ""
    /// Data rows in the range (before merging).
    var rows = 0
    /// Lines in the range (LF bytes, plus one for a last line without LF).
    var lines = 0
    var mismatchCount = 0
    var tieCount = 0
    var mismatches: [Mismatch] = []
    var exactDecisions = 0
    var decisions = 0
    /// Per layer, the least |z| over the rows read (nil before any row).
    var margins: [Rational?]
    var buckets: RowBuckets
    /// The data, kept to read rows with equal keys again (exact merging, S3).
    let input: DataInput
    let name: String

    /// Reads `range` of `input` (line-aligned). `name` names the data in messages; line
    /// numbers count from 1 at `range.lowerBound`.
    init(network: Network, compiled: CompiledNetwork, input: DataInput, range: Range<Int>, name: String,
         options: Options) throws {
        let layout = try StreamingPass.layout(of: input, name: input.path)
        source = .csv(layout)
        dimension = layout.dimension
        guard layout.dimension == network.inputDimension else {
            throw InputError(file: input.path, line: layout.bodyFirstLine, column: 1,
                             message: "the network reads \(network.inputDimension) inputs but the data has \(layout.dimension) coordinates per point")
        }
        self.range = range
        self.input = input
        self.name = name
        fileSize = input.size
        margins = Array(repeating: nil, count: network.layers.count)
        buckets = try RowBuckets()
        var hasher = RowKeys.Hasher()
        let counts = network.counts, widths = network.widths
        let progress = ProgressMeter("reading \(input.path)", total: range.count, threshold: 64 << 20)
        var position = range.lowerBound
        var line = 1
        var readSize = options.blockBytes
        var lastByte: UInt8 = 0x0A
        while position < range.upperBound {
            let want = min(readSize, range.upperBound - position)
            var bytes = try input.bytes(at: position, count: want)
            if bytes.count < want {
                throw InputError(file: input.path, message: "the file changed while it was read (it is shorter than \(range.upperBound) bytes now)")
            }
            var end = bytes.count
            if position + bytes.count < range.upperBound {
                guard let lf = bytes.lastIndex(of: 0x0A) else {
                    // One line longer than a block: read more of it, within the memory budget (the
                    // block, its parsed rows and their keys: about four times its bytes).
                    readSize *= 2
                    try MemoryBudget.require(MemoryBudget.product(readSize, 4), for: "a line of \(input.path) longer than \(readSize / 2) bytes")
                    continue
                }
                end = lf + 1
                bytes.removeLast(bytes.count - end)
            }
            readSize = options.blockBytes
            bytes.withUnsafeBytes { hasher.update($0) }
            lastByte = bytes[end - 1]
            // Lines before the body (comments, blanks, the header) are not parsed.
            var parseFrom = 0
            if layout.bodyStart > position {
                parseFrom = min(end, layout.bodyStart - position)
                for b in bytes[0 ..< parseFrom] where b == 0x0A { line += 1 }
            }
            if parseFrom < end {
                let block = try bytes.withUnsafeBufferPointer { (all) throws(InputError) -> CSVBlock in
                    try DataSet.parseCSVBlock(UnsafeBufferPointer(rebasing: all[parseFrom ..< end]), dimension: layout.dimension,
                                              file: name, firstLine: line, baseOffset: position + parseFrom)
                }
                line += block.lineCount
                try absorb(block.rows, offsets: { block.offsets[$0] }, compiled: compiled, counts: counts, widths: widths, options: options)
            }
            progress.advance(by: end)
            position += end
        }
        progress.finish()
        lines = line - 1
        if range.count > 0 && lastByte != 0x0A && (layout.bodyStart >= range.upperBound) { lines += 1 }
        rangeSHA256 = hasher.hex()
    }

    /// Evaluates, folds margins and records keys for one parsed block of rows; `offsets` gives
    /// the offset (CSV: byte of the line start; .npy: row index) of the block's row i.
    mutating func absorb(_ data: DataSet, offsets: (Int) -> Int, compiled: CompiledNetwork, counts: NetworkCounts, widths: [Int],
                         options: Options) throws(InputError) {
        if data.count == 0 { return }
        rows += data.count
        let report = Verifier.verify(compiled, counts: counts, widths: widths, on: data,
                                     mismatchLimit: max(0, options.mismatchLimit - mismatches.count), progressThreshold: .max)
        mismatchCount += report.mismatchCount
        tieCount += report.tieCount
        for m in report.mismatches {
            mismatches.append(Mismatch(line: m.line, offset: offsets(m.index), expected: m.expected, output: m.output, tie: m.tie))
        }
        exactDecisions += report.exactDecisions
        decisions += report.decisions
        if options.margins {
            let blockMargins = compiled.minimumMargins(on: data.points)
            for l in margins.indices where l < blockMargins.count {
                if margins[l] == nil || blockMargins[l] < margins[l]! { margins[l] = blockMargins[l] }
            }
        }
        var keys = RowKeys.keys(of: data.points)
        if let mode = StreamingPass.weakKeys { StreamingPass.weaken(&keys, labels: data.labels, mode: mode) }
        let records = keys.withUnsafeBytes { raw in
            (0 ..< data.count).map { i in
                RowRecord(key: raw.baseAddress! + i * RowKeys.size, label: data.labels[i], offset: offsets(i), line: data.lines[i])
            }
        }
        for r in records { try buckets.add(r) }
    }

    /// The layout, from as many first bytes of the file as it takes.
    static func layout(of input: DataInput, name: String) throws(InputError) -> CSVLayout {
        var count = 1 << 16
        while true {
            let prefix = try input.bytes(at: 0, count: min(count, input.size))
            let whole = prefix.count >= input.size
            let found = try prefix.withUnsafeBufferPointer { (bytes) throws(InputError) -> CSVLayout? in
                try DataSet.csvLayout(prefix: bytes, isWholeFile: whole, file: name)
            }
            if let found { return found }
            if whole { throw InputError(file: name, message: "contains no data rows") }
            count *= 2
        }
    }

    /// Merges repeated rows from the buckets (C7). Rows with one key are read again from the
    /// data at their offsets and compared by their exact canonical text, so the result does not
    /// rest on SHA-256 being collision-free (docs/formats.md, S3).
    func mergeRows() throws -> RowMerge {
        var merge = RowMerge()
        // Rows are read again on all cores: `canonicalText` only preads the data (thread-safe) and
        // parses what it read; nothing of the pass is changed.
        let pass = UncheckedSendable(self)
        try buckets.forEachSortedBucket { records in
            try merge.scan(records) { rows in
                try Parallel.mapChunks(count: rows.count, minimumChunk: 256) { (range) throws -> [[UInt8]] in
                    try range.map { try pass.value.rowText(rows[$0]) }
                }.flatMap { $0 }
            }
        }
        if merge.collisions > 0 {
            printError("note: \(merge.collisions) row(s) of \(name) have the SHA-256 key of another point but other coordinates; "
                       + "they were kept as distinct points" + (StreamingPass.weakKeys == nil ? " (a SHA-256 collision)" : " (MEMCERT_TEST_WEAK_KEYS)"))
        }
        return merge
    }

    /// The canonical text (S2) of the row a record names: a CSV line start or a `.npy` row index.
    func rowText(_ r: RowRecord) throws -> [UInt8] {
        switch source {
        case .csv(let layout): return try canonicalText(at: Int(r.offset), line: Int(r.line), layout: layout)
        case .numpy(let header): return try canonicalText(row: Int(r.offset), header: header)
        }
    }

    /// The canonical text (S2) of the row whose line starts at byte `offset`, parsed again.
    func canonicalText(at offset: Int, line: Int, layout: CSVLayout) throws -> [UInt8] {
        var count = 1024  // most rows are shorter; a longer one is read again, doubling
        var bytes: [UInt8]
        while true {
            bytes = try input.bytes(at: offset, count: count)
            if let lf = bytes.firstIndex(of: 0x0A) {
                bytes.removeLast(bytes.count - lf - 1)
                break
            }
            if offset + bytes.count >= input.size { break }
            try MemoryBudget.require(MemoryBudget.product(count, 4), for: "a line of \(input.path) longer than \(count) bytes")
            count *= 2
        }
        let block = try bytes.withUnsafeBufferPointer { (all) throws(InputError) -> CSVBlock in
            try DataSet.parseCSVBlock(all, dimension: layout.dimension, file: name, firstLine: max(1, line), baseOffset: offset)
        }
        guard block.rows.count == 1 else {
            throw InputError(file: input.path, message: "the row at byte \(offset) no longer reads as one row (the file changed while it was read)")
        }
        var text: [UInt8] = []
        RowKeys.canonicalText(of: 0, in: block.rows.points, into: &text)
        return text
    }

    /// Test hook (docs/formats.md, S3): `MEMCERT_TEST_WEAK_KEYS` = `all` gives every row one key,
    /// `label` gives rows of one label one of 4 keys, so that the exact comparison of rows with
    /// equal keys is exercised. Where the data is read, keys only decide which rows are compared,
    /// so this cannot change a verdict there (it makes `certify --combine` over-merge, which
    /// `memcert check ROOT` then refutes).
    static let weakKeys: String? = {
        guard let value = getenv("MEMCERT_TEST_WEAK_KEYS"), value.pointee != 0 else { return nil }
        return String(cString: value)
    }()

    static func weaken(_ keys: inout [UInt8], labels: [Int], mode: String) {
        for i in labels.indices {
            let first = keys[i * RowKeys.size]
            for k in 0 ..< RowKeys.size { keys[i * RowKeys.size + k] = 0 }
            if mode == "label" {
                keys[i * RowKeys.size] = UInt8(truncatingIfNeeded: labels[i])
                keys[i * RowKeys.size + 1] = first & 3
            }
        }
    }
}

