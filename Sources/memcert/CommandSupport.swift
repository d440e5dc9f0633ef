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
}

/// Runs a command body and maps its outcome to the documented exit statuses:
/// bad input prints one line to stderr and exits 2; anything unexpected exits 3.
func reportingErrors(_ body: () throws -> Int32) throws {
    let status: Int32
    do {
        status = try body()
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
    if status != 0 { throw ExitCode(status) }
}

/// Writes a line to stderr.
func printError(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

/// Prints JSON to stdout.
func printJSON(_ value: JSONValue) {
    print(JSONWriter.text(value), terminator: "")
}

/// Parses an exact rational option value ("0.05", "1/20").
func exactValue(_ text: String, option: String) throws -> Rational {
    do {
        return try Rational(parsing: text)
    } catch {
        throw ValidationError("\(option) '\(text)': \(error.description)")
    }
}
