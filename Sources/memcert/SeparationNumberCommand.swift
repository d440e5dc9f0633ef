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
            Limits: at most 150 points in d = 2, 40 in d = 3 and 400 in d = 1; d > 3 is refused. With --certificate, the proof goes to --proof (default: the certificate's name with .drat). \
            Exit status: 0 the exact number, proven; 4 undecided within the limits (the bounds printed \
            hold); 2 bad input or too large; 3 internal error (including a solver proof that fails the check).
            """
    )

    @Argument(help: "The data set: CSV (coordinates, then the label; - for stdin, except with --certificate), NumPy .npy (labels in the last column, or --labels) or .npz (arrays X and y).")
    var data: String
    @OptionGroup(title: "NumPy data") var dataOptions: DataOptions
    @Option(help: "Try cardinality encodings only for k <= K.") var maxK: Int?
    @Option(help: "Seconds for each solver call.") var secondsPerCall: Double = 60
    @Option(help: "Seconds for the whole search.") var seconds: Double = 300
    @Flag(help: "Print a stable JSON object (memcert.separation-number/1).") var json = false
    @Option(help: "Write a certificate (memcert.certificate/2, kind separation-number) to this file (- for stdout, with --proof).") var certificate: String?
    @Option(help: "The DRAT proof file the certificate names (default: the certificate's name with .drat instead of .json).") var proof: String?
    @Option(help: "Write the witness's hyperplanes as a one-layer network file (for memcert separation --hyperplanes).") var witness: String?

    func validate() throws {
        if let maxK, maxK < 0 { throw ValidationError("--max-k must be >= 0") }
        guard secondsPerCall > 0, seconds > 0, secondsPerCall.isFinite, seconds.isFinite, secondsPerCall <= 1e6, seconds <= 1e6 else {
            throw ValidationError("--seconds-per-call and --seconds must be positive and at most 10^6")
        }
        if proof != nil && certificate == nil { throw ValidationError("--proof names the proof of a certificate: give --certificate too") }
        if certificate == "-" && proof == nil { throw ValidationError("--certificate - (stdout) needs --proof FILE: the proof is a file the certificate names") }
        if proof == "-" { throw ValidationError("--proof must name a file: the certificate names it by path and SHA-256") }
    }

    /// Where the proof goes: --proof, else the certificate's name with .drat for .json (or .drat appended).
    var proofPath: String? {
        guard let certificate else { return nil }
        if let proof { return proof }
        return (certificate.hasSuffix(".json") ? String(certificate.dropLast(5)) : certificate) + ".drat"
    }

    func run() throws {
        try reportingErrors {
            if certificate != nil { try requireNamedFile(data, role: "data") }
            // Every destination is checked (and its temporary file made) before any work.
            let outputs = try OutputFiles.prepare([certificate, proofPath, witness], inputs: [data] + dataOptions.inputs)
            let set: DataSet
            var dataSHA256 = ""  // digested only for a certificate
            if certificate != nil {
                (set, dataSHA256) = try DataSet.readForCertificate(path: data, options: dataOptions)
            } else {
                set = try DataSet.read(path: data, options: dataOptions)
            }
            if let reason = SeparationNumberSupport.notApplicable(set, caps: SeparationNumberSupport.maximumPoints) {
                throw RequestError("\(shown(data)): the separation number is \(reason)")
            }
            var dataEntry: CertifiedFile?
            if let certificate, let proofPath {  // files outside the certificate's folder are refused before the work
                dataEntry = try CertifiedFile(role: "data", path: data, sha256: dataSHA256, certificate: certificate)
                try requireInsideFolder(proofPath, certificate: certificate)
            }
            let report = LowerBoundReport(data: set, neurons: max(1, set.count))
            let limits = SearchLimits(maxK: maxK ?? .max, secondsPerCall: secondsPerCall, totalSeconds: seconds)
            let result = try SeparationNumberSupport.compute(set, report: report, limits: limits)

            var notes: [String] = []
            if let destination = outputs[2] {
                if result.layer.neurons.isEmpty {
                    destination.discard()
                    notes.append("no witness written to \(shown(witness ?? "", output: true)): no hyperplane is needed (one label)")
                } else if result.layer.neurons.count > Network.maximumOutputBits {
                    destination.discard()
                    notes.append("no witness written: \(result.layer.neurons.count) hyperplanes do not fit one network layer of at most 62 outputs")
                } else {
                    let network = Network(inputDimension: set.dimension, outputBits: result.layer.neurons.count, layers: [result.layer])
                    try destination.commit(network.jsonBytes())
                }
            }
            if let certificate, let dataEntry, let proofPath {
                if result.minimum == nil {
                    outputs[0]?.discard()
                    outputs[1]?.discard()
                    notes.append("no certificate written: the separation number was not decided (\(result.undecided ?? ""))")
                } else {
                    var files = [dataEntry]
                    if case .drat(_, let proofBytes) = result.proof {
                        try outputs[1]?.commit(proofBytes)
                        files.append(try CertifiedFile(role: "proof", path: proofPath, sha256: ContentDigest.sha256(proofBytes),
                                                       certificate: certificate))
                    } else {
                        outputs[1]?.discard()  // a geometric bound proves it: no proof file
                    }
                    let value = CertificateIssuer.separationNumber(result, files: files, provenance: MemcertVersion.provenance,
                                                                   sha256: ContentDigest.sha256)
                    try outputs[0]?.commit(JSONWriter.bytes(value))
                    if !json {
                        notes.append("wrote       \(shown(certificate, output: true))"
                                     + (files.count > 1 ? " and \(proofPath)" : "")
                                     + (certificate == "-" ? "" : "; re-check with: memcert check \(certificate)"))
                    }
                }
            }
            if json {
                printJSON(result.json(data: shown(data), sha256: ContentDigest.sha256))
            } else {
                memcert.report(result.humanText(data: shown(data)))
            }
            for note in notes { if note.hasPrefix("wrote") { memcert.report(note) } else { printError(note) } }
            return result.minimum == nil ? ExitStatus.undecided : ExitStatus.success
        }
    }
}

/// Refuses, before the work, a proof file whose folder lies outside the certificate's folder: a
/// checker resolves the certificate's paths inside its own folder only (docs/formats.md, K3).
func requireInsideFolder(_ path: String, certificate: String) throws(InputError) {
    let folder = FileBytes.directory(of: certificate)
    let relative = try FileBytes.relativePath(of: FileBytes.directory(of: path), fromFolder: folder)
    if relative == ".." || relative.hasPrefix("../") || relative.hasPrefix("/") {
        throw InputError(file: path, message: "lies outside the certificate's folder \(folder); a certificate names files "
                         + "inside its own folder, so write the proof next to the certificate or below it")
    }
}
