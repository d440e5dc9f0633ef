import Certificates
import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks

// MARK: - certify --combine (docs/formats.md, section 5.4)
//
// Reads K shard certificates and their row lists (never the data), checks that the shards
// name one network and one data file and tile it exactly (CSV: byte ranges tiling [0, size);
// .npy: one header digest, row ranges tiling the rows from row 0), merges the row lists by
// key to find repeated rows and conflicts across shards, and writes the root certificate.

enum ShardCombiner {
    struct Shard {
        var certificate: String
        var sha256: String
        var index: Int, count: Int, rows: Int, dimension: Int
        var counts: [Int]
        var margins: [String?]
        var network: String, networkSHA256: String
        /// The data file and its size; `start`..<`end` is the byte range (CSV) or the row range (.npy).
        var data: String, size: Int, start: Int, end: Int
        /// .npy data: the digest of the file's header (nil for CSV).
        var headerSHA256: String?
        var rowList: String, rowListSHA256: String

        var byRows: Bool { headerSHA256 != nil }
        /// The range for messages: "bytes a-b" or "rows a-b".
        var place: String { "\(byRows ? "rows" : "bytes") \(start)-\(end)" }
    }

    static let countKeys = ["neurons", "weights", "biases", "depth", "largestWeightBits"]

    static func run(certificates: [String], output: String) throws -> Int32 {
        var shards = try certificates.map { (path) throws -> Shard in try read(path) }
        let destination = try OutputFiles.prepare([output], inputs: certificates + shards.map(\.rowList) + shards.map(\.data)
                                                                    + shards.map(\.network))[0]!
        shards.sort { $0.index < $1.index }
        let k = shards.count
        for (i, s) in shards.enumerated() {
            func refuse(_ message: String) -> InputError { InputError(file: s.certificate, message: message) }
            if s.count != k { throw refuse("is shard \(s.index)/\(s.count), but \(k) shard certificates were given") }
            if s.index != i + 1 {
                throw refuse(s.index == i ? "is shard \(s.index) again (given twice)" : "shard \(i + 1) of \(k) is missing")
            }
            let first = shards[0]
            if s.network != first.network || s.networkSHA256 != first.networkSHA256 {
                throw refuse("names another network than \(first.certificate) (\(s.network), SHA-256 \(s.networkSHA256))")
            }
            if s.byRows != first.byRows {
                throw refuse("is a \(s.byRows ? ".npy" : "CSV") shard, but \(first.certificate) is a \(first.byRows ? ".npy" : "CSV") shard")
            }
            if s.data != first.data || s.size != first.size {
                throw refuse("names another data file than \(first.certificate) (\(s.data), \(s.size) bytes)")
            }
            if s.headerSHA256 != first.headerSHA256 {
                throw refuse("names a .npy header with SHA-256 \(s.headerSHA256 ?? "-"), but \(first.certificate) names \(first.headerSHA256 ?? "-"): "
                             + "the shards are of different files")
            }
            if s.byRows && s.rows != s.end - s.start {
                throw refuse("claims \(s.rows) rows, but its rows \(s.start)-\(s.end) are \(s.end - s.start)")
            }
            if s.dimension != first.dimension || s.counts != first.counts || s.margins.count != first.margins.count {
                throw refuse("claims other sizes (d or network counts) than \(first.certificate)")
            }
            let expectedStart = i == 0 ? 0 : shards[i - 1].end
            if s.start != expectedStart || s.end < s.start {
                throw refuse("covers \(s.place), but the shards before it end at \(s.byRows ? "row" : "byte") \(expectedStart): the shards must tile the data without gap or overlap")
            }
        }
        guard let first = shards.first, let last = shards.last else { throw RequestError("--combine needs shard certificates") }
        if first.byRows {
            // The rows tile [0, n) with n = the last shard's end; each shard's range must be S11's.
            let n = last.end
            for s in shards where ShardSpec(index: s.index, count: k).rows(of: n) != s.start ..< s.end {
                let expected = ShardSpec(index: s.index, count: k).rows(of: n)
                throw InputError(file: s.certificate, message: "covers \(s.place), but shard \(s.index) of \(k) of \(n) rows is rows "
                                 + "\(expected.lowerBound)-\(expected.upperBound) (docs/formats.md, S11)")
            }
        } else if last.end != first.size {
            throw InputError(file: last.certificate, message: "ends at byte \(last.end), but the data file has \(first.size) bytes")
        }

        // The row lists, checked against their digests, merged by key.
        let buckets = try RowBuckets()
        for s in shards {
            try readRowList(s) { (record) throws(InputError) in try buckets.add(record) }
        }
        var merge = RowMerge()
        try buckets.forEachSortedBucket { try merge.scan($0) }
        if let (row, point) = merge.conflict {
            func place(_ r: RowRecord) -> String {
                let s = shards.first { UInt64($0.start) <= r.offset && r.offset < UInt64($0.end) }
                return first.byRows ? "row \(r.offset) (shard \(s?.index ?? 0); rows counted from 0) with label \(r.label)"
                                    : "the row at byte \(r.offset) (shard \(s?.index ?? 0)) with label \(r.label)"
            }
            throw InputError(file: first.data, message: "\(place(row)) equals the point of \(place(point)); no function gives both, so the data cannot be memorized (C7)")
        }
        if merge.points == 0 { throw InputError(file: first.data, message: "contains no data rows (in any shard)") }

        var margins: [Rational] = []
        for l in first.margins.indices {
            var least: Rational?
            for s in shards {
                guard let text = s.margins[l] else { continue }
                let value: Rational
                do { value = try Rational(parsing: text) } catch { throw InputError(file: s.certificate, message: "claims.minimumMargins: '\(text)' is no rational") }
                if least == nil || value < least! { least = value }
            }
            margins.append(least ?? Rational())
        }
        let counts = first.counts
        let networkCounts = NetworkCounts(neurons: counts[0], weights: counts[1], biases: counts[2], depth: counts[3],
                                          largestWeightBits: counts[4], totalWeightBits: 0, largestBiasBits: 0, firstLayerWidth: 0)
        let root = CertificateIssuer.memorizationRoot(
            points: merge.points, dimension: first.dimension, classes: Int(merge.largestLabel) + 1,
            mergedDuplicates: merge.mergedDuplicates, counts: networkCounts, margins: margins,
            network: try CertifiedFile(role: "network", path: first.network, sha256: first.networkSHA256, certificate: output),
            dataPath: try CertifiedFile(role: "data", path: first.data, sha256: "", certificate: output).path,
            dataSize: first.size, dataHeaderSHA256: first.headerSHA256,
            shards: try shards.map { (s) throws(InputError) in try CertifiedFile(role: "shard", path: s.certificate, sha256: s.sha256, certificate: output) },
            provenance: MemcertVersion.provenance)
        try destination.commit(JSONWriter.bytes(root))
        report("wrote \(shown(output, output: true)): \(k) shards tile \(first.data) (\(first.size) bytes\(first.byRows ? ", \(last.end) rows" : "")); \(merge.points) points, "
               + "\(merge.mergedDuplicates) repeated rows merged, all memorized")
        report("re-check with: memcert check \(output == "-" ? "ROOT" : output)")
        return ExitStatus.success
    }

