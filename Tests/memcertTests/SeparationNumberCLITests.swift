import Foundation
import Testing
import TestSupport

// MARK: - memcert separation-number, end to end (CaDiCaL, memcert's DRAT check, certificates)

/// `separation-number DATA --json` as a dictionary, with the exit status.
func separationNumber(_ data: String, in dir: URL, _ extra: [String] = []) throws -> (status: Int32, json: [String: Any], stderr: String) {
    let r = try runMemcert(["separation-number", data, "--json"] + extra, in: dir)
    let object = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
    return (r.status, object, r.stderr)
}

/// The certificate in `dir/name` as a JSON object, and writes it back after `change`.
func editCertificate(_ dir: URL, _ name: String, _ change: (inout [String: Any]) throws -> Void) throws {
    let url = dir.appendingPathComponent(name)
    var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    try change(&object)
    try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: url)
}

@Suite("separation-number, end to end", .serialized)
struct SeparationNumberCLITests {
    @Test("7 points in convex position, all labels different: 4 lines (3 lines make 7 regions), proven by DRAT")
    func convexPosition() throws {
        let dir = try temporaryFolder()
        // Exact rationals on the parabola y = x^2.
        let rows = (0 ..< 7).map { i in "\(i)/3,\(i * i)/9,\(i)" }
        try write(rows.joined(separator: "\n") + "\n", to: "p.csv", in: dir)
        let r = try separationNumber("p.csv", in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.json["minimum"] as? Int == 4)
        #expect(r.json["candidates"] as? Int == 21)
        #expect(r.json["provenBy"] as? String == "drat")
        #expect((r.json["witness"] as? [Any])?.count == 4)
        #expect((r.json["encoding"] as? [String: Any])?["k"] as? Int == 3)
        // The same points in a plane of R^3 (d = 3).
        try write((0 ..< 7).map { i in "\(i)/3,\(i * i)/9,\(i)/2,\(i)" }.joined(separator: "\n") + "\n", to: "p3.csv", in: dir)
        let r3 = try separationNumber("p3.csv", in: dir)
        #expect(r3.status == 0 && r3.json["minimum"] as? Int == 4 && r3.json["d"] as? Int == 3, "\(r3.stderr)")
        // Eight such points need 4, nine need 5 (⌈n/2⌉).
        try write((0 ..< 9).map { i in "\(i),\(i * i),\(i)" }.joined(separator: "\n") + "\n", to: "p9.csv", in: dir)
        #expect(try separationNumber("p9.csv", in: dir).json["minimum"] as? Int == 5)
    }

    @Test("n collinear points with alternating labels need n - 1 (d = 1, 2, 3)", arguments: [2, 5, 8])
    func collinear(_ n: Int) throws {
        let dir = try temporaryFolder()
        try write((0 ..< n).map { "\($0),\(2 * $0 - 3),\($0 % 2)" }.joined(separator: "\n") + "\n", to: "line.csv", in: dir)
        let r = try separationNumber("line.csv", in: dir)
        #expect(r.status == 0 && r.json["minimum"] as? Int == n - 1, "\(r.stderr)")
        try write((0 ..< n).map { "\($0)/7,\($0 % 2)" }.joined(separator: "\n") + "\n", to: "line1.csv", in: dir)
        #expect(try separationNumber("line1.csv", in: dir).json["minimum"] as? Int == n - 1)
        try write((0 ..< n).map { "\($0),\($0),-\($0),\($0 % 2)" }.joined(separator: "\n") + "\n", to: "line3.csv", in: dir)
        #expect(try separationNumber("line3.csv", in: dir).json["minimum"] as? Int == n - 1)
    }

