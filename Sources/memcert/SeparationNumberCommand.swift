import ArgumentParser
import Certificates
import DataSets
import SeparationGeometry
import SeparationNumbers
import TextFormats
import ThresholdNetworks

struct SeparationNumberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "separation-number",
        abstract: "The fewest hyperplanes separating every two differently labeled points (the least first-layer width), certified.",
        discussion: """
            Lists every cut a hyperplane can make of the points (exactly, d = 1, 2 or 3), covers the \
            differently labeled pairs greedily, then asks CaDiCaL whether k = (cover) - 1, - 2, ... cuts \
            suffice (a CNF with Sinz's sequential counter); the first "no" comes with a DRAT proof that \
            memcert's own checker verifies. The witness's hyperplanes are exact and checked on the data. \
            Limits: at most 150 points in d = 2 and 40 in d = 3. \
            Exit status: 0 the exact number, proven; 4 undecided within the limits (the bounds printed \
            hold); 2 bad input or too large; 3 internal error (including a solver proof that fails the check).
            """
    )

    @Argument(help: "The data set (CSV).") var data: String
    @Option(help: "Try cardinality encodings only for k <= K.") var maxK: Int?
    @Option(help: "Seconds for each solver call.") var secondsPerCall: Double = 60
    @Option(help: "Seconds for the whole search.") var seconds: Double = 300
    @Flag(help: "Print a stable JSON object (memcert.separation-number/1).") var json = false
    @Option(help: "Write a certificate (memcert.certificate/2, kind separation-number) to this file.") var certificate: String?
    @Option(help: "The DRAT proof file the certificate names (default: the certificate's name with .drat).") var proof: String?
    @Option(help: "Write the witness's hyperplanes as a one-layer network file (for memcert separation --hyperplanes).") var witness: String?

    func validate() throws {
        if let maxK, maxK < 0 { throw ValidationError("--max-k must be >= 0") }
        guard secondsPerCall > 0, seconds > 0, secondsPerCall.isFinite, seconds.isFinite else {
            throw ValidationError("--seconds-per-call and --seconds must be positive")
        }
        if proof != nil && certificate == nil { throw ValidationError("--proof names the proof of a certificate: give --certificate too") }
    }

    /// Where the proof goes: --proof, else the certificate's name with .drat for .json (or .drat appended).
    var proofPath: String? {
        guard let certificate else { return nil }
        if let proof { return proof }
        return (certificate.hasSuffix(".json") ? String(certificate.dropLast(5)) : certificate) + ".drat"
    }

    func run() throws {
        try reportingErrors {
            let (set, dataSHA256) = try readAndDigest(data) { (bytes) throws(InputError) in try DataSet.parseCSV(bytes, file: data) }
            for output in [certificate, proofPath, witness].compactMap({ $0 }) { try refuseOverwriting(input: data, with: output) }
            if let reason = SeparationNumberSupport.notApplicable(set, caps: SeparationNumberSupport.maximumPoints) {
                throw RequestError("\(data): the separation number is \(reason)")
            }
            if let certificate {  // a data file outside the certificate's folder is refused before the work
                _ = try CertifiedFile(role: "data", path: data, sha256: dataSHA256, certificate: certificate)
            }
            let report = LowerBoundReport(data: set, neurons: max(1, set.count))
            let limits = SearchLimits(maxK: maxK ?? .max, secondsPerCall: secondsPerCall, totalSeconds: seconds)
            let result = try SeparationNumberSupport.compute(set, report: report, limits: limits)

            if let witness, !result.layer.neurons.isEmpty {
                guard result.layer.neurons.count <= Network.maximumOutputBits else {
                    throw RequestError("--witness: \(result.layer.neurons.count) hyperplanes do not fit one network layer of at most 62 outputs")
                }
                try Network(inputDimension: set.dimension, outputBits: result.layer.neurons.count, layers: [result.layer]).write(to: witness)
            }
            if let certificate {
                guard result.minimum != nil else {
                    throw RequestError("no certificate written: the separation number was not decided (\(result.undecided ?? ""))")
                }
                var files = [try CertifiedFile(role: "data", path: data, sha256: dataSHA256, certificate: certificate)]
                if case .drat(_, let proofBytes) = result.proof, let proofPath {
                    try AtomicFile.write(proofBytes, to: proofPath)
                    files.append(try CertifiedFile(role: "proof", path: proofPath, sha256: ContentDigest.sha256(proofBytes),
                                                   certificate: certificate))
                }
                let value = CertificateIssuer.separationNumber(result, files: files, provenance: MemcertVersion.provenance,
                                                               sha256: ContentDigest.sha256)
                try AtomicFile.write(JSONWriter.bytes(value), to: certificate)
            }
            if json {
                printJSON(result.json(data: data, sha256: ContentDigest.sha256))
            } else {
                print(result.humanText(data: data))
                if let certificate { print("wrote       \(certificate); re-check with: memcert check \(certificate)") }
            }
            return result.minimum == nil ? ExitStatus.undecided : ExitStatus.success
        }
    }
}

/// Refuses to write `output` over the file `input` (the same file once symlinks are resolved).
func refuseOverwriting(input: String, with output: String) throws(InputError) {
    guard FileBytes.exists(output) else { return }
    if try FileBytes.canonicalPath(output) == FileBytes.canonicalPath(input) {
        throw InputError(file: output, message: "is the input \(input); refusing to overwrite it")
    }
}
