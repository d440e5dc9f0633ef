import ArgumentParser
import Certificates
import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - verify and certify, streamed or on one shard (docs/formats.md, section 3.1 and 5.4)

/// How `verify` and `certify` read the data.
enum ReadingMode: String, CaseIterable, ExpressibleByArgument {
    /// Stream when the data file is larger than `StreamingChoice.threshold` or a shard is asked for.
    case auto
    /// Read the whole file into memory.
    case memory
    /// Read the file block by block.
    case stream
}

enum StreamingChoice {
    /// Files larger than this are streamed in the automatic mode (64 MiB).
    static let threshold = 64 << 20

    /// True when the data at `path` is to be streamed: CSV and .npy stream (S1, S9); a NumPy
    /// archive (.npz) is read whole, so `--shard` and `--reading stream` refuse it (exit 2,
    /// saying to convert it). With NumPy options (`--labels`, `--x-key`, `--y-key`) the data is
    /// read whole (the commands refuse `--labels` with a shard or `--reading stream` first).
    static func streams(_ mode: ReadingMode, data: String, options: DataOptions, shard: ShardSpec?) throws(InputError) -> Bool {
        if DataFileKind(path: data) == .npz {
            if shard != nil || mode == .stream {
                throw InputError(file: data, message: "an .npz archive is read whole, so --shard and --reading stream cannot read it; "
                                 + "convert it to .npy (memcert convert \(data) -o DATA.npy) and shard or stream that file")
            }
            return false
        }
        guard options.isDefault else { return false }
        if shard != nil { return true }
        switch mode {
        case .memory: return false
        case .stream: return true
        case .auto:
            // Only a regular file can be read by offset; anything else (standard input, a FIFO) is read whole.
            var info = stat()
            guard data != "-", stat(data, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
            return Int(info.st_size) > threshold
        }
    }
}

enum StreamingVerify {
    /// `verify` by blocks: exit status 0 memorized, 1 not.
    static func run(network path: String, data: String, shard: ShardSpec?, json: Bool, mismatchLimit: Int,
                    blockBytes: Int) throws -> Int32 {
        let net = try Network.read(path: path)
        let part = try StreamedPart(data: data, shard: shard)
        let pass = try part.pass(network: net, digest: .none,
                                 options: .init(blockBytes: blockBytes, margins: false, mismatchLimit: mismatchLimit))
        let merge = try pass.mergeRows()
        try requireRows(pass, merge, name: part.name, shard: shard)
        if let conflict = merge.conflict { throw part.conflictError(conflict) }
        let verification = VerificationReport(
            points: merge.points, dimension: pass.dimension,
            classCount: merge.points == 0 ? 0 : Int(merge.largestLabel) + 1, mergedDuplicates: merge.mergedDuplicates,
            mismatchCount: pass.mismatchCount, tieCount: pass.tieCount,
            mismatches: pass.mismatches.map { .init(line: $0.line, expected: $0.expected, output: $0.output, tie: $0.tie) },
            counts: net.counts, widths: net.widths, exactDecisions: pass.exactDecisions, decisions: pass.decisions)
        if json {
            var value = verification.json
            if let shard, case .object(var members) = value {
                members.append(.init("shard", part.shardJSON(shard, rows: pass.rows)))
                value = .object(members)
            }
            printJSON(value)
        } else {
            report(verification.humanText(network: path, data: part.reportName))
        }
        return verification.memorized ? ExitStatus.success : ExitStatus.claimFalse
    }

