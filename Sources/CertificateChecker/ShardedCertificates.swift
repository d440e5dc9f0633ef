// MARK: - Shard and root certificates, read strictly (docs/formats.md, section 5.4)

struct ShardCertificate {
    var network: (path: String, sha256: String)
    /// CSV data: the byte range [start, end). `.npy` data (by the path's name): the rows
    /// [rowStart, rowEnd) as start and end, and the header's digest (nil for CSV).
    var data: (path: String, size: Int, start: Int, end: Int, sha256: String, headerSha256: String?)
    var rows: (path: String, sha256: String)
    var shard = 0, shards = 0, rowCount = 0, d = 0
    var counts: [Int] = []  // neurons, weights, biases, depth, largestWeightBits
    var margins: [String?] = []
}

struct RootCertificate {
    var network: (path: String, sha256: String)
    /// `headerSha256` is present exactly for `.npy` data (by the path's name).
    var data: (path: String, size: Int, headerSha256: String?)
    var shardFiles: [(path: String, sha256: String)]
    var shards = 0, n = 0, d = 0, classes = 0, mergedDuplicates = 0
    var counts: [Int] = []
    var memorized = false
    var margins: [String] = []
}

extension CertificateReader {
    static let countKeys = ["neurons", "weights", "biases", "depth", "largestWeightBits"]

    /// The kind of a memcert.certificate/2 document, read before anything else.
    func kind(_ root: JSONNode) -> String? {
        guard case .object(let top) = root.value, let node = top.first(where: { $0.key == "kind" })?.node,
              case .string(let kind) = node.value else { return nil }
        return kind
    }

    /// The top level of a shard or root certificate: format, kind, provenance; returns files and claims.
    func top(_ root: JSONNode, kind: String) throws(MalformedInput) -> (files: JSONNode, claims: JSONNode) {
        let m = try members(root, "a certificate", ["format", "kind", "provenance", "files", "claims"])
        guard try string(m["format"]!, "format") == "memcert.certificate/2" else {
            throw fail(m["format"]!, "unsupported format (this checker reads memcert.certificate/2)")
        }
        guard try string(m["kind"]!, "kind") == kind else { throw fail(m["kind"]!, "kind must be \"\(kind)\"") }
        try provenance(m["provenance"]!)
        return (m["files"]!, m["claims"]!)
    }

    func fileEntry(_ node: JSONNode, _ what: String, extra: [String] = []) throws(MalformedInput) -> [String: JSONNode] {
        let entry = try members(node, what, ["path", "sha256"] + extra)
        try checkedPath(entry["path"]!, "\(what).path")
        try checkedDigest(entry["sha256"]!, "\(what).sha256")
        return entry
    }

    @discardableResult
    func checkedPath(_ node: JSONNode, _ what: String) throws(MalformedInput) -> String {
        let path = try string(node, what)
        if let problem = FilePaths.problem(path) { throw fail(node, "\(what): \(problem)") }
        return path
    }

    @discardableResult
    func checkedDigest(_ node: JSONNode, _ what: String) throws(MalformedInput) -> String {
        let digest = try string(node, what)
        guard digest.utf8.count == 64, digest.utf8.allSatisfy({ ($0 &- 0x30 < 10) || ($0 &- 0x61 < 6) }) else {
            throw fail(node, "\(what) must be 64 lowercase hex digits")
        }
        return digest
    }

    /// The kind of the data `files.data` names, by its path's name (3.2): "npy" or "csv"; `.npz`
    /// archives are never sharded (3.1), so a shard or root naming one is malformed.
    func dataPath(_ node: JSONNode) throws(MalformedInput) -> String {
        guard case .object(let entries) = node.value, let pathNode = entries.first(where: { $0.key == "path" })?.node else {
            throw fail(node, "files.data must be an object with a \"path\"")
        }
        let path = try checkedPath(pathNode, "files.data.path")
        switch NumPyReader.kind(of: path) {
        case "npy": return "npy"
        case "npz": throw fail(pathNode, "files.data.path names an .npz archive, which is never sharded (convert it to .npy)")
        default: return "csv"
        }
    }

