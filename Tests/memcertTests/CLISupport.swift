import Testing
import Foundation

/// The result of running the memcert executable.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// True when the process ended by a signal (`status` is then the signal's number).
    var signaled = false
}

/// The built memcert executable: `MEMCERT_EXECUTABLE` when set (to test another build,
/// such as a release build), else next to the test bundle, or in .build/debug.
let memcertExecutable: URL = {
    if let path = ProcessInfo.processInfo.environment["MEMCERT_EXECUTABLE"] { return URL(fileURLWithPath: path) }
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var candidates = [here.appendingPathComponent("memcert"),
                      here.deletingLastPathComponent().appendingPathComponent("memcert")]
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(root.appendingPathComponent(".build/debug/memcert"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
}()

/// Runs memcert with `arguments` in `directory`, with `input` on stdin (none: empty) and
/// `environment` added to this process's.
func runMemcert(_ arguments: [String], in directory: URL, input: [UInt8]? = nil,
                environment: [String: String] = [:]) throws -> CommandResult {
    try runProcess(memcertExecutable, arguments, in: directory, input: input, environment: environment)
}

/// Runs a shell command line (for resource limits) in `directory`. A shell reports a child
/// killed by signal s as status 128 + s, so such a status counts as `signaled` too.
func runShell(_ line: String, in directory: URL) throws -> CommandResult {
    var result = try runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", line], in: directory)
    result.signaled = result.signaled || result.status > 128
    return result
}

/// Runs `executable` with `arguments` in `directory`, feeding `input` (none: empty) on stdin,
/// with `environment` added to this process's, and collects both output streams.
private func runProcess(_ executable: URL, _ arguments: [String], in directory: URL, input: [UInt8]? = nil,
                        environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let out = Pipe(), err = Pipe(), stdin = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = stdin
    try process.run()
    // Feed stdin and drain stderr on their own threads; read stdout here: no pipe can fill up and block.
    let feeding = Thread {
        if let input { try? stdin.fileHandleForWriting.write(contentsOf: Data(input)) }
        try? stdin.fileHandleForWriting.close()
    }
    feeding.start()
    let errorBox = DataBox()
    let draining = DispatchSemaphore(value: 0)
    Thread {
        errorBox.data = err.fileHandleForReading.readDataToEndOfFile()
        draining.signal()
    }.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    draining.wait()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errorBox.data, as: UTF8.self),
                         signaled: process.terminationReason == .uncaughtSignal)
}

/// Bytes handed from a reading thread to the caller (written once, read after a semaphore).
final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// A fresh temporary folder.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("memcert-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func write(_ text: String, to name: String, in folder: URL) throws {
    try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
}

/// Runs `memcert certify network.json DATA --shard i/k -o shard{i}.json --block-size BLOCK` for
/// i = 1...k as k concurrent processes in `folder` (each must exit 0), then
/// `certify --combine` of them, listed in reverse order, to root.json; returns the combine's result.
func certifyShardsConcurrently(data: String, k: Int, blockSize: Int, in folder: URL) throws -> CommandResult {
    let processes = try (1 ... k).map { i -> Process in
        let p = Process()
        p.executableURL = memcertExecutable
        p.arguments = ["certify", "network.json", data, "--shard", "\(i)/\(k)", "-o", "shard\(i).json", "--block-size", "\(blockSize)"]
        p.currentDirectoryURL = folder
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }
    for (i, p) in processes.enumerated() {
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "shard \(i + 1)/\(k)")
    }
    return try runMemcert(["certify", "--combine"] + (1 ... k).reversed().map { "shard\($0).json" } + ["-o", "root.json"], in: folder)
}
