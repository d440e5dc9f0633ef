import Foundation
import Testing
import TestSupport

/// The fuzz harness: random and mutated CSV, network and certificate files and
/// random option values, fed to every subcommand of the built `memcert` in
/// subprocesses. Every run must end with exit status 0, 1, 2 or 64, never by a signal (a trap is SIGILL or SIGTRAP, an abort SIGABRT)
/// and never by the per-run timeout; it must leave no temporary file; a run that
/// fails (2 or 64) must leave its folder exactly as it was; no run may change
/// one of its inputs; and `/dev/null` stays a character device. Every `check` run is
/// repeated with the second checker (checkers/python), which must end with the same status:
/// the two checkers agree on every certificate the fuzzer makes (docs/formats.md).
///
/// In CI it runs with a fixed seed for a budget under a minute. By hand:
/// `MEMCERT_FUZZ_SEED=7 MEMCERT_FUZZ_SECONDS=600 swift test --filter FuzzTests`.
/// A failing case's folder is kept and named in the failure, with its command line.
@Suite("Fuzzing every command")
struct FuzzTests {
    @Test("random and mutated inputs and options: exit 0, 1, 2 or 64, no signal, no hang, no temporary file, nothing written on failure")
    func fuzzEveryCommand() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["MEMCERT_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_251_130
        let seconds = environment["MEMCERT_FUZZ_SECONDS"].flatMap { Double($0) } ?? 35
        let corpus = try FuzzCorpus()
        var rng = SplitMix64(seed: seed)
        let deadline = Date().addingTimeInterval(seconds)
        var runs = 0
        var failures: [String] = []
        var statuses: [Int32: Int] = [:]
        var commands: [String: Int] = [:]
        var checks: [Int32: Int] = [:]
        var slowest = (seconds: 0.0, command: "")
        while Date() < deadline && failures.count < 3 {
            let fuzzCase = FuzzCase(&rng, corpus: corpus, index: runs)
            let started = Date()
            let outcome = try fuzzCase.run()
            let took = Date().timeIntervalSince(started)
            if took > slowest.seconds { slowest = (took, fuzzCase.arguments.joined(separator: " ")) }
            runs += 1
            statuses[outcome.status, default: 0] += 1
            commands[fuzzCase.arguments.first ?? "", default: 0] += 1
            if fuzzCase.pythonArguments != nil { checks[outcome.status, default: 0] += 1 }
            if let failure = outcome.failure {
                failures.append("seed \(seed), case \(runs - 1): \(failure)")
            } else {
                try? FileManager.default.removeItem(at: fuzzCase.folder)
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
        // The budget ran cases, and they reached both successes and refusals.
        #expect(runs >= 30, "only \(runs) runs in \(seconds) s")
        #expect(statuses[0, default: 0] > 0 && statuses[2, default: 0] > 0 && statuses[64, default: 0] > 0, "\(statuses)")
        // Both checkers were compared on certificates that hold and on ones that do not.
        #expect(checks[0, default: 0] > 0 && checks[1, default: 0] + checks[2, default: 0] > 0, "check statuses \(checks)")
        print("fuzz: seed \(seed), \(runs) runs in \(seconds) s; slowest \(slowest.seconds.formatted(.number.precision(.fractionLength(1)))) s "
              + "(memcert \(slowest.command)); exit statuses \(statuses.sorted { $0.key < $1.key }); commands \(commands.sorted { $0.key < $1.key }); "
              + "check (both checkers) \(checks.sorted { $0.key < $1.key })")
    }
}

// MARK: - Corpus

/// Valid files to start from: generated and constructed by memcert itself, and
/// the reference certificates' data.
struct FuzzCorpus {
    var data: [[UInt8]] = []
    var networks: [[UInt8]] = []
    /// (certificate, network or nil, data): a certificate names "net.json" and "data.csv".
    var certificates: [(cert: [UInt8], network: [UInt8]?, data: [UInt8])] = []
    /// NumPy data (written by `memcert convert`, and by numpy for the fixtures' points) and ONNX models
    /// (the fixtures made by the onnx package, and `memcert export onnx`).
    var npy: [[UInt8]] = []
    var npz: [[UInt8]] = []
    var onnx: [[UInt8]] = []

    init() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func run(_ arguments: [String]) throws {
            let r = try runMemcert(arguments, in: folder)
            guard r.status == 0 else { throw FuzzSetupError(message: "\(arguments): \(r.stderr)") }
        }
        func read(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: folder.appendingPathComponent(name))) }
        try run(["generate", "circle", "--n", "24", "--labels", "alternating", "-o", "c.csv"])
        try run(["generate", "sphere", "--n", "30", "--dim", "3", "--delta", "0.2", "--labels", "classes:3", "-o", "data.csv"])
        try run(["generate", "moment-curve", "--n", "12", "--dim", "3", "-o", "m.csv"])
        try run(["construct", "data.csv", "-o", "net.json"])
        try run(["construct", "c.csv", "-o", "cb.json", "--method", "baum1988"])
        try run(["certify", "net.json", "data.csv", "-o", "cert.json"])
        data = [try read("c.csv"), try read("data.csv"), try read("m.csv"),
                Array("x,y,label\n0,0,0\n1,0,1\r\n# comment\n0,1,1\n  2 , 2 , 0 \n".utf8),
                Array("1/3,-2.5e-3,0\n0.1,1e20,3\n".utf8)]
        networks = [try read("net.json"), try read("cb.json"),
                    Array(#"{"format":"memcert.network/1","inputDimension":2,"outputBits":1,"layers":[{"neurons":[{"weights":{"indices":[0,1],"values":["1","-1/3"]},"bias":"0.5"}]}]}"#.utf8)]
        certificates = [(try read("cert.json"), try read("net.json"), try read("data.csv"))]
        try run(["convert", "data.csv", "-o", "d.npz", "--round"])
        try run(["convert", "data.csv", "-o", "d.npy", "--round"])
        try run(["convert", "c.csv", "-o", "c.npy", "--round"])
        try run(["export", "onnx", "net.json", "-o", "net.onnx", "--round"])
        npy = [try read("d.npy"), try read("c.npy")]
        npz = [try read("d.npz")]
        onnx = [try read("net.onnx")]
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/onnx")
        for name in ["gemm_sign.onnx", "gemm_ge_cast.onnx", "matmul_bn_less.onnx", "tie_sign.onnx", "relu.onnx", "bn_irrational.onnx"] {
            onnx.append(Array(try Data(contentsOf: fixtures.appendingPathComponent(name))))
        }
        npy += ["gemm_sign_X.npy", "bn_X.npy", "tie_X.npy"].compactMap { try? Array(Data(contentsOf: fixtures.appendingPathComponent($0))) }
        try run(["lower-bound", "c.csv", "--certificate", "lb.json"])
        try FileManager.default.moveItem(at: folder.appendingPathComponent("c.csv"), to: folder.appendingPathComponent("lbdata.csv"))
        // The lower-bound certificate names c.csv; the harness's folder calls the data data.csv.
        let lb = String(decoding: try read("lb.json"), as: UTF8.self).replacingOccurrences(of: "\"c.csv\"", with: "\"data.csv\"")
        certificates.append((Array(lb.utf8), nil, try read("lbdata.csv")))
        // The small reference certificates (they name data.csv) and their data sets.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["circle-lower-bound", "moment-curve-lower-bound"] {
            let folder = root.appendingPathComponent("certificates/\(name)")
            if let bytes = try? Data(contentsOf: folder.appendingPathComponent("data.csv")) {
                data.append(Array(bytes))
                if let cert = try? Data(contentsOf: folder.appendingPathComponent("cert.json")) {
                    certificates.append((Array(cert), nil, Array(bytes)))
                }
            }
        }
    }
}

