import Crypto
import Foundation
import Testing
import TestSupport

// .npy data streamed and sharded end to end (docs/formats.md, S9–S11 and 5.4): on random
// arrays (float64 and integer dtypes, C and Fortran order, big-endian once, n not divisible
// by K, K > n, repeated rows and a conflict split across shards), the streamed and every
// sharded verdict against the whole-file verdict; K shard certificates made by K processes
// and combined, against the whole-file certificate; what --combine refuses; and the
// refusals of bad sizes, .npz archives and --labels.

/// A random .npy data set of d = 3 coordinates and its label in the last column, and a
/// network that memorizes it (unless a label is flipped).
struct NumPyShardFixture {
    enum DType: String {
        case float64 = "f8", int32 = "i4", int16 = "i2"
        var size: Int { self == .float64 ? 8 : self == .int32 ? 4 : 2 }
    }
    enum Flip { case none, mismatch, conflict }

    var dtype: DType
    var fortran: Bool
    var bigEndian: Bool
    /// Per row: the integer numerators k (the stored coordinate is k/8 for floats, k for integers) and the label.
    var rows: [(x: [Int], label: Int)] = []
    var network = ""
    /// Rows that repeat an earlier point (same label), and the conflicting row with the row it repeats.
    var repeats = 0
    var conflict: (row: Int, point: Int)?

    /// The network is `TeacherNetwork`, its weights scaled by 8 for float64 data (stored as k/8).
    init(seed: UInt64, count: Int, dtype: DType, fortran: Bool, bigEndian: Bool = false, flip: Flip = .none) {
        self.dtype = dtype
        self.fortran = fortran
        self.bigEndian = bigEndian
        var rng = SplitMix64(seed: seed)
        let teacher = TeacherNetwork(&rng)
        network = teacher.json(weightScale: dtype == .float64 ? 8 : 1)  // weights 8w on coordinates k/8
        func label(_ k: [Int]) -> Int { teacher.label(k) }
        let range = dtype == .float64 ? 160 : count > 10_000 ? 100 : 20
        var seen: Set<[Int]> = []
        while rows.count < count {
            if rows.count > 2 && rng.below(5) == 0 {
                // A repeated row, usually far from the row it repeats.
                rows.append(rows[rng.below(rows.count / 2 + 1)])
                repeats += 1
                continue
            }
            let k = (0 ..< 3).map { _ in rng.below(2 * range + 1) - range }
            if !seen.insert(k).inserted { continue }
            rows.append((k, label(k)))
        }
        if repeats == 0 && count >= 2 {
            rows[count - 1] = rows[0]  // at least one repeated row
            repeats = 1
        }
        switch flip {
        case .none: break
        case .mismatch:
            // A row whose point occurs once gets another label.
            if let i = rows.indices.reversed().first(where: { i in rows.filter { $0.x == rows[i].x }.count == 1 }) { rows[i].label ^= 1 }
        case .conflict:
            // Repeat the first row at the end with another label: the two rows lie in the first and last shards.
            rows.append((rows[0].x, rows[0].label ^ 1))
            conflict = (rows.count - 1, 0)
        }
    }

    var columns: Int { 4 }

