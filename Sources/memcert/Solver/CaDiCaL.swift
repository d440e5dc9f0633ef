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
// it 5 s later if it overruns. The formula and the proof are two private files (mode 0600) in
// $TMPDIR (or /tmp), registered with `TemporaryFiles` before they are created, so they are
// removed on every way out, SIGINT and SIGTERM included. Nothing the solver says is trusted: its
// model is re-checked as a cover and its proof by memcert's own DRAT checker.

enum CaDiCaL {
    /// Runs the solver on `formula` for at most `seconds`.
    static func solve(_ formula: CoverFormula, seconds: Double) throws -> SolverAnswer {
        let files = try SolverFiles(formula: formula.bytes)
        defer { files.remove() }
        let input = files.formula, proof = files.proof
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

/// The solver's two files: the formula (written here) and the proof (written by the solver into
/// the empty file made here), both new (O_EXCL), private, and registered for removal first.
struct SolverFiles {
    let formula: String
    let proof: String
    private let slots: [Int]

    init(formula bytes: [UInt8]) throws(InputError) {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var made: [(path: String, slot: Int)] = []
        func undo() {
            for (path, slot) in made {
                unlink(path)
                TemporaryFiles.unregister(slot)
            }
        }
        for suffix in ["cnf", "drat"] {
            var created = false
            for _ in 0 ..< 16 where !created {
                let path = base + "/memcert-sat-\(getpid())-\(String(UInt64.random(in: 0 ... .max), radix: 36)).\(suffix)"
                guard let slot = TemporaryFiles.register(path) else {
                    undo()
                    throw InputError(file: base, message: "cannot make the solver's files: the path is too long or too many files are open")
                }
                let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                if fd < 0 {
                    let failure = errno
                    TemporaryFiles.unregister(slot)
                    if failure == EEXIST { continue }
                    undo()
                    throw InputError(file: base, message: "cannot make the solver's files: \(String(cString: strerror(failure)))")
                }
                made.append((path, slot))
                created = true
                let failure = suffix == "cnf" ? OutputFile.writeAll(fd, bytes) : nil
                close(fd)
                if let failure {
                    undo()
                    throw InputError(file: path, message: "cannot write the formula: \(failure)")
                }
            }
            if !created {
                undo()
                throw InputError(file: base, message: "cannot make the solver's files (every name tried exists)")
            }
        }
        formula = made[0].path
        proof = made[1].path
        slots = made.map(\.slot)
    }

    func remove() {
        for (path, slot) in zip([formula, proof], slots) {
            unlink(path)
            TemporaryFiles.unregister(slot)
        }
    }
}
