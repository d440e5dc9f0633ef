import Crypto
import Foundation
import Testing
import TestSupport

// `memcert check` of .npy shard, root and streamed certificates end to end (docs/formats.md,
// S9–S11, 5.4 and 6.1): honest certificates made by the tool (K shard processes and
// --combine; C, Fortran and big-endian data) hold; every kind of tampering is caught with
// exit 1 naming the claim 6.1 puts first (or exit 2 where the certificate or data becomes
// malformed); over-merged weak keys are refuted with the exact count; and a streamed check
// of a certificate past 20000 rows agrees with the whole-file reading of the Python checker.

@Suite("check of .npy shards, roots and streamed certificates") struct NumPyCheckCLITests {
    /// The tool's shard certificates for `fixture` (K concurrent processes) and their root, in a new folder.
    func certified(_ fixture: NumPyShardFixture, k: Int, environment: [String: String] = [:]) throws -> URL {
        let folder = try temporaryFolder()
        try fixture.write(to: folder)
        for i in 1 ... k {
            let r = try runMemcert(["certify", "network.json", "data.npy", "--shard", "\(i)/\(k)", "-o", "shard\(i).json", "--block-size", "64"],
                                   in: folder, environment: environment)
            #expect(r.status == 0, "shard \(i)/\(k): \(r.stderr)")
        }
        let combine = try runMemcert(["certify", "--combine"] + (1 ... k).map { "shard\($0).json" } + ["-o", "root.json"], in: folder, environment: environment)
        #expect(combine.status == 0, "\(combine.stderr)")
        return folder
    }

    /// The claim named by a failing check (`FAILS  CERT (KIND): CLAIM: message`), or "holds"/"exit N".
    func verdict(_ r: CommandResult) -> String {
        if r.status == 0 { return "holds" }
        guard r.status == 1, let line = r.stdout.split(separator: "\n").first(where: { $0.hasPrefix("FAILS") }),
              let colon = line.range(of: "): ") else { return "exit \(r.status)" }
        return String(line[colon.upperBound...].prefix { $0 != ":" })
    }

    @Test("K shard processes + --combine on honest .npy data (C, Fortran, big-endian, K > n): check ROOT and each shard hold; the Python checker declines both kinds")
    func honestRoots() throws {
        let configurations: [(NumPyShardFixture.DType, Bool, Bool, Int, Int)] = [
            (.float64, false, false, 90, 4), (.int32, true, false, 77, 3), (.int16, true, true, 41, 5), (.float64, false, true, 3, 5),
        ]
        for (c, (dtype, fortran, bigEndian, count, k)) in configurations.enumerated() {
            let fixture = NumPyShardFixture(seed: UInt64(500 + c), count: count, dtype: dtype, fortran: fortran, bigEndian: bigEndian)
            let folder = try certified(fixture, k: k)
            defer { try? FileManager.default.removeItem(at: folder) }
            let check = try runMemcert(["check", "root.json", "--json"], in: folder)
            #expect(check.status == 0, "case \(c): \(check.stdout)\(check.stderr)")
            let checks = jsonObject(check.stdout)["checks"] as? [String] ?? []
            #expect(checks.prefix(3) == ["files.network.sha256", "files.data.size", "files.data.headerSha256"], "case \(c): \(checks.prefix(4))")
            #expect(checks.contains("shards[\(k - 1)].files.data.range") && checks.last == "claims.minimumMargins", "case \(c)")
            for i in 1 ... k {
                let shard = try runMemcert(["check", "shard\(i).json"], in: folder)
                #expect(shard.status == 0, "case \(c) shard \(i): \(shard.stdout)\(shard.stderr)")
            }
            for certificate in ["root.json", "shard1.json"] {
                let python = try runPythonChecker([certificate], in: folder)
                #expect(python.status == 2 && python.stderr.contains("not supported"), "case \(c): \(python.stderr)")
            }
        }
    }