    /// The element [i, j]'s bytes.
    func element(_ i: Int, _ j: Int) -> [UInt8] {
        let value = j < 3 ? rows[i].x[j] : rows[i].label
        var little: [UInt8]
        switch dtype {
        case .float64:
            let bits = (j < 3 ? Double(value) / 8 : Double(value)).bitPattern
            little = (0 ..< 8).map { UInt8(truncatingIfNeeded: bits >> UInt64(8 * $0)) }
        case .int32, .int16:
            little = (0 ..< dtype.size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        return bigEndian ? little.reversed() : little
    }

    /// The header: everything before the first element, padded to 64 bytes as NumPy pads it.
    var header: [UInt8] {
        var text = "{'descr': '\(bigEndian ? ">" : "<")\(dtype.rawValue)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': (\(rows.count), \(columns)), }"
        text += String(repeating: " ", count: (64 - (10 + text.utf8.count + 1) % 64) % 64) + "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.utf8.count & 0xFF), UInt8(text.utf8.count >> 8)] + Array(text.utf8)
    }

    /// The element bytes of rows `range`, in file order (C: row after row; Fortran: column after column).
    func elements(_ range: Range<Int>) -> [UInt8] {
        if fortran { return (0 ..< columns).flatMap { j in range.flatMap { element($0, j) } } }
        return range.flatMap { i in (0 ..< columns).flatMap { element(i, $0) } }
    }

    var file: [UInt8] { header + (fortran ? (0 ..< columns).flatMap { j in rows.indices.flatMap { element($0, j) } } : elements(0 ..< rows.count)) }

    func write(to folder: URL, name: String = "data.npy") throws {
        try Data(file).write(to: folder.appendingPathComponent(name))
        try network.write(to: folder.appendingPathComponent("network.json"), atomically: true, encoding: .utf8)
    }
}

func sha256Hex(_ bytes: some DataProtocol) -> String {
    SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
}

func jsonFile(_ url: URL) -> [String: Any] {
    jsonObject((try? String(contentsOf: url, encoding: .utf8)) ?? "")
}

@Suite("streaming and shards of .npy data") struct NumPyShardCLITests {
    /// The configurations: dtype, order, byte order, rows, what is flipped.
    static let cases: [(NumPyShardFixture.DType, Bool, Bool, Int, NumPyShardFixture.Flip)] = [
        (.float64, false, false, 61, .none),
        (.int32, true, false, 47, .none),
        (.float64, true, true, 29, .mismatch),
        (.int16, false, false, 53, .conflict),
        (.float64, false, false, 5, .none),
        (.int32, false, true, 40, .conflict),
    ]

    @Test("streamed and every sharded verdict equal the whole-file verdict (f8, i4, i2; C and Fortran; big-endian; K > n)")
    func verdicts() throws {
        for (c, (dtype, fortran, bigEndian, count, flip)) in Self.cases.enumerated() {
            let fixture = NumPyShardFixture(seed: UInt64(100 + c), count: count, dtype: dtype, fortran: fortran, bigEndian: bigEndian, flip: flip)
            let label = "case \(c) (\(dtype) \(fortran ? "F" : "C")\(bigEndian ? " big-endian" : ""), n \(fixture.rows.count), \(flip))"
            #expect(fixture.repeats > 0, "\(label): the fixture repeats rows")
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try fixture.write(to: folder)
            let whole = try runMemcert(["verify", "network.json", "data.npy", "--reading", "memory", "--json"], in: folder)
            #expect(whole.status == (flip == .none ? 0 : flip == .mismatch ? 1 : 2), "\(label): \(whole.stderr)")
            let rowBytes = fixture.columns * dtype.size
            let streamed = try runMemcert(["verify", "network.json", "data.npy", "--reading", "stream", "--block-size", "\(3 * rowBytes + 5)", "--json"], in: folder)
            #expect(streamed.status == whole.status, "\(label): \(streamed.stderr)")
            #expect(streamed.stderr == whole.stderr, "\(label): the same error")
            let w = jsonObject(whole.stdout), s = jsonObject(streamed.stdout)
            for key in ["memorized", "n", "d", "classes", "mergedDuplicates", "mismatchCount"] {
                #expect("\(s[key] ?? "-")" == "\(w[key] ?? "-")", "\(label): \(key)")
            }
            // Rows with equal keys are read again by index and compared exactly (S3, S10): weak keys change nothing.
            // (Not the conflict under `label` keys: rows with different labels never share such a key.)
            for weak in flip == .conflict ? ["all"] : ["all", "label"] {
                let r = try runMemcert(["verify", "network.json", "data.npy", "--reading", "stream", "--block-size", "100", "--json"], in: folder,
                                       environment: ["MEMCERT_TEST_WEAK_KEYS": weak])
                let error = r.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
                #expect(r.status == whole.status && error == whole.stderr.split(separator: "\n"), "\(label), weak keys \(weak): \(r.stderr)")
                #expect(weak != "all" || r.stderr.contains("(MEMCERT_TEST_WEAK_KEYS)"), "\(label), weak keys \(weak): rows with one key and other points were compared")
                let v = jsonObject(r.stdout)
                for key in ["n", "classes", "mergedDuplicates", "mismatchCount"] { #expect("\(v[key] ?? "-")" == "\(w[key] ?? "-")", "\(label), weak keys \(weak): \(key)") }
            }
            if flip == .conflict {
                #expect(whole.stderr.contains("row \(fixture.conflict!.row) equals row \(fixture.conflict!.point)"), "\(label): \(whole.stderr)")
            } else {
                #expect(w["mergedDuplicates"] as? Int == fixture.repeats, "\(label)")
            }
            for k in fixture.rows.count < 10 ? [2, fixture.rows.count + 3] : [2, 3, 7] {
                var allHold = true, rowSum = 0, previousEnd = 0
                for i in 1 ... k {
                    let part = try runMemcert(["verify", "network.json", "data.npy", "--shard", "\(i)/\(k)", "--json", "--block-size", "100"], in: folder)
                    #expect(part.status == 0 || part.status == 1, "\(label) shard \(i)/\(k): \(part.stderr)")
                    allHold = allHold && part.status == 0
                    let shard = jsonObject(part.stdout)["shard"] as? [String: Any] ?? [:]
                    let (start, end) = (shard["rowStart"] as? Int ?? -1, shard["rowEnd"] as? Int ?? -1)
                    #expect(start == previousEnd && start == (i - 1) * fixture.rows.count / k && end == i * fixture.rows.count / k,
                            "\(label) shard \(i)/\(k): S11's rows")
                    #expect(shard["rows"] as? Int == end - start)
                    rowSum += end - start
                    previousEnd = end
                }
                #expect(rowSum == fixture.rows.count, "\(label), \(k) shards: every row in exactly one shard")
                #expect(allHold == (flip == .none), "\(label), \(k) shards")
            }
        }
    }

    /// Certifies K shards of `fixture` with K concurrent processes (in `folder`) and combines them.
    func certifyShards(_ fixture: NumPyShardFixture, k: Int, in folder: URL) throws -> CommandResult {
        try fixture.write(to: folder)
        return try certifyShardsConcurrently(data: "data.npy", k: k, blockSize: 64, in: folder)
    }

    @Test("K shard certificates and their combination give the whole-file certificate's claims; the .npy data objects are exact")
    func certifyCombine() throws {
        for (c, (dtype, fortran, bigEndian, count, k)) in [(NumPyShardFixture.DType.float64, false, false, 83, 4),
                                                            (.int32, true, true, 37, 5), (.float64, true, false, 4, 7)].enumerated() {
            let fixture = NumPyShardFixture(seed: UInt64(200 + c), count: count, dtype: dtype, fortran: fortran, bigEndian: bigEndian)
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let combine = try certifyShards(fixture, k: k, in: folder)
            #expect(combine.status == 0, "case \(c): \(combine.stderr)")
            let whole = try runMemcert(["certify", "network.json", "data.npy", "--reading", "memory", "-o", "whole.json"], in: folder)
            #expect(whole.status == 0, "\(whole.stderr)")
            // The checker (its own .npy reader) confirms the root and every shard.
            let check = try runMemcert(["check", "root.json"], in: folder)
            #expect(check.status == 0, "case \(c): \(check.stdout)\(check.stderr)")
            for i in 1 ... k { #expect(try runMemcert(["check", "shard\(i).json"], in: folder).status == 0, "case \(c) shard \(i)") }
            let root = jsonFile(folder.appendingPathComponent("root.json"))
            let rootClaims = root["claims"] as? [String: Any] ?? [:]
            let full = jsonFile(folder.appendingPathComponent("whole.json"))["claims"] as? [String: Any] ?? [:]
            if count > 4 { #expect((full["mergedDuplicates"] as? Int ?? 0) > 0, "case \(c): the fixture repeats rows") }
            for key in ["n", "d", "classes", "mergedDuplicates", "neurons", "weights", "biases", "depth", "largestWeightBits"] {
                #expect(rootClaims[key] as? Int == full[key] as? Int, "case \(c): \(key)")
            }
            #expect(rootClaims["minimumMargins"] as? [String] == full["minimumMargins"] as? [String], "case \(c)")
            let headerDigest = sha256Hex(fixture.header)
            let rootData = (root["files"] as? [String: Any])?["data"] as? [String: Any] ?? [:]
            #expect(Set(rootData.keys) == ["path", "size", "headerSha256"], "case \(c): root files.data")
            #expect(rootData["headerSha256"] as? String == headerDigest && rootData["size"] as? Int == fixture.file.count)
            for i in 1 ... k {
                let shard = jsonFile(folder.appendingPathComponent("shard\(i).json"))
                let data = (shard["files"] as? [String: Any])?["data"] as? [String: Any] ?? [:]
                #expect(Set(data.keys) == ["path", "size", "headerSha256", "rowStart", "rowEnd", "sha256"], "case \(c) shard \(i)")
                let rows = (i - 1) * fixture.rows.count / k ..< i * fixture.rows.count / k
                #expect(data["rowStart"] as? Int == rows.lowerBound && data["rowEnd"] as? Int == rows.upperBound)
                #expect(data["headerSha256"] as? String == headerDigest)
                #expect(data["sha256"] as? String == sha256Hex(fixture.elements(rows)), "case \(c) shard \(i): the element bytes' digest")
                let claims = shard["claims"] as? [String: Any] ?? [:]
                #expect(claims["rows"] as? Int == rows.count)
                if rows.isEmpty { #expect((claims["minimumMargins"] as? [Any])?.allSatisfy { $0 is NSNull } == true) }
                // The row list: header, 48 bytes per row, offsets = row indexes inside the shard.
                let list = [UInt8](try Data(contentsOf: folder.appendingPathComponent("shard\(i).json.rows")))
                #expect(list.count == 16 + 48 * rows.count)
                var offsets: [Int] = []
                for r in 0 ..< rows.count {
                    offsets.append((0 ..< 8).reduce(0) { $0 | Int(list[16 + 48 * r + 40 + $1]) << (8 * $1) })
                }
                #expect(offsets.sorted() == Array(rows), "case \(c) shard \(i): one record per row, by index")
            }
        }
    }

    @Test("a streamed whole-file certificate past 20000 points: the whole file's digest, the claims of --reading memory (C and Fortran)")
    func streamedCertificate() throws {
        for fortran in [false, true] {
            let fixture = NumPyShardFixture(seed: 300, count: 25_500, dtype: .int16, fortran: fortran)
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try fixture.write(to: folder)
            let streamed = try runMemcert(["certify", "network.json", "data.npy", "--reading", "stream", "--block-size", "10000", "-o", "s.json"], in: folder)
            let memory = try runMemcert(["certify", "network.json", "data.npy", "--reading", "memory", "-o", "m.json"], in: folder)
            #expect(streamed.status == 0 && memory.status == 0, "\(streamed.stderr)\(memory.stderr)")
            let s = jsonFile(folder.appendingPathComponent("s.json")), m = jsonFile(folder.appendingPathComponent("m.json"))
            let sData = (s["files"] as? [String: Any])?["data"] as? [String: Any] ?? [:]
            #expect(sData["sha256"] as? String == sha256Hex(fixture.file), "fortran \(fortran): the whole file's digest")
            let (sc, mc) = (s["claims"] as? [String: Any] ?? [:], m["claims"] as? [String: Any] ?? [:])
            #expect((mc["n"] as? Int ?? 0) > 20_000)
            for key in ["n", "d", "classes", "mergedDuplicates", "depth"] { #expect(sc[key] as? Int == mc[key] as? Int, "\(key)") }
            #expect(sc["minimumMargins"] as? [String] == mc["minimumMargins"] as? [String])
            let check = try runMemcert(["check", "s.json"], in: folder)
            #expect(check.status == 0, "fortran \(fortran): \(check.stdout)\(check.stderr)")
        }
    }

    @Test("--combine refuses a missing or repeated shard, a foreign header, a gap or overlap, a tampered row list, mixed CSV and .npy shards")
    func combineRefuses() throws {
        let fixture = NumPyShardFixture(seed: 400, count: 50, dtype: .float64, fortran: false)
        let original = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: original) }
        #expect(try certifyShards(fixture, k: 3, in: original).status == 0)
        try FileManager.default.removeItem(at: original.appendingPathComponent("root.json"))
        // A CSV shard: the same points as CSV, shard 2 of 3.
        let csv = fixture.rows.map { r in r.x.map { "\($0)/8" }.joined(separator: ",") + ",\(r.label)" }.joined(separator: "\n") + "\n"
        try write(csv, to: "data.csv", in: original)
        #expect(try runMemcert(["certify", "network.json", "data.csv", "--shard", "2/3", "-o", "csv2.json"], in: original).status == 0)
        func edit(_ folder: URL, _ name: String, _ change: (String) -> String) throws {
            let url = folder.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            let changed = change(text)
            #expect(changed != text, "the tampering of \(name) changes it")
            try changed.write(to: url, atomically: true, encoding: .utf8)
        }
        let shard2 = (jsonFile(original.appendingPathComponent("shard2.json"))["files"] as? [String: Any])?["data"] as? [String: Any] ?? [:]
        let (start2, end2) = (shard2["rowStart"] as? Int ?? 0, shard2["rowEnd"] as? Int ?? 0)
        let header = shard2["headerSha256"] as? String ?? ""
        let all = ["shard1.json", "shard2.json", "shard3.json"]
        let cases: [(String, [String], (URL) throws -> Void)] = [
            ("shard 3 missing", ["shard1.json", "shard2.json"], { _ in }),
            ("shard 2 twice", ["shard1.json", "shard2.json", "shard2.json"], { _ in }),
            ("a CSV shard among .npy shards", ["shard1.json", "csv2.json", "shard3.json"], { _ in }),
            ("a foreign header", all, { f in try edit(f, "shard2.json") { $0.replacingOccurrences(of: header, with: String(repeating: "a", count: 64)) } }),
            ("a gap", all, { f in
                try edit(f, "shard2.json") { $0.replacingOccurrences(of: "\"rowStart\": \(start2)", with: "\"rowStart\": \(start2 + 1)")
                    .replacingOccurrences(of: "\"rows\": \(end2 - start2)", with: "\"rows\": \(end2 - start2 - 1)") }
            }),
            ("an overlap", all, { f in
                try edit(f, "shard2.json") { $0.replacingOccurrences(of: "\"rowEnd\": \(end2)", with: "\"rowEnd\": \(end2 + 1)")
                    .replacingOccurrences(of: "\"rows\": \(end2 - start2)", with: "\"rows\": \(end2 - start2 + 1)") }
            }),
            ("a gap, shard 3's first row dropped from its range and row list, digests re-recorded", all, { f in
                let url = f.appendingPathComponent("shard3.json.rows")
                let bytes = [UInt8](try Data(contentsOf: url))
                let old = sha256Hex(bytes)
                var kept = Array(bytes[0 ..< 16])
                var dropped = 0
                for r in stride(from: 16, to: bytes.count, by: 48) {
                    let offset = (0 ..< 8).reduce(0) { $0 | Int(bytes[r + 40 + $1]) << (8 * $1) }
                    if offset == end2 { dropped += 1 } else { kept += bytes[r ..< r + 48] }
                }
                #expect(dropped == 1)
                try Data(kept).write(to: url)
                let rows3 = (bytes.count - 16) / 48
                try edit(f, "shard3.json") { $0.replacingOccurrences(of: old, with: sha256Hex(kept))
                    .replacingOccurrences(of: "\"rowStart\": \(end2)", with: "\"rowStart\": \(end2 + 1)")
                    .replacingOccurrences(of: "\"rows\": \(rows3)", with: "\"rows\": \(rows3 - 1)") }
            }),
            ("a row list byte", all, { f in
                let url = f.appendingPathComponent("shard2.json.rows")
                var bytes = [UInt8](try Data(contentsOf: url))
                bytes[16 + 32] ^= 1  // a label
                try Data(bytes).write(to: url)
            }),
            ("a row list naming a row of another shard, digest re-recorded", all, { f in
                let url = f.appendingPathComponent("shard2.json.rows")
                var bytes = [UInt8](try Data(contentsOf: url))
                let old = sha256Hex(bytes)
                bytes[16 + 40] = UInt8(end2)  // the first record's row index: the first row of shard 3
                try Data(bytes).write(to: url)
                try edit(f, "shard2.json") { $0.replacingOccurrences(of: old, with: sha256Hex(bytes)) }
            }),
        ]
        for (name, certificates, tamper) in cases {
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            for file in try FileManager.default.contentsOfDirectory(atPath: original.path) {
                try FileManager.default.copyItem(at: original.appendingPathComponent(file), to: folder.appendingPathComponent(file))
            }
            #expect(try runMemcert(["certify", "--combine"] + all + ["-o", "ok.json"], in: folder).status == 0, "\(name): untampered")
            try tamper(folder)
            let r = try runMemcert(["certify", "--combine"] + certificates + ["-o", "root.json"], in: folder)
            #expect(r.status == 2 && r.stderr.hasPrefix("error: "), "\(name): \(r.status) \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("root.json").path), "\(name): nothing written")
        }
    }

    @Test("a truncated or oversized .npy, a bad element: exit 2 naming the file, the same error streamed, sharded and whole")
    func badFiles() throws {
        let fixture = NumPyShardFixture(seed: 500, count: 30, dtype: .float64, fortran: false)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try fixture.write(to: folder)
        let good = fixture.file
        let modes: [[String]] = [["--reading", "memory"], ["--reading", "stream"], ["--shard", "2/3"], ["--shard", "3/3"]]
        for (name, bytes, expected) in [("truncated", Array(good.dropLast(3)), "truncated"), ("oversized", good + [0], "1 bytes after the last element")] {
            try Data(bytes).write(to: folder.appendingPathComponent("bad.npy"))
            var messages: Set<String> = []
            for mode in modes {
                for command in [["verify", "network.json", "bad.npy"], ["certify", "network.json", "bad.npy", "-o", "c.json"]] {
                    let r = try runMemcert(command + mode, in: folder)
                    #expect(r.status == 2 && r.stderr.hasPrefix("error: bad.npy: ") && r.stderr.contains(expected), "\(name) \(command[0]) \(mode): \(r.stderr)")
                    messages.insert(r.stderr)
                }
            }
            #expect(messages.count == 1, "\(name): one message whichever way the file is read: \(messages)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("c.json").path))
        }
        // Bad elements: NaN in row 18 and a label of 1/2 in row 24. The error names the least row's element, whole,
        // streamed and in a shard holding both (the whole-file reader once named bad labels before bad coordinates).
        var bytes = good
        let dataStart = fixture.header.count
        func put(_ value: Double, _ i: Int, _ j: Int) {
            for b in 0 ..< 8 { bytes[dataStart + (i * 4 + j) * 8 + b] = UInt8(truncatingIfNeeded: value.bitPattern >> UInt64(8 * b)) }
        }
        put(.nan, 18, 0)
        put(0.5, 24, 3)
        try Data(bytes).write(to: folder.appendingPathComponent("bad.npy"))
        let elementModes: [[String]] = [["--reading", "memory"], ["--reading", "stream"], ["--shard", "2/2"]]
        for mode in elementModes {
            let r = try runMemcert(["verify", "network.json", "bad.npy", "--block-size", "40"] + mode, in: folder)
            #expect(r.status == 2 && r.stderr.hasPrefix("error: bad.npy: ") && r.stderr.contains("element [18, 0] is NaN"), "\(mode): \(r.stderr)")
        }
        // Within a row, the least column: NaN in [24, 1] before the bad label [24, 3].
        put(1, 18, 0)
        put(.nan, 24, 1)
        try Data(bytes).write(to: folder.appendingPathComponent("bad.npy"))
        for mode in elementModes {
            let r = try runMemcert(["verify", "network.json", "bad.npy", "--block-size", "40"] + mode, in: folder)
            #expect(r.status == 2 && r.stderr.contains("element [24, 1] is NaN"), "\(mode): \(r.stderr)")
        }
        // A label error alone is named as the whole file names it.
        put(1, 24, 1)
        try Data(bytes).write(to: folder.appendingPathComponent("bad.npy"))
        let label = try runMemcert(["verify", "network.json", "bad.npy", "--reading", "memory"], in: folder)
        #expect(label.status == 2 && label.stderr.contains("element [24, 3]"), "\(label.stderr)")
        for mode in elementModes.dropFirst() {
            #expect(try runMemcert(["verify", "network.json", "bad.npy", "--block-size", "40"] + mode, in: folder).stderr == label.stderr, "\(mode)")
        }
    }

    @Test("a row too large for the memory budget is refused before it is read (exit 2), not allocated")
    func rowPastBudget() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let columns = 3_000_000  // 24 MB per float64 row: three times that exceeds a 64 MB budget
        var text = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, \(columns)), }"
        text += String(repeating: " ", count: (64 - (10 + text.utf8.count + 1) % 64) % 64) + "\n"
        var bytes = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.utf8.count & 0xFF), UInt8(text.utf8.count >> 8)] + Array(text.utf8)
        bytes += [UInt8](repeating: 0, count: 2 * columns * 8)
        try Data(bytes).write(to: folder.appendingPathComponent("wide.npy"))
        try write("""
            {"format": "memcert.network/1", "inputDimension": \(columns - 1), "outputBits": 1,
             "layers": [{"neurons": [{"weights": {"indices": [0], "values": ["1"]}, "bias": "-1/2"}]}]}
            """, to: "network.json", in: folder)
        let r = try runMemcert(["verify", "network.json", "wide.npy", "--shard", "1/1"], in: folder, environment: ["MEMCERT_MEMORY_LIMIT": "64M"])
        #expect(r.status == 2 && r.stderr.contains("a block of 1 rows of wide.npy"), "\(r.stderr)")
    }

    @Test(".npz with --shard or --reading stream: exit 2 saying to convert; --labels with either: exit 64")
    func refusals() throws {
        let fixture = NumPyShardFixture(seed: 600, count: 20, dtype: .int32, fortran: false)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try fixture.write(to: folder)
        #expect(try runMemcert(["convert", "data.npy", "-o", "data.npz"], in: folder).status == 0)
        for extra in [["--shard", "1/2"], ["--reading", "stream"]] {
            for command in [["verify", "network.json", "data.npz"], ["certify", "network.json", "data.npz", "-o", "c.json"]] {
                let r = try runMemcert(command + extra, in: folder)
                #expect(r.status == 2 && r.stderr.hasPrefix("error: data.npz: ") && r.stderr.contains("convert it to .npy"), "\(command) \(extra): \(r.stderr)")
            }
            let labels = try runMemcert(["verify", "network.json", "data.npy", "--labels", "data.npy"] + extra, in: folder)
            #expect(labels.status == 64 && labels.stderr.contains("--labels"), "\(extra): \(labels.stderr)")
        }
        // Read whole, the .npz is fine.
        #expect(try runMemcert(["verify", "network.json", "data.npz"], in: folder).status == 0)
    }
}
