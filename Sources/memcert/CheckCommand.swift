import ArgumentParser
import CertificateChecker
import TextFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Re-check a certificate from the files alone, with the independent checker.",
        discussion: """
            Reads a memcert.certificate/2 file strictly (docs/formats.md), resolves the files it names \
            inside the certificate's folder (paths that leave it are refused; --network and --data name \
            files explicitly), checks their SHA-256, and recomputes every claim with the checker's own \
            readers and plain exact evaluation (the checker imports only GMP and swift-crypto). \
            The certificate and every file it reads must be regular files (symlinks followed); '-' is an \
            ordinary file name, never standard input. --network is refused for a lower-bound certificate. \
            Progress goes to stderr when it is a terminal. \
            Exit status: 0 every claim holds; 1 a claim fails (named, with what the files give); \
            2 the certificate or a file it names is malformed, unreadable or outside the folder.
            """
    )

    @Argument(help: "The certificate (memcert.certificate/2).") var certificate: String
    @Option(help: "Use this network file instead of the one named (not confined to the certificate's folder).") var network: String?
    @Option(help: "Use this data file instead of the one named (not confined to the certificate's folder).") var data: String?
    @Flag(help: "Print one memcert.check/1 JSON object (docs/schemas/check.schema.json).") var json = false

    func run() throws {
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        let outcome: CheckOutcome
        do {
            outcome = try CertificateChecker.check(path: certificate, network: network, data: data)
        } catch {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.badInput)
        }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) * 1e-9
        if json {
            print(outcome.json(certificate: certificate, seconds: seconds), terminator: "")
        } else if let failure = outcome.failure {
            // The path as given, printed as one visible line (control characters escaped, as in every message).
            print(MessageText.escaped("FAILS  \(certificate) (\(outcome.kind)): \(failure)"))
            if !outcome.checks.isEmpty { print("       (held before it: \(outcome.checks.joined(separator: ", ")))") }
        } else {
            print(MessageText.escaped("holds  \(certificate) (\(outcome.kind)): all \(outcome.checks.count) checks pass"))
            print("       \(outcome.checks.joined(separator: ", "))")
        }
        if !outcome.holds { throw ExitCode(ExitStatus.claimFalse) }
    }
}