    /// C8 for a whole file: no rows at all is an error at the end of the file. A shard may hold no rows.
    static func requireRows(_ pass: StreamingPass, _ merge: RowMerge, name: String, shard: ShardSpec?) throws(InputError) {
        if shard == nil && pass.rows == 0 {
            throw InputError(file: name, line: pass.lines + 1, column: 1, message: "contains no data rows")
        }
    }
}

enum StreamingCertify {
    /// `certify` by blocks, or of one shard. Returns nil when the whole file holds at most
    /// `CertificateIssuer.deltaClaimLimit` points: those are certified from memory, with R² and δ².
    static func run(network: String, data: String, output: String, shard: ShardSpec?, blockBytes: Int) throws -> Int32? {
        try requireNamedFile(network, role: "network")
        let rowListPath = output + ".rows"
        let outputs = try OutputFiles.prepare([output, shard == nil ? nil : rowListPath], inputs: [network, data])
        guard let destination = outputs[0] else { throw InternalError("the certificate's output was not prepared") }
        let rowList = outputs[1]
        let (net, networkSHA256) = try readAndDigest(network, contents: .network) { (bytes, name) throws(InputError) in try Network.parse(bytes, file: name) }
        let networkFile = try CertifiedFile(role: "network", path: network, sha256: networkSHA256, certificate: output)
        let part = try StreamedPart(data: data, shard: shard)
        // Refuse a data file outside the certificate's folder before the work (K3).
        let dataRelative = try CertifiedFile(role: "data", path: data, sha256: String(repeating: "0", count: 64), certificate: output).path
        let pass = try part.pass(network: net, digest: shard == nil ? .wholeFile : .elements,
                                 options: .init(blockBytes: blockBytes, margins: true, mismatchLimit: 10))
        guard pass.mismatchCount == 0 else {
            let verification = VerificationReport(
                points: pass.rows, dimension: pass.dimension, classCount: 0, mergedDuplicates: 0,
                mismatchCount: pass.mismatchCount, tieCount: pass.tieCount,
                mismatches: pass.mismatches.map { .init(line: $0.line, expected: $0.expected, output: $0.output, tie: $0.tie) },
                counts: net.counts, widths: net.widths, exactDecisions: pass.exactDecisions, decisions: pass.decisions)
            report(verification.humanText(network: network, data: part.reportName))
            printError("no certificate written: the network does not memorize the data")
            return ExitStatus.claimFalse
        }
        guard let shard, let rowList else {
            // The whole file, streamed.
            let merge = try pass.mergeRows()
            try StreamingVerify.requireRows(pass, merge, name: part.name, shard: nil)
            if let conflict = merge.conflict { throw part.conflictError(conflict) }
            if merge.points <= CertificateIssuer.deltaClaimLimit {
                destination.discard()  // certified from memory, with R² and δ², by the caller
                return nil
            }
            let files = [networkFile, CertifiedFile(role: "data", path: dataRelative, sha256: pass.rangeSHA256)]
            let certificate = CertificateIssuer.streamedMemorization(
                points: merge.points, dimension: pass.dimension, classes: Int(merge.largestLabel) + 1,
                mergedDuplicates: merge.mergedDuplicates, counts: net.counts, margins: pass.margins.map { $0 ?? Rational() },
                files: files, provenance: MemcertVersion.provenance)
            try destination.commit(JSONWriter.bytes(certificate))
            report("wrote \(shown(output, output: true)): \(network) memorizes all \(merge.points) points of \(data) (exact, streamed)")
            report("re-check with: memcert check \(output == "-" ? "CERT" : output)")
            return ExitStatus.success
        }
        // One shard: its rows sorted by key go to the row list, then the certificate.
        var digest = RowKeys.Hasher()
        try rowList.commitStreamed { write in
            try write(RowList.magic)
            RowList.magic.withUnsafeBytes { digest.update($0) }
            var piece: [UInt8] = []
            try pass.buckets.forEachSortedBucket { records in
                for r in records { r.append(to: &piece, withLine: false) }
                piece.withUnsafeBytes { digest.update($0) }
                try write(piece)
                piece.removeAll(keepingCapacity: true)
            }
        }
        let rowFile = try CertifiedFile(role: "rows", path: rowListPath, sha256: digest.hex(), certificate: output)
        let range: any ShardDataRange
        let place: String
        switch part.kind {
        case .csv(let bytes):
            range = CertifiedRange(path: dataRelative, size: part.input.size, start: bytes.lowerBound, end: bytes.upperBound,
                                   sha256: pass.rangeSHA256)
            place = "bytes \(bytes.lowerBound)-\(bytes.upperBound)"
        case .numpy(_, _, let rows):
            range = CertifiedRowRange(path: dataRelative, size: part.input.size, headerSHA256: pass.headerSHA256,
                                      rowStart: rows.lowerBound, rowEnd: rows.upperBound, sha256: pass.rangeSHA256)
            place = "rows \(rows.lowerBound)-\(rows.upperBound)"
        }
        let certificate = CertificateIssuer.memorizationShard(
            index: shard.index, count: shard.count, rows: pass.rows, dimension: pass.dimension, counts: net.counts,
            margins: pass.rows == 0 ? Array(repeating: nil, count: net.layers.count) : pass.margins,
            network: networkFile, data: range, rowList: rowFile, provenance: MemcertVersion.provenance)
        try destination.commit(JSONWriter.bytes(certificate))
        report("wrote \(output) and \(rowListPath): \(network) memorizes all \(pass.rows) rows of shard \(shard) of \(data) "
              + "(\(place), exact)")
        report("combine the shards with: memcert certify --combine CERT_1 ... CERT_\(shard.count) -o ROOT")
        return ExitStatus.success
    }
}

/// The row list of a shard (`memcert.rows/1`, docs/formats.md 5.4): a 16-byte header, then
/// 48-byte records (key, label, offset) sorted by (key, offset).
enum RowList {
    static let magic: [UInt8] = Array("memcert.rows/1\n".utf8) + [0]
}

/// The options `verify` and `certify` share for reading data by blocks or by shard.
struct StreamingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read only shard I of K of the data (1 <= I <= K): for CSV a contiguous byte range aligned to line starts, for .npy the rows [(I-1)n/K, In/K) read by seeking (docs/formats.md, section 3.1). Not for .npz (convert it to .npy) or with --labels.",
                               valueName: "I/K"))
    var shard: ShardSpec?

    @Option(help: "How to read the data: auto (stream CSV and .npy files above 64 MiB, and shards), memory (the whole file at once), stream (block by block, memory O(network + block); CSV and .npy only, not with --labels).")
    var reading: ReadingMode = .auto

    @Option(help: ArgumentHelp("Bytes per block when streaming (whole lines of CSV, a longer line getting a longer block; whole rows of .npy, at least one).", valueName: "bytes"))
    var blockSize: Int = 8 << 20

    func validate() throws {
        guard blockSize >= 1 && blockSize <= 1 << 30 else { throw ValidationError("--block-size must be from 1 to 2^30") }
        if shard != nil && reading == .memory { throw ValidationError("--shard reads by blocks; it cannot be combined with --reading memory") }
    }

    func streams(data: String, options: DataOptions) throws(InputError) -> Bool {
        try StreamingChoice.streams(reading, data: data, options: options, shard: shard)
    }

    /// `--labels` (a second .npy file, read whole) cannot go with a shard or a stream (S9).
    func validate(with options: DataOptions) throws {
        if options.labels != nil && (shard != nil || reading == .stream) {
            throw ValidationError("--labels is read whole: it cannot be combined with --shard or --reading stream (put the labels in the last column of DATA.npy)")
        }
    }
}
