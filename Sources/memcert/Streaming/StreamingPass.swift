import Certificates
import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
import WorkSharing

// MARK: - One pass over a byte range of a data file, block by block
//
// Memory is O(network + block): a block of whole lines (`blockBytes`, grown only for a
// longer line) is read with pread, parsed on all cores, evaluated on all cores, its least
// margins folded in, and its rows' keys written to disk buckets for merging repeated rows
// afterwards (`RowBuckets`). The bytes read are digested on the way (SHA-256 of the range).

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

    var layout: CSVLayout
    var range: Range<Int>
    var fileSize: Int
    var rangeSHA256 = ""
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

    /// Reads `range` of `input` (line-aligned). `name` names the data in messages; line
    /// numbers count from 1 at `range.lowerBound`.
    init(network: Network, compiled: CompiledNetwork, input: DataInput, range: Range<Int>, name: String,
         options: Options) throws {
        layout = try StreamingPass.layout(of: input, name: input.path)
        guard layout.dimension == network.inputDimension else {
            throw InputError(file: input.path, line: layout.bodyFirstLine, column: 1,
                             message: "the network reads \(network.inputDimension) inputs but the data has \(layout.dimension) coordinates per point")
        }
        self.range = range
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
                try absorb(block, compiled: compiled, counts: counts, widths: widths, options: options)
            }
            progress.advance(by: end)
            position += end
        }
        progress.finish()
        lines = line - 1
        if range.count > 0 && lastByte != 0x0A && (layout.bodyStart >= range.upperBound) { lines += 1 }
        rangeSHA256 = hasher.hex()
    }

    /// Evaluates, folds margins and records keys for one parsed block.
    private mutating func absorb(_ block: CSVBlock, compiled: CompiledNetwork, counts: NetworkCounts, widths: [Int],
                                 options: Options) throws(InputError) {
        let data = block.rows
        if data.count == 0 { return }
        rows += data.count
        let report = Verifier.verify(compiled, counts: counts, widths: widths, on: data,
                                     mismatchLimit: max(0, options.mismatchLimit - mismatches.count), progressThreshold: .max)
        mismatchCount += report.mismatchCount
        tieCount += report.tieCount
        for m in report.mismatches {
            mismatches.append(Mismatch(line: m.line, offset: block.offsets[m.index], expected: m.expected, output: m.output, tie: m.tie))
        }
        exactDecisions += report.exactDecisions
        decisions += report.decisions
        if options.margins {
            let blockMargins = compiled.minimumMargins(on: data.points)
            for l in margins.indices where l < blockMargins.count {
                if margins[l] == nil || blockMargins[l] < margins[l]! { margins[l] = blockMargins[l] }
            }
        }
        let keys = RowKeys.keys(of: data.points)
        let records = keys.withUnsafeBytes { raw in
            (0 ..< data.count).map { i in
                RowRecord(key: raw.baseAddress! + i * RowKeys.size, label: data.labels[i], offset: block.offsets[i], line: data.lines[i])
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

    /// Merges repeated rows from the buckets (C7).
    func mergeRows() throws -> RowMerge {
        var merge = RowMerge()
        try buckets.forEachSortedBucket { merge.scan($0) }
        return merge
    }
}