struct FuzzSetupError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

// MARK: - One case

/// One run: a command line, the files in its folder, and what it may change.
struct FuzzCase {
    var folder: URL
    var arguments: [String]
    var standardInput: [UInt8]?
    /// Statuses this command may end with.
    var allowed: Set<Int32> = [0, 1, 2, 64]
    /// Paths (relative to the folder) the command reads: never changed.
    var inputs: Set<String> = []
    /// Paths the command may write when it succeeds (outputs, through links, and folders).
    var outputs: Set<String> = []
    /// For `check`: the second checker's command line, which must end with the same status.
    var pythonArguments: [String]?

    init(_ rng: inout SplitMix64, corpus: FuzzCorpus, index: Int) {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("memcert-fuzz-\(index)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        arguments = []
        var files = FuzzFiles(folder: folder)
        // Every case's folder: a data set, a network, a certificate and what it names, a folder,
        // and links (one to a missing file in an existing folder, one to a file).
        let certificate = corpus.certificates[rng.below(corpus.certificates.count)]
        files.write("data.csv", Mutator.maybeMutate(rng.below(3) == 0 ? certificate.data : pick(corpus.data, &rng), &rng, corpus: corpus))
        files.write("net.json", Mutator.maybeMutate(certificate.network ?? pick(corpus.networks, &rng), &rng, corpus: corpus))
        files.write("cert.json", Mutator.maybeMutate(certificate.cert, &rng, corpus: corpus))
        files.write("target.json", Array("old target\n".utf8))
        files.write("data.npy", Mutator.maybeMutate(pick(corpus.npy, &rng), &rng, corpus: corpus))
        files.write("data.npz", Mutator.maybeMutate(pick(corpus.npz, &rng), &rng, corpus: corpus))
        files.write("labels.npy", Mutator.maybeMutate(Array(corpus.npy[0].prefix(128)), &rng, corpus: corpus))
        files.write("model.onnx", Mutator.maybeMutate(pick(corpus.onnx, &rng), &rng, corpus: corpus))
        try? FileManager.default.createDirectory(at: folder.appendingPathComponent("dir"), withIntermediateDirectories: true)
        try? FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.json").path, withDestinationPath: "target.json")
        try? FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("dang.json").path, withDestinationPath: "dtarget.json")

        func output(_ name: String) -> String {
            // A link is written through: its target may change, the link itself never.
            outputs.insert(name == "link.json" ? "target.json" : name == "dang.json" ? "dtarget.json" : name)
            return name
        }
        func dataArgument() -> String {
            let name = pick(["data.csv", "data.csv", "data.csv", "data.csv", "-", "missing.csv", "dir", "/dev/null", "net.json",
                             "data.npy", "data.npy", "data.npz", "data.npz", "missing.npz", "dir.npy"], &rng)
            if name == "-" { standardInput = Mutator.maybeMutate(pick(corpus.data, &rng), &rng, corpus: corpus) }
            if name != "-" && !name.hasPrefix("/") { inputs.insert(name) }
            return name
        }
        /// NumPy options now and then (right or wrong for the data's kind).
        func numPyOptions() -> [String] {
            switch rng.below(8) {
            case 0: inputs.insert("labels.npy"); return ["--labels", pick(["labels.npy", "data.npy", "missing.npy", "-"], &rng)]
            case 1: return ["--x-key", pick(["X", "y", "Z", ""], &rng)]
            case 2: return ["--y-key", pick(["y", "X", "labels"], &rng)]
            default: return []
            }
        }
        func networkArgument() -> String {
            let name = pick(["net.json", "net.json", "net.json", "-", "missing.json", "dir", "data.csv"], &rng)
            if name == "-" && standardInput == nil { standardInput = Mutator.maybeMutate(pick(corpus.networks, &rng), &rng, corpus: corpus) }
            if name != "-" { inputs.insert(name) }
            return name
        }
        func outputArgument() -> String {
            output(pick(["out.json", "out.json", "out.json", "-", "/dev/null", "data.csv", "net.json", "link.json", "dang.json",
                         "dir", "missing/x.json", "", "cert.json"], &rng))
        }
        func value(_ pool: [String]) -> String {
            rng.below(5) == 0 ? pick(Pools.edges, &rng) : pick(pool, &rng)
        }
        /// Reading by blocks or one shard (docs/formats.md, 3.1).
        func streamingOptions() -> [String] {
            switch rng.below(3) {
            case 0: return ["--reading", pick(["stream", "memory", "auto", "fast"], &rng)]
            case 1: return ["--shard", value(["1/1", "1/2", "2/2", "3/7", "0/2", "3/2", "1/0", "2/1000000", "1/1000001"])]
            default: return ["--reading", "stream", "--block-size", value(["1", "3", "64", "0"])]
            }
        }

        // The first case is an honest check, so every run compares the checkers on a certificate that holds.
        switch index == 0 ? 5 : rng.below(18) {
        case 0:
            let shape = pick(["sphere", "circle", "moment-curve", "torus"], &rng)
            arguments = ["generate", shape, "--n", value(["1", "2", "3", "12", "40"])]
            if shape != "circle" { arguments += ["--dim", value(["1", "2", "3", "8", "30"])] }
            if shape == "sphere" {
                arguments += ["--delta", pick(Pools.deltas, &rng)]
                if rng.below(2) == 0 { arguments += ["--layout", pick(["uniform", "pairs", "grid"], &rng)] }
            }
            if rng.below(2) == 0 { arguments += ["--labels", pick(Pools.labels, &rng)] }
            if rng.below(3) == 0 { arguments += ["--seed", value(["1", "7"])] }
            arguments += ["-o", outputArgument()]
        case 1, 2:
            arguments = ["construct", dataArgument(), "-o", outputArgument()] + numPyOptions()
            if rng.below(2) == 0 { arguments += ["--method", pick(["rajput2021", "baum1988", "indicator", "magic"], &rng)] }
            if rng.below(3) == 0 { arguments += ["--width", pick(["adaptive", "theory", "wide"], &rng)] }
            if rng.below(3) == 0 { arguments += ["--compression", pick(["gf2", "none", "auto", "zip"], &rng)] }
            if rng.below(3) == 0 { arguments += ["--precision", value(["1", "8", "32", "200", "1000", "1001"])] }
            if rng.below(3) == 0 { arguments += ["--seed", value(["1", "2", "99"])] }
            if rng.below(3) == 0 { arguments.append("--json") }
        case 3:
            arguments = ["verify", networkArgument(), dataArgument()] + numPyOptions()
            if rng.below(3) == 0 { arguments += ["--mismatches", value(["0", "1", "5"])] }
            if rng.below(3) == 0 { arguments.append("--json") }
            if rng.below(3) == 0 { arguments += streamingOptions() }
        case 4:
            arguments = ["certify", networkArgument(), dataArgument(), "-o", outputArgument()] + numPyOptions()
            if rng.below(3) == 0 { arguments += streamingOptions() }
        case 5, 11, 12:
            // The certificate (often mutated) and the files it names, or others; '-' is an ordinary file name.
            inputs.formUnion(["cert.json", "data.csv", "net.json", "link.json", "target.json"])
            if index == 0 || rng.below(4) == 0 {  // an honest certificate and its files: it must hold in both checkers
                files.write("data.csv", certificate.data)
                if let network = certificate.network { files.write("net.json", network) }
                files.write("cert.json", certificate.cert)
                arguments = ["check", "cert.json"]
                pythonArguments = ["cert.json"]
                if index == 0 { allowed = [0] }
                break
            }
            arguments = ["check", pick(["cert.json", "cert.json", "cert.json", "cert.json", "missing.json", "dir", "data.csv", "-",
                                        "link.json", "/dev/null"], &rng)]
            if rng.below(4) == 0 { arguments += ["--network", pick(["net.json", "data.csv", "missing.json", "dir", "/dev/null"], &rng)] }
            if rng.below(4) == 0 { arguments += ["--data", pick(["data.csv", "net.json", "missing.csv", "-", "/dev/zero"], &rng)] }
            if rng.below(8) == 0 {
                // Well-formed but replaced files: the digests must fail, the same way in both checkers.
                files.write("data.csv", Mutator.mutate(certificate.data, &rng, corpus: corpus))
            }
            if rng.below(10) == 0 {  // a certificate reached through a link: its folder is the link's
                let link = folder.appendingPathComponent("link.json")
                try? FileManager.default.removeItem(at: link)
                try? FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "cert.json")
            }
            pythonArguments = arguments.dropFirst().map { $0 }
            if rng.below(4) == 0 { arguments.append("--json") }
            if rng.below(12) == 0 {  // a malformed command line (64), not compared
                arguments.insert(pick(["--bogus", "--json=3", "--network"], &rng), at: 1 + rng.below(arguments.count))
                pythonArguments = nil
            }
        case 6:
            arguments = ["separation", dataArgument(), "--hyperplanes", networkArgument()]
            if rng.below(2) == 0 { arguments += ["--codes", outputArgument()] }
            if rng.below(3) == 0 { arguments.append("--json") }
        case 7:
            arguments = ["lower-bound", dataArgument()]
            if rng.below(3) == 0 { arguments += ["--network", networkArgument()] }
            if rng.below(3) == 0 { arguments += ["--neurons", value(["1", "5", "1000"])] }
            if rng.below(3) == 0 { arguments += ["--certificate", outputArgument()] }
            if rng.below(3) == 0 { arguments.append("--json") }
        case 8:
            arguments = ["regions"]
            if rng.below(2) == 0 {
                arguments += ["--hyperplanes", value(["0", "3", "100", "100000"])]
            } else {
                arguments += ["--inverse", value(["0", "1", "1000", "99999999999999999999999999999999999999"])]
            }
            arguments += ["--dim", value(["0", "1", "2", "50", "3000"])]
            if rng.below(3) == 0 { arguments.append("--central") }
        case 9:
            let name = pick(["cmp", "cmp", "dir", "data.csv", "-", "", "missing/deep"], &rng)
            for method in ["rajput2021", "baum1988", "indicator"] { outputs.insert(name + "/" + method + ".json") }
            outputs.insert(name)
            outputs.insert("missing")
            arguments = ["compare", dataArgument(), "--folder", name]
            if rng.below(3) == 0 { arguments += ["--seed", value(["1", "5"])] }
            if rng.below(3) == 0 { arguments.append("--json") }
        case 13:
            let name = pick(["sw", "sw", "dir", "data.csv", "-", "", "missing/deep", "link.json"], &rng)
            for file in ["sweep.csv", "neurons-vs-n.svg", "first-layer-vs-inverse-delta.svg"] { outputs.insert(name + "/" + file) }
            outputs.insert(name)
            outputs.insert("missing")
            func list(_ pool: [String]) -> String {
                (0 ..< 1 + rng.below(2)).map { _ in rng.below(6) == 0 ? pick(Pools.edges, &rng) : pick(pool, &rng) }.joined(separator: ",")
            }
            arguments = ["sweep", "--n", list(["2", "3", "12", "40"]), "--dim", value(["1", "2", "3", "8"]),
                         "--delta", list(["0.4", "0.3", "1/5"] + Pools.deltas), "--folder", name]
            if rng.below(3) == 0 { arguments += ["--methods", list(["rajput2021", "baum1988", "indicator", "magic"])] }
            if rng.below(3) == 0 { arguments += ["--seeds", list(["1", "2", "18446744073709551615"])] }
            if rng.below(3) == 0 { arguments += ["--labels", pick(Pools.labels, &rng)] }
            if rng.below(3) == 0 { arguments += ["--layout", pick(["uniform", "pairs", "grid"], &rng)] }
            if rng.below(4) == 0 { arguments += ["--max-minutes", value(["1", "0", "5"])] }
            if rng.below(3) == 0 { arguments.append("--json") }
        case 14:
            arguments = ["convert", dataArgument(), "-o", output(pick(["out.csv", "out.npy", "out.npz", "-", "/dev/null", "data.npy", "data.csv",
                                                                          "link.json", "dang.json", "dir", "missing/x.npz", "OUT.NPZ"], &rng))]
            arguments += numPyOptions()
            if rng.below(2) == 0 { arguments.append("--round") }
        case 15:
            inputs.insert("model.onnx")
            arguments = ["import", "onnx", pick(["model.onnx", "model.onnx", "model.onnx", "net.json", "missing.onnx", "dir", "-", "data.npz"], &rng),
                         "-o", outputArgument()]
        case 16:
            arguments = ["export", "onnx", networkArgument(), "-o", output(pick(["out.onnx", "out.onnx", "-", "/dev/null", "model.onnx", "net.json",
                                                                                   "link.json", "dir"], &rng))]
            if rng.below(2) == 0 { arguments.append("--round") }
        case 17:
            // Time limits keep each case short; a decided answer writes the certificate and the proof.
            arguments = ["separation-number", dataArgument(), "--seconds", value(["2", "1", "0.5"])]
            allowed = [0, 2, 4, 64]
            if rng.below(2) == 0 { arguments += ["--certificate", outputArgument(), "--proof", outputArgument()] }
            if rng.below(3) == 0 { arguments += ["--witness", outputArgument()] }
            if rng.below(3) == 0 { arguments += ["--max-k", value(["0", "1", "3"])] }
            if rng.below(3) == 0 { arguments.append("--json") }
        default:
            let name = pick(["demo", "dir", "data.csv", "-", ""], &rng)
            for file in ["sphere.csv", "network.json", "certificate.json"] { outputs.insert(name + "/" + file) }
            outputs.insert(name)
            arguments = ["demo", "--folder", name, "--n", value(["1", "2", "10", "40"]), "--seed", value(["1", "3"])]
        }
        // Now and then a malformed command line: an unknown option, or an argument dropped.
        if arguments.first == "check" { return }
        if rng.below(12) == 0 { arguments.insert(pick(["--bogus", "-x", "--json=3"], &rng), at: 1 + rng.below(arguments.count)) }
        if rng.below(15) == 0 && arguments.count > 2 { arguments.remove(at: 1 + rng.below(arguments.count - 1)) }
    }

    /// Runs the case and checks every rule; the failure, if any, names the command and keeps the folder.
    func run() throws -> (status: Int32, failure: String?) {
        let before = FolderSnapshot(folder)
        let nullBefore = characterDevice("/dev/null")
        let result = try runWithTimeout(arguments, in: folder, standardInput: standardInput, seconds: 30)
        let after = FolderSnapshot(folder)
        var second: TimedResult?
        if let pythonArguments {
            second = try runWithTimeout(["python3", pythonChecker.path] + pythonArguments, in: folder, standardInput: nil, seconds: 60,
                                        executable: URL(fileURLWithPath: "/usr/bin/env"))
        }
        var problems: [String] = []
        if result.timedOut { problems.append("timed out after 30 s") }
        if result.signal != 0 { problems.append("killed by signal \(result.signal)") }
        if !result.timedOut && result.signal == 0 && !allowed.contains(result.status) { problems.append("exit status \(result.status)") }
        if let stray = after.entries.keys.first(where: { $0.contains(".memcert-") && $0.hasSuffix(".tmp") }) {
            problems.append("temporary file left behind: \(stray)")
        }
        if result.status == 2 || result.status == 64, before != after {
            problems.append("a failing run changed its folder: \(before.difference(after))")
        }
        for (path, entry) in before.entries where inputs.contains(path) || !outputs.contains(path) {
            if after.entries[path] != entry { problems.append("\(path) changed (it is an input or not an output of this command)") }
        }
        if nullBefore && !characterDevice("/dev/null") { problems.append("/dev/null is no longer a character device") }
        if let second, second.timedOut || second.signal != 0 || second.status != result.status {
            problems.append("the checkers disagree: memcert check exit \(result.status), checkers/python exit "
                            + "\(second.timedOut ? "timeout" : second.signal != 0 ? "signal \(second.signal)" : String(second.status))"
                            + " (python stderr: \(second.stderr.prefix(300)))")
        }
        guard !problems.isEmpty else { return (result.status, nil) }
        let shown = arguments.map { $0.isEmpty ? "''" : $0 }.joined(separator: " ")
        return (result.status, "memcert \(shown)\n  in \(folder.path)\(standardInput == nil ? "" : " (with stdin)")\n  "
                + problems.joined(separator: "; ") + "\n  stderr: " + String(result.stderr.prefix(600)))
    }
}

