import ExactArithmetic
import Memorization
import SeparationGeometry
import TextFormats
import ThresholdNetworks

/// What made a certificate (docs/formats.md, K2): informational, never checked.
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

/// Writes `memcert.certificate/2` files (docs/formats.md, section 5): provenance,
/// the files by path relative to the certificate's folder and SHA-256, and every
/// claim as exact values. A certificate is written only for claims that hold, atomically.
public enum CertificateIssuer {
    public static let format = "memcert.certificate/2"

    /// The files section: each role with its path relative to the certificate's folder and digest.
    /// A checker refuses paths that leave that folder (K3), so such files are refused here too.
    static func files(_ roles: [(String, String)], certificate: String) throws(InputError) -> JSONValue {
        let folder = AtomicFile.directory(of: certificate)
        var o = JSONObjectBuilder()
        for (role, path) in roles {
            let relative = try FileBytes.relativePath(of: path, fromFolder: folder)
            let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
            if relative.isEmpty || segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) || relative.contains("\\") {
                throw InputError(file: path, message: "lies outside the certificate's folder \(folder.isEmpty ? "." : folder) "
                    + "(resolved: \(relative)); a certificate names files inside its own folder, so write it next to the files or in a folder above them")
            }
            var f = JSONObjectBuilder()
            f.add("path", .string(relative))
            f.add("sha256", .string(try FileDigest.sha256(path: path)))
            o.add(role, f.value)
        }
        return o.value
    }

    /// Data sets larger than this get no δ² claim: a checker re-derives δ² by comparing all pairs.
    public static let deltaClaimLimit = 20_000

    /// The memorization certificate for `network` on `data`, or the verification
    /// report when the network does not memorize the data (then nothing is written).
    public static func memorization(networkPath: String, dataPath: String, certificatePath: String, provenance: Provenance)
        throws -> (certificate: JSONValue?, report: VerificationReport) {
        let network = try Network.read(path: networkPath)
        let data = try DataSet.read(path: dataPath)
        let report = try Verifier.verify(network, on: data, mismatchLimit: 10)
        guard report.memorized else { return (nil, report) }
        let counts = network.counts
        let margins = CompiledNetwork(network).minimumMargins(on: data.points)
        var claims = JSONObjectBuilder()
        claims.add("n", .integer(data.count))
        claims.add("d", .integer(data.dimension))
        claims.add("classes", .integer(data.classCount))
        claims.add("mergedDuplicates", .integer(data.mergedDuplicates))
        let separation = data.count <= deltaClaimLimit ? data.separation(workBudget: .max) : nil
        claims.add("radiusSquared", separation.map { .rational($0.radiusSquared) } ?? .null)
        claims.add("deltaSquared", separation?.deltaSquared.map { .rational($0) } ?? .null)
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
        o.add("files", try files([("network", networkPath), ("data", dataPath)], certificate: certificatePath))
        o.add("claims", claims.value)
        return (o.value, report)
    }

    /// The lower-bound certificate for the bounds of `report` on the data at `dataPath`.
    public static func lowerBound(report: LowerBoundReport, dataPath: String, certificatePath: String, provenance: Provenance)
        throws -> JSONValue {
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
        o.add("files", try files([("data", dataPath)], certificate: certificatePath))
        o.add("claims", claims.value)
        return o.value
    }
}
