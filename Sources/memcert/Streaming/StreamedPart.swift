import DataSets
import TextFormats
import ThresholdNetworks

// MARK: - What a streamed or sharded run reads: CSV bytes or .npy rows (docs/formats.md, S6–S11)

/// The part of a data file a streamed `verify` or `certify` reads: the whole file or one
/// shard, as a byte range aligned to line starts (CSV, S6) or as a row range (.npy, S11).
struct StreamedPart {
    enum Kind {
        /// CSV: the byte range [start, end).
        case csv(bytes: Range<Int>)
        /// .npy: the header, its bytes, and the rows [rowStart, rowEnd).
        case numpy(header: NumPyHeader, headerBytes: [UInt8], rows: Range<Int>)
    }

    let data: String
    let input: DataInput
    let shard: ShardSpec?
    let kind: Kind

    /// Opens `data` (a regular file) and finds the part: for CSV the shard's boundaries (S6);
    /// for .npy the header, checked against the file's size before any row is read (S9), and
    /// the shard's rows (S11). NumPy archives (.npz) are refused by `StreamingChoice` before.
    ///
    /// - Complexity: O(header) for .npy; O(distance to the next line start) per CSV boundary.
    init(data: String, shard: ShardSpec?) throws {
        self.data = data
        self.shard = shard
        input = try DataInput(path: data)
        if DataFileKind(path: data) == .npy {
            let (header, bytes) = try StreamingPass.numPyHeader(of: input)
            kind = .numpy(header: header, headerBytes: bytes, rows: shard?.rows(of: header.rows) ?? 0 ..< header.rows)
        } else {
            kind = .csv(bytes: try shard?.range(in: input) ?? 0 ..< input.size)
        }
    }

    var isNumPy: Bool {
        if case .numpy = kind { return true }
        return false
    }

    /// The data's name in error messages. A CSV shard says where its line numbers start
    /// (the lines before it are not read); .npy rows and elements are named by their index in
    /// the whole file, as the whole-file reader names them.
    var name: String {
        switch kind {
        case .csv(let range):
            guard let shard, range.lowerBound > 0 else { return data }
            return "\(data) (shard \(shard), bytes \(range.lowerBound)-\(range.upperBound); lines counted from byte \(range.lowerBound))"
        case .numpy:
            return data
        }
    }

    /// The data's name in a report: which shard, where.
    var reportName: String {
        switch kind {
        case .csv: return name
        case .numpy(_, _, let rows):
            guard let shard else { return data }
            return "\(data) (shard \(shard), rows \(rows.lowerBound)-\(rows.upperBound))"
        }
    }

    /// Reads the part block by block (`StreamingPass`), digesting a .npy file as `digest` says.
    func pass(network: Network, digest: StreamingPass.NumPyDigest, options: StreamingPass.Options) throws -> StreamingPass {
        let compiled = CompiledNetwork(network)
        switch kind {
        case .csv(let range):
            return try StreamingPass(network: network, compiled: compiled, input: input, range: range, name: name, options: options)
        case .numpy(let header, let headerBytes, let rows):
            return try StreamingPass(network: network, compiled: compiled, numpy: input, header: header, headerBytes: headerBytes,
                                     rows: rows, name: name, digest: digest, options: options)
        }
    }

    /// The shard's place for `verify --json`: `start`, `end` (bytes) or `rowStart`, `rowEnd`,
    /// then the file's `size` and the shard's `rows`.
    func shardJSON(_ shard: ShardSpec, rows: Int) -> JSONValue {
        var s = JSONObjectBuilder()
        s.add("index", .integer(shard.index))
        s.add("count", .integer(shard.count))
        switch kind {
        case .csv(let range):
            s.add("start", .integer(range.lowerBound))
            s.add("end", .integer(range.upperBound))
        case .numpy(_, _, let range):
            s.add("rowStart", .integer(range.lowerBound))
            s.add("rowEnd", .integer(range.upperBound))
        }
        s.add("size", .integer(input.size))
        s.add("rows", .integer(rows))
        return s.value
    }

    /// C7: equal points with different labels, worded as the whole-file reader words it
    /// (CSV: lines; .npy: rows counted from 0).
    func conflictError(_ conflict: (row: RowRecord, point: RowRecord)) -> InputError {
        let (row, point) = conflict
        if isNumPy {
            return InputError(file: data, message: "row \(row.offset) equals row \(point.offset), which has label \(point.label), but its label is \(row.label); "
                                  + "no function gives both, so the data cannot be memorized (rows counted from 0)")
        }
        return InputError(file: name, line: Int(row.line), column: 1,
                          message: "this point equals the point on line \(point.line), which has label \(point.label), "
                              + "but here its label is \(row.label); no function gives both, so the data cannot be memorized")
    }
}
