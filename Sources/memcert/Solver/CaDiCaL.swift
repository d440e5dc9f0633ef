import Dispatch
import SeparationNumbers
import Subprocess
import Synchronization
import TextFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - CaDiCaL as a subprocess
//
// The SAT solver is Debian's `cadical` (1.5.3), found on PATH and run through swift-subprocess:
// `cadical -q --binary=false -t SECONDS FORMULA PROOF`. It answers with its exit status (10
// satisfiable, with `v` lines holding the model on stdout; 20 unsatisfiable, with a text DRAT
// proof in PROOF; anything else: no answer) and its wall-clock limit `-t`; a second limit kills
// it 5 s later if it overruns. The formula and the proof live in a fresh private folder under
// $TMPDIR (or /tmp) that is removed afterwards. Nothing the solver says is trusted: its model is
// re-checked as a cover and its proof by memcert's own DRAT checker.

enum CaDiCaL {
    /// Runs the solver on `formula` for at most `seconds`.
    static func solve(_ formula: CoverFormula, seconds: Double) throws -> SolverAnswer {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let input = folder.path + "/formula.cnf", proof = folder.path + "/proof.drat"
        try AtomicFile.write(formula.bytes, to: input)
        let limit = max(1, Int(min(seconds, 1e6).rounded(.up)))
        let outcome = try runBlocking {
            try await withThrowingTaskGroup(of: (Int32, String)?.self) { group in
                group.addTask {
                    let result = try await run(.name("cadical"), arguments: ["-q", "--binary=false", "-t", String(limit), input, proof],
                                               output: .string(limit: 1 << 28), error: .string(limit: 1 << 16))
                    guard case .exited(let status) = result.terminationStatus else { return (-1, "the solver was killed by a signal") }
                    return (status, result.standardOutput)
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(limit + 5))
                    return nil  // the solver overran its own limit
                }
                let first = try await group.next() ?? nil
                group.cancelAll()  // tears the solver down if it is still running
                return first
            }
        }
        guard let (status, output) = outcome else { return .unknown(reason: "CaDiCaL overran its time limit of \(limit) s and was killed") }
        switch status {
        case 10:
            var model = [Bool](repeating: false, count: formula.variables)
            for line in output.split(separator: "\n") where line.hasPrefix("v ") {
                for token in line.dropFirst(2).split(separator: " ") {
                    guard let literal = Int(token), literal.magnitude <= UInt(formula.variables) else {
                        throw InternalError("CaDiCaL printed '\(token)' in its model, which is no literal of the formula")
                    }
                    if literal > 0 { model[literal - 1] = true }
                }
            }
            return .satisfiable(model: model)
        case 20:
            return .unsatisfiable(proof: try FileBytes.read(proof))
        case 0:
            return .unknown(reason: "CaDiCaL reached its time limit of \(limit) s")
        default:
            return .unknown(reason: "CaDiCaL exited with status \(status)")
        }
    }

    /// Whether `cadical` can be run.
    static func check() throws {
        do {
            let result = try runBlocking {
                try await run(.name("cadical"), arguments: ["--version"], output: .string(limit: 4096), error: .discarded)
            }
            guard case .exited(0) = result.terminationStatus else { throw RequestError("cadical --version failed") }
        } catch {
            throw RequestError("the SAT solver CaDiCaL is needed (Debian's package cadical; bash scripts/setup installs it): \(error)")
        }
    }
}

/// Runs async work to completion from synchronous code (the command line's commands are synchronous).
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        box.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return try box.withLock { $0! }.get()
}

/// A private folder (mkdtemp) for the solver's files, removed with its files.
struct TemporaryFolder {
    let path: String

    init() throws(InputError) {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/memcert-sat-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw InputError(file: base, message: "cannot make a temporary folder: \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    func remove() {
        for name in ["formula.cnf", "proof.drat"] { unlink(path + "/" + name) }
        rmdir(path)
    }
}
