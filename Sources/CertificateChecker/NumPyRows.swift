import Crypto

// MARK: - A .npy data file read by rows (docs/formats.md, section 3.1, S9–S11)
//
// The checker's own row source for .npy data: the header is read and parsed once (with this
// checker's header grammar, `NumPyReader.Header`), the file's size is checked against it before
// any row is read (S9), and rows are then read by index with pread, a block of whole rows at a
// time: in C order one run of bytes, in Fortran order one run per column. Each block is decoded
// by the whole-file reader's element decoding (`NumPyReader.rows`) on a view of just that block,
// so values, error names (`[i, j]`) and lines (i + 1) are exactly the whole file's. A row's
// offset in the key sorter and in row lists is its index (S10). Memory: one block.

struct NumPyRows: Sendable {
    let file: RangeFile
    /// The data's name in messages.
    let name: String
    /// The bytes before the first element: magic, version, header length and header.
    let header: [UInt8]
    /// Rows (n) and columns (c = d + 1, labels last).
    let n: Int, columns: Int
    let kind: UInt8, elementSize: Int, bigEndian: Bool, fortran: Bool

    var dimension: Int { columns - 1 }
    var rowBytes: Int { columns * elementSize }

    /// Reads and parses the header of `file` (P1–P3, P5) and checks the file's size against it
    /// (S9: shorter is truncated, longer is an error), reading no row. Malformed input throws.
    /// `header`: the file's header bytes when already read (`headerBytes`).
    init(_ file: RangeFile, name: String, header given: [UInt8]? = nil) throws(MalformedInput) {
        self.file = file
        self.name = name
        let header: [UInt8]
        if let given { header = given } else { header = try NumPyRows.headerBytes(file, name: name) }
        self.header = header
        let end = header.count
        let array = try header.withUnsafeBufferPointer { (h) throws(MalformedInput) in try NumPyReader.Array(header: h, file: name) }
        let total = try NumPyReader.Array.elementBytes(array.shape, array.size, file: name)
        try NumPyReader.Array.checkSize(fileSize: file.size, headerEnd: end, elements: total, shape: array.shape, file: name)
        guard array.shape.count == 2, array.shape[1] >= 2 else {
            throw MalformedInput(name, "X must be a 2-D array with at least one coordinate column and the label column last, its shape is \(array.shape)")
        }
        guard array.shape[0] >= 1 else { throw MalformedInput(name, "contains no data rows") }
        (n, columns) = (array.shape[0], array.shape[1])
        (kind, elementSize, bigEndian, fortran) = (array.kind, array.size, array.bigEndian, array.fortran)
    }

    /// The bytes before the first element (magic, version, header length, header), found from
    /// the framing alone (P1): what `files.data.headerSha256` digests, before the header is parsed.
    static func headerBytes(_ file: RangeFile, name: String) throws(MalformedInput) -> [UInt8] {
        let prefix = try file.read(0, 12)
        let end = try prefix.withUnsafeBufferPointer { (p) throws(MalformedInput) in
            try NumPyReader.Array.headerEnd(p, fileSize: file.size, file: name)
        }
        let header = try file.read(0, end)
        guard header.count == end else { throw MalformedInput(name, "changed while it was read") }
        return header
    }

    /// SHA-256 of the header bytes (`files.data.headerSha256`, 5.4).
    var headerSha256: String { hexDigest(sha256Bytes(header)) }

    /// Rows [⌊(I − 1)·n/K⌋, ⌊I·n/K⌋) of shard I of K (S11), computed without overflow.
    func shardRows(_ shard: Int, of shards: Int) -> Range<Int> {
        func bound(_ j: Int) -> Int {
            Int(UInt64(shards).dividingFullWidth(UInt64(j).multipliedFullWidth(by: UInt64(n))).quotient)
        }
        return bound(shard - 1) ..< bound(shard)
    }