    @Test("tampering with the data, the header, a range, a row list, the list of shards or the root's claims is caught, naming the claim")
    func tampering() throws {
        let fixture = NumPyShardFixture(seed: 600, count: 80, dtype: .int32, fortran: true)
        let original = try certified(fixture, k: 4)
        defer { try? FileManager.default.removeItem(at: original) }
        let n = fixture.rows.count
        func edit(_ folder: URL, _ name: String, _ change: (String) -> String) throws {
            let url = folder.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            let changed = change(text)
            #expect(changed != text, "the tampering of \(name) changes it")
            try changed.write(to: url, atomically: true, encoding: .utf8)
        }
        func digest(_ folder: URL, _ name: String) throws -> String { sha256Hex(try Data(contentsOf: folder.appendingPathComponent(name))) }
        /// Re-records the digest of `name` wherever `into` records it (a tamperer covering their tracks).
        func redigest(_ folder: URL, _ name: String, into: String) throws {
            let old = try digest(original, name), new = try digest(folder, name)
            try edit(folder, into) { $0.replacingOccurrences(of: old, with: new) }
        }
        func editBytes(_ folder: URL, _ name: String, _ change: (inout [UInt8]) -> Void) throws {
            let url = folder.appendingPathComponent(name)
            var bytes = [UInt8](try Data(contentsOf: url))
            change(&bytes)
            try Data(bytes).write(to: url)
        }
        let headerCount = fixture.header.count
        let r2 = n / 4 ..< 2 * n / 4  // shard 2's rows
        let cases: [(String, String, (URL) throws -> Void)] = [
            ("an element byte of shard 2 (column 1, Fortran order)", "shards[1].files.data.sha256", { f in
                try editBytes(f, "data.npy") { $0[headerCount + (1 * n + r2.lowerBound + 1) * 4] ^= 0x10 }
            }),
            ("an element byte of the last row", "shards[3].files.data.sha256", { f in try editBytes(f, "data.npy") { $0[$0.count - 1] ^= 1 } }),
            ("the header (fortran_order)", "files.data.headerSha256", { f in
                try editBytes(f, "data.npy") { bytes in
                    let text = Array("True".utf8), at = (0 ..< headerCount).first { Array(bytes[$0 ..< $0 + 4]) == text }!
                    bytes.replaceSubrange(at ..< at + 4, with: Array("False".utf8))
                    bytes.remove(at: headerCount - 1)  // one pad blank less: the same header length
                }
            }),
            ("the header, its digest re-recorded in the root only", "files.shards[0]", { f in
                let oldHeader = sha256Hex(fixture.header)
                try editBytes(f, "data.npy") { bytes in  // 'descr' quoted with " instead: another header, as valid (P2)
                    let text = Array("'descr'".utf8), at = (0 ..< headerCount).first { Array(bytes[$0 ..< $0 + 7]) == text }!
                    (bytes[at], bytes[at + 6]) = (UInt8(ascii: "\""), UInt8(ascii: "\""))
                }
                let newHeader = sha256Hex([UInt8](try Data(contentsOf: f.appendingPathComponent("data.npy")))[..<headerCount])
                #expect(newHeader != oldHeader)
                try edit(f, "root.json") { $0.replacingOccurrences(of: oldHeader, with: newHeader) }
            }),
            ("rowEnd of shard 2 and rowStart of shard 3 moved, rows claims and digests re-recorded", "shards[1].files.data.rowEnd", { f in
                try edit(f, "shard2.json") {
                    $0.replacingOccurrences(of: "\"rowEnd\": \(r2.upperBound)", with: "\"rowEnd\": \(r2.upperBound + 1)")
                        .replacingOccurrences(of: "\"rows\": \(r2.count)", with: "\"rows\": \(r2.count + 1)")
                }
                try edit(f, "shard3.json") {
                    $0.replacingOccurrences(of: "\"rowStart\": \(r2.upperBound)", with: "\"rowStart\": \(r2.upperBound + 1)")
                        .replacingOccurrences(of: "\"rows\": \(n / 4)", with: "\"rows\": \(n / 4 - 1)")
                }
                try redigest(f, "shard2.json", into: "root.json")
                try redigest(f, "shard3.json", into: "root.json")
            }),
            ("the same, with the element digests of the moved ranges recomputed", "shards[1].files.data.rowEnd", { f in
                let moved2 = r2.lowerBound ..< r2.upperBound + 1, moved3 = r2.upperBound + 1 ..< 3 * n / 4
                try edit(f, "shard2.json") {
                    $0.replacingOccurrences(of: "\"rowEnd\": \(r2.upperBound)", with: "\"rowEnd\": \(moved2.upperBound)")
                        .replacingOccurrences(of: "\"rows\": \(r2.count)", with: "\"rows\": \(moved2.count)")
                        .replacingOccurrences(of: sha256Hex(fixture.elements(r2)), with: sha256Hex(fixture.elements(moved2)))
                }
                try edit(f, "shard3.json") {
                    $0.replacingOccurrences(of: "\"rowStart\": \(r2.upperBound)", with: "\"rowStart\": \(moved3.lowerBound)")
                        .replacingOccurrences(of: "\"rows\": \(n / 4)", with: "\"rows\": \(moved3.count)")
                        .replacingOccurrences(of: sha256Hex(fixture.elements(r2.upperBound ..< 3 * n / 4)), with: sha256Hex(fixture.elements(moved3)))
                }
                try redigest(f, "shard2.json", into: "root.json")
                try redigest(f, "shard3.json", into: "root.json")
            }),
            ("rowStart of shard 2 moved alone (a gap), digest re-recorded", "files.shards[1]", { f in
                try edit(f, "shard2.json") {
                    $0.replacingOccurrences(of: "\"rowStart\": \(r2.lowerBound)", with: "\"rowStart\": \(r2.lowerBound + 1)")
                        .replacingOccurrences(of: "\"rows\": \(r2.count)", with: "\"rows\": \(r2.count - 1)")
                }
                try redigest(f, "shard2.json", into: "root.json")
            }),
            ("a row list record's label", "shards[1].files.rows.sha256", { f in try editBytes(f, "shard2.json.rows") { $0[16 + 48 + 32] ^= 1 } }),
            ("a row list record's index, digests re-recorded", "shards[1].files.rows", { f in
                try editBytes(f, "shard2.json.rows") { $0[16 + 40] ^= 1 }
                try redigest(f, "shard2.json.rows", into: "shard2.json")
                try redigest(f, "shard2.json", into: "root.json")
            }),
            ("a row list record dropped, digests re-recorded", "shards[2].files.rows", { f in
                try editBytes(f, "shard3.json.rows") { $0.removeSubrange(16 ..< 64) }
                try redigest(f, "shard3.json.rows", into: "shard3.json")
                try redigest(f, "shard3.json", into: "root.json")
            }),
            // claims.shards must count the entries (else exit 2), so entry 0, shard 1 of 4, is no shard of 3.
            ("a shard omitted from the root", "files.shards[0]", { f in
                try edit(f, "root.json") { text in
                    let lines = text.components(separatedBy: "\n")
                    guard let i = lines.firstIndex(where: { $0.contains("\"path\": \"shard2.json\"") }) else { return text }
                    var kept = lines
                    kept.removeSubrange(i - 1 ... i + 2)
                    return kept.joined(separator: "\n").replacingOccurrences(of: "\"shards\": 4", with: "\"shards\": 3")
                }
            }),
            ("a shard listed twice", "files.shards[2]", { f in
                let d2 = try digest(f, "shard2.json"), d3 = try digest(f, "shard3.json")
                try edit(f, "root.json") { $0.replacingOccurrences(of: "\"shard3.json\"", with: "\"shard2.json\"").replacingOccurrences(of: d3, with: d2) }
            }),
            ("an overlapping shard (rowEnd of shard 2 past shard 3's start), digest re-recorded", "files.shards[2]", { f in
                try edit(f, "shard2.json") {
                    $0.replacingOccurrences(of: "\"rowEnd\": \(r2.upperBound)", with: "\"rowEnd\": \(r2.upperBound + 2)")
                        .replacingOccurrences(of: "\"rows\": \(r2.count)", with: "\"rows\": \(r2.count + 2)")
                }
                try redigest(f, "shard2.json", into: "root.json")
            }),
            ("the root's n", "claims.n", { f in try edit(f, "root.json") { $0.replacingOccurrences(of: "\"n\": ", with: "\"n\": 1") } }),
            ("the root's classes", "claims.classes", { f in try edit(f, "root.json") { $0.replacingOccurrences(of: "\"classes\": ", with: "\"classes\": 1") } }),
            ("the root's mergedDuplicates", "claims.mergedDuplicates", { f in
                try edit(f, "root.json") { $0.replacingOccurrences(of: "\"mergedDuplicates\": ", with: "\"mergedDuplicates\": 1") }
            }),
        ]
        for (name, claim, tamper) in cases {
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            for file in try FileManager.default.contentsOfDirectory(atPath: original.path) {
                try FileManager.default.copyItem(at: original.appendingPathComponent(file), to: folder.appendingPathComponent(file))
            }
            #expect(verdict(try runMemcert(["check", "root.json"], in: folder)) == "holds")
            try tamper(folder)
            let check = try runMemcert(["check", "root.json"], in: folder)
            #expect(verdict(check) == claim, "\(name): \(check.stdout)\(check.stderr)")
        }
    }