    func shardCertificate(_ root: JSONNode) throws(MalformedInput) -> ShardCertificate {
        let (filesNode, claimsNode) = try top(root, kind: "memorization-shard")
        let f = try members(filesNode, "files (for kind memorization-shard)", ["network", "data", "rows"])
        let net = try fileEntry(f["network"]!, "files.network")
        let dataPath = try dataPath(f["data"]!)
        let npy = dataPath == "npy"
        let data = try fileEntry(f["data"]!, "files.data", extra: npy ? ["size", "headerSha256", "rowStart", "rowEnd"] : ["size", "start", "end"])
        let rows = try fileEntry(f["rows"]!, "files.rows")
        let c = try members(claimsNode, "claims", ["shard", "shards", "rows", "d"] + CertificateReader.countKeys + ["memorized", "minimumMargins"])
        var s = ShardCertificate(
            network: (try string(net["path"]!, ""), try string(net["sha256"]!, "")),
            data: (try string(data["path"]!, ""), try integer(data["size"]!, "files.data.size"),
                   try integer(data[npy ? "rowStart" : "start"]!, npy ? "files.data.rowStart" : "files.data.start"),
                   try integer(data[npy ? "rowEnd" : "end"]!, npy ? "files.data.rowEnd" : "files.data.end"), try string(data["sha256"]!, ""),
                   npy ? try checkedDigest(data["headerSha256"]!, "files.data.headerSha256") : nil),
            rows: (try string(rows["path"]!, ""), try string(rows["sha256"]!, "")))
        s.shard = try integer(c["shard"]!, "claims.shard")
        s.shards = try integer(c["shards"]!, "claims.shards")
        s.rowCount = try integer(c["rows"]!, "claims.rows")
        s.d = try integer(c["d"]!, "claims.d")
        for key in CertificateReader.countKeys { s.counts.append(try integer(c[key]!, "claims.\(key)")) }
        guard case .bool(true) = c["memorized"]!.value else { throw fail(c["memorized"]!, "claims.memorized must be true") }
        let margins = try array(c["minimumMargins"]!, "claims.minimumMargins")
        for m in margins { s.margins.append(try optionalRational(m, "an entry of claims.minimumMargins")) }
        // K5 for shards: the shard lies in 1..K; start <= end <= size; one margin per layer, all null exactly when no rows.
        if s.shards < 1 || s.shard < 1 || s.shard > s.shards { throw fail(c["shard"]!, "claims.shard must lie in 1 ... claims.shards") }
        if npy {
            if s.data.start > s.data.end { throw fail(f["data"]!, "files.data needs rowStart <= rowEnd") }
            if s.rowCount != s.data.end - s.data.start { throw fail(c["rows"]!, "claims.rows must equal files.data.rowEnd - files.data.rowStart") }
        } else if s.data.start > s.data.end || s.data.end > s.data.size {
            throw fail(f["data"]!, "files.data needs start <= end <= size")
        }
        if margins.count != s.counts[3] { throw fail(c["minimumMargins"]!, "claims.minimumMargins has \(margins.count) entries, claims.depth is \(s.counts[3])") }
        if s.margins.contains(where: { ($0 == nil) != (s.rowCount == 0) }) {
            throw fail(c["minimumMargins"]!, "claims.minimumMargins entries are null exactly when the shard has no rows")
        }
        return s
    }

    func rootCertificate(_ root: JSONNode) throws(MalformedInput) -> RootCertificate {
        let (filesNode, claimsNode) = try top(root, kind: "memorization-root")
        let f = try members(filesNode, "files (for kind memorization-root)", ["network", "data", "shards"])
        let net = try fileEntry(f["network"]!, "files.network")
        let npy = try dataPath(f["data"]!) == "npy"
        let data = try members(f["data"]!, "files.data", npy ? ["path", "size", "headerSha256"] : ["path", "size"])
        try checkedPath(data["path"]!, "files.data.path")
        var shardFiles: [(String, String)] = []
        for (i, node) in try array(f["shards"]!, "files.shards").enumerated() {
            let e = try fileEntry(node, "files.shards[\(i)]")
            shardFiles.append((try string(e["path"]!, ""), try string(e["sha256"]!, "")))
        }
        let c = try members(claimsNode, "claims", ["shards", "n", "d", "classes", "mergedDuplicates"] + CertificateReader.countKeys
                                                    + ["memorized", "minimumMargins"])
        var r = RootCertificate(network: (try string(net["path"]!, ""), try string(net["sha256"]!, "")),
                                data: (try string(data["path"]!, ""), try integer(data["size"]!, "files.data.size"),
                                       npy ? try checkedDigest(data["headerSha256"]!, "files.data.headerSha256") : nil),
                                shardFiles: shardFiles)
        r.shards = try integer(c["shards"]!, "claims.shards")
        r.n = try integer(c["n"]!, "claims.n")
        r.d = try integer(c["d"]!, "claims.d")
        r.classes = try integer(c["classes"]!, "claims.classes")
        r.mergedDuplicates = try integer(c["mergedDuplicates"]!, "claims.mergedDuplicates")
        for key in CertificateReader.countKeys { r.counts.append(try integer(c[key]!, "claims.\(key)")) }
        guard case .bool(let memorized) = c["memorized"]!.value else { throw fail(c["memorized"]!, "claims.memorized must be true or false") }
        r.memorized = memorized
        let margins = try array(c["minimumMargins"]!, "claims.minimumMargins")
        for m in margins { r.margins.append(try rational(m, "an entry of claims.minimumMargins").description) }
        if shardFiles.isEmpty || r.shards != shardFiles.count {
            throw fail(c["shards"]!, "claims.shards must equal the number of files.shards entries (at least 1)")
        }
        if margins.count != r.counts[3] { throw fail(c["minimumMargins"]!, "claims.minimumMargins has \(margins.count) entries, claims.depth is \(r.counts[3])") }
        return r
    }
}
