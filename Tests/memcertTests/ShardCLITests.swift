import Crypto
import Foundation
import Testing
import TestSupport

// Streaming and sharded verification end to end (docs/formats.md, sections 3.1 and 5.4): the
// streamed and sharded verdicts against the whole-file verdict on random data with comments,
// blank lines, CRLF, a byte-order mark, numbers in several spellings and repeated rows far
// apart; shard certificates made by K concurrent processes, combined and checked; and every
// kind of tampering with a shard, its row list, the root or a range caught.

/// A random data set and a network that memorizes it (unless a label is flipped).
struct ShardFixture {
    var csv: [UInt8] = []
    var network = ""
    var rowCount = 0
    /// Offsets where a comment or blank line, or a CR LF pair, lies strictly around the offset.
    var insideSkipped: [Range<Int>] = []
    var insideCRLF: [Int] = []

    /// The network is `TeacherNetwork` (half-integer biases, so margins are not 0).
    init(seed: UInt64, rows: Int, flip: Bool) {
        var rng = SplitMix64(seed: seed)
        let teacher = TeacherNetwork(&rng)
        network = teacher.json()
        func label(_ x: [Int]) -> Int { teacher.label(x) }
        func spell(_ v: Int, _ rng: inout SplitMix64) -> String {
            switch rng.below(5) {
            case 0: return v >= 0 ? "+\(v)" : "\(v)"
            case 1: return "\(2 * v)/2"
            case 2: return "\(v).0"
            case 3: return v < 0 ? "-0x\(String(-v, radix: 16))p0" : "0x\(String(v, radix: 16))p0"
            default: return "\(v)"
            }
        }
        var points: [[Int]] = []
        let flipAt = flip ? rows / 2 : -1
        var out = ""
        if rng.below(2) == 0 { out += "\u{FEFF}" }
        out += "# made by ShardCLITests\n"
        out += rng.below(2) == 0 ? "x,y,z,label\n" : ""
        var written = 0
        while written < rows {
            let kind = rng.below(10)
            let start = out.utf8.count
            if kind == 0 {
                out += "# a comment, with a CR\r inside and, commas\n"
                insideSkipped.append(start + 1 ..< out.utf8.count - 1)
                continue
            }
            if kind == 1 {
                out += rng.below(2) == 0 ? "   \t \n" : "\n\n"
                if out.utf8.count - start > 2 { insideSkipped.append(start + 1 ..< out.utf8.count - 1) }
                continue
            }
            var x: [Int]
            // Repeat an earlier point now and then (never the flipped one): repeated rows far apart.
            if kind == 2 && !points.isEmpty {
                x = points[rng.below(points.count)]
            } else {
                x = (0 ..< 3).map { _ in rng.below(41) - 20 }
                if points.contains(x) { continue }
            }
            var l = label(x)
            if written == flipAt {
                if points.contains(x) { continue }
                l ^= 1
            }
            if written != flipAt { points.append(x) }
            out += x.map { spell($0, &rng) }.joined(separator: rng.below(2) == 0 ? "," : " , ") + ", \(l)"
            if rng.below(3) == 0 {
                out += "\r\n"
                insideCRLF.append(out.utf8.count - 1)
            } else {
                out += "\n"
            }
            written += 1
        }
        csv = Array(out.utf8)
        rowCount = rows
    }

    func write(to folder: URL) throws {
        try Data(csv).write(to: folder.appendingPathComponent("data.csv"))
        try network.write(to: folder.appendingPathComponent("network.json"), atomically: true, encoding: .utf8)
    }
}

