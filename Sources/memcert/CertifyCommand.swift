import ArgumentParser
import Certificates
import Memorization
import TextFormats

struct CertifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "Write an audit certificate that a network memorizes a data set.",
        discussion: """
            Verifies exactly, then writes (atomically) a memcert.certificate/2 file (docs/formats.md): \
            provenance (version, commit, GMP, this command line), both files by path relative to the \
            certificate's folder, which must contain them, and SHA-256, and the exact claims (n, d, classes, R² and δ² for \
            data sets up to 20000 points, counts, memorized, the least |w·h + b| per layer). Re-check it \
            with `memcert check`. Exit status: 0 written; 1 the network does not memorize the data \
            (nothing written); 2 bad input.
            """
    )

    @Argument(help: "The network file.") var network: String
    @Argument(help: "The data set (CSV).") var data: String
    @Option(name: [.short, .customLong("output")], help: "The certificate file to write.") var output: String

    func run() throws {
        try reportingErrors {
            let (certificate, report) = try CertificateIssuer.memorization(
                networkPath: network, dataPath: data, certificatePath: output, provenance: MemcertVersion.provenance)
            guard let certificate else {
                print(report.humanText(network: network, data: data))
                printError("no certificate written: the network does not memorize the data")
                return ExitStatus.claimFalse
            }
            try AtomicFile.write(JSONWriter.bytes(certificate), to: output)
            print("wrote \(output): \(network) memorizes all \(report.pointCount) points of \(data) (exact)")
            print("re-check with: memcert check \(output)")
            return ExitStatus.success
        }
    }
}
