import ArgumentParser
import CertificateChecker

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Re-check a certificate from the files alone, with the independent checker.",
        discussion: """
            Resolves the files named in the certificate relative to its folder (--network and --data \
            override them), checks their SHA-256, and recomputes every claim with its own parsing and \
            plain exact evaluation (the checker module imports no construction, geometry or network code). \
            Exit status: 0 every claim holds; 1 a claim fails (named, with what the files give); \
            2 the certificate or a file it names cannot be read.
            """
    )

    @Argument(help: "The certificate (memcert.certificate/1).") var certificate: String
    @Option(help: "Use this network file instead of the one named.") var network: String?
    @Option(help: "Use this data file instead of the one named.") var data: String?

    func run() throws {
        let outcome: CheckOutcome
        do {
            outcome = try CertificateChecker.check(path: certificate, network: network, data: data)
        } catch {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.badInput)
        }
        if let failure = outcome.failure {
            print("FAILS  \(certificate) (\(outcome.kind)): \(failure)")
            if !outcome.checked.isEmpty { print("       (held before it: \(outcome.checked.joined(separator: ", ")))") }
            throw ExitCode(ExitStatus.claimFalse)
        }
        print("holds  \(certificate) (\(outcome.kind)): all \(outcome.checked.count) checks pass")
        print("       \(outcome.checked.joined(separator: ", "))")
    }
}