    @Test("n alternating points on a circle need n/2, the circle bound", arguments: [6, 10, 16])
    func circle(_ n: Int) throws {
        let dir = try temporaryFolder()
        #expect(try runMemcert(["generate", "circle", "--n", "\(n)", "--labels", "alternating", "-o", "c.csv"], in: dir).status == 0)
        let r = try separationNumber("c.csv", in: dir)
        #expect(r.status == 0 && r.json["minimum"] as? Int == n / 2, "\(r.stderr)")
        #expect(r.json["provenBy"] as? String == "bound")
        #expect((r.json["bound"] as? [String: Any])?["argument"] as? String == "circle")
        #expect((r.json["bound"] as? [String: Any])?["firstLayerNeurons"] as? Int == n / 2)
        let lower = try runMemcert(["lower-bound", "c.csv", "--json"], in: dir)
        let bounds = ((try JSONSerialization.jsonObject(with: Data(lower.stdout.utf8)) as? [String: Any])?["bounds"] as? [[String: Any]]) ?? []
        #expect(bounds.first { $0["argument"] as? String == "circle" }?["firstLayerNeurons"] as? Int == n / 2)
        // lower-bound lists the exact number too, and compare sets each first layer against it.
        let exact = (try JSONSerialization.jsonObject(with: Data(lower.stdout.utf8)) as? [String: Any])?["separationNumber"] as? [String: Any]
        #expect(exact?["computed"] as? Bool == true && exact?["minimum"] as? Int == n / 2 && exact?["provenBy"] as? String == "bound")
        let human = try runMemcert(["lower-bound", "c.csv"], in: dir)
        #expect(human.stdout.contains("exact     first layer >= \(n / 2), and \(n / 2) hyperplanes suffice"), "\(human.stdout)")
        if n == 6 {
            let compare = try runMemcert(["compare", "c.csv", "--json", "--folder", "cmp"], in: dir)
            let object = try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any]
            #expect((object?["separationNumber"] as? [String: Any])?["minimum"] as? Int == 3, "\(compare.stderr)")
            let layers = object?["firstLayers"] as? [[String: Any]] ?? []
            #expect(!layers.isEmpty)
            for layer in layers {
                #expect(layer["aboveSeparationNumber"] as? Int == (layer["firstLayerWidth"] as? Int ?? 0) - 3)
            }
            let table = try runMemcert(["compare", "c.csv", "--folder", "cmp2"], in: dir)
            #expect(table.stdout.contains("first layers against the separation number 3:"), "\(table.stdout)")
        }
        // The certificate says so, and checks.
        #expect(try runMemcert(["separation-number", "c.csv", "--certificate", "c.cert.json"], in: dir).status == 0)
        let check = try runMemcert(["check", "c.cert.json"], in: dir)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("claims.bound"))
    }

    @Test("random planar sets of up to 12 points: the exact answer equals an exhaustive search, and its certificate checks")
    func randomAgainstExhaustiveSearch() throws {
        let dir = try temporaryFolder()
        var rng = SplitMix64(seed: 2021)
        for round in 0 ..< 14 {
            let n = 4 + round % 9
            let range = round % 3 == 0 ? 2 : 9  // small grids: collinear points
            var points: [(x: Int, y: Int)] = []
            while points.count < n {
                let p = (x: rng.below(2 * range + 1) - range, y: rng.below(2 * range + 1) - range)
                if !points.contains(where: { $0 == p }) { points.append(p) }
            }
            let labels = (0 ..< n).map { _ in rng.below(round % 2 == 0 ? 2 : 3) }
            let name = "r\(round).csv"
            try write(zip(points, labels).map { "\($0.0.x),\($0.0.y),\($0.1)" }.joined(separator: "\n") + "\n", to: name, in: dir)
            let expected = PlanarSeparationBruteForce.separationNumber(points, labels: labels)
            let r = try separationNumber(name, in: dir, ["--certificate", "r\(round).cert.json"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.json["minimum"] as? Int == expected, "round \(round): \(points) \(labels)")
            #expect((r.json["witness"] as? [Any])?.count == expected)
            let check = try runMemcert(["check", "r\(round).cert.json"], in: dir)
            #expect(check.status == 0, "round \(round): \(check.stdout)\(check.stderr)")
        }
    }

    @Test("random sets in d = 3 (coplanar and collinear points among them): the certificate checks, so the checker's own enumeration of cuts agrees")
    func randomSpatial() throws {
        let dir = try temporaryFolder()
        var rng = SplitMix64(seed: 3)
        for round in 0 ..< 8 {
            let n = 4 + round
            let range = round % 2 == 0 ? 1 : 20
            var rows: [[Int]] = []
            while rows.count < n {
                var row = (0 ..< 3).map { _ in rng.below(2 * range + 1) - range }
                if round % 4 == 1 { row[2] = row[0] + row[1] }  // all in one plane
                if !rows.contains(row) { rows.append(row) }
            }
            let name = "s\(round).csv"
            try write(rows.map { $0.map(String.init).joined(separator: ",") + ",\(rng.below(3))" }.joined(separator: "\n") + "\n",
                      to: name, in: dir)
            let r = try separationNumber(name, in: dir, ["--certificate", "s\(round).json"])
            #expect(r.status == 0 && r.json["d"] as? Int == 3, "round \(round): \(r.stderr)")
            let check = try runMemcert(["check", "s\(round).json"], in: dir)
            #expect(check.status == 0, "round \(round): \(check.stdout)\(check.stderr)")
        }
    }

    @Test("a witness one hyperplane short, or a changed proof, fails check (exit 1), naming the claim")
    func tampered() throws {
        let dir = try temporaryFolder()
        try write((0 ..< 7).map { i in "\(i),\(i * i),\(i)" }.joined(separator: "\n") + "\n", to: "p.csv", in: dir)
        #expect(try runMemcert(["separation-number", "p.csv", "--certificate", "p.json"], in: dir).status == 0)
        let honest = try Data(contentsOf: dir.appendingPathComponent("p.json"))
        let proof = try Data(contentsOf: dir.appendingPathComponent("p.drat"))
        #expect(try runMemcert(["check", "p.json"], in: dir).status == 0)
        func restore() throws {
            try honest.write(to: dir.appendingPathComponent("p.json"))
            try proof.write(to: dir.appendingPathComponent("p.drat"))
        }
        func failing() throws -> String? {
            let r = try runMemcert(["check", "p.json"], in: dir)
            #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
            return failingCheck(r)
        }

        // One hyperplane short, the minimum left alone.
        try editCertificate(dir, "p.json") { c in
            var claims = c["claims"] as! [String: Any]
            claims["witness"] = Array((claims["witness"] as! [Any]).dropLast())
            c["claims"] = claims
        }
        #expect(try failing() == "claims.witness")
        // One hyperplane short with the minimum and the encoding's k lowered to match: three lines leave a pair together.
        try restore()
        try editCertificate(dir, "p.json") { c in
            var claims = c["claims"] as! [String: Any]
            claims["witness"] = Array((claims["witness"] as! [Any]).dropLast())
            claims["minimum"] = 3
            var encoding = claims["encoding"] as! [String: Any]
            encoding["k"] = 2
            claims["encoding"] = encoding
            c["claims"] = claims
        }
        #expect(try failing() == "claims.witness")

        // The proof changed: a lemma dropped, the digest updated (so only the DRAT check can notice). Solver
        // proofs hold lemmas that are never needed, so the lemmas are dropped one at a time, from the first,
        // until the check fails; it must fail for one of them, and name the proof.
        let lines = String(decoding: proof, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let lemmas = lines.indices.filter { !lines[$0].hasPrefix("d") && !lines[$0].isEmpty && lines[$0] != "0" }
        var rejected: String?
        for lemma in lemmas.prefix(40) where rejected == nil {
            try restore()
            var shorter = lines
            shorter.remove(at: lemma)
            try forge(dir, file: "p.drat", with: shorter.joined(separator: "\n"), certificate: "p.json")
            let r = try runMemcert(["check", "p.json"], in: dir)
            #expect(r.status == 0 || r.status == 1, "\(r.stdout)\(r.stderr)")
            if r.status == 1 { rejected = failingCheck(r) }
        }
        #expect(rejected == "claims.provenBy")
        // The proof changed and the digest not updated.
        try restore()
        try Data(String(decoding: proof, as: UTF8.self).replacingOccurrences(of: "\n0\n", with: "\n").utf8)
            .write(to: dir.appendingPathComponent("p.drat"))
        #expect(try failing() == "files.proof.sha256")
        // Every lemma removed: only the empty clause, which does not follow.
        try restore()
        try forge(dir, file: "p.drat", with: "0\n", certificate: "p.json")
        #expect(try failing() == "claims.provenBy")
        // A proof that is no DRAT text is malformed (exit 2, one line).
        try restore()
        try forge(dir, file: "p.drat", with: "1 2 x 0\n", certificate: "p.json")
        let malformed = try runMemcert(["check", "p.json"], in: dir)
        #expect(malformed.status == 2 && malformed.stderr.hasPrefix("error: ") && malformed.stdout.isEmpty, "\(malformed.stderr)")
        // A claimed minimum above the truth: the proof of k = 4 does not exist (the formula is satisfiable).
        try restore()
        try editCertificate(dir, "p.json") { c in
            var claims = c["claims"] as! [String: Any]
            claims["witness"] = (claims["witness"] as! [Any]) + [(claims["witness"] as! [Any])[0]]
            claims["minimum"] = 5
            var encoding = claims["encoding"] as! [String: Any]
            encoding["k"] = 4
            claims["encoding"] = encoding
            c["claims"] = claims
        }
        #expect(try failing() == "claims.encoding.variables")
        try restore()
        #expect(try runMemcert(["check", "p.json"], in: dir).status == 0)
    }

    @Test("limits, --max-k, and a certificate only for a decided answer")
    func limits() throws {
        let dir = try temporaryFolder()
        try write((0 ..< 8).map { "\($0),0,\($0 % 2)" }.joined(separator: "\n") + "\n", to: "line.csv", in: dir)
        // --max-k below the answer: undecided, exit 4, bounds printed; no certificate.
        let r = try separationNumber("line.csv", in: dir, ["--max-k", "3"])
        #expect(r.status == 4 && r.json["minimum"] is NSNull && r.json["upperBound"] as? Int == 7, "\(r.stderr)")
        let refused = try runMemcert(["separation-number", "line.csv", "--max-k", "3", "--certificate", "x.json"], in: dir)
        #expect(refused.status == 4 || refused.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.json").path))
        // d = 4 is refused with the reason.
        try write("0,0,0,0,0\n1,0,0,0,1\n", to: "d4.csv", in: dir)
        let d4 = try runMemcert(["separation-number", "d4.csv"], in: dir)
        #expect(d4.status == 2 && d4.stderr.contains("d = 1, 2, 3"), "\(d4.stderr)")
        // lower-bound says when the set is too large for it.
        #expect(try runMemcert(["generate", "circle", "--n", "60", "--labels", "alternating", "-o", "c60.csv"], in: dir).status == 0)
        let large = try runMemcert(["lower-bound", "c60.csv"], in: dir)
        #expect(large.status == 0 && large.stdout.contains("separation number not computed: derived here for at most 40 points in d = 2"),
                "\(large.stdout)")
        // One label: 0 hyperplanes, no solver needed.
        try write("0,0,1\n1,1,1\n", to: "one.csv", in: dir)
        let one = try separationNumber("one.csv", in: dir)
        #expect(one.status == 0 && one.json["minimum"] as? Int == 0 && one.json["provenBy"] as? String == "bound")
    }
}
