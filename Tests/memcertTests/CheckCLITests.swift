import Foundation
import Testing

// runShell (RobustnessCLITests.swift) runs a shell command line, for ulimit and environment settings.

/// SHA-256 of a file, by coreutils (independent of memcert).
func sha256(_ file: URL) throws -> String {
    let r = try runShell("sha256sum '\(file.path)'", in: file.deletingLastPathComponent())
    return String(r.stdout.prefix(64))
}

/// Replaces a file named by a certificate and updates its recorded digest (a forged certificate).
func forge(_ folder: URL, file: String, with text: String, certificate: String = "cert.json") throws {
    let url = folder.appendingPathComponent(file), cert = folder.appendingPathComponent(certificate)
    let old = try sha256(url)
    try text.write(to: url, atomically: true, encoding: .utf8)
    let updated = try String(contentsOf: cert, encoding: .utf8).replacingOccurrences(of: old, with: try sha256(url))
    try updated.write(to: cert, atomically: true, encoding: .utf8)
}

func edit(_ folder: URL, _ file: String, _ old: String, _ new: String) throws {
    let url = folder.appendingPathComponent(file)
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.contains(old), "\(old) not in \(file)")
    try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
}

/// A network written with bare JSON numbers (the reader accepts them): output 1[x - y >= 0].
let bareNumberNetwork = """
{ "format": "memcert.network/1", "inputDimension": 2, "outputBits": 1,
  "layers": [ { "neurons": [ {"weights": {"indices": [0, 1], "values": [1, -1.0]}, "bias": 0} ] } ] }
"""

@Suite("memcert check, end to end: the classes of the audit")
struct CheckCLITests {
    @Test("honest certificates for CRLF data, data with a byte-order mark, and a network of bare numbers all check")
    func honestInputs() throws {
        let dir = try temporaryFolder()
        try write(bareNumberNetwork, to: "net.json", in: dir)
        try write("x,y,label\r\n# note\r\n1,0,1\r\n0,1,0\r\n0.5,0.5,1\r\n", to: "crlf.csv", in: dir)
        try write("\u{FEFF}x,y,label\n1,0,1\n0,1,0\n", to: "bom.csv", in: dir)
        for data in ["crlf.csv", "bom.csv"] {
            let certify = try runMemcert(["certify", "net.json", data, "-o", "\(data).cert.json"], in: dir)
            #expect(certify.status == 0, "\(certify.stderr)")
            let check = try runMemcert(["check", "\(data).cert.json"], in: dir)
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            #expect(check.stdout.hasPrefix("holds"))
        }
    }

