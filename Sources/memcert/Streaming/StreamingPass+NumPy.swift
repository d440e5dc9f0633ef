import Certificates
import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
import WorkSharing

// MARK: - .npy data by blocks of rows (docs/formats.md, S9–S11)
//
// A .npy file has fixed-size rows, so a pass reads by row index: the header once (and the
// file's size checked against it before any row is read), then blocks of whole rows with
// pread (C order: one run of bytes per block; Fortran order: one run per column), decoded
// by the whole-file reader's own element decoding (`DataSet.numPyBlock`), so values and
// errors are the whole file's. Row keys go to the disk buckets with the row index as their
// offset (S10); rows sharing a key are read again by index and compared exactly (S3).

extension StreamingPass {
    /// What a .npy pass digests besides the header.
    enum NumPyDigest {
        /// Nothing (verify).
        case none
        /// The element bytes of the rows read, in file order (a shard certificate, S11).
        case elements
        /// The whole file: header, then every element (a streamed whole-file certificate).
        case wholeFile
    }

    /// The header of the .npy file `input` and its bytes (everything before the first element):
    /// P1–P3, the size checked against the shape (S9) and P5's shape, all before any row is read.
    ///
    /// - Complexity: O(header length).
    static func numPyHeader(of input: DataInput) throws -> (header: NumPyHeader, bytes: [UInt8]) {
        let framing = try input.bytes(at: 0, count: min(input.size, NumPyHeader.framingBytes))
        let dataStart = try framing.withUnsafeBufferPointer { (prefix) throws(InputError) in
            try NumPyHeader.dataStart(prefix: prefix, fileSize: input.size, file: input.path)
        }
        try MemoryBudget.require(MemoryBudget.product(dataStart, 2), for: "the header of \(input.path) (\(dataStart) bytes)")
        let bytes = try input.bytes(at: 0, count: dataStart)
        guard bytes.count == dataStart else {
            throw InputError(file: input.path, message: "the file changed while it was read (it is shorter than its header now)")
        }
        let header = try bytes.withUnsafeBufferPointer { (prefix) throws(InputError) in
            try NumPyHeader(prefix: prefix, fileSize: input.size, file: input.path)
        }
        _ = try DataSet.numPyShape(header.shape, file: input.path, separateLabels: false)
        return (header, bytes)
    }

    /// Reads rows `rows` of the .npy file `input` (header `header`, whose bytes are
    /// `headerBytes`) block by block: evaluated on all cores, margins folded in, keys written
    /// to the buckets with offset = row index. `name` names the data in the report; errors
    /// name the file and NumPy's [i, j] as the whole-file reader does.
    ///
    /// - Complexity: O(rows · (c + network)) time; memory O(network + block). In Fortran
    ///   order with a digest the rows' bytes are read twice (the digest runs column after
    ///   column, in file order, the evaluation row block after row block).
    init(network: Network, compiled: CompiledNetwork, numpy input: DataInput, header: NumPyHeader, headerBytes: [UInt8],
         rows: Range<Int>, name: String, digest: NumPyDigest, options: Options) throws {
        let (_, dimension) = try DataSet.numPyShape(header.shape, file: input.path, separateLabels: false)
        guard dimension == network.inputDimension else {
            throw InputError(file: input.path, line: 1, column: 1,
                             message: "the network reads \(network.inputDimension) inputs but the data has \(dimension) coordinates per point")
        }
        source = .numpy(header)
        self.dimension = dimension
        range = rows
        self.input = input
        self.name = name
        fileSize = input.size
        margins = Array(repeating: nil, count: network.layers.count)
        buckets = try RowBuckets()
        var headerHasher = RowKeys.Hasher()
        headerBytes.withUnsafeBytes { headerHasher.update($0) }
        headerSHA256 = headerHasher.hex()
        var hasher = RowKeys.Hasher()
        if digest == .wholeFile { headerBytes.withUnsafeBytes { hasher.update($0) } }

        let counts = network.counts, widths = network.widths
        let rowBytes = header.columns * header.element.size
        let blockRows = max(1, options.blockBytes / rowBytes)
        // A block of rows and its exact points (word numerators, as large as f8 elements): about three times its bytes
        // with the slack of the parallel parts; one row may exceed the block size, so this is checked.
        try MemoryBudget.require(MemoryBudget.product(min(blockRows, rows.count), rowBytes, 3),
                                 for: "a block of \(min(blockRows, rows.count)) rows of \(input.path) (\(rowBytes) bytes per row)")
        var buffer = [UInt8](repeating: 0, count: min(blockRows, rows.count) * rowBytes)
        let progress = ProgressMeter("reading \(input.path)", total: rows.count * rowBytes, threshold: 64 << 20)
        var first = rows.lowerBound
        while first < rows.upperBound {
            let block = first ..< min(first + blockRows, rows.upperBound)
            let bytes = block.count * rowBytes
            try input.read(runs: header.runs(of: block), into: &buffer)
            if digest != .none && !header.fortranOrder { buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0 ..< bytes])) } }
            let data = try buffer.withUnsafeBufferPointer { (all) throws(InputError) in
                try DataSet.numPyBlock(UnsafeBufferPointer(rebasing: all[0 ..< bytes]), header: header, rows: block)
            }
            try absorb(data, offsets: { block.lowerBound + $0 }, compiled: compiled, counts: counts, widths: widths, options: options)
            progress.advance(by: bytes)
            first = block.upperBound
        }
        progress.finish()
        if digest != .none && header.fortranOrder {
            // The element bytes in file order: each column's part, column after column.
            for run in header.runs(of: rows) {
                var at = run.lowerBound
                while at < run.upperBound {
                    let count = min(buffer.count, run.upperBound - at)
                    try input.read(runs: [at ..< at + count], into: &buffer)
                    buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0 ..< count])) }
                    at += count
                }
            }
        }
        lines = rows.count
        rangeSHA256 = hasher.hex()
    }

    /// The canonical text (S2) of row `i` of the .npy file, read again by its index.
    ///
    /// - Complexity: O(c) bytes read (one pread per column in Fortran order).
    func canonicalText(row i: Int, header: NumPyHeader) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: header.columns * header.element.size)
        try input.read(runs: header.runs(of: i ..< i + 1), into: &bytes)
        let row = try bytes.withUnsafeBufferPointer { (all) throws(InputError) in
            try DataSet.numPyBlock(all, header: header, rows: i ..< i + 1)
        }
        var text: [UInt8] = []
        RowKeys.canonicalText(of: 0, in: row.points, into: &text)
        return text
    }
}
