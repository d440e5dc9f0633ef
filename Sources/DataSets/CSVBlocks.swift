import ExactArithmetic
import TextFormats
import WorkSharing

// MARK: - CSV in blocks (docs/formats.md, section 3 and "Streaming and shards")
//
// The streaming reader of the command line holds only one block of whole lines
// at a time. Two things are needed: the layout, decided once from the start of
// the file (the byte-order mark, the first line that is not skipped, which fixes
// the column count and may be a header), and the rows of a block, parsed with the
// same row reader as whole files (`CSVChunk`), on all cores. Rows are not merged
// here: merging repeated rows needs all of them, which the command line does with
// row keys in bounded memory.

/// Where the rows of a CSV file start, and how many coordinates they have.
public struct CSVLayout: Sendable, Equatable {
    /// d (the column count less the label).
    public var dimension: Int
    /// The byte offset (in the whole file) of the first line that may hold a row:
    /// the line after the header, or the first line that is not skipped.
    public var bodyStart: Int
    /// The 1-based line number of the line at `bodyStart`.
    public var bodyFirstLine: Int
    /// True when the first line that is not skipped is a header.
    public var hasHeader: Bool
}

/// One block of whole lines, parsed.
public struct CSVBlock: Sendable {
    /// The rows in file order, not merged (`lines` absolute, relative to the block's `firstLine`).
    public var rows: DataSet
    /// The byte offset of each row's line start (the block's `baseOffset` added).
    public var offsets: [Int]
    /// The number of lines the block holds (LF bytes, plus one for a last line without LF).
    public var lineCount: Int
}

extension DataSet {
    /// The layout from the first bytes of a file. `prefix` starts at byte 0 of the file;
    /// `isWholeFile` says whether it holds the whole file. Returns nil when the prefix ends
    /// before the first line that is not skipped is complete (read more and ask again).
    ///
    /// Throws the same located errors as `parseCSV` for that line (a CR inside it, fewer
    /// than two columns) and, for a whole file without such a line, the "no data" error (C8).
    public static func csvLayout(prefix: UnsafeBufferPointer<UInt8>, isWholeFile: Bool, file: String)
        throws(InputError) -> CSVLayout? {
        let mark = prefix.count >= 3 && prefix[0] == 0xEF && prefix[1] == 0xBB && prefix[2] == 0xBF ? 3 : 0
        if !isWholeFile && prefix.count < 3 { return nil }
        let bytes = UnsafeBufferPointer(rebasing: prefix[mark...])
        var offset = 0, line = 1
        while offset < bytes.count {
            let end = CSVLines.lineEnd(bytes, from: offset)
            if end == bytes.count && !isWholeFile { return nil }  // the line may go on
            let content = CSVLines.trimmed(bytes, offset, CSVLines.contentEnd(bytes, offset, end))
            if content.lowerBound < content.upperBound && bytes[content.lowerBound] != UInt8(ascii: "#") {
                if let cr = content.first(where: { bytes[$0] == 0x0D }) {
                    throw InputError(file: file, line: line, column: CSVLines.column(bytes, lineStart: offset, at: cr),
                                     message: CSVLines.carriageReturnMessage)
                }
                let fields = CSVLines.fields(bytes, content)
                if fields.count < 2 {
                    throw InputError(file: file, line: line, column: 1,
                                     message: "a line needs at least one coordinate and a label, found 1 column")
                }
                let isHeader = !fields.contains { CSVLines.looksNumeric(UnsafeBufferPointer(rebasing: bytes[$0])) }
                let start = isHeader ? min(end + 1, bytes.count) : offset
                return CSVLayout(dimension: fields.count - 1, bodyStart: mark + start,
                                 bodyFirstLine: isHeader ? line + 1 : line, hasHeader: isHeader)
            }
            offset = end + 1
            line += 1
        }
        if !isWholeFile { return nil }
        throw CSVLines.noData(bytes, file: file)
    }

    /// Parses a block of whole lines (it ends with LF, or at the end of the file or of a
    /// shard) holding rows of `dimension` coordinates, on all cores. `firstLine` is the
    /// line number of the block's first line and `baseOffset` its byte offset, for the
    /// rows' lines and offsets; errors are located as `parseCSV` locates them.
    ///
    /// - Complexity: O(block bytes) plus the numbers' exact parsing; memory O(block).
    public static func parseCSVBlock(_ bytes: UnsafeBufferPointer<UInt8>, dimension: Int, file: String,
                                     firstLine: Int, baseOffset: Int) throws(InputError) -> CSVBlock {
        // Sub-chunks of whole lines for the workers.
        let chunkBounds = lineAlignedRanges(bytes, target: max(1 << 16, bytes.count / (Parallel.workerCount * 2) + 1))
        let base = SharedBuffer(readOnly: bytes)
        let parsed = Parallel.mapChunks(count: chunkBounds.count, chunkSize: 1) { range -> (CSVChunk, [Int]) in
            let r = chunkBounds[range.lowerBound]
            var chunk = CSVChunk(dimension: dimension)
            chunk.parse(base.readOnly, r)
            // The byte offset of each row: the start of its line within the chunk.
            var offsets: [Int] = []
            offsets.reserveCapacity(chunk.labels.count)
            var line = 0, lineStart = r.lowerBound, k = 0
            let all = base.readOnly
            while k < chunk.lines.count {
                while line < chunk.lines[k] {
                    lineStart = CSVLines.lineEnd(all, from: lineStart, limit: r.upperBound) + 1
                    line += 1
                }
                offsets.append(lineStart)
                k += 1
            }
            return (chunk, offsets)
        }
        var points = RationalPoints(dimension: dimension)
        points.reserveCapacity(parsed.reduce(0) { $0 + $1.0.labels.count })
        var labels: [Int] = [], lines: [Int] = [], offsets: [Int] = []
        var line = firstLine
        for (chunk, chunkOffsets) in parsed {
            if let error = chunk.error {
                throw InputError(file: file, line: line + error.line, column: error.column, message: error.message)
            }
            points.append(contentsOf: chunk.points)
            labels.append(contentsOf: chunk.labels)
            lines.append(contentsOf: chunk.lines.lazy.map { $0 + line })
            offsets.append(contentsOf: chunkOffsets.lazy.map { $0 + baseOffset })
            line += chunk.lineCount
        }
        return CSVBlock(rows: DataSet(points: points, labels: labels, lines: lines, mergedDuplicates: 0, source: file),
                        offsets: offsets, lineCount: line - firstLine)
    }
}