    @Test("a row after a CRLF comment is seen: a forged certificate over it fails, naming the point")
    func hiddenRow() throws {
        let dir = try temporaryFolder()
        try write(bareNumberNetwork, to: "net.json", in: dir)
        try write("1,0,1\r\n0,1,0\r\n", to: "data.csv", in: dir)
        #expect(try runMemcert(["certify", "net.json", "data.csv", "-o", "cert.json"], in: dir).status == 0)
        // (0, 2) gets output 0 but is labelled 1; a reader that let the comment swallow it would not see it.
        try forge(dir, file: "data.csv", with: "1,0,1\r\n0,1,0\r\n# note\r\n0,2,1\r\n")
        try edit(dir, "cert.json", "\"n\": 2", "\"n\": 3")
        let r = try runMemcert(["check", "cert.json"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("claims.memorized") && r.stdout.contains("line 4"), "\(r.stdout)")
        // The producer refuses to certify it at all.
        #expect(try runMemcert(["certify", "net.json", "data.csv", "-o", "other.json"], in: dir).status == 1)
    }

    @Test("output bits beyond 62 and labels beyond 2^62 - 1 are malformed files (exit 2, located)")
    func limits() throws {
        let dir = try temporaryFolder()
        try write(bareNumberNetwork, to: "net.json", in: dir)
        try write("1,0,1\n0,1,0\n", to: "data.csv", in: dir)
        #expect(try runMemcert(["certify", "net.json", "data.csv", "-o", "cert.json"], in: dir).status == 0)
        let wide = (0 ..< 63).map { _ in "{\"weights\": {\"indices\": [0], \"values\": [\"1\"]}, \"bias\": \"0\"}" }.joined(separator: ", ")
        try forge(dir, file: "net.json", with: """
            { "format": "memcert.network/1", "inputDimension": 2, "outputBits": 63, "layers": [ { "neurons": [ \(wide) ] } ] }
            """)
        let bits = try runMemcert(["check", "cert.json"], in: dir)
        #expect(bits.status == 2 && bits.stderr.hasPrefix("error: net.json:1:") && bits.stderr.contains("exceeds 62"), "\(bits.stderr)")
        #expect(bits.stderr.split(separator: "\n").count == 1)
        try forge(dir, file: "net.json", with: bareNumberNetwork)
        try forge(dir, file: "data.csv", with: "1,0,1\n0,1,4611686018427387904\n")
        let label = try runMemcert(["check", "cert.json"], in: dir)
        #expect(label.status == 2 && label.stderr.hasPrefix("error: data.csv:2:"), "\(label.stderr)")
    }

    @Test("truncating and lenient JSON values are malformed, with one located line")
    func lenientValues() throws {
        let dir = try temporaryFolder()
        try write(bareNumberNetwork, to: "net.json", in: dir)
        try write("1,0,1\n0,1,0\n", to: "data.csv", in: dir)
        #expect(try runMemcert(["certify", "net.json", "data.csv", "-o", "cert.json"], in: dir).status == 0)
        let original = try String(contentsOf: dir.appendingPathComponent("cert.json"), encoding: .utf8)
        for (old, new) in [("\"memorized\": true", "\"memorized\": 1"), ("\"n\": 2", "\"n\": \"2\""), ("\"d\": 2", "\"d\": 2.7"),
                           ("\"depth\": 1", "\"depth\": true")] {
            try original.replacingOccurrences(of: old, with: new).write(to: dir.appendingPathComponent("cert.json"), atomically: true, encoding: .utf8)
            let r = try runMemcert(["check", "cert.json"], in: dir)
            #expect(r.status == 2 && r.stderr.hasPrefix("error: cert.json:") && r.stdout.isEmpty, "\(new): \(r.stderr)")
        }
        for (old, new) in [("[0, 1]", "[0, 1.9]"), ("\"inputDimension\": 2", "\"inputDimension\": 2.7")] {
            try original.write(to: dir.appendingPathComponent("cert.json"), atomically: true, encoding: .utf8)
            try write(bareNumberNetwork, to: "net.json", in: dir)
            try forge(dir, file: "net.json", with: bareNumberNetwork.replacingOccurrences(of: old, with: new))
            let r = try runMemcert(["check", "cert.json"], in: dir)
            #expect(r.status == 2 && r.stderr.hasPrefix("error: net.json:"), "\(new): \(r.stderr)")
        }
    }

    @Test("claimed powers far beyond n are refused at once")
    func hugeClaims() throws {
        let dir = try temporaryFolder()
        try write("0,0,0\n1,0,1\n0,1,1\n1,1,0\n2,0,0\n", to: "data.csv", in: dir)
        #expect(try runMemcert(["lower-bound", "data.csv", "--certificate", "cert.json"], in: dir).status == 0)
        let text = try String(contentsOf: dir.appendingPathComponent("cert.json"), encoding: .utf8)
        let weights = try #require(text.range(of: "\"weights\": ")).upperBound
        let end = try #require(text[weights...].firstIndex(of: ","))
        for huge in ["1000000000000000", "100000000"] {
            try (text[..<weights] + huge + text[end...]).write(to: dir.appendingPathComponent("cert.json"), atomically: true, encoding: .utf8)
            let r = try runMemcert(["check", "cert.json", "--json"], in: dir)
            #expect(r.status == 1 && r.stdout.contains("\"claim\": \"claims.bounds[") && r.stdout.contains("exceeds"), "\(r.stdout)\(r.stderr)")
        }
    }

    @Test("a 20,000-point circle certificate checks in bounded memory")
    func largeCircle() throws {
        let dir = try temporaryFolder()
        #expect(try runMemcert(["generate", "circle", "--n", "20000", "--labels", "alternating", "-o", "c.csv"], in: dir).status == 0)
        #expect(try runMemcert(["lower-bound", "c.csv", "--certificate", "cert.json"], in: dir).status == 0)
        // 1 GB of address space: comparing the order with all its rotations would take about 6 GB.
        let r = try runShell("ulimit -v 1000000 && MEMCERT_THREADS=2 MALLOC_ARENA_MAX=2 '\(memcertExecutable.path)' check cert.json", in: dir)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("claims.bounds[0]"))
    }

