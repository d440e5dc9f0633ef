import Foundation
import Testing

@Suite("Every JSON file and --json output memcert writes matches its schema in docs/schemas")
struct SchemaTests {
    @Test("generate, construct (every method), verify, separation, lower-bound, compare, separation-number, sweep, certify, check and demo, validated with jsonschema")
    func outputs() throws {
        let dir = try temporaryFolder()
        var files: [String] = []
        func run(_ arguments: [String], stdout name: String? = nil, expect statuses: Set<Int32> = [0]) throws {
            let r = try runMemcert(arguments, in: dir)
            #expect(statuses.contains(r.status), "\(arguments): \(r.status) \(r.stderr)")
            if let name {
                try r.stdout.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
                files.append(name)
            }
        }
        try run(["generate", "sphere", "--n", "200", "--dim", "4", "--delta", "0.1", "--seed", "5", "-o", "s.csv"])
        try run(["generate", "circle", "--n", "40", "--labels", "alternating", "-o", "c.csv"])
        try run(["generate", "moment-curve", "--n", "21", "--dim", "3", "--labels", "alternating", "-o", "m.csv"])
        for method in ["rajput2021", "baum1988", "indicator"] {
            try run(["construct", "s.csv", "-o", "\(method).json", "--method", method, "--json"], stdout: "construct-\(method).out.json")
            files.append("\(method).json")
        }
        try run(["verify", "rajput2021.json", "s.csv", "--json"], stdout: "verify.out.json")
        try write("0,0,0\n1,0,1\n0,1,1\n1,1,0\n", to: "xor.csv", in: dir)
        try write("""
            { "format": "memcert.network/1", "inputDimension": 2, "outputBits": 1,
              "layers": [ { "neurons": [ {"weights": {"indices": [0], "values": ["1"]}, "bias": "-1/2"} ] } ] }
            """, to: "h.json", in: dir)
        try run(["verify", "h.json", "xor.csv", "--json"], stdout: "verify-fails.out.json", expect: [1])
        try run(["separation", "s.csv", "--hyperplanes", "rajput2021.json", "--json"], stdout: "separation.out.json")
        try run(["separation", "xor.csv", "--hyperplanes", "h.json", "--json"], stdout: "separation-fails.out.json", expect: [1])
        try run(["lower-bound", "s.csv", "--json", "--network", "rajput2021.json"], stdout: "lower-bound-sphere.out.json")
        try run(["lower-bound", "c.csv", "--json", "--certificate", "c.cert.json"], stdout: "lower-bound-circle.out.json")
        try run(["lower-bound", "m.csv", "--json", "--certificate", "m.cert.json"], stdout: "lower-bound-moment.out.json")
        try run(["compare", "s.csv", "--json", "--folder", "cmp"], stdout: "compare.out.json")
        try write("0,0,0\n3,1,1\n1,4,2\n-2,2,1\n5,5,0\n2,-3,2\n", to: "small.csv", in: dir)
        try run(["compare", "small.csv", "--json", "--folder", "cmp-small"], stdout: "compare-small.out.json")
        try run(["lower-bound", "small.csv", "--json"], stdout: "lower-bound-small.out.json")
        try run(["separation-number", "small.csv", "--json", "--certificate", "sn.cert.json"], stdout: "separation-number.out.json")
        try run(["separation-number", "c.csv", "--json", "--certificate", "sn-circle.cert.json"], stdout: "separation-number-circle.out.json")
        try run(["separation-number", "small.csv", "--json", "--max-k", "1"], stdout: "separation-number-undecided.out.json", expect: [4])
        files += ["sn.cert.json", "sn-circle.cert.json"]
        files += ["cmp/rajput2021.json", "cmp/baum1988.json", "cmp/indicator.json"]
        try run(["sweep", "--n", "24,48", "--dim", "4", "--delta", "0.4,1/3", "--seeds", "1,2", "--json", "--folder", "sw"],
                stdout: "sweep.out.json")
        try run(["sweep", "--n", "24", "--dim", "4", "--delta", "0.4", "--methods", "baum1988", "--json", "--folder", "sw1"],
                stdout: "sweep-one.out.json")
        try run(["certify", "rajput2021.json", "s.csv", "-o", "s.cert.json"])
        files += ["s.cert.json", "c.cert.json", "m.cert.json"]
        try run(["check", "s.cert.json", "--json"], stdout: "check.out.json")
        try run(["check", "c.cert.json", "--json"], stdout: "check-circle.out.json")
        let cert = try String(contentsOf: dir.appendingPathComponent("m.cert.json"), encoding: .utf8)
        try cert.replacingOccurrences(of: "\"best\": ", with: "\"best\": 1").write(to: dir.appendingPathComponent("m.cert.json"), atomically: true, encoding: .utf8)
        try run(["check", "m.cert.json", "--json"], stdout: "check-fails.out.json", expect: [1])
        try cert.write(to: dir.appendingPathComponent("m.cert.json"), atomically: true, encoding: .utf8)
        // Streamed and sharded: verify --shard, shard certificates and their root.
        try run(["verify", "rajput2021.json", "s.csv", "--shard", "2/3", "--json"], stdout: "verify-shard.out.json")
        for i in 1 ... 2 { try run(["certify", "rajput2021.json", "s.csv", "--shard", "\(i)/2", "-o", "s\(i).shard.json"]) }
        try run(["certify", "--combine", "s1.shard.json", "s2.shard.json", "-o", "s.root.json"])
        files += ["s1.shard.json", "s2.shard.json", "s.root.json"]
        try run(["check", "s.root.json", "--json"], stdout: "check-root.out.json")
        // .npy shards: rows, header and element digests (docs/formats.md, S11 and 5.4).
        try write("0,0,0\n1,0,1\n2,5,1\n0,3,0\n1,0,1\n", to: "h.csv", in: dir)
        try run(["convert", "h.csv", "-o", "h.npy"])
        try run(["verify", "h.json", "h.npy", "--shard", "2/3", "--json"], stdout: "verify-npy-shard.out.json")
        for i in 1 ... 2 { try run(["certify", "h.json", "h.npy", "--shard", "\(i)/2", "-o", "h\(i).shard.json"]) }
        try run(["certify", "--combine", "h1.shard.json", "h2.shard.json", "-o", "h.root.json"])
        files += ["h1.shard.json", "h2.shard.json", "h.root.json"]
        try run(["check", "h.root.json", "--json"], stdout: "check-npy-root.out.json")
        // Networks imported from ONNX (memcert.network/1 and /2) and verify's report of a tie.
        try run(["import", "onnx", onnxFixtures.appendingPathComponent("gemm_ge_cast.onnx").path, "-o", "imported1.json"])
        try run(["import", "onnx", onnxFixtures.appendingPathComponent("tie_sign.onnx").path, "-o", "imported2.json"])
        files += ["imported1.json", "imported2.json"]
        try write("1,1,0\n1,0,1\n0,1,0\n", to: "tie.csv", in: dir)
        try run(["verify", "imported2.json", "tie.csv", "--json"], stdout: "verify-tie.out.json", expect: [1])
        try run(["demo", "--n", "200", "--folder", "demo"])
        files += ["demo/network.json", "demo/certificate.json"]

        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/check_schemas.py").path
        let r = try runShell("python3 '\(script)' " + files.map { "'\($0)'" }.joined(separator: " "), in: dir)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").filter { $0.hasPrefix("ok") }.count == files.count, "\(r.stdout)")

        // The schemas can fail: a key they do not know, or a value of the wrong type.
        var bad = try String(contentsOf: dir.appendingPathComponent("verify.out.json"), encoding: .utf8)
        bad = bad.replacingOccurrences(of: "\"memorized\": true", with: "\"memorized\": true, \"surprise\": 1")
        try bad.write(to: dir.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let refused = try runShell("python3 '\(script)' bad.json", in: dir)
        #expect(refused.status == 1 && refused.stdout.contains("surprise"), "\(refused.stdout)")
    }
}
