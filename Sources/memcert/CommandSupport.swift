import ArgumentParser
import BuildInfo
import Certificates
import ExactArithmetic
import TextFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tool's version, recorded in certificates.
enum MemcertVersion {
    static let string = BuildInfo.version
    /// What `memcert --version` prints: the version, the commit it was built from, and GMP's version.
    static let full = "memcert \(BuildInfo.version) (commit \(BuildInfo.commit ?? "unknown"), GMP \(GMPLibrary.version))"
    /// The provenance recorded in certificates: this build and this command line.
    static var provenance: Provenance {
        Provenance(memcert: BuildInfo.version, commit: BuildInfo.commit, gmp: GMPLibrary.version, command: CommandLine.arguments)
    }
}

/// Exit statuses (docs/ARCHITECTURE.md, "Errors and exit statuses").
enum ExitStatus {
    static let success: Int32 = 0
    static let claimFalse: Int32 = 1
    static let badInput: Int32 = 2
    static let internalError: Int32 = 3
    /// separation-number: not decided within the limits (the bounds printed hold).
    static let undecided: Int32 = 4
}

/// Runs a command body and maps its outcome to the documented exit statuses:
/// bad input prints one line to stderr and exits 2; anything unexpected exits 3.
///
/// On every way out, temporary files still pending are removed; when the
/// command fails, so are the folders it created for its outputs (if empty).
func reportingErrors(_ body: () throws -> Int32) throws {
    MachineLimits.apply()
    let status: Int32
    do {
        status = try body()
        OutputFiles.abandonAll(failed: status != ExitStatus.success)
    } catch {
        OutputFiles.abandonAll(failed: true)
        try mapError(error)
        return
    }
    if status != 0 { throw ExitCode(status) }
}

/// Maps an error to its exit status (and prints it).
private func mapError(_ error: any Error) throws {
    do {
        throw error
    } catch let error as InputError {
        printError("error: \(error)")
        throw ExitCode(ExitStatus.badInput)
    } catch let error as RequestError {
        printError("error: \(error)")
        throw ExitCode(ExitStatus.badInput)
    } catch let error as InternalError {
        printError("internal error: \(error)")
        throw ExitCode(ExitStatus.internalError)
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error  // a malformed command line: the argument parser reports it (status 64)
    } catch {
        printError("internal error: \(error)")
        throw ExitCode(ExitStatus.internalError)
    }
}

/// Writes a line to stderr, with control characters escaped (`MessageText`).
func printError(_ text: String) {
    var line = MessageText.escaped(text) + "\n"
    line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

/// Prints a line of the command's report: to stdout, or to stderr when an
/// output file goes to stdout (`-o -`), so stdout carries exactly that file.
func report(_ text: String) {
    if OutputFiles.reportsToStandardError {
        var line = text + "\n"
        line.withUTF8 { bytes in _ = OutputFile.writeAll(2, Array(bytes)) }
    } else {
        print(text)
    }
}

/// A path as reports show it: `<stdin>` for an input `-`, `<stdout>` for an output `-`.
func shown(_ path: String, output: Bool = false) -> String {
    path == "-" ? (output ? "<stdout>" : "<stdin>") : path
}

/// Prints JSON as the command's report (see `report`).
func printJSON(_ value: JSONValue) {
    let text = JSONWriter.text(value)
    report(text.hasSuffix("\n") ? String(text.dropLast()) : text)
}

/// Parses an exact rational option value ("0.05", "1/20").
func exactValue(_ text: String, option: String) throws -> Rational {
    do {
        return try Rational(parsing: text)
    } catch {
        throw ValidationError(MessageText.escaped("\(option) '\(text)': \(error.description)"))
    }
}