func pick<T>(_ items: [T], _ rng: inout SplitMix64) -> T { items[rng.below(items.count)] }

/// Edge values of options, and pools of plausible ones.
enum Pools {
    static let edges = ["0", "-1", "1", "2", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                        "nan", "", "٣", "1e3", " 5", "+5", "0x10", "18446744073709551616", "--", "-"]
    static let deltas = ["0.1", "0.5", "1/20", "0.2", "0", "-1", "2", "3", "1e-30", "1e-400", "1e400", "nan", "inf", "", "abc",
                         "1/0", "0.000001", "1.6"]
    static let labels = ["random", "alternating", "classes:3", "classes:1", "classes:1048577", "classes:", "classes:-2", "x"]
}

/// Writes a case's files.
struct FuzzFiles {
    let folder: URL
    func write(_ name: String, _ bytes: [UInt8]) {
        try? Data(bytes).write(to: folder.appendingPathComponent(name))
    }
}

// MARK: - Mutations

enum Mutator {
    /// Tokens inserted or substituted: separators, line ends, a BOM, control bytes, invalid UTF-8,
    /// JSON punctuation, and numbers at every edge.
    static let tokens: [[UInt8]] = [
        ",", "\n", "\r", "\r\n", "-", ".", "e", "/", "0", "#", " ", "\t", "\"", "{", "}", "[", "]", ":", "null", "true",
        "1e400", "-1e-400", "1e4000", "99999999999999999999999999", "-0", "nan", "NaN", "inf", "-Infinity", "1/0", "0x1p-10",
        "9223372036854775807", "4611686018427387904", "1e308", "5e-324", "\\u0000", "\u{1B}[31m", "٣", "💥",
        // The number grammar's edges (docs/formats.md, N): hex floats, exponents at and past their limits, fractions.
        "0x1.8p-1", "-0X.8P+3", "0x1p", "0x1p16500", "0x1p-16501", "1e5000", "1e-5001", "1e0000005000", "6/2", "3.0", "+3", "1/-2",
        "4/0", "0x", "1e", ".e1", "nan", "INF", "+infinity", "4611686018427387903", "\"1/3\"", "\"0x1p-3\"", "1.5e+3",
    ].map { Array($0.utf8) } + [[0xEF, 0xBB, 0xBF], [0x00], [0xC3, 0x28], [0xFF], [0x80]]

