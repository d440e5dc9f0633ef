import Foundation
import Testing
import TestSupport

// Rows with equal SHA-256 keys are compared exactly where the data is read (docs/formats.md,
// S3). A real SHA-256 collision cannot be made, so the test hook MEMCERT_TEST_WEAK_KEYS gives
// many different points one key (`all`: every row; `label`: rows of one label share one of 4
// keys) in both the tool and the checker. Where the data is read, the verdicts must not change.

@Suite("row keys: equal keys are confirmed exactly") struct KeyCollisionTests {
    @Test("streamed verify with colliding keys gives the whole-file verdict and reports the collisions")
    func streamedVerify() throws {
        for seed in UInt64(21) ... 26 {
            let fixture = ShardFixture(seed: seed, rows: 120, flip: seed % 3 == 0)
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try fixture.write(to: folder)
            let whole = try runMemcert(["verify", "network.json", "data.csv", "--reading", "memory", "--json"], in: folder)
            #expect(whole.status == (seed % 3 == 0 ? 1 : 0), "seed \(seed): \(whole.stderr)")
            let w = jsonObject(whole.stdout)
            #expect((w["mergedDuplicates"] as? Int ?? 0) > 0, "seed \(seed): the fixture repeats rows")
            for mode in ["all", "label"] {
                let streamed = try runMemcert(["verify", "network.json", "data.csv", "--reading", "stream", "--block-size", "97", "--json"],
                                              in: folder, environment: ["MEMCERT_TEST_WEAK_KEYS": mode])
                #expect(streamed.status == whole.status, "seed \(seed) \(mode): \(streamed.stderr)")
                let s = jsonObject(streamed.stdout)
                for key in ["memorized", "n", "d", "classes", "mergedDuplicates", "mismatchCount"] {
                    #expect("\(s[key] ?? "-")" == "\(w[key] ?? "-")", "seed \(seed) \(mode): \(key)")
                }
                #expect(streamed.stderr.contains("kept as distinct points"), "seed \(seed) \(mode): \(streamed.stderr)")
            }
        }
    }

