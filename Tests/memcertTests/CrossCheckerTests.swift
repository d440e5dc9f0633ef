import Crypto
import Foundation
import Testing

// Both checkers, `memcert check` (Swift) and checkers/python/memcert_check.py, on every reference
// certificate and on a corpus of tampered ones: each must give the exit status docs/formats.md
// prescribes, name the same failing check, and never end in an internal error.

// MARK: - Running the checkers

let repositoryFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let pythonChecker = repositoryFolder.appendingPathComponent("checkers/python/memcert_check.py")

/// Runs `python3 checkers/python/memcert_check.py arguments...` in `directory`.
func runPythonChecker(_ arguments: [String], in directory: URL) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", pythonChecker.path] + arguments
    process.currentDirectoryURL = directory
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// The check a failing run names: `FAILS  CERT (KIND): CHECK: message` (docs/formats.md, section 6).
func failingCheck(_ result: CommandResult) -> String? {
    guard result.status == 1, let line = result.stdout.split(separator: "\n").first(where: { $0.hasPrefix("FAILS") }),
          let open = line.range(of: "): ") else { return nil }
    return line[open.upperBound...].components(separatedBy: ": ").first
}

// MARK: - Reference certificates

/// The reference cases: every folder of certificates/ that holds a cert.json.
let referenceCaseNames: [String] = {
    let folder = repositoryFolder.appendingPathComponent("certificates")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/cert.json").path) }.sorted()
}()

/// A reference case copied into a fresh folder, with its certificate as a JSON object to tamper with.
struct WorkingCopy {
    let folder: URL
    var certificate: [String: Any]
    /// The certificate was changed since it was last written.
    var dirty = false
    var certificateFile: URL { folder.appendingPathComponent("cert.json") }

    /// A copy of certificates/NAME, or of a case the test makes itself (`small`, `circle3`).
    init(_ name: String) throws {
        switch name {
        case small, circle3, comparisons:
            guard let made = name == small ? smallCase : name == circle3 ? circleIn3DCase : comparisonsCase else {
                throw CocoaError(.fileNoSuchFile)
            }
            try self.init(from: made)
        default:
            try self.init(from: repositoryFolder.appendingPathComponent("certificates/\(name)"))
        }
    }

    init(from source: URL) throws {
        folder = try temporaryFolder()
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        let bytes = try Data(contentsOf: folder.appendingPathComponent("cert.json"))
        certificate = try JSONSerialization.jsonObject(with: bytes) as? [String: Any] ?? [:]
        try writeCertificate()
    }

    /// Writes the certificate as compact JSON with sorted keys (a byte layout the text edits rely on).
    mutating func writeCertificate(_ edit: (String) -> String = { $0 }) throws {
        let data = try JSONSerialization.data(withJSONObject: certificate, options: [.sortedKeys, .withoutEscapingSlashes])
        try Data(edit(String(decoding: data, as: UTF8.self)).utf8).write(to: certificateFile)
        dirty = false
    }

    /// The value at a dotted path ("claims.bounds.0.labelChanges"; numbers index arrays).
    func value(_ path: String) -> Any? {
        path.split(separator: ".").reduce(certificate as Any?) { node, key in
            if let index = Int(key), let array = node as? [Any] { return index < array.count ? array[index] : nil }
            return (node as? [String: Any])?[String(key)]
        }
    }

    /// Sets (or, with nil, removes) the value at a dotted path.
    mutating func set(_ path: String, _ new: Any?) {
        func setting(_ node: Any?, _ keys: ArraySlice<Substring>) -> Any? {
            guard let key = keys.first else { return new }
            if let index = Int(key), var array = node as? [Any] {
                if let value = setting(array[index], keys.dropFirst()) { array[index] = value } else { array.remove(at: index) }
                return array
            }
            var object = node as? [String: Any] ?? [:]
            object[String(key)] = setting(object[String(key)], keys.dropFirst())
            return object
        }
        certificate = setting(certificate, path.split(separator: ".")[...]) as? [String: Any] ?? [:]
        dirty = true
    }

    /// Rewrites a file of the case; with `updateDigest` the certificate records the new SHA-256, so the
    /// check gets past the digest to the content.
    mutating func editFile(_ name: String, updateDigest: Bool = true, _ edit: (Data) -> Data) throws {
        let file = folder.appendingPathComponent(name)
        let bytes = edit(try Data(contentsOf: file))
        try bytes.write(to: file)
        guard updateDigest else { return }
        for role in ["data", "network"] where value("files.\(role).path") as? String == name {
            set("files.\(role).sha256", SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        }
    }
}

extension Data {
    /// The bytes with the first occurrence of `old` (or every one) replaced by `new`; an edit that
    /// finds nothing to change is an issue of the test.
    func replacing(_ old: String, _ new: String, all: Bool = false) -> Data {
        let text = String(decoding: self, as: UTF8.self)
        guard let range = text.range(of: old) else {
            Issue.record("the tamper found no \(old)")
            return self
        }
        return Data((all ? text.replacingOccurrences(of: old, with: new) : text.replacingCharacters(in: range, with: new)).utf8)
    }

    /// The text's lines (without their LF).
    var lines: [String] { String(decoding: self, as: UTF8.self).components(separatedBy: "\n") }

    /// The CSV text with `edit` applied to the fields of its data rows (the first only, unless `all`).
    func editingRows(all: Bool = false, _ edit: (inout [String]) -> Void) -> Data {
        var done = false
        let rows = lines.map { line -> String in
            guard !done, let first = line.first, "+-.0123456789".contains(first) else { return line }
            done = !all
            var fields = line.components(separatedBy: ",")
            edit(&fields)
            return fields.joined(separator: ",")
        }
        return Data(rows.joined(separator: "\n").utf8)
    }

    /// The CSV text with its first data row repeated at the end, after `edit`.
    func repeatingFirstRow(_ edit: (inout [String]) -> Void = { _ in }) -> Data {
        let row = lines.first { $0.first.map { "+-.0123456789".contains($0) } ?? false } ?? ""
        var fields = row.components(separatedBy: ",")
        edit(&fields)
        return self + Data((fields.joined(separator: ",") + "\n").utf8)
    }