    // MARK: Reading

    /// Reads one shard certificate (as memcert writes them; `memcert check` is the strict reader).
    static func read(_ path: String) throws -> Shard {
        let bytes = try FileBytes.read(path)
        let value = try bytes.withUnsafeBufferPointer { (buffer) throws(InputError) -> JSONValue in
            var scanner = JSONScanner(bytes: buffer, file: path)
            let v = try scanner.readValue()
            try scanner.expectEnd()
            return v
        }
        func fail(_ message: String) -> InputError { InputError(file: path, message: message) }
        guard value["format"] == .string(CertificateIssuer.format) else { throw fail("is no memcert.certificate/2 file") }
        guard value["kind"] == .string("memorization-shard") else { throw fail("is no shard certificate (kind memorization-shard); make shards with certify --shard I/K") }
        func integer(_ v: JSONValue?, _ what: String) throws(InputError) -> Int {
            guard case .number(let text)? = v, let n = Int(text), n >= 0 else { throw fail("\(what) must be a non-negative integer") }
            return n
        }
        func string(_ v: JSONValue?, _ what: String) throws(InputError) -> String {
            guard case .string(let s)? = v else { throw fail("\(what) must be a string") }
            return s
        }
        guard let files = value["files"], let claims = value["claims"], let data = files["data"] else { throw fail("lacks files or claims") }
        let folder = FileBytes.directory(of: path)
        func resolve(_ relative: String, _ what: String) throws(InputError) -> String {
            if relative.hasPrefix("/") || relative.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
                throw fail("\(what) '\(relative)' is no relative path inside the certificate's folder")
            }
            return try FileBytes.canonicalPath(folder + "/" + relative)
        }
        // The form of files.data by the data file's name (3.2): CSV bytes or .npy rows; .npz is never sharded.
        let dataPath = try string(data["path"], "files.data.path")
        let byRows: Bool
        switch DataFileKind(path: dataPath) {
        case .npz: throw fail("names an .npz archive, which is never sharded (convert it to .npy)")
        case .npy: byRows = true
        case .csv: byRows = false
        }
        guard case .object(let dataMembers) = data else { throw fail("files.data must be an object") }
        let keys = dataMembers.map(\.key)
        let expectedKeys = byRows ? ["path", "size", "headerSha256", "rowStart", "rowEnd", "sha256"] : ["path", "size", "start", "end", "sha256"]
        guard Set(keys) == Set(expectedKeys), keys.count == expectedKeys.count else {
            throw fail("files.data must have exactly \(expectedKeys.joined(separator: ", ")) for \(byRows ? ".npy" : "CSV") data \(dataPath)")
        }
        guard case .array(let marginValues)? = claims["minimumMargins"] else { throw fail("claims.minimumMargins must be an array") }
        var margins: [String?] = []
        for m in marginValues {
            switch m {
            case .null: margins.append(nil)
            case .string(let s): margins.append(s)
            default: throw fail("claims.minimumMargins holds a value that is neither a rational string nor null")
            }
        }
        return Shard(
            certificate: path, sha256: ContentDigest.sha256(bytes),
            index: try integer(claims["shard"], "claims.shard"), count: try integer(claims["shards"], "claims.shards"),
            rows: try integer(claims["rows"], "claims.rows"), dimension: try integer(claims["d"], "claims.d"),
            counts: try countKeys.map { (key) throws(InputError) in try integer(claims[key], "claims.\(key)") },
            margins: margins,
            network: try resolve(try string(files["network"]?["path"], "files.network.path"), "files.network.path"),
            networkSHA256: try string(files["network"]?["sha256"], "files.network.sha256"),
            data: try resolve(dataPath, "files.data.path"),
            size: try integer(data["size"], "files.data.size"),
            start: try integer(data[byRows ? "rowStart" : "start"], byRows ? "files.data.rowStart" : "files.data.start"),
            end: try integer(data[byRows ? "rowEnd" : "end"], byRows ? "files.data.rowEnd" : "files.data.end"),
            headerSHA256: byRows ? try string(data["headerSha256"], "files.data.headerSha256") : nil,
            rowList: try resolve(try string(files["rows"]?["path"], "files.rows.path"), "files.rows.path"),
            rowListSHA256: try string(files["rows"]?["sha256"], "files.rows.sha256"))
    }

    /// Streams a shard's row list, checking its header, length, order, offsets and digest.
    static func readRowList(_ shard: Shard, _ body: (RowRecord) throws(InputError) -> Void) throws(InputError) {
        let input = try DataInput(path: shard.rowList)
        func fail(_ message: String) -> InputError { InputError(file: shard.rowList, message: message) }
        guard shard.rows <= (Int.max - RowList.magic.count) / RowRecord.listSize else {
            throw fail("cannot hold the \(shard.rows) rows \(shard.certificate) claims")
        }
        let expected = RowList.magic.count + shard.rows * RowRecord.listSize
        if input.size != expected {
            throw fail("has \(input.size) bytes; shard \(shard.index)'s \(shard.rows) rows make a row list of \(expected)")
        }
        var digest = RowKeys.Hasher()
        let header = try input.bytes(at: 0, count: RowList.magic.count)
        if header != RowList.magic { throw fail("is no memcert.rows/1 file") }
        header.withUnsafeBytes { digest.update($0) }
        var offset = RowList.magic.count
        var previous: RowRecord?
        let step = RowRecord.listSize * 8192
        while offset < input.size {
            let block = try input.bytes(at: offset, count: min(step, input.size - offset))
            block.withUnsafeBytes { digest.update($0) }
            let records = block.withUnsafeBytes { raw in
                stride(from: 0, to: raw.count, by: RowRecord.listSize).map { RowRecord(raw.baseAddress! + $0, withLine: false) }
            }
            for (j, r) in records.enumerated() {
                do {
                    let p = j * RowRecord.listSize
                    if r.label > UInt64(LabelCode.maximumLabel) { throw fail("names a label above 2^62 - 1 at byte \(offset + p)") }
                    if let previous, !(previous < r) { throw fail("is not sorted by key and offset at byte \(offset + p)") }
                    if r.offset < UInt64(shard.start) || r.offset >= UInt64(shard.end) {
                        throw fail("names a row at \(shard.byRows ? "index" : "byte") \(r.offset), outside shard \(shard.index) (\(shard.place))")
                    }
                    previous = r
                    try body(r)
                }
            }
            offset += block.count
        }
        if digest.hex() != shard.rowListSHA256 {
            throw fail("has SHA-256 \(digest.hex()), but \(shard.certificate) records \(shard.rowListSHA256)")
        }
    }
}