    /// The bytes unchanged (a third of the time) or with one to three mutations.
    static func maybeMutate(_ bytes: [UInt8], _ rng: inout SplitMix64, corpus: FuzzCorpus) -> [UInt8] {
        if rng.below(3) == 0 { return bytes }
        var result = bytes
        for _ in 0 ..< 1 + rng.below(3) { result = mutate(result, &rng, corpus: corpus) }
        return result
    }

    static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix64, corpus: FuzzCorpus) -> [UInt8] {
        var b = bytes
        let at = b.isEmpty ? 0 : rng.below(b.count)
        switch rng.below(10) {
        case 0:  // flip one byte
            if !b.isEmpty { b[at] = UInt8(truncatingIfNeeded: rng.next()) }
        case 1:  // insert a token
            b.insert(contentsOf: pick(tokens, &rng), at: at)
        case 2:  // delete a range
            if !b.isEmpty { b.removeSubrange(at ..< min(b.count, at + 1 + rng.below(40))) }
        case 3:  // truncate
            b = Array(b.prefix(at))
        case 4:  // duplicate a line
            let lines = b.split(separator: 0x0A, omittingEmptySubsequences: false)
            if !lines.isEmpty {
                var copy = lines.map(Array.init)
                let k = rng.below(copy.count)
                copy.insert(copy[k], at: k)
                b = Array(copy.joined(separator: [0x0A]))
            }
        case 5:  // splice with another corpus file
            let other = pick(corpus.data + corpus.networks, &rng)
            b = Array(b.prefix(at)) + Array(other.suffix(max(0, other.count - (other.isEmpty ? 0 : rng.below(other.count)))))
        case 6:  // replace a number with an edge number
            if let range = numberRange(in: b, near: at) { b.replaceSubrange(range, with: pick(tokens.filter { $0.first.map { $0 >= 0x2D && $0 <= 0x39 || $0 == 0x6E || $0 == 0x69 } ?? false }, &rng)) }
        case 7:  // a JSON key again (duplicate keys), or an unknown one
            if let brace = b.firstIndex(of: 0x7B) {
                b.insert(contentsOf: Array(pick([#""format":"memcert.network/1","#, #""layers":[],"#, #""zzz":1,"#, #""n":3,"#,
                                                 #""claims":{},"#, #""provenance":null,"#, #""provenance":{"x":[1,{}]},"#,
                                                 #""format":"memcert.certificate/1","#, #""tool":"memcert 0.1.0","#,
                                                 #""kind":"lower-bound","#, #""files":{},"#], &rng).utf8), at: brace + 1)
            }
        case 8:  // an empty or a whitespace file
            b = pick([[], [0x0A], Array("   \n\n".utf8), [0xEF, 0xBB, 0xBF]], &rng)
        default:  // a very long line of numbers
            b.insert(contentsOf: Array(String(repeating: "1,", count: 200 + rng.below(2000)).utf8), at: at)
        }
        return b
    }

    /// The digits (with sign, point, exponent) around `index`, if it is inside a number.
    static func numberRange(in b: [UInt8], near index: Int) -> Range<Int>? {
        func isNumberByte(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x2D || c == 0x65 || c == 0x2F }
        guard let start = b[index...].firstIndex(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var lo = start, hi = start
        while lo > 0 && isNumberByte(b[lo - 1]) { lo -= 1 }
        while hi < b.count && isNumberByte(b[hi]) { hi += 1 }
        return lo ..< hi
    }
}

// MARK: - Observing a run

/// Every entry below a folder: regular files by size and contents, links by target, folders.
struct FolderSnapshot: Equatable {
    enum Entry: Equatable {
        case file(Data)
        case link(String)
        case folder
        case other
    }

    var entries: [String: Entry] = [:]

    init(_ folder: URL) {
        let manager = FileManager.default
        guard let names = manager.subpaths(atPath: folder.path) else { return }
        for name in names {
            let path = folder.appendingPathComponent(name).path
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFLNK: entries[name] = .link((try? manager.destinationOfSymbolicLink(atPath: path)) ?? "")
            case S_IFDIR: entries[name] = .folder
            case S_IFREG: entries[name] = .file((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
            default: entries[name] = .other
            }
        }
    }

    func difference(_ other: FolderSnapshot) -> String {
        let changed = Set(entries.keys).union(other.entries.keys).filter { entries[$0] != other.entries[$0] }
        return changed.sorted().joined(separator: ", ")
    }
}

func characterDevice(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR
}

/// The outcome of a run with a time limit.
struct TimedResult {
    var status: Int32
    var signal: Int32
    var timedOut: Bool
    var stderr: String
}

/// Runs memcert with its output in files (no pipe can fill up), `standardInput` fed from a
/// file, a memory budget of 1 GB (so size checks are exercised and runs stay small), and a
/// time limit after which it is killed.
func runWithTimeout(_ arguments: [String], in folder: URL, standardInput: [UInt8]?, seconds: Double,
                    executable: URL = memcertExecutable) throws -> TimedResult {
    let logs = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + ".logs")
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: logs) }
    let outURL = logs.appendingPathComponent("stdout"), errURL = logs.appendingPathComponent("stderr"), inURL = logs.appendingPathComponent("stdin")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    FileManager.default.createFile(atPath: inURL.path, contents: Data(standardInput ?? []))
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = folder
    var environment = ProcessInfo.processInfo.environment
    environment["MEMCERT_MEMORY_LIMIT"] = "1G"
    environment["SWIFT_BACKTRACE"] = "enable=no"
    process.environment = environment
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL), input = try FileHandle(forReadingFrom: inURL)
    defer { try? out.close(); try? err.close(); try? input.close() }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    try process.run()
    var timedOut = false
    if done.wait(timeout: .now() + seconds) == .timedOut {
        timedOut = true
        kill(process.processIdentifier, SIGKILL)
        done.wait()
    }
    let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
    let signaled = process.terminationReason == .uncaughtSignal
    return TimedResult(status: signaled ? -1 : process.terminationStatus, signal: signaled && !timedOut ? process.terminationStatus : 0,
                       timedOut: timedOut, stderr: stderr)
}