    /// The network text with its `provenance` value replaced by `value` (provenance comes last).
    func replacingProvenance(_ value: String) -> Data {
        let text = String(decoding: self, as: UTF8.self)
        guard let key = text.range(of: #""provenance": "#) else {
            Issue.record("the network has no provenance")
            return self
        }
        return Data((text[..<key.upperBound] + value + "\n}\n").utf8)
    }
}

/// A small memorization case (150 points on S^7 in close pairs, its rajput2021 network and certificate),
/// made with memcert once per test run: most tampers start from it, so that each check stays fast.
let smallCase: URL? = {
    guard let folder = try? temporaryFolder() else { return nil }
    for command in [["generate", "sphere", "--n", "150", "--dim", "8", "--delta", "0.1", "--layout", "pairs", "--seed", "21", "-o", "data.csv"],
                    ["construct", "data.csv", "-o", "network.json", "--seed", "21"],
                    ["certify", "network.json", "data.csv", "-o", "cert.json"]] {
        guard (try? runMemcert(command, in: folder))?.status == 0 else { return nil }
    }
    return folder
}()

/// A memcert.network/2 case: a "sign" layer (the signs of x and y) and a ">" layer (their AND:
/// 1[h0 + h1 - 1 > 0], which a ">=" layer would fire at h = (1, 0) too), on six points none of
/// which lies on an axis, certified by memcert once per test run.
let comparisonsCase: URL? = {
    guard let folder = try? temporaryFolder() else { return nil }
    let network = """
        {"format": "memcert.network/2", "inputDimension": 2, "outputBits": 1, "layers": [
          {"name": "signs", "comparison": "sign", "neurons": [
            {"weights": {"indices": [0], "values": ["1"]}, "bias": "0"},
            {"weights": {"indices": [1], "values": ["1"]}, "bias": "0"}]},
          {"name": "and", "comparison": ">", "neurons": [
            {"weights": {"indices": [0, 1], "values": ["1", "1"]}, "bias": "-1"}]}]}
        """
    let data = "x,y,label\n1,1,1\n-1,1,0\n1,-1,0\n-1,-1,0\n2,3,1\n1/2,-1/3,0\n"
    guard (try? write(network, to: "network.json", in: folder)) != nil, (try? write(data, to: "data.csv", in: folder)) != nil,
          (try? runMemcert(["certify", "network.json", "data.csv", "-o", "cert.json"], in: folder))?.status == 0 else { return nil }
    return folder
}()

/// A circle in R^3 (the circle case's points with a third coordinate 0) and its certificate, made
/// with `memcert lower-bound` once per test run, so that the plane witness (planeOrigin, planeBasis) matters.
let circleIn3DCase: URL? = try? makeCircleIn3D()

func makeCircleIn3D() throws -> URL {
    let folder = try temporaryFolder()
    let source = try Data(contentsOf: repositoryFolder.appendingPathComponent("certificates/\(circle)/data.csv"))
    let rows = source.lines.map { line -> String in
        guard !line.isEmpty, !line.hasPrefix("#") else { return line }
        var fields = line.components(separatedBy: ",")
        fields.insert(line.hasPrefix("x") ? "x3" : "0", at: fields.count - 1)
        return fields.joined(separator: ",")
    }
    try Data(rows.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("data.csv"))
    let made = try runMemcert(["lower-bound", "data.csv", "--certificate", "cert.json"], in: folder)
    guard made.status == 0 else { throw CocoaError(.fileWriteUnknown) }
    return folder
}

// MARK: - The tamper corpus

/// One tampered certificate: which reference case it starts from, what it changes, and what
/// docs/formats.md says a checker must answer (exit status, and for 1 the check it names).
struct Tamper: CustomTestStringConvertible, Sendable {
    var name: String
    var base: String
    var expected: Int32
    var check: String?
    var arguments: [String] = []
    var change: @Sendable (inout WorkingCopy) throws -> Void
    var testDescription: String { "\(base): \(name) -> \(expected)\(check.map { " \($0)" } ?? "")" }
}

let sphere = "sphere-memorization", multiclass = "multiclass-memorization", small = "small-memorization"
let circle = "circle-lower-bound", momentCurve = "moment-curve-lower-bound"
/// A circle in R^3 (the circle case with a zero third coordinate), made by `memcert lower-bound` in
/// the test, so that the plane witness (planeOrigin, planeBasis) matters.
let circle3 = "circle-in-3d"
/// A memcert.network/2 network with a "sign" and a ">" layer, made and certified in the test.
let comparisons = "comparisons-memorization"

func int(_ copy: WorkingCopy, _ path: String) -> Int { copy.value(path) as? Int ?? -1 }
func tamper(_ name: String, _ base: String, _ expected: Int32, _ check: String? = nil, arguments: [String] = [],
            _ change: @escaping @Sendable (inout WorkingCopy) throws -> Void) -> Tamper {
    Tamper(name: name, base: base, expected: expected, check: check, arguments: arguments, change: change)
}
/// A tamper that only edits the certificate's compact text.
func text(_ name: String, _ base: String, _ expected: Int32, _ old: String, _ new: String) -> Tamper {
    tamper(name, base, expected) { try $0.writeCertificate { String(decoding: Data($0.utf8).replacing(old, new, all: true), as: UTF8.self) } }
}
/// A tamper that sets one value of the certificate; `how` describes the new value.
func claim(_ path: String, _ how: String, _ base: String, _ expected: Int32, _ check: String?,
           _ new: @escaping @Sendable (WorkingCopy) -> Any?) -> Tamper {
    tamper("\(path) := \(how)", base, expected, check) { $0.set(path, new($0)) }
}

let tamperCorpus: [Tamper] = [
    // Unchanged (after the round trip through the test's JSON writer): every check holds.
    tamper("unchanged", sphere, 0) { _ in },
    tamper("unchanged", multiclass, 0) { _ in },
    tamper("unchanged", circle, 0) { _ in },
    tamper("unchanged", momentCurve, 0) { _ in },
    tamper("unchanged", circle3, 0) { _ in },
    tamper("unchanged", small, 0) { _ in },
    tamper("unchanged", comparisons, 0) { _ in },

    // memcert.network/2 (section 4): comparisons are exactly ">=", ">" or "sign", and only in /2; a tie fails.
    tamper("an unknown comparison '<'", comparisons, 2) { c in try c.editFile("network.json") { $0.replacing(#""comparison": ">""#, #""comparison": "<""#) } },
    tamper("a comparison ' >' (with a blank)", comparisons, 2) { c in try c.editFile("network.json") { $0.replacing(#""comparison": ">""#, #""comparison": " >""#) } },
    tamper("a comparison that is no string", comparisons, 2) { c in try c.editFile("network.json") { $0.replacing(#""comparison": ">""#, #""comparison": 1"#) } },
    tamper("a comparison in a memcert.network/1 file", comparisons, 2) { c in
        try c.editFile("network.json") { $0.replacing("memcert.network/2", "memcert.network/1") }
    },
    tamper("memcert.network/3", comparisons, 2) { c in try c.editFile("network.json") { $0.replacing("memcert.network/2", "memcert.network/3") } },
    tamper("the '>' layer read as '>=' fires at h = (1, 0)", comparisons, 1, "claims.memorized") { c in
        try c.editFile("network.json") { $0.replacing(#""comparison": ">""#, #""comparison": ">=""#) }
    },
    tamper("the comparison key removed from the '>' layer (so '>=')", comparisons, 1, "claims.memorized") { c in
        try c.editFile("network.json") { $0.replacing(#""comparison": ">", "#, "") }
    },
    tamper("a point on the y axis: the sign layer ties there", comparisons, 1, "claims.memorized") { c in
        try c.editFile("data.csv") { $0.replacing("\n1,1,1\n", "\n0,1,1\n") }
    },
    tamper("a point at the origin, labelled 0: still a tie, never output 0", comparisons, 1, "claims.memorized") { c in
        try c.editFile("data.csv") { $0.replacing("\n-1,-1,0\n", "\n0,0,0\n") }
    },

    // Certificate structure and JSON (K1, K2, K4, J1): exit 2.
    claim("format", "'memcert.certificate/1'", small, 2, nil) { _ in "memcert.certificate/1" },
    claim("format", "'memcert.certificate/3'", small, 2, nil) { _ in "memcert.certificate/3" },
    claim("kind", "'lower-bound'", small, 2, nil) { _ in "lower-bound" },
    claim("provenance", "nil", small, 2, nil) { _ in nil },
    claim("provenance.commit", "7", small, 2, nil) { _ in 7 },
    claim("provenance.command", "'memcert certify'", small, 2, nil) { _ in "memcert certify" },
    claim("provenance.extra", "'x'", small, 2, nil) { _ in "x" },
    claim("extra", "{}", small, 2, nil) { _ in [String: Any]() },
    claim("claims.extra", "1", small, 2, nil) { _ in 1 },
    claim("claims.biases", "nil", small, 2, nil) { _ in nil },
    text("repeated top-level key", small, 2, #"{"claims":"#, #"{"kind":"memorization","claims":"#),
    text("repeated claim key", small, 2, #""biases":"#, #""n":1,"biases":"#),
    text("a trailing comma", small, 2, #""}}"#, #""},}"#),
    text("NaN", small, 2, #""memorized":true"#, #""memorized":NaN"#),
    text("1 for true", small, 2, #""memorized":true"#, #""memorized":1"#),
    text("a string for an integer", small, 2, #""classes":2"#, #""classes":"2""#),
    text("1.9 for an integer", small, 2, #""classes":2"#, #""classes":1.9"#),
    text("2.0 for an integer", small, 2, #""classes":2"#, #""classes":2.0"#),
    text("2e0 for an integer", small, 2, #""classes":2"#, #""classes":2e0"#),
    text("-0 for an integer", small, 2, #""mergedDuplicates":0"#, #""mergedDuplicates":-0"#),
    claim("claims.n", "4611686018427387905", small, 2, nil) { _ in 4611686018427387905 },  // 2^62 + 1
    claim("claims.memorized", "'true'", small, 2, nil) { _ in "true" },
    claim("claims.radiusSquared", "1", small, 2, nil) { _ in 1 },
    claim("claims.radiusSquared", "'+1'", small, 2, nil) { _ in "+1" },
    claim("claims.radiusSquared", "'1/1'", small, 2, nil) { _ in "1/1" },
    claim("claims.radiusSquared", "'2/2'", small, 2, nil) { _ in "2/2" },
    claim("claims.minimumMargins.1", "'-0'", small, 2, nil) { _ in "-0" },
    claim("claims.minimumMargins.1", "'0.5'", small, 2, nil) { _ in "0.5" },
    claim("claims.deltaSquared", "not reduced (p0/q0)", small, 2, nil) { c in
        let parts = (c.value("claims.deltaSquared") as? String ?? "1/2").split(separator: "/")
        return parts.count == 2 ? "\(parts[0])0/\(parts[1])0" : "2/4"
    },
    tamper("a byte-order mark before the certificate", multiclass, 0) { c in
        try c.writeCertificate()
        try (Data([0xEF, 0xBB, 0xBF]) + Data(contentsOf: c.certificateFile)).write(to: c.certificateFile)
    },
    tamper("invalid UTF-8 in provenance", small, 2) { c in
        c.set("provenance.memcert", "VERSION")
        try c.writeCertificate()
        var bytes = try Data(contentsOf: c.certificateFile)
        if let at = bytes.range(of: Data("VERSION".utf8)) { bytes.replaceSubrange(at, with: [0x56, 0xFF]) }
        try bytes.write(to: c.certificateFile)
    },
    text("an unpaired surrogate escape", small, 2, #""gmp":""#, #""gmp":"\ud800"#),
    text("a raw tab inside a string", small, 2, #""gmp":""#, "\"gmp\":\"\t"),
    text("an integer of 23 digits", small, 2, #""mergedDuplicates":0"#, #""mergedDuplicates":99999999999999999999999"#),
    text("an integer 2^63", small, 2, #""mergedDuplicates":0"#, #""mergedDuplicates":9223372036854775808"#),
    tamper("a line number 2^64", circle, 2) { c in
        c.set("claims.bounds.0.cyclicOrderLines.0", 777_777_777)
        try c.writeCertificate { String(decoding: Data($0.utf8).replacing("777777777", "18446744073709551616"), as: UTF8.self) }
    },
    tamper("the certificate is a folder", small, 2) { c in
        try FileManager.default.removeItem(at: c.certificateFile)
        try FileManager.default.createDirectory(at: c.certificateFile, withIntermediateDirectories: false)
    },

    // Self-consistency (K5): exit 2 before any file is read.
    claim("claims.minimumMargins.0", "nil", small, 2, nil) { _ in nil },
    claim("claims.depth", "x + 1", small, 2, nil) { int($0, "claims.depth") + 1 },
    claim("claims.deltaSquared", "null", small, 2, nil) { _ in NSNull() },
    claim("claims.radiusSquared", "null", small, 2, nil) { _ in NSNull() },
    claim("claims.n", "x + 1", circle, 2, nil) { int($0, "claims.n") + 1 },  // cyclicOrderLines no longer has n entries
    claim("claims.d", "x + 1", circle, 2, nil) { int($0, "claims.d") + 1 },  // center no longer has d entries
    claim("claims.bounds", "[]", circle, 2, nil) { _ in [Any]() },
    claim("claims.bounds.0.argument", "'sphere'", circle, 2, nil) { _ in "sphere" },
    claim("claims.bounds.1.argument", "'circle'", circle, 2, nil) { _ in "circle" },
    tamper("bounds out of order", circle, 2) { c in
        let bounds = c.value("claims.bounds") as? [Any] ?? []
        c.set("claims.bounds", Array(bounds.reversed()))
    },
    claim("claims.bounds.0.extra", "1", circle, 2, nil) { _ in 1 },
    claim("claims.bounds.0.center.0", "nil", circle, 2, nil) { _ in nil },
    claim("claims.bounds.0.planeBasis.1", "nil", circle, 2, nil) { _ in nil },
    claim("claims.bounds.0.cyclicOrderLines.0", "nil", circle, 2, nil) { _ in nil },
    claim("claims.bounds.0.cyclicOrderLines.0", "0", circle, 2, nil) { _ in 0 },
    claim("claims.bounds.0.parameters.0", "nil", momentCurve, 2, nil) { _ in nil },
    claim("claims.bounds.0.orderLines.3", "-4", momentCurve, 2, nil) { _ in -4 },
    claim("claims.bounds.1.regionsAtBound", "'0254'", circle, 2, nil) { _ in "0254" },
    claim("claims.bounds.1.regionsAtBound", "254", circle, 2, nil) { _ in 254 },
    claim("claims.bounds.2.eUpperBound", "'2719/1000'", circle, 2, nil) { _ in "2719/1000" },
    claim("claims.bounds.2.neurons", "0", circle, 2, nil) { _ in 0 },

    // Files (K3): paths, digests, readability.
    claim("files.data.path", "'../data.csv'", sphere, 2, nil) { _ in "../data.csv" },
    claim("files.data.path", "its absolute path", small, 2, nil) { c in c.folder.appendingPathComponent("data.csv").path },
    claim("files.data.path", "'./data.csv'", small, 2, nil) { _ in "./data.csv" },
    claim("files.data.path", "'sub//data.csv'", small, 2, nil) { _ in "sub//data.csv" },
    claim("files.data.path", "'sub\\\\data.csv'", small, 2, nil) { _ in "sub\\data.csv" },
    claim("files.data.path", "'missing.csv'", small, 2, nil) { _ in "missing.csv" },
    claim("files.data.path", "''", small, 2, nil) { _ in "" },
    tamper("a data path through a symlink out of the folder", small, 2) { c in
        let outside = try temporaryFolder()
        try FileManager.default.copyItem(at: c.folder.appendingPathComponent("data.csv"), to: outside.appendingPathComponent("data.csv"))
        try FileManager.default.createSymbolicLink(at: c.folder.appendingPathComponent("link.csv"), withDestinationURL: outside.appendingPathComponent("data.csv"))
        c.set("files.data.path", "link.csv")
    },
    tamper("a data path through a symlink inside the folder", small, 0) { c in
        try FileManager.default.createDirectory(at: c.folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: c.folder.appendingPathComponent("sub/data.csv").path, withDestinationPath: "../data.csv")
        c.set("files.data.path", "sub/data.csv")
    },
    tamper("a data path that is a folder", small, 2) { c in
        try FileManager.default.createDirectory(at: c.folder.appendingPathComponent("data.d"), withIntermediateDirectories: true)
        c.set("files.data.path", "data.d")
    },
    tamper("--data from outside the folder", small, 0, arguments: ["--data", "elsewhere/data.csv"]) { c in
        try FileManager.default.createDirectory(at: c.folder.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: c.folder.appendingPathComponent("data.csv"), to: c.folder.appendingPathComponent("elsewhere/data.csv"))
        c.set("files.data.path", "moved.csv")
    },
    claim("files.extra", "a third role", small, 2, nil) { _ in ["path": "data.csv", "sha256": String(repeating: "0", count: 64)] },
    claim("files.network", "nil", small, 2, nil) { _ in nil },
    claim("files.network", "a network role", circle, 2, nil) { _ in ["path": "data.csv", "sha256": String(repeating: "0", count: 64)] },
    claim("files.data.sha256", "upper case", small, 2, nil) { c in (c.value("files.data.sha256") as? String ?? "").uppercased() },
    claim("files.data.sha256", "63 hex digits", small, 2, nil) { c in String((c.value("files.data.sha256") as? String ?? "").dropLast()) },
    claim("files.data.sha256", "64 zeros", sphere, 1, "files.data.sha256") { _ in String(repeating: "0", count: 64) },
    claim("files.network.sha256", "64 fs", sphere, 1, "files.network.sha256") { _ in String(repeating: "f", count: 64) },
    claim("files.data.sha256", "64 zeros", circle, 1, "files.data.sha256") { _ in String(repeating: "0", count: 64) },
    tamper("a data byte changed, digest kept", sphere, 1, "files.data.sha256") { c in
        try c.editFile("data.csv", updateDigest: false) { $0.replacing(",0\n", ",1\n") }
    },
    tamper("a network weight changed, digest kept", small, 1, "files.network.sha256") { c in
        try c.editFile("network.json", updateDigest: false) { $0.replacing(#""values": ["1", "#, #""values": ["2", "#) }
    },

    // The data (section 3), digest updated: malformed rows are exit 2; equivalent spellings change nothing.
    tamper("a NaN coordinate", small, 2) { c in try c.editFile("data.csv") { $0.editingRows { $0[0] = "nan" } } },
    tamper("a row with one field too many", small, 2) { c in try c.editFile("data.csv") { $0.editingRows { $0.append("0") } } },
    tamper("a label 1/2", small, 2) { c in try c.editFile("data.csv") { $0.editingRows { $0[$0.count - 1] = "1/2" } } },
    tamper("a label 2^62", small, 2) { c in try c.editFile("data.csv") { $0.editingRows { $0[$0.count - 1] = "4611686018427387904" } } },
    tamper("a CR inside a row", small, 2) { c in try c.editFile("data.csv") { $0.editingRows { $0[0] += "\r" } } },
    tamper("an exponent beyond 5000", small, 2) { c in try c.editFile("data.csv") { $0.editingRows { $0[0] = "0e5001" } } },
    tamper("a hex float without its exponent", small, 2) { c in try c.editFile("data.csv") { $0.editingRows { $0[0] = "0x1.8" } } },
    tamper("an empty data file", circle, 2) { c in try c.editFile("data.csv") { _ in Data() } },
    tamper("CRLF line ends and a byte-order mark", small, 0) { c in
        try c.editFile("data.csv") { Data([0xEF, 0xBB, 0xBF]) + $0.replacing("\n", "\r\n", all: true) }
    },
    tamper("the header line removed", small, 0) { c in
        try c.editFile("data.csv") { Data($0.lines.filter { !$0.hasPrefix("x1,") }.joined(separator: "\n").utf8) }
    },
    tamper("labels written 0.0, 0x1p0 and 6/6, a coordinate 2/-1 as -4/2", momentCurve, 0) { c in
        try c.editFile("data.csv") {
            $0.editingRows(all: true) { $0[$0.count - 1] = $0[$0.count - 1] == "0" ? "0.0" : "0x1p0" }
                .editingRows { $0[$0.count - 1] = $0[$0.count - 1] == "0.0" ? "0e7" : "6/6"; $0[0] = $0[0] == "-1" ? "-4/4" : $0[0] }
        }
    },
    tamper("a repeated row", small, 1, "claims.mergedDuplicates") { c in try c.editFile("data.csv") { $0.repeatingFirstRow() } },
    tamper("a repeated point with another label", small, 1, "claims.memorized") { c in
        try c.editFile("data.csv") { $0.repeatingFirstRow { $0[$0.count - 1] = $0[$0.count - 1] == "0" ? "1" : "0" } }
    },
    tamper("a repeated point with another label", circle, 1, "claims.n") { c in
        try c.editFile("data.csv") { $0.repeatingFirstRow { $0[$0.count - 1] = $0[$0.count - 1] == "0" ? "1" : "0" } }
    },
    tamper("the last row removed", small, 1, "claims.n") { c in
        try c.editFile("data.csv") { data in
            var lines = data.lines.filter { !$0.isEmpty }
            lines.removeLast()
            return Data((lines.joined(separator: "\n") + "\n").utf8)
        }
    },
    tamper("a label flipped", sphere, 1, "claims.memorized") { c in
        try c.editFile("data.csv") { $0.editingRows { $0[$0.count - 1] = $0[$0.count - 1] == "0" ? "1" : "0" } }
    },
    tamper("a point moved off the circle", circle, 1, "claims.bounds[0]") { c in try c.editFile("data.csv") { $0.editingRows { $0[0] = "2" } } },
    tamper("a point lifted off the plane", circle3, 1, "claims.bounds[0]") { c in try c.editFile("data.csv") { $0.editingRows { $0[2] = "1" } } },
    tamper("a point moved off the moment curve", momentCurve, 1, "claims.bounds[0]") { c in
        try c.editFile("data.csv") { $0.editingRows { $0[1] = "7" } }
    },

    // The network (section 4), digest updated.
    tamper("a bare JSON number, a hex float and 2/2 for \"1\"", small, 0) { c in
        try c.editFile("network.json") {
            $0.replacing(#""values": ["1", "#, #""values": [1, "#).replacing(#""values": ["1", "#, #""values": ["0x1p0", "#)
                .replacing(#""values": ["1", "#, #""values": ["2/2", "#)
        }
    },
    tamper("a repeated key in the network", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""outputBits": "#, #""outputBits": 1, "outputBits": "#) } },
    tamper("an index out of range", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""indices": [0, "#, #""indices": [99999, "#) } },
    tamper("indices not increasing", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""indices": [0, "#, #""indices": [1, "#) } },
    tamper("an index written 1.0", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""indices": [0, "#, #""indices": [0.0, "#) } },
    tamper("outputBits written \"1\"", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""outputBits": 1"#, #""outputBits": "1""#) } },
    tamper("outputBits 2, one output neuron", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""outputBits": 1"#, #""outputBits": 2"#) } },
    tamper("inputDimension 0", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""inputDimension": 8,"#, #""inputDimension": 0,"#) } },
    tamper("a weight 1/0", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""values": ["1", "#, #""values": ["1/0", "#) } },
    tamper("a weight NaN", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""values": ["1", "#, #""values": [NaN, "#) } },
    tamper("a weight \"nan\"", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""values": ["1", "#, #""values": ["nan", "#) } },
    tamper("a weight 1e5001", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""values": ["1", "#, #""values": ["1e5001", "#) } },
    tamper("a weight \" 1\"", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""values": ["1", "#, #""values": [" 1", "#) } },
    tamper("a weight true", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""values": ["1", "#, #""values": [true, "#) } },
    tamper("an unknown network key", small, 2) { c in try c.editFile("network.json") { $0.replacing(#""outputBits": "#, #""extra": 1, "outputBits": "#) } },
    tamper("network provenance nested 300 deep", small, 2) { c in
        try c.editFile("network.json") { $0.replacingProvenance(String(repeating: "[", count: 300) + String(repeating: "]", count: 300)) }
    },
    tamper("network provenance nested 100 deep, with any values", small, 0) { c in
        try c.editFile("network.json") {
            $0.replacingProvenance(String(repeating: "[", count: 100) + #"{"a": 1.5e999, "b": -0, "c": "\u00e9"}"# + String(repeating: "]", count: 100))
        }
    },
    tamper("a nonzero bias added", small, 1, "claims.biases") { c in
        try c.editFile("network.json") { $0.replacing(#""bias": "0""#, #""bias": "1/3""#) }
    },
    tamper("a weight of 300 bits", small, 1, "claims.largestWeightBits") { c in
        try c.editFile("network.json") { $0.replacing(#""values": ["1", "#, #""values": ["1e90", "#) }
    },
    tamper("the output neuron always fires", small, 1, "claims.memorized") { c in
        try c.editFile("network.json") { data in  // the last neuron's bias, -1, becomes 10^6
            let text = String(decoding: data, as: UTF8.self)
            guard let last = text.range(of: #""bias": "-1""#, options: .backwards) else {
                Issue.record("the network has no bias -1")
                return data
            }
            return Data(text.replacingCharacters(in: last, with: #""bias": "1000000""#).utf8)
        }
    },

    // Memorization claims (5.1): each changed value fails that claim, in the order of section 6.
    claim("claims.n", "x + 1", small, 1, "claims.n") { int($0, "claims.n") + 1 },
    claim("claims.d", "x + 1", small, 1, "claims.d") { int($0, "claims.d") + 1 },
    claim("claims.classes", "x - 1", multiclass, 1, "claims.classes") { int($0, "claims.classes") - 1 },
    claim("claims.mergedDuplicates", "x + 1", small, 1, "claims.mergedDuplicates") { int($0, "claims.mergedDuplicates") + 1 },
    claim("claims.neurons", "x + 1", small, 1, "claims.neurons") { int($0, "claims.neurons") + 1 },
    claim("claims.weights", "x - 1", small, 1, "claims.weights") { int($0, "claims.weights") - 1 },
    claim("claims.biases", "x + 1", small, 1, "claims.biases") { int($0, "claims.biases") + 1 },
    tamper("claims.depth changed (with a margin more)", small, 1, "claims.depth") { c in
        c.set("claims.depth", int(c, "claims.depth") + 1)
        c.set("claims.minimumMargins", (c.value("claims.minimumMargins") as? [Any] ?? []) + ["0"])
    },
    claim("claims.largestWeightBits", "x + 1", small, 1, "claims.largestWeightBits") { int($0, "claims.largestWeightBits") + 1 },
    claim("claims.memorized", "false", small, 1, "claims.memorized") { _ in false },
    claim("claims.minimumMargins.0", "'1'", small, 1, "claims.minimumMargins") { _ in "1" },
    claim("claims.minimumMargins.2", "'1/2'", small, 1, "claims.minimumMargins") { _ in "1/2" },
    claim("claims.radiusSquared", "'2'", small, 1, "claims.radiusSquared") { _ in "2" },
    claim("claims.deltaSquared", "'1/100'", sphere, 1, "claims.deltaSquared") { _ in "1/100" },
    claim("claims.deltaSquared", "'0'", small, 1, "claims.deltaSquared") { _ in "0" },

    // Lower-bound claims (5.2).
    claim("claims.n", "x - 1", momentCurve, 2, nil) { int($0, "claims.n") - 1 },
    claim("claims.d", "x + 1", momentCurve, 1, "claims.d") { int($0, "claims.d") + 1 },
    claim("claims.classes", "x + 1", circle, 1, "claims.classes") { int($0, "claims.classes") + 1 },
    claim("claims.best", "x - 1", circle, 1, "claims.best") { int($0, "claims.best") - 1 },
    claim("claims.best", "x + 1", momentCurve, 1, "claims.best") { int($0, "claims.best") + 1 },
    claim("claims.bounds.0.firstLayerNeurons", "x + 1", circle, 1, "claims.bounds[0].firstLayerNeurons") { int($0, "claims.bounds.0.firstLayerNeurons") + 1 },
    claim("claims.bounds.0.labelChanges", "x - 1", circle, 1, "claims.bounds[0].labelChanges") { int($0, "claims.bounds.0.labelChanges") - 1 },
    claim("claims.bounds.0.radiusSquared", "'2'", circle, 1, "claims.bounds[0]") { _ in "2" },
    claim("claims.bounds.0.center.0", "'1/1024'", circle, 1, "claims.bounds[0]") { _ in "1/1024" },
    claim("claims.bounds.0.planeOrigin.0", "'5'", circle, 0, nil) { _ in "5" },  // in R^2 the plane is all of it
    claim("claims.bounds.0.planeBasis.1", "the first row", circle, 1, "claims.bounds[0].planeBasis") { $0.value("claims.bounds.0.planeBasis.0") },
    tamper("cyclicOrderLines with two neighbours swapped", circle, 1, "claims.bounds[0].cyclicOrderLines") { c in
        var lines = c.value("claims.bounds.0.cyclicOrderLines") as? [Int] ?? []
        lines.swapAt(5, 6)
        c.set("claims.bounds.0.cyclicOrderLines", lines)
    },
    tamper("cyclicOrderLines reversed (clockwise)", circle, 0) { c in
        c.set("claims.bounds.0.cyclicOrderLines", Array((c.value("claims.bounds.0.cyclicOrderLines") as? [Int] ?? []).reversed()))
    },
    tamper("cyclicOrderLines rotated", circle, 0) { c in
        let lines = c.value("claims.bounds.0.cyclicOrderLines") as? [Int] ?? []
        c.set("claims.bounds.0.cyclicOrderLines", Array(lines[7...] + lines[..<7]))
    },
    tamper("cyclicOrderLines with a line twice", circle, 1, "claims.bounds[0].cyclicOrderLines") { c in
        c.set("claims.bounds.0.cyclicOrderLines.3", c.value("claims.bounds.0.cyclicOrderLines.4"))
    },
    claim("claims.bounds.0.cyclicOrderLines.3", "99999", circle, 1, "claims.bounds[0].cyclicOrderLines") { _ in 99999 },
    claim("claims.bounds.0.center.2", "'1'", circle3, 1, "claims.bounds[0].center") { _ in "1" },
    claim("claims.bounds.0.planeOrigin.2", "'1'", circle3, 1, "claims.bounds[0].center") { _ in "1" },
    claim("claims.bounds.0.planeBasis.1.2", "'1'", circle3, 1, "claims.bounds[0].center") { _ in "1" },
    claim("claims.bounds.0.firstLayerNeurons", "x - 1", momentCurve, 1, "claims.bounds[0].firstLayerNeurons") { int($0, "claims.bounds.0.firstLayerNeurons") - 1 },
    claim("claims.bounds.0.labelChanges", "x + 1", momentCurve, 1, "claims.bounds[0].labelChanges") { int($0, "claims.bounds.0.labelChanges") + 1 },
    claim("claims.bounds.0.parameters.5", "'1/7'", momentCurve, 1, "claims.bounds[0].parameters") { _ in "1/7" },
    tamper("orderLines with two neighbours swapped", momentCurve, 1, "claims.bounds[0].parameters") { c in
        var lines = c.value("claims.bounds.0.orderLines") as? [Int] ?? []
        lines.swapAt(5, 6)
        c.set("claims.bounds.0.orderLines", lines)
    },
    tamper("orderLines and parameters reversed together", momentCurve, 1, "claims.bounds[0].orderLines") { c in
        c.set("claims.bounds.0.orderLines", Array((c.value("claims.bounds.0.orderLines") as? [Any] ?? []).reversed()))
        c.set("claims.bounds.0.parameters", Array((c.value("claims.bounds.0.parameters") as? [Any] ?? []).reversed()))
    },
    claim("claims.bounds.1.firstLayerNeurons", "x + 1", circle, 1, "claims.bounds[1].firstLayerNeurons") { int($0, "claims.bounds.1.firstLayerNeurons") + 1 },
    claim("claims.bounds.1.firstLayerNeurons", "x - 1", circle, 1, "claims.bounds[1].firstLayerNeurons") { int($0, "claims.bounds.1.firstLayerNeurons") - 1 },
    claim("claims.bounds.1.firstLayerNeurons", "4611686018427387904", circle, 1, "claims.bounds[1].firstLayerNeurons") { _ in 4611686018427387904 },
    claim("claims.bounds.1.regionsAtBound", "'100'", momentCurve, 1, "claims.bounds[1].regionsAtBound") { _ in "100" },
    claim("claims.bounds.1.regionsBelowBound", "'56'", momentCurve, 1, "claims.bounds[1].regionsBelowBound") { _ in "56" },
    claim("claims.bounds.2.weights", "x + 1", circle, 1, "claims.bounds[2].weights") { int($0, "claims.bounds.2.weights") + 1 },
    claim("claims.bounds.2.weights", "x - 1", circle, 1, "claims.bounds[2].weights") { int($0, "claims.bounds.2.weights") - 1 },
    claim("claims.bounds.2.weights", "4611686018427387904", momentCurve, 1, "claims.bounds[2].weights") { _ in 4611686018427387904 },
    claim("claims.bounds.2.neurons", "4611686018427387904", circle, 1, "claims.bounds[2].weights") { _ in 4611686018427387904 },

    // Integers (K4): any number of digits is read; 2^62 is a value, anything above it malformed.
    claim("claims.mergedDuplicates", "2^62", small, 1, "claims.mergedDuplicates") { _ in 4611686018427387904 },
    text("an integer of 400 digits", small, 2, #""mergedDuplicates":0"#, "\"mergedDuplicates\":" + String(repeating: "9", count: 400)),
    tamper("a line number of 40 digits", circle, 2) { c in
        c.set("claims.bounds.0.cyclicOrderLines.0", 777_777_777)
        try c.writeCertificate { String(decoding: Data($0.utf8).replacing("777777777", String(repeating: "1", count: 40)), as: UTF8.self) }
    },
    claim("claims.best", "2^62 + 6", circle, 2, nil) { _ in 4611686018427387910 },

    // Provenance (K2) is checked for types only: any strings are fine.
    claim("provenance.commit", "'not a commit'", small, 0, nil) { _ in "not a commit" },
    claim("provenance.memcert", "''", small, 0, nil) { _ in "" },
    claim("provenance.command", "[]", small, 0, nil) { _ in [String]() },

    // Files named on the command line, and the certificate itself (K3): regular files only,
    // symlinks followed; "-" is an ordinary file name; --network fits only a memorization certificate.
    tamper("--network with a lower-bound certificate", circle, 2, arguments: ["--network", "data.csv"]) { _ in },
    tamper("--network '' (an empty name)", small, 2, arguments: ["--network", ""]) { _ in },
    tamper("--data names a folder", small, 2, arguments: ["--data", "sub"]) { c in
        try FileManager.default.createDirectory(at: c.folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
    },
    tamper("--data names a FIFO (never opened, so nothing blocks)", small, 2, arguments: ["--data", "fifo"]) { c in
        try makeFIFO("fifo", in: c.folder)
    },
    tamper("--network names a FIFO while the data digest fails", small, 2, arguments: ["--network", "fifo"]) { c in
        try makeFIFO("fifo", in: c.folder)
        c.set("files.data.sha256", String(repeating: "0", count: 64))  // step 2 refuses the FIFO before step 3 reads
    },
    tamper("the data path names a FIFO", small, 2) { c in
        try makeFIFO("fifo", in: c.folder)
        c.set("files.data.path", "fifo")
    },
    tamper("the certificate is a FIFO", small, 2) { c in
        try FileManager.default.removeItem(at: c.certificateFile)
        try makeFIFO("cert.json", in: c.folder)
    },
    tamper("the certificate is a symlink to a regular file", small, 0) { c in
        try c.writeCertificate()
        try FileManager.default.moveItem(at: c.certificateFile, to: c.folder.appendingPathComponent("real.json"))
        try FileManager.default.createSymbolicLink(atPath: c.certificateFile.path, withDestinationPath: "real.json")
    },
    tamper("--data - names a file called '-'", small, 0, arguments: ["--data", "-"]) { c in
        try FileManager.default.moveItem(at: c.folder.appendingPathComponent("data.csv"), to: c.folder.appendingPathComponent("-"))
    },
    tamper("--data - with no file called '-'", small, 2, arguments: ["--data", "-"]) { _ in },

    // JSON nesting (J1): the top-level value is level 1; objects and arrays deeper than 256 are refused.
    // The network's top object is level 1 and its provenance value level 2.
    tamper("network provenance reaching level 256", small, 0) { c in
        try c.editFile("network.json") { $0.replacingProvenance(String(repeating: "[", count: 255) + "7" + String(repeating: "]", count: 255)) }
    },
    tamper("network provenance reaching level 257", small, 2) { c in
        try c.editFile("network.json") { $0.replacingProvenance(String(repeating: "[", count: 256) + String(repeating: "]", count: 256)) }
    },

    // Digits are ASCII 0-9 only: other Unicode digits are no number, nor do they look like one (C4).
    tamper("an Arabic-Indic digit as a coordinate", small, 2) { c in try c.editFile("data.csv") { $0.editingRows { $0[1] = "\u{661}" } } },
    tamper("a fullwidth digit as a label", small, 2) { c in try c.editFile("data.csv") { $0.editingRows { $0[$0.count - 1] = "\u{FF11}" } } },

    // Number literals have no length limit beyond the exponent limits (N): the Python checker lifts
    // CPython's limit on converting long digit strings (sys.set_int_max_str_digits(0)).
    tamper("a coordinate and a weight written with 5,000 digits (same values)", small, 0) { c in
        let zeros = String(repeating: "0", count: 5_000)
        try c.editFile("data.csv") {
            $0.editingRows { fields in  // leading zeros after the sign: -p/q becomes -000...0p/q
                let sign = fields[0].hasPrefix("-") || fields[0].hasPrefix("+") ? String(fields[0].prefix(1)) : ""
                fields[0] = sign + zeros + fields[0].dropFirst(sign.count)
            }
        }
        try c.editFile("network.json") { $0.replacing(#""values": ["1", "#, "\"values\": [\"1.\(zeros)\", ") }
    },
    tamper("a coordinate and a weight of 5,000 significant digits, certified by memcert", small, 0) { c in
        // Four points in d = 1, one of them 10^-4999; memcert builds and certifies the network, then a
        // positive weight of a later (integer) layer grows by 10^-4999, which changes no output.
        let tiny = "0." + String(repeating: "0", count: 4_998) + "1"
        try Data("0,0\n1,1\n2,0\n\(tiny),0\n".utf8).write(to: c.folder.appendingPathComponent("data.csv"))
        let built = try runMemcert(["construct", "data.csv", "-o", "network.json", "--seed", "3"], in: c.folder)
        #expect(built.status == 0, "\(built.stdout)\(built.stderr)")
        try c.editFile("network.json", updateDigest: false) { $0.replacing(#""values": ["1", "#, "\"values\": [\"1\(tiny.dropFirst())\", ") }
        let issued = try runMemcert(["certify", "network.json", "data.csv", "-o", "cert.json"], in: c.folder)
        #expect(issued.status == 0, "\(issued.stdout)\(issued.stderr)")
        c.certificate = try JSONSerialization.jsonObject(with: Data(contentsOf: c.certificateFile)) as? [String: Any] ?? [:]
        #expect(int(c, "claims.largestWeightBits") > 16_000 && (c.value("claims.radiusSquared") as? String) == "4")
        c.dirty = false
    },
]

// MARK: - Tests

@Suite("Both checkers agree on every reference certificate and every tampered one")
struct CrossCheckerTests {
    @Test("python3 is there (scripts/setup and .ci/run install it), and the checker answers --help")
    func pythonIsPresent() throws {
        let result = try runPythonChecker(["--help"], in: repositoryFolder)
        #expect(result.status == 0 && result.stdout.contains("memcert.certificate/2"), "\(result.stderr)")
        #expect(try runPythonChecker([], in: repositoryFolder).status == 64)
    }

    @Test("every reference certificate holds for both checkers", arguments: referenceCaseNames)
    func references(_ name: String) throws {
        let copy = try WorkingCopy(name)
        let python = try runPythonChecker([copy.certificateFile.path], in: copy.folder)
        let swift = try runMemcert(["check", copy.certificateFile.path], in: copy.folder)
        #expect(python.status == 0, "python: \(python.stdout)\(python.stderr)")
        #expect(swift.status == 0, "swift: \(swift.stdout)\(swift.stderr)")
    }

    @Test("each tampered certificate gets the status docs/formats.md prescribes from both checkers, naming the same check",
          arguments: tamperCorpus)
    func tampered(_ tamper: Tamper) throws {
        var copy = try WorkingCopy(tamper.base)
        try tamper.change(&copy)
        if copy.dirty { try copy.writeCertificate() }
        let arguments = [copy.certificateFile.path] + tamper.arguments
        let python = try runPythonChecker(arguments, in: copy.folder)
        let swift = try runMemcert(["check"] + arguments, in: copy.folder)
        for (checker, result) in [("python", python), ("swift", swift)] {
            #expect(result.status == tamper.expected, "\(checker): \(result.stdout)\(result.stderr)")
            #expect(!result.stderr.contains("Traceback") && !result.stderr.contains("internal error"), "\(checker): \(result.stderr)")
            if tamper.expected == 1 { #expect(failingCheck(result) == tamper.check, "\(checker): \(result.stdout)") }
            if tamper.expected == 2 {
                #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1, "\(checker): \(result.stderr)")
            }
        }
        #expect(python.status == swift.status, "the checkers disagree: python \(python.status), swift \(swift.status)")
        if tamper.expected == 1 { #expect(failingCheck(python) == failingCheck(swift)) }
    }

    @Test("separation-number certificates: memcert check re-checks them; the Python checker declines them (exit 2, saying so)")
    func separationNumberDeclined() throws {
        let dir = try temporaryFolder()
        try write((0 ..< 7).map { i in "\(i),\(i * i),\(i)" }.joined(separator: "\n") + "\n", to: "p.csv", in: dir)
        #expect(try runMemcert(["separation-number", "p.csv", "--certificate", "cert.json"], in: dir).status == 0)
        #expect(try runMemcert(["check", "cert.json"], in: dir).status == 0)
        let python = try runPythonChecker(["cert.json"], in: dir)
        #expect(python.status == 2 && python.stdout.isEmpty, "\(python.stdout)\(python.stderr)")
        #expect(python.stderr.hasPrefix("error: cert.json: kind \"separation-number\" is declined")
                && python.stderr.split(separator: "\n").count == 1, "\(python.stderr)")
    }

    @Test("the certificate schema is no stricter than the checkers: every well-formed tampered certificate matches it")
    func schemaIsNoStricter() throws {
        var files: [String] = []
        for tamper in tamperCorpus where tamper.expected != 2 {
            var copy = try WorkingCopy(tamper.base)
            try tamper.change(&copy)
            if copy.dirty { try copy.writeCertificate() }
            files.append(copy.certificateFile.path)
        }
        #expect(files.count > 50)
        let script = repositoryFolder.appendingPathComponent("scripts/check_schemas.py").path
        let result = try runShell("python3 '\(script)' " + files.map { "'\($0)'" }.joined(separator: " "), in: repositoryFolder)
        #expect(result.status == 0, "\(result.stdout.split(separator: "\n").filter { !$0.hasPrefix("ok") }.joined(separator: "\n"))\(result.stderr)")
    }
}

/// Makes a FIFO (a named pipe) called `name` in `folder`.
func makeFIFO(_ name: String, in folder: URL) throws {
    let made = try runShell("mkfifo '\(name)'", in: folder)
    #expect(made.status == 0, "\(made.stderr)")
}

/// The `FILE:LINE:COLUMN` of a one-line `error: ...` (exit 2), or nil.
func errorPosition(_ result: CommandResult) -> String? {
    guard result.status == 2, let match = result.stderr.firstMatch(of: #/^error: (.*?:\d+:\d+): /#) else { return nil }
    return String(match.1)
}

@Suite("Both checkers locate bad input alike, and treat file names alike")
struct CrossCheckerPositionTests {
    /// A copy of the small case whose certificate names a replaced data file (digest updated), or
    /// whose certificate is replaced by `certificate`.
    func locate(data: [UInt8]? = nil, certificate: [UInt8]? = nil) throws -> (python: CommandResult, swift: CommandResult) {
        var copy = try WorkingCopy(small)
        if let data { try copy.editFile("data.csv") { _ in Data(data) } }
        try copy.writeCertificate()
        if let certificate { try Data(certificate).write(to: copy.certificateFile) }
        let path = copy.certificateFile.path
        return (try runPythonChecker([path], in: copy.folder), try runMemcert(["check", path], in: copy.folder))
    }

    @Test("columns count UTF-8 sequences, one per byte of an invalid one; a byte-order mark is no column (T2)")
    func columns() throws {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let cases: [(name: String, data: [UInt8]?, certificate: [UInt8]?, position: String)] = [
            // é (2 bytes, 1 column), E2 82 (a cut 3-byte sequence: 2 columns), ',', FF (1 column), then the CR.
            ("a CR in a header after valid and invalid UTF-8", Array("\u{E9}".utf8) + [0xE2, 0x82, 0x2C, 0xFF, 0x0D] + Array(",label\n0,1\n".utf8),
             nil, "data.csv:1:6"),
            ("the same header behind a byte-order mark", mark + Array("\u{E9}".utf8) + [0xE2, 0x82, 0x2C, 0xFF, 0x0D] + Array(",label\n0,1\n".utf8),
             nil, "data.csv:1:6"),
            ("a JSON syntax error behind a byte-order mark", nil, mark + Array(#"{"a" 1}"#.utf8), "cert.json:1:6"),
            ("a JSON syntax error after characters of 2, 3 and 4 bytes", nil, Array("{\"\u{E9}\u{20AC}\u{1D11E}\": x}".utf8), "cert.json:1:9"),
            ("a JSON syntax error on line 2 of a file with a byte-order mark", nil, mark + Array("{\n  \"a\": ]".utf8), "cert.json:2:8"),
        ]
        for c in cases {
            let (python, swift) = try locate(data: c.data, certificate: c.certificate)
            for (checker, result) in [("python", python), ("swift", swift)] {
                #expect(errorPosition(result)?.hasSuffix("/" + c.position) == true, "\(c.name): \(checker): \(result.stderr)")
            }
            #expect(errorPosition(python) == errorPosition(swift), "\(c.name)")
        }
    }

    @Test("'-' as the certificate names a file called '-' (no standard input), for both checkers")
    func dashCertificate() throws {
        let copy = try WorkingCopy(small)
        let python = try runPythonChecker(["-"], in: copy.folder)
        let swift = try runMemcert(["check", "-"], in: copy.folder)
        #expect(python.status == 2 && swift.status == 2, "\(python.stderr)\(swift.stderr)")
        try FileManager.default.copyItem(at: copy.certificateFile, to: copy.folder.appendingPathComponent("-"))
        #expect(try runPythonChecker(["-"], in: copy.folder).status == 0)
        #expect(try runMemcert(["check", "-"], in: copy.folder).status == 0)
    }
}
