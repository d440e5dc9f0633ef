import Foundation
import Testing

@Suite("generate, construct and demo, end to end")
struct ConstructCLITests {
    @Test("generate then construct: exit 0, a verified network file, and the stable JSON report")
    func generateAndConstruct() throws {
        let dir = try temporaryFolder()
        let g = try runMemcert(["generate", "sphere", "--n", "300", "--dim", "8", "--delta", "0.1", "--layout", "pairs",
                                "--labels", "classes:3", "--seed", "4", "-o", "data.csv"], in: dir)
        #expect(g.status == 0, "\(g.stderr)")
        let c = try runMemcert(["construct", "data.csv", "-o", "net.json", "--seed", "9", "--json"], in: dir)
        #expect(c.status == 0, "\(c.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(c.stdout.utf8)) as? [String: Any]
        #expect(report?["format"] as? String == "memcert.construct/1")
        #expect(report?["verified"] as? Bool == true)
        #expect(report?["n"] as? Int == 300)
        let stages = report?["stages"] as? [[String: Any]]
        let theory = report?["theory"] as? [String: Any]
        // auto (the default) names its choice; stage B is there exactly when gf2 was chosen.
        let chosen = theory?["compression"] as? String
        #expect(["gf2", "hash", "none"].contains(chosen ?? ""))
        #expect(stages?.map { $0["stage"] as? String } == (chosen == "gf2" ? ["A", "B", "C", "D"] : ["A", "C", "D"]))
        #expect((theory?["candidates"] as? [[String: Any]])?.map { $0["compression"] as? String } == ["hash", "none", "gf2"])
        #expect(theory?["keyWeightBits"] is Int && theory?["positionCarriers"] is Int)
        let separation = report?["separation"] as? [String: Any]
        #expect((separation?["deltaSquared"] as? String)?.contains("/") == true)
        let v = try runMemcert(["verify", "net.json", "data.csv"], in: dir)
        #expect(v.status == 0)
        // Same seed, same bytes.
        let again = try runMemcert(["construct", "data.csv", "-o", "net2.json", "--seed", "9"], in: dir)
        #expect(again.status == 0)
        #expect(try Data(contentsOf: dir.appendingPathComponent("net.json")) == Data(contentsOf: dir.appendingPathComponent("net2.json")))
        #expect(again.stdout.contains("stage") && again.stdout.contains("verified  memorized"))
    }

    @Test("circle and moment-curve data sets; bad requests exit 2 with the reason; usage errors exit 64")
    func generators() throws {
        let dir = try temporaryFolder()
        #expect(try runMemcert(["generate", "circle", "--n", "40", "--labels", "alternating", "-o", "c.csv"], in: dir).status == 0)
        #expect(try runMemcert(["generate", "moment-curve", "--n", "20", "--dim", "3", "-o", "m.csv"], in: dir).status == 0)
        #expect(try runMemcert(["construct", "c.csv", "-o", "c.json"], in: dir).status == 0)
        let tooMany = try runMemcert(["generate", "sphere", "--n", "1000", "--dim", "2", "--delta", "0.1", "-o", "x.csv"], in: dir)
        #expect(tooMany.status == 2 && tooMany.stderr.contains("infeasible"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.csv").path))
        let badLabels = try runMemcert(["generate", "circle", "--n", "4", "--labels", "classes:1", "-o", "y.csv"], in: dir)
        #expect(badLabels.status == 64)
        let badDelta = try runMemcert(["generate", "sphere", "--n", "4", "--dim", "3", "--delta", "nan", "-o", "y.csv"], in: dir)
        #expect(badDelta.status == 64)
        let badMethod = try runMemcert(["construct", "c.csv", "-o", "z.json", "--method", "magic"], in: dir)
        #expect(badMethod.status == 64 && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("z.json").path))
    }

    @Test("every option with a fixed set of values rejects another value as a usage error (64) naming the values",
          arguments: [
              (["construct", "c.csv", "-o", "z.json", "--method", "magic"], "'rajput2021', 'baum1988' or 'indicator'"),
              (["construct", "c.csv", "-o", "z.json", "--width", "wide"], "'adaptive' and 'theory'"),
              (["construct", "c.csv", "-o", "z.json", "--compression", "zip"], "'gf2', 'hash', 'none' or 'auto'"),
              (["generate", "sphere", "--n", "4", "--dim", "3", "--delta", "0.1", "--layout", "grid", "-o", "z.csv"],
               "'uniform' and 'pairs'"),
              (["generate", "circle", "--n", "4", "--labels", "classes:1", "-o", "z.csv"], "'random', 'alternating' or 'classes:C'"),
              (["generate", "moment-curve", "--n", "4", "--dim", "2", "--labels", "classes:1048577", "-o", "z.csv"],
               "'random', 'alternating' or 'classes:C'"),
              (["generate", "circle", "--n", "4", "--labels", "Random", "-o", "z.csv"], "'random', 'alternating' or 'classes:C'"),
          ])
    func badOptionValues(_ arguments: [String], _ values: String) throws {
        let dir = try temporaryFolder()
        try write("1,0,0\n0,1,1\n", to: "c.csv", in: dir)
        let r = try runMemcert(arguments, in: dir)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("Please provide one of \(values)"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["c.csv"])  // nothing written
    }

    @Test("--help and shell completion list the values of those options")
    func valuesListed() throws {
        let dir = try temporaryFolder()
        let construct = try runMemcert(["construct", "--help"], in: dir).stdout
        for value in ["rajput2021", "baum1988", "indicator", "adaptive", "theory", "gf2", "hash", "none", "auto"] {
            #expect(construct.contains("        \(value) "), "construct --help lists \(value)")
        }
        let sphere = try runMemcert(["generate", "sphere", "--help"], in: dir).stdout
        for value in ["uniform", "pairs", "random", "alternating", "classes:C"] {
            #expect(sphere.contains("        \(value) "), "generate sphere --help lists \(value)")
        }
        let completion = try runMemcert(["--generate-completion-script", "bash"], in: dir).stdout
        for list in ["'rajput2021'$'\\n''baum1988'$'\\n''indicator'", "'adaptive'$'\\n''theory'", "'gf2'$'\\n''hash'$'\\n''none'$'\\n''auto'",
                     "'uniform'$'\\n''pairs'", "'random'$'\\n''alternating'$'\\n''classes:'"] {
            #expect(completion.contains(list), "completion offers \(list)")
        }
    }

    @Test("demo runs the whole pipeline in its folder and says how to re-check")
    func demo() throws {
        let dir = try temporaryFolder()
        let r = try runMemcert(["demo", "--n", "400", "--folder", "out"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("memcert verify out/network.json out/sphere.csv"))
        #expect(r.stdout.contains("memcert check out/certificate.json"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/network.json").path))
        let v = try runMemcert(["verify", "out/network.json", "out/sphere.csv"], in: dir)
        #expect(v.status == 0)
    }
}
