import ExactArithmetic
import TextFormats
import ThresholdNetworks

// MARK: - Streamed and sharded memorization certificates (docs/formats.md, section 5.4)

/// The part of the data file a shard certificate names (`files.data`, docs/formats.md 5.4).
public protocol ShardDataRange: Sendable {
    /// The `files.data` object, its keys in the format's order.
    var json: JSONValue { get }
}

/// A byte range of a CSV data file and its digest, as a shard certificate names it.
public struct CertifiedRange: ShardDataRange {
    public var path: String
    public var size: Int
    public var start: Int
    public var end: Int
    public var sha256: String

    public init(path: String, size: Int, start: Int, end: Int, sha256: String) {
        (self.path, self.size, self.start, self.end, self.sha256) = (path, size, start, end, sha256)
    }

    /// `path`, `size`, `start`, `end`, `sha256`.
    public var json: JSONValue {
        var d = JSONObjectBuilder()
        d.add("path", .string(path))
        d.add("size", .integer(size))
        d.add("start", .integer(start))
        d.add("end", .integer(end))
        d.add("sha256", .string(sha256))
        return d.value
    }
}

/// A row range of a .npy data file (S11), with the digests of the file's header and of the
/// rows' element bytes in file order, as a shard certificate names it.
public struct CertifiedRowRange: ShardDataRange {
    public var path: String
    /// The whole file's size in bytes.
    public var size: Int
    /// SHA-256 of the bytes before the first element (magic, version, header length, header).
    public var headerSHA256: String
    /// The rows [rowStart, rowEnd).
    public var rowStart: Int
    public var rowEnd: Int
    /// SHA-256 of the rows' element bytes in file order (C order: one run; Fortran: one per column).
    public var sha256: String

    public init(path: String, size: Int, headerSHA256: String, rowStart: Int, rowEnd: Int, sha256: String) {
        (self.path, self.size, self.headerSHA256, self.rowStart, self.rowEnd, self.sha256) = (path, size, headerSHA256, rowStart, rowEnd, sha256)
    }

    /// `path`, `size`, `headerSha256`, `rowStart`, `rowEnd`, `sha256`.
    public var json: JSONValue {
        var d = JSONObjectBuilder()
        d.add("path", .string(path))
        d.add("size", .integer(size))
        d.add("headerSha256", .string(headerSHA256))
        d.add("rowStart", .integer(rowStart))
        d.add("rowEnd", .integer(rowEnd))
        d.add("sha256", .string(sha256))
        return d.value
    }
}

extension CertificateIssuer {
    /// A `memorization` certificate from a streaming pass: the claims of section 5.1 from
    /// counts gathered block by block. Only for n > `deltaClaimLimit` (R² and δ² are null);
    /// smaller data sets are certified from memory with R² and δ².
    public static func streamedMemorization(points: Int, dimension: Int, classes: Int, mergedDuplicates: Int,
                                            counts: NetworkCounts, margins: [Rational], files: [CertifiedFile],
                                            provenance: Provenance) -> JSONValue {
        precondition(points > deltaClaimLimit, "small data sets are certified from memory, with R² and δ²")
        var claims = JSONObjectBuilder()
        claims.add("n", .integer(points))
        claims.add("d", .integer(dimension))
        claims.add("classes", .integer(classes))
        claims.add("mergedDuplicates", .integer(mergedDuplicates))
        claims.add("radiusSquared", .null)
        claims.add("deltaSquared", .null)
        add(counts, to: &claims)
        claims.add("memorized", .bool(true))
        claims.add("minimumMargins", .array(margins.map { .rational($0) }))
        return document(kind: "memorization", provenance: provenance, files: self.files(files), claims: claims.value)
    }

    /// A `memorization-shard` certificate: every row of the part `data` of the data file (a
    /// byte range of CSV, a row range of .npy) gets its label from the network; `rowList`
    /// names the shard's row list.
    /// `margins` has one entry per layer, nil for all when the shard has no rows.
    public static func memorizationShard(index: Int, count: Int, rows: Int, dimension: Int, counts: NetworkCounts,
                                         margins: [Rational?], network: CertifiedFile, data: some ShardDataRange,
                                         rowList: CertifiedFile, provenance: Provenance) -> JSONValue {
        var files = JSONObjectBuilder()
        files.add("network", fileEntry(network))
        files.add("data", data.json)
        files.add("rows", fileEntry(rowList))
        var claims = JSONObjectBuilder()
        claims.add("shard", .integer(index))
        claims.add("shards", .integer(count))
        claims.add("rows", .integer(rows))
        claims.add("d", .integer(dimension))
        add(counts, to: &claims)
        claims.add("memorized", .bool(true))
        claims.add("minimumMargins", .array(margins.map { $0.map { .rational($0) } ?? .null }))
        return document(kind: "memorization-shard", provenance: provenance, files: files.value, claims: claims.value)
    }

    /// A `memorization-root` certificate over shard certificates that tile the data file;
    /// `dataHeaderSHA256` (the header's digest) for .npy data, nil for CSV.
    public static func memorizationRoot(points: Int, dimension: Int, classes: Int, mergedDuplicates: Int,
                                        counts: NetworkCounts, margins: [Rational], network: CertifiedFile,
                                        dataPath: String, dataSize: Int, dataHeaderSHA256: String? = nil, shards: [CertifiedFile],
                                        provenance: Provenance) -> JSONValue {
        var files = JSONObjectBuilder()
        files.add("network", fileEntry(network))
        var d = JSONObjectBuilder()
        d.add("path", .string(dataPath))
        d.add("size", .integer(dataSize))
        if let dataHeaderSHA256 { d.add("headerSha256", .string(dataHeaderSHA256)) }
        files.add("data", d.value)
        files.add("shards", .array(shards.map(fileEntry)))
        var claims = JSONObjectBuilder()
        claims.add("shards", .integer(shards.count))
        claims.add("n", .integer(points))
        claims.add("d", .integer(dimension))
        claims.add("classes", .integer(classes))
        claims.add("mergedDuplicates", .integer(mergedDuplicates))
        add(counts, to: &claims)
        claims.add("memorized", .bool(true))
        claims.add("minimumMargins", .array(margins.map { .rational($0) }))
        return document(kind: "memorization-root", provenance: provenance, files: files.value, claims: claims.value)
    }

    static func fileEntry(_ file: CertifiedFile) -> JSONValue {
        var f = JSONObjectBuilder()
        f.add("path", .string(file.path))
        f.add("sha256", .string(file.sha256))
        return f.value
    }

    static func add(_ counts: NetworkCounts, to claims: inout JSONObjectBuilder) {
        claims.add("neurons", .integer(counts.neurons))
        claims.add("weights", .integer(counts.weights))
        claims.add("biases", .integer(counts.biases))
        claims.add("depth", .integer(counts.depth))
        claims.add("largestWeightBits", .integer(counts.largestWeightBits))
    }

    static func document(kind: String, provenance: Provenance, files: JSONValue, claims: JSONValue) -> JSONValue {
        var o = JSONObjectBuilder()
        o.add("format", .string(format))
        o.add("kind", .string(kind))
        o.add("provenance", provenance.json)
        o.add("files", files)
        o.add("claims", claims)
        return o.value
    }
}
