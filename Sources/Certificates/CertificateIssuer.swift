import DataSets
import ExactArithmetic
import SeparationGeometry
import TextFormats
import ThresholdNetworks

/// A file a certificate names: its role, its path relative to the certificate's
/// folder, and the SHA-256 of the bytes that were read.
///
/// The path must stay inside that folder (docs/formats.md, K3): the command line,
/// which resolves paths, refuses files outside it before anything is issued.
public struct CertifiedFile: Sendable {
    public var role: String
    public var path: String
    public var sha256: String

    public init(role: String, path: String, sha256: String) {
        self.role = role
        self.path = path
        self.sha256 = sha256
    }
}

/// What made a certificate (docs/formats.md, K2): informational, checked for types only.
/// The command line gathers it (this build, GMP's version, its own arguments).
public struct Provenance: Sendable {
    public var memcert: String
    public var commit: String?
    public var gmp: String
    public var command: [String]

    public init(memcert: String, commit: String?, gmp: String, command: [String]) {
        self.memcert = memcert
        self.commit = commit
        self.gmp = gmp
        self.command = command
    }

    var json: JSONValue {
        var o = JSONObjectBuilder()
        o.add("memcert", .string(memcert))
        o.add("commit", commit.map { .string($0) } ?? .null)
        o.add("gmp", .string(gmp))
        o.add("command", .array(command.map { .string($0) }))
        return o.value
    }
}

/// Issues `memcert.certificate/2` documents (docs/formats.md, section 5) from
/// values in memory: the network and data set as parsed, the verification already
/// done, the provenance, and the files by relative path and digest. It reads and
/// writes no file; the command line writes the document atomically, and only for
/// claims that hold.
public enum CertificateIssuer {
    public static let format = "memcert.certificate/2"

    /// The files section: each role with its path relative to the certificate's folder and digest.
    static func files(_ files: [CertifiedFile]) -> JSONValue {
        var o = JSONObjectBuilder()
        for file in files {
            var f = JSONObjectBuilder()
            f.add("path", .string(file.path))
            f.add("sha256", .string(file.sha256))
            o.add(file.role, f.value)
        }
        return o.value
    }

    /// Data sets larger than this get no δ² claim: a checker re-derives δ² by comparing all pairs.
    public static let deltaClaimLimit = 20_000

    /// The memorization certificate for `network` on `data`, given the exact
    /// verification `report` of that network on that data; nil when the report
    /// says the network does not memorize the data (no certificate for a false
    /// claim). `files` are the network's and the data's (roles `network`, `data`).
    ///
    /// - Precondition: `report` is the verification of this network on this data
    ///   (same point count and network counts); traps otherwise (a caller's bug).
    public static func memorization(network: Network, data: DataSet, report: VerificationReport, files: [CertifiedFile],
                                    provenance: Provenance) -> JSONValue? {
        let counts = network.counts
        precondition(report.pointCount == data.count && report.counts == counts,
                     "the verification report is not of this network on this data")
        guard report.memorized else { return nil }
        let margins = CompiledNetwork(network).minimumMargins(on: data.points)
        var claims = JSONObjectBuilder()
        claims.add("n", .integer(data.count))
        claims.add("d", .integer(data.dimension))
        claims.add("classes", .integer(data.classCount))
        claims.add("mergedDuplicates", .integer(data.mergedDuplicates))
        let minimumDistance = data.count <= deltaClaimLimit ? data.minimumDistance(workBudget: .max) : nil
        claims.add("radiusSquared", minimumDistance.map { .rational($0.radiusSquared) } ?? .null)
        claims.add("deltaSquared", minimumDistance?.deltaSquared.map { .rational($0) } ?? .null)
        claims.add("neurons", .integer(counts.neurons))
        claims.add("weights", .integer(counts.weights))
        claims.add("biases", .integer(counts.biases))
        claims.add("depth", .integer(counts.depth))
        claims.add("largestWeightBits", .integer(counts.largestWeightBits))
        claims.add("memorized", .bool(true))
        claims.add("minimumMargins", .array(margins.map { .rational($0) }))
        var o = JSONObjectBuilder()
        o.add("format", .string(format))
        o.add("kind", .string("memorization"))
        o.add("provenance", provenance.json)
        o.add("files", self.files(files))
        o.add("claims", claims.value)
        return o.value
    }

    /// The lower-bound certificate for the bounds of `report`; `files` is the data's (role `data`).
    public static func lowerBound(report: LowerBoundReport, files: [CertifiedFile], provenance: Provenance) -> JSONValue {
        var claims = JSONObjectBuilder()
        claims.add("n", .integer(report.pointCount))
        claims.add("d", .integer(report.dimension))
        claims.add("classes", .integer(report.classCount))
        var bounds: [JSONValue] = []
        for bound in report.bounds {
            var b = JSONObjectBuilder()
            b.add("argument", .string(bound.argument))
            if let f = bound.firstLayerNeurons { b.add("firstLayerNeurons", .integer(f)) }
            if let w = bound.weights { b.add("weights", .integer(w)) }
            if case .object(let members) = bound.witness { for m in members { b.add(m.key, m.value) } }
            bounds.append(b.value)
        }
        claims.add("bounds", .array(bounds))
        claims.add("best", .integer(report.best))
        var o = JSONObjectBuilder()
        o.add("format", .string(format))
        o.add("kind", .string("lower-bound"))
        o.add("provenance", provenance.json)
        o.add("files", self.files(files))
        o.add("claims", claims.value)
        return o.value
    }
}