    @Test("a real conflict is still found with colliding keys; different points with one key and two labels are no conflict")
    func conflicts() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try write("""
            {"format": "memcert.network/1", "inputDimension": 2, "outputBits": 1,
             "layers": [{"neurons": [{"weights": {"indices": [0], "values": ["1"]}, "bias": "-1/2"}]}]}
            """, to: "network.json", in: folder)
        // Different points, labels 0 and 1: with every key equal they must not be merged or conflict.
        try write("0,5,0\n1,5,1\n2/2,5.0,1\n0x0p0,5,0\n3,1,1\n", to: "data.csv", in: folder)
        let whole = try runMemcert(["verify", "network.json", "data.csv", "--reading", "memory", "--json"], in: folder)
        #expect(whole.status == 0, "\(whole.stderr)")
        let streamed = try runMemcert(["verify", "network.json", "data.csv", "--reading", "stream", "--json"],
                                      in: folder, environment: ["MEMCERT_TEST_WEAK_KEYS": "all"])
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(jsonObject(streamed.stdout)["n"] as? Int == 3 && jsonObject(streamed.stdout)["mergedDuplicates"] as? Int == 2)
        // The same point with two labels (line 4 repeats line 2 with label 0): an error naming both lines, as the whole-file reader.
        try write("0,5,0\n1,5,1\n3,1,1\n1.0,5,0\n", to: "data.csv", in: folder)
        let wholeConflict = try runMemcert(["verify", "network.json", "data.csv", "--reading", "memory"], in: folder)
        let streamedConflict = try runMemcert(["verify", "network.json", "data.csv", "--reading", "stream"],
                                              in: folder, environment: ["MEMCERT_TEST_WEAK_KEYS": "all"])
        #expect(wholeConflict.status == 2 && streamedConflict.status == 2, "\(streamedConflict.stderr)")
        #expect(streamedConflict.stderr.contains(":4:") && streamedConflict.stderr.contains("line 2"), "\(streamedConflict.stderr)")
    }

    @Test("a streamed certificate made and checked with colliding keys: the exact counts, checked with and without colliding keys")
    func streamedCertificate() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try writePastInMemoryLimit(in: folder)
        let weak = ["MEMCERT_TEST_WEAK_KEYS": "all"]
        let certify = try runMemcert(["certify", "network.json", "data.csv", "--reading", "stream", "-o", "cert.json"], in: folder, environment: weak)
        #expect(certify.status == 0, "\(certify.stderr)")
        let claims = jsonObject(try String(contentsOf: folder.appendingPathComponent("cert.json"), encoding: .utf8))["claims"] as? [String: Any] ?? [:]
        #expect(claims["n"] as? Int == 20_500 && claims["mergedDuplicates"] as? Int == 1 && claims["classes"] as? Int == 2)
        #expect(try runMemcert(["check", "cert.json"], in: folder, environment: weak).status == 0)
        #expect(try runMemcert(["check", "cert.json"], in: folder, environment: ["MEMCERT_TEST_WEAK_KEYS": "label"]).status == 0)
        #expect(try runMemcert(["check", "cert.json"], in: folder).status == 0)
    }

    @Test("--combine merges by key, and check ROOT re-checks it exactly: over-merged keys are refuted with the whole-file count")
    func rootConfirmsExactly() throws {
        let fixture = ShardFixture(seed: 31, rows: 200, flip: false)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try fixture.write(to: folder)
        let whole = try runMemcert(["verify", "network.json", "data.csv", "--reading", "memory", "--json"], in: folder)
        #expect(whole.status == 0)
        let n = jsonObject(whole.stdout)["n"] as? Int ?? -1
        // Honest keys: the root checks.
        for i in 1 ... 3 {
            #expect(try runMemcert(["certify", "network.json", "data.csv", "--shard", "\(i)/3", "-o", "s\(i).json"], in: folder).status == 0)
        }
        #expect(try runMemcert(["certify", "--combine", "s1.json", "s2.json", "s3.json", "-o", "root.json"], in: folder).status == 0)
        #expect(try runMemcert(["check", "root.json"], in: folder).status == 0)
        // Weak keys of one label: --combine (which cannot read the data) merges different points.
        let weak = ["MEMCERT_TEST_WEAK_KEYS": "label"]
        for i in 1 ... 3 {
            let r = try runMemcert(["certify", "network.json", "data.csv", "--shard", "\(i)/3", "-o", "w\(i).json"], in: folder, environment: weak)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let combine = try runMemcert(["certify", "--combine", "w1.json", "w2.json", "w3.json", "-o", "weak.json"], in: folder, environment: weak)
        #expect(combine.status == 0, "\(combine.stderr)")
        let claimed = (jsonObject(try String(contentsOf: folder.appendingPathComponent("weak.json"), encoding: .utf8))["claims"] as? [String: Any])?["n"] as? Int ?? -1
        #expect(claimed < n, "the weak keys make --combine over-merge")
        // check ROOT groups exactly: it refutes n and names the exact count.
        let check = try runMemcert(["check", "weak.json"], in: folder, environment: weak)
        #expect(check.status == 1 && check.stdout.contains("claims.n") && check.stdout.contains("the files give \(n)"), "\(check.stdout)\(check.stderr)")
        // The root with n corrected (and the counts it implies) passes the exact check.
        let text = try String(contentsOf: folder.appendingPathComponent("weak.json"), encoding: .utf8)
        let merged = jsonObject(whole.stdout)["mergedDuplicates"] as? Int ?? -1
        let weakMerged = (jsonObject(text)["claims"] as? [String: Any])?["mergedDuplicates"] as? Int ?? -1
        let fixed = text.replacingOccurrences(of: "\"n\": \(claimed),", with: "\"n\": \(n),")
            .replacingOccurrences(of: "\"mergedDuplicates\": \(weakMerged),", with: "\"mergedDuplicates\": \(merged),")
        #expect(fixed != text)
        try write(fixed, to: "fixed.json", in: folder)
        let fixedCheck = try runMemcert(["check", "fixed.json"], in: folder, environment: weak)
        #expect(fixedCheck.status == 0, "\(fixedCheck.stdout)\(fixedCheck.stderr)")
    }
}