func jsonObject(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

@Suite("streaming and shards") struct ShardCLITests {
    @Test("streamed and sharded verdicts equal the whole-file verdict; boundaries fall in comments, blank lines and CR LF")
    func verdicts() throws {
        var boundariesInSkipped = 0, boundariesInCRLF = 0
        for seed in UInt64(1) ... 8 {
            let fixture = ShardFixture(seed: seed, rows: 60 + Int(seed) * 7, flip: seed % 3 == 0)
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try fixture.write(to: folder)
            let whole = try runMemcert(["verify", "network.json", "data.csv", "--reading", "memory", "--json"], in: folder)
            #expect(whole.status == (seed % 3 == 0 ? 1 : 0), "seed \(seed): \(whole.stderr)")
            let w = jsonObject(whole.stdout)
            let streamed = try runMemcert(["verify", "network.json", "data.csv", "--reading", "stream", "--block-size", "\(17 * Int(seed))", "--json"], in: folder)
            #expect(streamed.status == whole.status, "seed \(seed): \(streamed.stderr)")
            let s = jsonObject(streamed.stdout)
            for key in ["memorized", "n", "d", "classes", "mergedDuplicates", "mismatchCount"] {
                #expect("\(s[key] ?? "-")" == "\(w[key] ?? "-")", "seed \(seed): \(key)")
            }
            let rows = (w["n"] as? Int ?? 0) + (w["mergedDuplicates"] as? Int ?? 0)
            for k in [2, 3, 5, 8] {
                var allHold = true, rowSum = 0, previousEnd = 0
                for i in 1 ... k {
                    let part = try runMemcert(["verify", "network.json", "data.csv", "--shard", "\(i)/\(k)", "--json"], in: folder)
                    #expect(part.status == 0 || part.status == 1, "seed \(seed) shard \(i)/\(k): \(part.stderr)")
                    allHold = allHold && part.status == 0
                    let shard = jsonObject(part.stdout)["shard"] as? [String: Any] ?? [:]
                    rowSum += shard["rows"] as? Int ?? -1
                    #expect(shard["start"] as? Int == previousEnd, "seed \(seed) shard \(i)/\(k): the shards tile the file")
                    previousEnd = shard["end"] as? Int ?? -1
                    let nominal = (i - 1) * fixture.csv.count / k
                    if i > 1 && fixture.insideSkipped.contains(where: { $0.contains(nominal) }) { boundariesInSkipped += 1 }
                    if i > 1 && fixture.insideCRLF.contains(nominal) { boundariesInCRLF += 1 }
                }
                #expect(previousEnd == fixture.csv.count)
                #expect(allHold == (whole.status == 0), "seed \(seed), \(k) shards")
                #expect(rowSum == rows, "seed \(seed), \(k) shards: every row in exactly one shard")
            }
        }
        // The fixtures are made so that some boundaries fall inside skipped lines and between CR and LF.
        #expect(boundariesInSkipped > 0)
        #expect(boundariesInCRLF > 0)
    }

    /// Makes K shard certificates with K concurrent processes, combines them; returns the folder.
    func certifiedShards(seed: UInt64, k: Int) throws -> URL {
        let fixture = ShardFixture(seed: seed, rows: 300, flip: false)
        let folder = try temporaryFolder()
        try fixture.write(to: folder)
        let combine = try certifyShardsConcurrently(data: "data.csv", k: k, blockSize: 200, in: folder)
        #expect(combine.status == 0, "\(combine.stderr)")
        return folder
    }

    @Test("K processes certify shards; the root combines them and checks, and agrees with the whole-file certificate")
    func certifyCombineCheck() throws {
        let folder = try certifiedShards(seed: 11, k: 4)
        defer { try? FileManager.default.removeItem(at: folder) }
        let check = try runMemcert(["check", "root.json"], in: folder)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        for i in 1 ... 4 { #expect(try runMemcert(["check", "shard\(i).json"], in: folder).status == 0) }
        let whole = try runMemcert(["certify", "network.json", "data.csv", "--reading", "memory", "-o", "whole.json"], in: folder)
        #expect(whole.status == 0)
        let root = jsonObject(try String(contentsOf: folder.appendingPathComponent("root.json"), encoding: .utf8))["claims"] as? [String: Any] ?? [:]
        let full = jsonObject(try String(contentsOf: folder.appendingPathComponent("whole.json"), encoding: .utf8))["claims"] as? [String: Any] ?? [:]
        #expect((full["mergedDuplicates"] as? Int ?? 0) > 0, "the fixture repeats rows")
        for key in ["n", "d", "classes", "mergedDuplicates", "neurons", "weights", "biases", "depth", "largestWeightBits"] {
            #expect(root[key] as? Int == full[key] as? Int, "\(key)")
        }
        #expect(root["minimumMargins"] as? [String] == full["minimumMargins"] as? [String])
        #expect((root["minimumMargins"] as? [String])?.contains("0") == false, "margins are not all 0, so their minimum is tested")
        // The Python checker declines shard kinds, saying so.
        let python = try runPythonChecker(["root.json"], in: folder)
        #expect(python.status == 2 && python.stderr.contains("not supported"))
    }

    @Test("--combine refuses a missing, repeated or foreign shard, a tampered row list and a shard of another split, writing nothing")
    func combineRefuses() throws {
        let folder = try certifiedShards(seed: 13, k: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("root.json"))
        #expect(try runMemcert(["certify", "network.json", "data.csv", "--shard", "2/4", "-o", "other.json"], in: folder).status == 0)
        let refused: [[String]] = [
            ["shard1.json", "shard2.json"],                  // shard 3 missing
            ["shard1.json", "shard2.json", "shard2.json"],   // shard 2 twice, shard 3 missing
            ["shard1.json", "other.json", "shard3.json"],    // a shard of a split into 4
            ["shard1.json", "shard2.json", "shard3.json", "data.csv"],
        ]
        for certificates in refused {
            let r = try runMemcert(["certify", "--combine"] + certificates + ["-o", "root.json"], in: folder)
            #expect(r.status == 2, "\(certificates): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("root.json").path))
        }
        // A row list changed (one label), even with its digest re-recorded in its certificate: refused or caught.
        let url = folder.appendingPathComponent("shard2.json.rows")
        var bytes = [UInt8](try Data(contentsOf: url))
        bytes[16 + 32] ^= 1
        try Data(bytes).write(to: url)
        #expect(try runMemcert(["certify", "--combine", "shard1.json", "shard2.json", "shard3.json", "-o", "root.json"], in: folder).status == 2)
    }

    @Test("examples/cluster/parallel.sh runs K local shards, combines and checks")
    func parallelScript() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try ShardFixture(seed: 21, rows: 120, flip: false).write(to: folder)
        let script = repositoryFolder.appendingPathComponent("examples/cluster/parallel.sh").path
        let r = try runShell("MEMCERT='\(memcertExecutable.path)' bash '\(script)' network.json data.csv 3", in: folder)
        #expect(r.status == 0 && r.stdout.contains("holds  ./root.json (memorization-root)"), "\(r.stdout)\(r.stderr)")
        for i in 1 ... 3 { #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("shard-\(i).json.rows").path)) }
    }

    @Test("tampering with a shard, its row list, the root or a range is caught")
    func tampering() throws {
        let original = try certifiedShards(seed: 12, k: 4)
        defer { try? FileManager.default.removeItem(at: original) }
        func sha256(_ url: URL) throws -> String {
            SHA256.hash(data: try Data(contentsOf: url)).map { String(format: "%02x", $0) }.joined()
        }
        func edit(_ folder: URL, _ name: String, _ change: (String) -> String) throws {
            let url = folder.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            let changed = change(text)
            #expect(changed != text, "the tampering of \(name) changes it")
            try changed.write(to: url, atomically: true, encoding: .utf8)
        }
        /// Re-records shard i's digest in the root (a tamperer covering their tracks).
        func redigest(_ folder: URL, shard i: Int) throws {
            let old = try sha256(original.appendingPathComponent("shard\(i).json"))
            let new = try sha256(folder.appendingPathComponent("shard\(i).json"))
            try edit(folder, "root.json") { $0.replacingOccurrences(of: old, with: new) }
        }
        let shard2 = jsonObject(try String(contentsOf: original.appendingPathComponent("shard2.json"), encoding: .utf8))
        let range = (shard2["files"] as? [String: Any])?["data"] as? [String: Any] ?? [:]
        let (start, end) = (range["start"] as? Int ?? 0, range["end"] as? Int ?? 0)
        let rows2 = (shard2["claims"] as? [String: Any])?["rows"] as? Int ?? 0
        let cases: [(String, Int32, (URL) throws -> Void)] = [
            ("a data byte in shard 2", 1, { f in
                var bytes = [UInt8](try Data(contentsOf: f.appendingPathComponent("data.csv")))
                let at = (start ..< end).first { bytes[$0] >= 0x31 && bytes[$0] <= 0x38 && bytes[$0 - 1] != 0x30 }!
                bytes[at] += 1
                try Data(bytes).write(to: f.appendingPathComponent("data.csv"))
            }),
            ("a shard's claim", 1, { f in try edit(f, "shard3.json") { $0.replacingOccurrences(of: "\"shard\": 3", with: "\"shard\": 2") } }),
            ("a shard's claim, digest re-recorded", 1, { f in
                try edit(f, "shard2.json") { $0.replacingOccurrences(of: "\"rows\": \(rows2)", with: "\"rows\": \(rows2 - 1)") }
                try redigest(f, shard: 2)
            }),
            ("a shard's range, digest re-recorded", 1, { f in
                try edit(f, "shard2.json") { $0.replacingOccurrences(of: "\"end\": \(end)", with: "\"end\": \(end + 1)") }
                try edit(f, "shard3.json") { $0.replacingOccurrences(of: "\"start\": \(end)", with: "\"start\": \(end + 1)") }
                try redigest(f, shard: 2)
                try redigest(f, shard: 3)
            }),
            ("a row list byte", 1, { f in
                var bytes = [UInt8](try Data(contentsOf: f.appendingPathComponent("shard2.json.rows")))
                bytes[20] ^= 1
                try Data(bytes).write(to: f.appendingPathComponent("shard2.json.rows"))
            }),
            ("a row list with a row dropped, all digests re-recorded", 1, { f in
                let url = f.appendingPathComponent("shard2.json.rows")
                let old = try sha256(url)
                let bytes = [UInt8](try Data(contentsOf: url))
                try Data(bytes[0 ..< 16] + bytes[64...] + bytes[16 ..< 64].map { $0 ^ 0xFF }).write(to: url)
                let new = try sha256(url)
                try edit(f, "shard2.json") { $0.replacingOccurrences(of: old, with: new) }
                try redigest(f, shard: 2)
            }),
            ("the root's n", 1, { f in try edit(f, "root.json") { $0.replacingOccurrences(of: "\"n\": ", with: "\"n\": 1") } }),
            ("the root's data size", 1, { f in try edit(f, "root.json") { $0.replacingOccurrences(of: "\"size\": ", with: "\"size\": 1") } }),
            ("a shard left out of the root", 1, { f in
                try edit(f, "root.json") { text in
                    let lines = text.components(separatedBy: "\n")
                    guard let i = lines.firstIndex(where: { $0.contains("\"path\": \"shard2.json\"") }) else { return text }
                    var kept = lines
                    kept.removeSubrange(i - 1 ... i + 2)
                    return kept.joined(separator: "\n").replacingOccurrences(of: "\"shards\": 4", with: "\"shards\": 3")
                }
            }),
            ("a shard listed twice (overlap)", 1, { f in
                let d2 = try sha256(f.appendingPathComponent("shard2.json")), d3 = try sha256(f.appendingPathComponent("shard3.json"))
                try edit(f, "root.json") { $0.replacingOccurrences(of: "\"shard3.json\"", with: "\"shard2.json\"").replacingOccurrences(of: d3, with: d2) }
            }),
            ("a shard file missing", 2, { f in try FileManager.default.removeItem(at: f.appendingPathComponent("shard4.json")) }),
        ]
        for (name, expected, tamper) in cases {
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            for file in try FileManager.default.contentsOfDirectory(atPath: original.path) {
                try FileManager.default.copyItem(at: original.appendingPathComponent(file), to: folder.appendingPathComponent(file))
            }
            #expect(try runMemcert(["check", "root.json"], in: folder).status == 0)
            try tamper(folder)
            let check = try runMemcert(["check", "root.json"], in: folder)
            #expect(check.status == expected, "\(name): \(check.stdout)\(check.stderr)")
        }
    }

    @Test("a streamed certificate past 20000 points: R² and δ² null, checked in blocks; a changed row fails")
    func streamedCertificate() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writePastInMemoryLimit(in: folder)
        let certify = try runMemcert(["certify", "network.json", "data.csv", "--reading", "stream", "--block-size", "4096", "-o", "cert.json"], in: folder)
        #expect(certify.status == 0, "\(certify.stderr)")
        let claims = jsonObject(try String(contentsOf: folder.appendingPathComponent("cert.json"), encoding: .utf8))["claims"] as? [String: Any] ?? [:]
        #expect(claims["n"] as? Int == 20_500 && claims["mergedDuplicates"] as? Int == 1)
        #expect(claims["radiusSquared"] is NSNull && claims["deltaSquared"] is NSNull)
        #expect(claims["minimumMargins"] as? [String] == ["1/2"])
        #expect(try runMemcert(["check", "cert.json"], in: folder).status == 0)
        #expect(try runPythonChecker(["cert.json"], in: folder).status == 0)
        // The same row with another label: a conflict; the digest re-recorded, the check fails on memorized.
        var csv = try String(contentsOf: folder.appendingPathComponent("data.csv"), encoding: .utf8)
        csv += "17,3,1\n"
        try write(csv, to: "data.csv", in: folder)
        let digest = SHA256.hash(data: Data(csv.utf8)).map { String(format: "%02x", $0) }.joined()
        let cert = try String(contentsOf: folder.appendingPathComponent("cert.json"), encoding: .utf8)
        let old = ((jsonObject(cert)["files"] as? [String: Any])?["data"] as? [String: Any])?["sha256"] as? String ?? ""
        try write(cert.replacingOccurrences(of: old, with: digest), to: "cert.json", in: folder)
        let check = try runMemcert(["check", "cert.json"], in: folder)
        #expect(check.status == 1 && check.stdout.contains("claims.memorized"), "\(check.stdout)")
        let verify = try runMemcert(["verify", "network.json", "data.csv", "--reading", "stream"], in: folder)
        #expect(verify.status == 2 && verify.stderr.contains("20503"), "\(verify.stderr)")
    }
}

/// Writes `data.csv`, 20500 distinct points on a line (x0 = i, label x0 >= 10000) and one repeated
/// row, past the 20000 points a certificate claims δ² for, and `network.json`, the one threshold
/// neuron x0 >= 19999/2 that memorizes them.
func writePastInMemoryLimit(in folder: URL) throws {
    var csv = "a,b,label\n"
    for i in 0 ..< 20_500 { csv += "\(i),\(i % 7),\(i >= 10_000 ? 1 : 0)\n" }
    csv += "17,3,0\n"  // a repeated row
    try write(csv, to: "data.csv", in: folder)
    try write("""
        {"format": "memcert.network/1", "inputDimension": 2, "outputBits": 1,
         "layers": [{"neurons": [{"weights": {"indices": [0], "values": ["1"]}, "bias": "-19999/2"}]}]}
        """, to: "network.json", in: folder)
}
