import ExactArithmetic
import SeparationNumbers
import TextFormats

extension CertificateIssuer {
    /// The separation-number certificate (docs/formats.md, section 5.3) for a decided `result`;
    /// `files` are the data's (role `data`) and, for a DRAT proof, the proof file's (role
    /// `proof`); `sha256` digests the re-derivable CNF.
    ///
    /// - Precondition: the result is decided (a caller's bug otherwise).
    public static func separationNumber(_ result: SeparationNumberResult, files: [CertifiedFile], provenance: Provenance,
                                        sha256: ([UInt8]) -> String) -> JSONValue {
        guard let minimum = result.minimum, let provenBy = result.provenBy else {
            preconditionFailure("a certificate is issued only for a decided separation number")
        }
        var claims = JSONObjectBuilder()
        claims.add("n", .integer(result.instance.pointCount))
        claims.add("d", .integer(result.instance.dimension))
        claims.add("classes", .integer(result.classCount))
        claims.add("pairs", .integer(result.instance.pairs.count))
        claims.add("candidates", .integer(result.instance.candidates.count))
        claims.add("minimum", .integer(minimum))
        claims.add("witness", result.witnessJSON)
        claims.add("provenBy", .string(provenBy))
        if case .drat(let formula, _) = result.proof {
            claims.add("encoding", result.encodingJSON(formula: formula, sha256: sha256(formula.bytes)))
        } else {
            claims.add("encoding", .null)
        }
        claims.add("bound", result.boundJSON ?? .null)
        var o = JSONObjectBuilder()
        o.add("format", .string(format))
        o.add("kind", .string("separation-number"))
        o.add("provenance", provenance.json)
        o.add("files", self.files(files))
        o.add("claims", claims.value)
        return o.value
    }
}
