import Foundation
import Testing

@Suite("separation, regions and lower-bound, end to end")
struct GeometryCLITests {
    @Test("regions prints the exact integer alone; --inverse the least K")
    func regions() throws {
        let dir = try temporaryFolder()
        let r = try runMemcert(["regions", "--hyperplanes", "3", "--dim", "2"], in: dir)
        #expect(r.status == 0 && r.stdout == "7\n")
        #expect(try runMemcert(["regions", "--hyperplanes", "3", "--dim", "2", "--central"], in: dir).stdout == "6\n")
        #expect(try runMemcert(["regions", "--hyperplanes", "100", "--dim", "200"], in: dir).stdout
            == "1267650600228229401496703205376\n")  // 2^100
        #expect(try runMemcert(["regions", "--inverse", "1000", "--dim", "2"], in: dir).stdout == "45\n")
        #expect(try runMemcert(["regions", "--dim", "2"], in: dir).status == 64)
        #expect(try runMemcert(["regions", "--inverse", "5", "--dim", "0"], in: dir).status == 2)
    }

    @Test("separation: exit 0 for a valid first layer, 1 otherwise, with the pairs named by line")
    func separation() throws {
        let dir = try temporaryFolder()
        try write("0,0,0\n1,0,1\n-1,0,1\n", to: "d.csv", in: dir)
        try write("""
            { "format": "memcert.network/1", "inputDimension": 2, "outputBits": 1,
              "layers": [ { "name": "h", "neurons": [ {"weights": {"indices": [0], "values": ["1"]}, "bias": "0"} ] } ] }
            """, to: "h.json", in: dir)
        let r = try runMemcert(["separation", "d.csv", "--hyperplanes", "h.json", "--codes", "codes.csv"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("lines 1 and 2"))
        let codes = try String(contentsOf: dir.appendingPathComponent("codes.csv"), encoding: .utf8)
        #expect(codes == "line,label,code\n1,0,1\n2,1,1\n3,1,0\n")
        try write("0,1,0\n1,0,1\n-1,0,1\n", to: "ok.csv", in: dir)
        let ok = try runMemcert(["separation", "ok.csv", "--hyperplanes", "h.json", "--json"], in: dir)
        #expect(ok.status == 1)  // (0,1) and (1,0) both get code 1
        let object = try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any]
        #expect(object?["unseparatedDifferentlyLabeledPairs"] as? Int == 1)
        #expect(object?["validFirstLayer"] as? Bool == false)
    }

    @Test("lower-bound on circle data, with a constructed network next to the bound")
    func lowerBound() throws {
        let dir = try temporaryFolder()
        #expect(try runMemcert(["generate", "circle", "--n", "60", "--labels", "alternating", "-o", "c.csv"], in: dir).status == 0)
        #expect(try runMemcert(["construct", "c.csv", "-o", "c.json"], in: dir).status == 0)
        let r = try runMemcert(["lower-bound", "c.csv", "--json", "--network", "c.json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["best"] as? Int == 30)
        let arguments = (object?["bounds"] as? [[String: Any]])?.compactMap { $0["argument"] as? String }
        #expect(arguments == ["circle", "distinct-codes", "counting"])
        let network = object?["network"] as? [String: Any]
        #expect((network?["firstLayerWidth"] as? Int ?? 0) >= 30)
        let human = try runMemcert(["lower-bound", "c.csv"], in: dir)
        #expect(human.stdout.contains("first layer >= 30 for this labeling"))
    }
}

@Suite("compare, end to end")
struct CompareCLITests {
    @Test("compare's table matches the counts of each network file it wrote")
    func consistent() throws {
        let dir = try temporaryFolder()
        #expect(try runMemcert(["generate", "sphere", "--n", "200", "--dim", "5", "--delta", "0.1", "--layout", "pairs",
                                "-o", "s.csv"], in: dir).status == 0)
        let r = try runMemcert(["compare", "s.csv", "--json", "--folder", "out"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let methods = object?["methods"] as? [[String: Any]] ?? []
        #expect(methods.map { $0["method"] as? String } == ["rajput2021", "baum1988", "indicator"])
        for method in methods {
            #expect(method["verified"] as? Bool == true)
            guard let file = method["file"] as? String else {
                Issue.record("no file for \(method["method"] ?? "")")
                continue
            }
            // Counts from the written file, through verify --json.
            let v = try runMemcert(["verify", file, "s.csv", "--json"], in: dir)
            #expect(v.status == 0)
            let counts = (try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any])?["network"] as? [String: Any]
            for key in ["neurons", "weights", "depth", "largestWeightBits"] {
                #expect(counts?[key] as? Int == method[key] as? Int, "\(method["method"] ?? "") \(key)")
            }
            #expect((counts?["widths"] as? [Int])?.first == method["firstLayerWidth"] as? Int)
        }
        #expect((object?["vershynin2020"] as? [String: Any])?["neurons"] as? String != nil)
        let human = try runMemcert(["compare", "s.csv", "--folder", "out2"], in: dir)
        #expect(human.stdout.contains("smallest by neurons:"))
        #expect(try runMemcert(["construct", "s.csv", "-o", "b.json", "--method", "baum1988"], in: dir).status == 0)
    }
}