    @Test("'..' paths, absolute paths and unknown roles are refused; --data is the explicit way out")
    func paths() throws {
        let dir = try temporaryFolder()
        let inner = dir.appendingPathComponent("inner")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        try write("0,0,0\n1,0,1\n0,1,1\n", to: "data.csv", in: dir)
        try write("0,0,0\n1,0,1\n0,1,1\n", to: "data.csv", in: inner)
        #expect(try runMemcert(["lower-bound", "inner/data.csv", "--certificate", "inner/cert.json"], in: dir).status == 0)
        let original = try String(contentsOf: inner.appendingPathComponent("cert.json"), encoding: .utf8)
        for (new, fragment) in [("../data.csv", "'..' segment"), (dir.appendingPathComponent("data.csv").path, "absolute")] {
            try original.replacingOccurrences(of: "\"path\": \"data.csv\"", with: "\"path\": \"\(new)\"")
                .write(to: inner.appendingPathComponent("cert.json"), atomically: true, encoding: .utf8)
            let r = try runMemcert(["check", "inner/cert.json"], in: dir)
            #expect(r.status == 2 && r.stderr.contains(fragment) && r.stderr.hasPrefix("error: inner/cert.json:"), "\(r.stderr)")
            #expect(!r.stdout.contains("sha256"))
            // With --data the file is named explicitly, and the claims are checked against it.
            let explicit = try runMemcert(["check", "inner/cert.json", "--data", "data.csv"], in: dir)
            #expect(explicit.status == 2, "the path in the certificate must still be well formed")
        }
        try original.replacingOccurrences(of: "\"data\": {", with: "\"extra\": {\"path\": \"data.csv\", \"sha256\": \"\(String(repeating: "0", count: 64))\"}, \"data\": {")
            .write(to: inner.appendingPathComponent("cert.json"), atomically: true, encoding: .utf8)
        let role = try runMemcert(["check", "inner/cert.json"], in: dir)
        #expect(role.status == 2 && role.stderr.contains("unknown key \"extra\""), "\(role.stderr)")
        try original.write(to: inner.appendingPathComponent("cert.json"), atomically: true, encoding: .utf8)
        #expect(try runMemcert(["check", "inner/cert.json", "--data", "data.csv"], in: dir).status == 0)
        // Issuing refuses what checking would refuse.
        let outside = try runMemcert(["lower-bound", "data.csv", "--certificate", "inner/other.json"], in: dir)
        #expect(outside.status == 2 && outside.stderr.contains("outside the certificate's folder"), "\(outside.stderr)")
    }

    @Test("exit codes and --json: 0 holds, 1 names the failing claim, 2 prints nothing on stdout; version 1 is refused")
    func exitCodes() throws {
        let dir = try temporaryFolder()
        try write(bareNumberNetwork, to: "net.json", in: dir)
        try write("1,0,1\n0,1,0\n", to: "data.csv", in: dir)
        #expect(try runMemcert(["certify", "net.json", "data.csv", "-o", "cert.json"], in: dir).status == 0)
        let ok = try runMemcert(["check", "cert.json", "--json"], in: dir)
        let object = try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any]
        #expect(ok.status == 0 && object?["format"] as? String == "memcert.check/1" && object?["holds"] as? Bool == true)
        #expect(object?["failure"] is NSNull && (object?["checks"] as? [String])?.contains("claims.memorized") == true)
        try edit(dir, "cert.json", "\"weights\": 2", "\"weights\": 3")
        let fails = try runMemcert(["check", "cert.json", "--json"], in: dir)
        let failure = (try JSONSerialization.jsonObject(with: Data(fails.stdout.utf8)) as? [String: Any])?["failure"] as? [String: Any]
        #expect(fails.status == 1 && failure?["claim"] as? String == "claims.weights")
        try edit(dir, "cert.json", "memcert.certificate/2", "memcert.certificate/1")
        let old = try runMemcert(["check", "cert.json", "--json"], in: dir)
        #expect(old.status == 2 && old.stdout.isEmpty && old.stderr.contains("re-issue"))
    }

    @Test("memcert --version and every certificate name the commit and GMP's version")
    func provenance() throws {
        let dir = try temporaryFolder()
        let version = try runMemcert(["--version"], in: dir)
        #expect(version.status == 0 && version.stdout.contains("GMP "))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let git = try runShell("git rev-parse HEAD", in: root)
        if git.status == 0 {
            let head = git.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(version.stdout.contains("commit \(head)"), "\(version.stdout) vs \(head)")
        } else {
            #expect(version.stdout.contains("commit unknown"))
        }
        try write("0,0,0\n1,0,1\n0,1,1\n", to: "data.csv", in: dir)
        #expect(try runMemcert(["lower-bound", "data.csv", "--certificate", "cert.json"], in: dir).status == 0)
        let cert = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("cert.json"))) as? [String: Any]
        let provenance = cert?["provenance"] as? [String: Any]
        #expect((provenance?["command"] as? [String])?.suffix(3) == ["data.csv", "--certificate", "cert.json"])
        #expect(version.stdout.contains("GMP \(provenance?["gmp"] as? String ?? "?")"))
        #expect(version.stdout.contains("memcert \(provenance?["memcert"] as? String ?? "?")"))
    }
}