    /// The byte runs of rows `rows` in file order (S11): one run in C order, one per column in Fortran order.
    func runs(_ rows: Range<Int>) -> [Range<Int>] {
        let base = header.count
        if !fortran { return [base + rows.lowerBound * rowBytes ..< base + rows.upperBound * rowBytes] }
        return (0 ..< columns).map { j in
            base + (j * n + rows.lowerBound) * elementSize ..< base + (j * n + rows.upperBound) * elementSize
        }
    }

    /// SHA-256 of the element bytes of rows `rows`, in file order (`files.data.sha256` of a shard, S11).
    func elementSha256(_ rows: Range<Int>, progress: Progress? = nil) throws(MalformedInput) -> String {
        var hasher = SHA256()
        for run in runs(rows) { try file.hash(run.lowerBound, run.upperBound, into: &hasher, progress: progress) }
        return hexDigest(hasher.finalize())
    }

    // MARK: Rows

    /// Rows `rows` decoded exactly (point i on line i + 1; not merged), with their element bytes
    /// read from the file (in Fortran order the column runs are joined: a Fortran-order block).
    /// NaN, infinities and bad labels throw, naming the element as the whole-file reader does.
    func decode(_ rows: Range<Int>) throws(MalformedInput) -> LabeledPoints {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows.count * rowBytes)
        for run in runs(rows) {
            let part = try file.read(run.lowerBound, run.count)
            guard part.count == run.count else { throw MalformedInput(name, "changed while it was read") }
            bytes.append(contentsOf: part)
        }
        return try bytes.withUnsafeBufferPointer { (data) throws(MalformedInput) -> LabeledPoints in
            let view = NumPyReader.Array(file: name, kind: kind, size: elementSize, bigEndian: bigEndian, fortran: fortran,
                                         shape: [rows.count, columns], data: data, rowBase: rows.lowerBound)
            return try NumPyReader.rows(view, labels: nil, file: name, hashing: false).0
        }
    }

    /// The exact canonical coordinate text (S2) of row `index`, read again from the file (S3, S10).
    func canonicalText(row index: Int) throws(MalformedInput) -> [UInt8] {
        guard index >= 0 && index < n else { throw MalformedInput(name, "row \(index) lies outside the \(n) rows") }
        let points = try decode(index ..< index + 1)
        var text: [UInt8] = []
        RowKeyText.canonicalText(rows: points.rows, 0, big: points.big, dimension: dimension, into: &text)
        return text
    }

    /// Reads rows `rows` in blocks of about `blockBytes` (at least one row), each block split over
    /// the workers; evaluates `net` on every row (when `evaluate`), keeps the least margins and
    /// the first mismatch, and sends each row (key, label, index, line) to `sorter` (S9, S10).
    /// - Complexity: O(rows · (c + network)) time; memory O(network + block).
    func pass(_ rows: Range<Int>, net: NetworkModel, evaluate: Bool, sorter: KeyedRows, blockBytes: Int,
              progress: Progress?) throws(MalformedInput) -> RangeResult {
        var result = RangeResult(margins: Array(repeating: Margin(), count: net.layers.count))
        let perBlock = max(1, blockBytes / rowBytes)
        var a = rows.lowerBound
        let d = dimension
        while a < rows.upperBound {
            let b = a + min(perBlock, rows.upperBound - a)
            let pieceCount = min(b - a, Workers.count * 2)
            let pieces = (0 ..< pieceCount).map { p in a + (b - a) * p / pieceCount ..< a + (b - a) * (p + 1) / pieceCount }
            let parts = Workers.map(pieces.count) { p -> Result<(LabeledPoints, [UInt8]), MalformedInput> in
                Result { () throws(MalformedInput) in
                    let points = try decode(pieces[p])
                    return (points, RowKeyText.keys(rows: points.rows, big: points.big, labels: points.labels, dimension: d))
                }
            }
            for (p, part) in parts.enumerated() {
                let (points, keys) = try part.get()
                try RangePass.take(points, offsets: Array(pieces[p]), keys: keys, net: net, evaluate: evaluate, sorter: sorter, into: &result)
            }
            progress?.advance((b - a) * rowBytes)
            a = b
        }
        result.lines = rows.count
        return result
    }
}
