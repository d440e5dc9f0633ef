import ArgumentParser
import Certificates
import DataSets
import TextFormats
import ThresholdNetworks

struct CertifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "Write an audit certificate that a network memorizes a data set.",
        discussion: """
            Verifies exactly, then writes (atomically) a memcert.certificate/2 file (docs/formats.md): \
            provenance (version, commit, GMP, this command line), both files by path relative to the \
            certificate's folder, which must contain them, and SHA-256, and the exact claims (n, d, classes, R² and δ² for \
            data sets up to 20000 points, counts, memorized, the least |w·h + b| per layer). Re-check it \
            with `memcert check`. -o - writes the certificate to stdout, naming the files relative to the \
            current folder; the network and data must be files (not stdin). CSV and .npy files above 64 MiB \
            are read in blocks (--reading); past 20000 points the certificate claims no R² and no δ². --shard I/K \
            certifies one contiguous part (CSV: a byte range aligned to line starts; .npy: a row range, read by \
            seeking; not .npz) and writes CERT plus its row list CERT.rows; --combine SHARD_CERT... -o ROOT ties the K shard certificates into a root \
            certificate from their row lists, without reading the data (docs/formats.md, sections 3.1 and \
            5.4; docs/cluster.md). Exit status: 0 written; 1 the network does not memorize the data \
            (nothing written); 2 bad input.
            """
    )

    @Argument(help: "The network file.") var network: String?
    @Argument(help: "The data set: CSV (coordinates, then the label), NumPy .npy (labels in the last column, or --labels) or .npz (arrays X and y).")
    var data: String?
    @OptionGroup(title: "NumPy data") var dataOptions: DataOptions
    @Option(name: [.short, .customLong("output")], help: "The certificate file to write (- for stdout).") var output: String
    @OptionGroup var streaming: StreamingOptions
    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("Combine shard certificates (from --shard I/K, given in any order) into a root certificate, from their row lists, without reading the data.",
                               valueName: "shard-certificate"))
    var combine: [String] = []

    func validate() throws {
        if combine.isEmpty && (network == nil || data == nil) { throw ValidationError("give a network and a data file, or --combine with shard certificates") }
        if streaming.shard != nil && output == "-" {
            throw ValidationError("--shard writes a certificate and its row list next to it: give a file for -o, not -")
        }
        try streaming.validate(with: dataOptions)
        if !combine.isEmpty && (network != nil || data != nil || streaming.shard != nil) {
            throw ValidationError("--combine takes shard certificates only (no network, data or --shard)")
        }
    }

    func run() throws {
        try reportingErrors {
            if !combine.isEmpty { return try ShardCombiner.run(certificates: combine, output: output) }
            guard let network, let data else { throw InternalError("validate() requires a network and data") }
            if try streaming.streams(data: data, options: dataOptions),
               let status = try StreamingCertify.run(network: network, data: data, output: output, shard: streaming.shard,
                                                     blockBytes: streaming.blockSize) {
                return status
            }
            try requireNamedFile(network, role: "network")
            try requireNamedFile(data, role: "data")
            let destination = try OutputFiles.prepare([output], inputs: [network, data] + dataOptions.inputs)[0]!
            // Each file is read once: its bytes are parsed and digested.
            let (net, networkSHA256) = try readAndDigest(network, contents: .network) { (bytes, name) throws(InputError) in try Network.parse(bytes, file: name) }
            let (set, dataSHA256) = try DataSet.readForCertificate(path: data, options: dataOptions)
            // Files outside the certificate's folder are refused before the verification's work.
            let files = [try CertifiedFile(role: "network", path: network, sha256: networkSHA256, certificate: output),
                         try CertifiedFile(role: "data", path: data, sha256: dataSHA256, certificate: output)]
            let verification = try Verifier.verify(net, on: set, mismatchLimit: 10)
            guard verification.memorized else {
                report(verification.humanText(network: network, data: data))
                printError("no certificate written: the network does not memorize the data")
                return ExitStatus.claimFalse
            }
            guard let certificate = CertificateIssuer.memorization(network: net, data: set, report: verification, files: files,
                                                                   provenance: MemcertVersion.provenance) else {
                throw InternalError("the issuer refused a verified network")
            }
            try destination.commit(JSONWriter.bytes(certificate))
            report("wrote \(output): \(network) memorizes all \(verification.pointCount) points of \(data) (exact)")
            report("re-check with: memcert check \(output == "-" ? "CERT" : output)")
            return ExitStatus.success
        }
    }
}