    @Test("a malformed .npy files.data form, or a size that disagrees with the header, is exit 2")
    func malformed() throws {
        let fixture = NumPyShardFixture(seed: 700, count: 30, dtype: .float64, fortran: false)
        let original = try certified(fixture, k: 2)
        defer { try? FileManager.default.removeItem(at: original) }
        let shard = try String(contentsOf: original.appendingPathComponent("shard1.json"), encoding: .utf8)
        let forms: [(String, (String) -> String)] = [
            ("CSV keys", { $0.replacingOccurrences(of: "\"rowStart\"", with: "\"start\"").replacingOccurrences(of: "\"rowEnd\"", with: "\"end\"") }),
            ("no headerSha256", { $0.replacingOccurrences(of: "\"headerSha256\"", with: "\"headerDigest\"") }),
            ("an extra key", { $0.replacingOccurrences(of: "\"rowStart\"", with: "\"start\": 0, \"rowStart\"") }),
            ("rowStart after rowEnd", { $0.replacingOccurrences(of: "\"rowStart\": 0", with: "\"rowStart\": 16") }),
            ("rows other than rowEnd - rowStart", { $0.replacingOccurrences(of: "\"rows\": 15", with: "\"rows\": 14") }),
            ("a header digest in capitals", { text in
                let h = sha256Hex(fixture.header)
                return text.replacingOccurrences(of: h, with: h.uppercased())
            }),
        ]
        for (name, change) in forms {
            let changed = change(shard)
            #expect(changed != shard, "\(name)")
            try changed.write(to: original.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
            let check = try runMemcert(["check", "bad.json"], in: original)
            #expect(check.status == 2 && check.stdout.isEmpty && check.stderr.hasPrefix("error: bad.json"), "\(name): \(check.stdout)\(check.stderr)")
        }
        // A row too many at the end, with the size claim edited: the header holds, the size does not (S9).
        var bytes = fixture.file
        bytes += [UInt8](repeating: 0, count: 4 * 8)
        try Data(bytes).write(to: original.appendingPathComponent("data.npy"))
        try shard.replacingOccurrences(of: "\"size\": \(fixture.file.count)", with: "\"size\": \(bytes.count)")
            .write(to: original.appendingPathComponent("long.json"), atomically: true, encoding: .utf8)
        let check = try runMemcert(["check", "long.json"], in: original)
        #expect(check.status == 2 && check.stderr.contains("32 bytes after the last element"), "\(check.stdout)\(check.stderr)")
        let plain = try runMemcert(["check", "shard1.json"], in: original)
        #expect(verdict(plain) == "files.data.size", "\(plain.stdout)")
    }

    @Test("weak keys: --combine over-merges and check ROOT refutes claims.n with the exact count; row lists are compared with the checker's own keys")
    func weakKeys() throws {
        let fixture = NumPyShardFixture(seed: 800, count: 120, dtype: .float64, fortran: true)
        let weak = ["MEMCERT_TEST_WEAK_KEYS": "label"]
        let folder = try certified(fixture, k: 3, environment: weak)
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = try runMemcert(["verify", "network.json", "data.npy", "--reading", "memory", "--json"], in: folder)
        let n = jsonObject(whole.stdout)["n"] as? Int ?? -1
        let claimed = (jsonFile(folder.appendingPathComponent("root.json"))["claims"] as? [String: Any])?["n"] as? Int ?? -1
        #expect(n > 0 && claimed < n, "the weak keys make --combine over-merge: \(claimed) vs \(n)")
        let check = try runMemcert(["check", "root.json"], in: folder, environment: weak)
        #expect(verdict(check) == "claims.n" && check.stdout.contains("the files give \(n)"), "\(check.stdout)\(check.stderr)")
        // Honest keys: the root holds; the row lists are compared with the checker's own keys, so weak checker keys refute them.
        let honest = try certified(fixture, k: 3)
        defer { try? FileManager.default.removeItem(at: honest) }
        #expect(verdict(try runMemcert(["check", "root.json"], in: honest)) == "holds")
        let weakCheck = try runMemcert(["check", "root.json"], in: honest, environment: weak)
        #expect(verdict(weakCheck) == "shards[0].files.rows", "\(weakCheck.stdout)")
    }

    @Test("a streamed .npy certificate past 20000 rows: check reads blocks and agrees with the whole-file Python checker; a conflict and a mismatch fail claims.memorized")
    func streamed() throws {
        for fortran in [false, true] {
            let fixture = NumPyShardFixture(seed: 900, count: 26_000, dtype: .int16, fortran: fortran)
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try fixture.write(to: folder)
            let certify = try runMemcert(["certify", "network.json", "data.npy", "--reading", "memory", "-o", "cert.json"], in: folder)
            #expect(certify.status == 0, "\(certify.stderr)")
            let claims = jsonFile(folder.appendingPathComponent("cert.json"))["claims"] as? [String: Any] ?? [:]
            #expect((claims["n"] as? Int ?? 0) > 20_000 && claims["deltaSquared"] is NSNull)
            let check = try runMemcert(["check", "cert.json", "--json"], in: folder)
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            #expect(!(jsonObject(check.stdout)["checks"] as? [String] ?? []).contains("claims.radiusSquared"))
            #expect(try runPythonChecker(["cert.json"], in: folder).status == 0)
            // The same certificate over changed data, its digest re-recorded: both checkers name the same claim and line.
            let cert = try String(contentsOf: folder.appendingPathComponent("cert.json"), encoding: .utf8)
            for flip in [NumPyShardFixture.Flip.conflict, .mismatch] {
                let changed = NumPyShardFixture(seed: 900, count: 26_000, dtype: .int16, fortran: fortran, flip: flip)
                try changed.write(to: folder)
                try cert.replacingOccurrences(of: sha256Hex(fixture.file), with: sha256Hex(changed.file))
                    .write(to: folder.appendingPathComponent("cert.json"), atomically: true, encoding: .utf8)
                // Every row one key (the hook's `all`: `label` would give the two rows of a conflict two keys):
                // every row is read again by its index and compared exactly.
                let swift = try runMemcert(["check", "cert.json"], in: folder, environment: ["MEMCERT_TEST_WEAK_KEYS": "all"])
                let python = try runPythonChecker(["cert.json"], in: folder)
                #expect(verdict(swift) == "claims.memorized", "\(flip) fortran \(fortran): \(swift.stdout)\(swift.stderr)")
                #expect(python.status == 1 && python.stdout.contains("claims.memorized"), "\(python.stdout)\(python.stderr)")
                if let (row, point) = changed.conflict {
                    #expect(swift.stdout.contains("the point on line \(row + 1) equals the point on line \(point + 1)"), "\(swift.stdout)")
                    #expect(python.stdout.contains("lines \(point + 1) and \(row + 1)"), "\(python.stdout)")
                } else {
                    let named = swift.stdout.components(separatedBy: "claims.memorized: ").last?.prefix { $0 != "\n" } ?? ""
                    #expect(named.hasPrefix("the point on line") && python.stdout.contains(named), "\(swift.stdout) / \(python.stdout)")
                }
            }
        }
    }
}
