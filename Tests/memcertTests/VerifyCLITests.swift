import Foundation
import Testing

let twoPointNetwork = """
{ "format": "memcert.network/1", "inputDimension": 2, "outputBits": 1,
  "layers": [ { "name": "out", "neurons": [ {"weights": {"indices": [0, 1], "values": ["1", "-1"]}, "bias": "0"} ] } ] }
"""

@Suite("memcert verify, end to end")
struct VerifyCLITests {
    @Test("exit 0 and a summary when every point is memorized")
    func memorized() throws {
        let dir = try temporaryFolder()
        try write(twoPointNetwork, to: "net.json", in: dir)
        try write("x,y,label\n1,0,1\n0,1,0\n0.1,0.1,1\n", to: "data.csv", in: dir)
        let r = try runMemcert(["verify", "net.json", "data.csv"], in: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("memorized: all 3 points"))
    }

    @Test("exit 1 listing the first mismatch by line; --json gives the stable object")
    func notMemorized() throws {
        let dir = try temporaryFolder()
        try write(twoPointNetwork, to: "net.json", in: dir)
        try write("1,0,1\n# c\n0,1,1\n", to: "data.csv", in: dir)
        let r = try runMemcert(["verify", "net.json", "data.csv"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("line 3: expected 1, network outputs 0"))
        let j = try runMemcert(["verify", "net.json", "data.csv", "--json"], in: dir)
        #expect(j.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any]
        #expect(object?["memorized"] as? Bool == false)
        #expect(object?["n"] as? Int == 2)
        #expect(object?["mismatchCount"] as? Int == 1)
        let first = (object?["mismatches"] as? [[String: Any]])?.first
        #expect(first?["line"] as? Int == 3 && first?["expected"] as? Int == 1 && first?["output"] as? Int == 0)
        #expect((object?["network"] as? [String: Any])?["weights"] as? Int == 2)
    }

    @Test("exit 2 with one line naming file, line and column for bad data or a bad network")
    func badInput() throws {
        let dir = try temporaryFolder()
        try write(twoPointNetwork, to: "net.json", in: dir)
        try write("1,0,1\n0,nan,1\n", to: "data.csv", in: dir)
        let r = try runMemcert(["verify", "net.json", "data.csv"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: data.csv:2:3: "))
        #expect(r.stderr.split(separator: "\n").count == 1)
        try write(String(twoPointNetwork.dropLast(20)), to: "cut.json", in: dir)
        let t = try runMemcert(["verify", "cut.json", "data.csv"], in: dir)
        #expect(t.status == 2)
        #expect(t.stderr.hasPrefix("error: cut.json:"))
        let missing = try runMemcert(["verify", "nope.json", "data.csv"], in: dir)
        #expect(missing.status == 2 && missing.stderr.contains("nope.json: cannot open"))
        try write("1,0,1\n1,0,0\n", to: "conflict.csv", in: dir)
        let c = try runMemcert(["verify", "net.json", "conflict.csv"], in: dir)
        #expect(c.status == 2 && c.stderr.contains("conflict.csv:2:1:") && c.stderr.contains("line 1"))
    }

    @Test("random bytes as either file give exit 2, never a crash")
    func randomBytes() throws {
        let dir = try temporaryFolder()
        try write(twoPointNetwork, to: "net.json", in: dir)
        try write("1,0,1\n", to: "data.csv", in: dir)
        var state: UInt64 = 7
        for round in 0 ..< 12 {
            var bytes = [UInt8]()
            for _ in 0 ..< 64 + round * 37 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(UInt8(truncatingIfNeeded: state >> 33))
            }
            try Data(bytes).write(to: dir.appendingPathComponent("junk"))
            let asNetwork = try runMemcert(["verify", "junk", "data.csv"], in: dir)
            let asData = try runMemcert(["verify", "net.json", "junk"], in: dir)
            #expect(asNetwork.status == 2, "\(asNetwork.stderr)")
            #expect([0, 1, 2].contains(asData.status), "\(asData.stderr)")
        }
    }

    @Test("a malformed command line keeps the argument parser's status 64")
    func usage() throws {
        let dir = try temporaryFolder()
        let r = try runMemcert(["verify", "only-one-argument"], in: dir)
        #expect(r.status == 64)
    }
}

@Suite("certify, end to end")
struct CertifyCLITests {
    let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("certificates/sphere-memorization")

    @Test("certify reproduces a reference certificate but for provenance, and names files inside the certificate's folder")
    func certify() throws {
        let dir = try temporaryFolder()
        for name in ["network.json", "data.csv"] {
            try FileManager.default.copyItem(at: reference.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let r = try runMemcert(["certify", "network.json", "data.csv", "-o", "cert.json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        func withoutProvenance(_ file: URL) throws -> NSDictionary {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
            #expect(object["provenance"] is [String: Any])
            return object.filter { $0.key != "provenance" } as NSDictionary
        }
        #expect(try withoutProvenance(dir.appendingPathComponent("cert.json"))
                    == withoutProvenance(reference.appendingPathComponent("cert.json")))
        // A certificate in a folder above the files names them by their path below it, and checks.
        // (Paths are compared resolved: "./x" and "../<this folder>/c.json" name this folder.)
        let r2 = try runMemcert(["certify", "./network.json", "data.csv", "-o", "../\(dir.lastPathComponent)/same.json"], in: dir)
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("same.json"), encoding: .utf8).contains("\"path\": \"network.json\""))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("files"), withIntermediateDirectories: true)
        for name in ["network.json", "data.csv"] {
            try FileManager.default.copyItem(at: dir.appendingPathComponent(name), to: dir.appendingPathComponent("files/\(name)"))
        }
        let above = try runMemcert(["certify", "files/network.json", "files/data.csv", "-o", "above.json"], in: dir)
        #expect(above.status == 0, "\(above.stderr)")
        let text = try String(contentsOf: dir.appendingPathComponent("above.json"), encoding: .utf8)
        #expect(text.contains("\"path\": \"files/network.json\"") && text.contains("\"path\": \"files/data.csv\""))
        #expect(try runMemcert(["check", "above.json"], in: dir).status == 0)
        // From a folder beside or below the files the paths would need "..", which no checker resolves (K3):
        // refused before any work, and nothing is written.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("nested/deeper"), withIntermediateDirectories: true)
        let nested = try runMemcert(["certify", "network.json", "data.csv", "-o", "nested/deeper/c.json"], in: dir)
        #expect(nested.status == 2 && nested.stderr.contains("outside the certificate's folder"), "\(nested.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("nested/deeper/c.json").path))
        // A symlink inside the folder that leads out of it is resolved, and refused the same way.
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("nested/data.csv").path,
                                                   withDestinationPath: dir.appendingPathComponent("data.csv").path)
        try FileManager.default.copyItem(at: dir.appendingPathComponent("network.json"), to: dir.appendingPathComponent("nested/network.json"))
        let linked = try runMemcert(["certify", "nested/network.json", "nested/data.csv", "-o", "nested/c.json"], in: dir)
        #expect(linked.status == 2 && linked.stderr.contains("outside the certificate's folder"), "\(linked.stderr)")
    }

    @Test("no certificate for a network that does not memorize the data: exit 1, nothing written")
    func refuses() throws {
        let dir = try temporaryFolder()
        try write(twoPointNetwork, to: "net.json", in: dir)
        try write("1,0,1\n# c\n0,1,1\n", to: "data.csv", in: dir)
        let r = try runMemcert(["certify", "net.json", "data.csv", "-o", "cert.json"], in: dir)
        #expect(r.status == 1 && r.stdout.contains("line 3: expected 1, network outputs 0"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("cert.json").path))
    }
}
