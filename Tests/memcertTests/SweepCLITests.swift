import Foundation
#if canImport(FoundationXML)
import FoundationXML  // XMLParser on Linux (libxml2, which swift-build itself links)
#endif
import Testing

/// A CSV file as header and rows of fields (RFC 4180 quoting), read independently of memcert's writer.
func readCSV(_ text: String) -> (header: [String], rows: [[String: String]]) {
    var records: [[String]] = [], field = "", record: [String] = [], quoted = false
    var chars = Array(text), i = 0
    while i < chars.count {
        let c = chars[i]
        if quoted {
            if c == "\"" { if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false } } else { field.append(c) }
        } else if c == "\"" { quoted = true } else if c == "," { record.append(field); field = "" } else if c == "\n" {
            record.append(field); records.append(record); record = []; field = ""
        } else { field.append(c) }
        i += 1
    }
    chars = []
    let header = records.first ?? []
    return (header, records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
}

/// Least squares of ln(neurons) on ln(n), computed here from the CSV rows.
func slope(_ rows: [[String: String]]) -> Double {
    let u = rows.map { log(Double($0["n"]!)!) }, v = rows.map { log(Double($0["neurons"]!)!) }
    let m = Double(u.count), su = u.reduce(0, +), sv = v.reduce(0, +)
    let suv = zip(u, v).map(*).reduce(0, +), suu = u.map { $0 * $0 }.reduce(0, +)
    return (m * suv - su * sv) / (m * suu - su * su)
}

/// The elements of an SVG file: names, attributes, and the text of each text element.
final class SVGMarks: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [(classes: String, text: String)] = []
    private var current = "", currentClass = ""

    static func read(_ url: URL) throws -> SVGMarks? {
        let marks = SVGMarks()
        let parser = XMLParser(data: try Data(contentsOf: url))
        parser.delegate = marks
        return parser.parse() ? marks : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes))
        current = ""
        currentClass = attributes["class"] ?? ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append((currentClass, current)) }
        current = ""
    }

    func groups(_ word: String) -> [[String: String]] {
        elements.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(word)) }.map(\.attributes)
    }

    func names(of word: String) -> Set<String> { Set(groups(word).compactMap { $0["data-series"] }) }
}

@Suite("sweep, end to end")
struct SweepCLITests {
    static let columns = ["method", "n", "d", "delta", "measuredDelta", "seed", "layout", "labels", "neurons", "weights",
                          "depth", "firstLayer", "largestWeightBits", "lowerBound", "firstLayerBoundAllLabelings",
                          "neuronsBoundAllLabelings", "seconds", "verified", "reason"]

    @Test("sweep.csv, both plots and the printed slopes, for 3 sizes × 2 δ × 2 seeds × 3 methods")
    func fullSweep() throws {
        let dir = try temporaryFolder()
        let r = try runMemcert(["sweep", "--n", "64,128,256", "--dim", "8", "--delta", "0.4,0.2", "--seeds", "1,2",
                                "--folder", "out"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let out = dir.appendingPathComponent("out")

        // The CSV: its columns, one row per (method, n, δ, seed), every network verified.
        let csv = readCSV(try String(contentsOf: out.appendingPathComponent("sweep.csv"), encoding: .utf8))
        #expect(csv.header == SweepCLITests.columns)
        #expect(csv.rows.count == 3 * 3 * 2 * 2)
        let keys = Set(csv.rows.map { "\($0["method"]!)/\($0["n"]!)/\($0["delta"]!)/\($0["seed"]!)" })
        #expect(keys.count == 36)
        for row in csv.rows {
            #expect(["rajput2021", "baum1988", "indicator"].contains(row["method"]!))
            #expect(["64", "128", "256"].contains(row["n"]!) && row["d"] == "8" && ["1", "2"].contains(row["seed"]!))
            #expect(["0.4", "0.2"].contains(row["delta"]!) && row["layout"] == "pairs" && row["labels"] == "random")
            #expect(row["verified"] == "true" && row["reason"] == "")
            let neurons = Int(row["neurons"]!) ?? 0, firstLayer = Int(row["firstLayer"]!) ?? -1
            #expect(neurons > 0 && (Int(row["weights"]!) ?? 0) > 0 && (Int(row["depth"]!) ?? 0) >= 2)
            #expect(firstLayer >= Int(row["lowerBound"]!)! && firstLayer <= neurons)
            #expect(Int(row["neuronsBoundAllLabelings"]!)! >= Int(row["firstLayerBoundAllLabelings"]!)!)
            #expect(Double(row["measuredDelta"]!)! >= Double(row["delta"]!)!)  // the generator keeps points δ apart
            #expect((Double(row["seconds"]!) ?? -1) >= 0)
        }

        // The printed slopes match least squares on the CSV's rows (all seeds, per δ).
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("log-log slope") })
        #expect(lines[header + 1].contains("δ = 0.4") && lines[header + 1].contains("δ = 0.2"))
        for (offset, method) in ["rajput2021", "baum1988", "indicator"].enumerated() {
            let cells = lines[header + 2 + offset].split(separator: " ").map(String.init)
            #expect(cells.first == method)
            for (column, delta) in ["0.4", "0.2"].enumerated() {
                let printed = try #require(Double(cells[1 + column]))
                let computed = slope(csv.rows.filter { $0["method"] == method && $0["delta"] == delta })
                #expect(abs(printed - computed) <= 0.0005 + 1e-9, "\(method) at δ = \(delta): printed \(printed), CSV gives \(computed)")
            }
        }

        // The neurons plot: well-formed XML with axes, ticks, a group and a legend entry per method,
        // the reference lines and the lower bound.
        let neurons = try #require(try SVGMarks.read(out.appendingPathComponent("neurons-vs-n.svg")))
        #expect(neurons.elements.contains { $0.attributes["id"] == "x-axis" && $0.attributes["data-scale"] == "logarithmic" })
        #expect(neurons.elements.contains { $0.attributes["id"] == "y-axis" && $0.attributes["data-scale"] == "logarithmic" })
        #expect(neurons.texts.filter { $0.classes == "tick-label" }.count >= 6)
        #expect(neurons.texts.contains { $0.classes == "axis-label" && $0.text == "n (points)" })
        #expect(neurons.texts.contains { $0.classes == "axis-label" && $0.text == "neurons" })
        let lineNames: Set = ["rajput2021", "baum1988", "indicator", "certified lower bound", "√n", "2⌈n/d⌉ (Baum)", "n (one per point)"]
        #expect(neurons.names(of: "series") == lineNames)
        #expect(neurons.names(of: "legend-entry") == lineNames)
        #expect(neurons.names(of: "measured") == ["rajput2021", "baum1988", "indicator"])
        #expect(neurons.names(of: "reference") == ["√n", "2⌈n/d⌉ (Baum)", "n (one per point)"])
        #expect(neurons.groups("markers").count == 4)  // three methods and the bound
        #expect(neurons.elements.contains { $0.name == "text" && $0.attributes["id"] == "title" })

        let firstLayer = try #require(try SVGMarks.read(out.appendingPathComponent("first-layer-vs-inverse-delta.svg")))
        #expect(firstLayer.names(of: "legend-entry") == ["rajput2021", "baum1988", "indicator", "circle bound ≈ π/δ", "⌈2π ln n/δ⌉"])
        #expect(firstLayer.names(of: "reference") == ["⌈2π ln n/δ⌉"] && firstLayer.names(of: "bound") == ["circle bound ≈ π/δ"])
        // Ticks at the requested 1/δ.
        let xTicks = Set(firstLayer.texts.filter { $0.classes == "tick-label" }.map(\.text))
        #expect(xTicks.isSuperset(of: ["2.5", "5"]))
        #expect(r.stdout.contains("δ = 0.2: 30 points, first layer >= 15"))
    }

    @Test("one δ: --json, only the neurons plot with a note, and the same bytes again")
    func oneDelta() throws {
        let dir = try temporaryFolder()
        let arguments = ["sweep", "--n", "48,96", "--dim", "6", "--delta", "3/10", "--methods", "baum1988,rajput2021", "--json"]
        let r = try runMemcert(arguments + ["--folder", "a"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "memcert.sweep/1")
        #expect(object["rows"] as? Int == 4 && object["verifiedRows"] as? Int == 4)
        #expect(object["files"] as? [String] == ["a/sweep.csv", "a/neurons-vs-n.svg"])
        #expect((object["notes"] as? [String])?.first?.hasPrefix("one δ: only neurons-vs-n.svg") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("a/first-layer-vs-inverse-delta.svg").path))
        let plan = try #require(object["plan"] as? [String: Any])
        #expect(plan["delta"] as? [String] == ["0.3"] && plan["methods"] as? [String] == ["baum1988", "rajput2021"])
        let csv = readCSV(try String(contentsOf: dir.appendingPathComponent("a/sweep.csv"), encoding: .utf8))
        let slopes = try #require(object["slopes"] as? [[String: Any]])
        #expect(slopes.count == 2)
        for entry in slopes {
            let method = try #require(entry["method"] as? String)
            let printed = try #require(entry["slope"] as? Double)
            #expect(entry["points"] as? Int == 2 && entry["sizes"] as? Int == 2)
            #expect(abs(printed - slope(csv.rows.filter { $0["method"] == method })) <= 0.00005 + 1e-9)
        }
        // Same command, same plot bytes and the same CSV but for the seconds.
        #expect(try runMemcert(arguments + ["--folder", "b"], in: dir).status == 0)
        let plotA = try Data(contentsOf: dir.appendingPathComponent("a/neurons-vs-n.svg"))
        #expect(plotA == (try Data(contentsOf: dir.appendingPathComponent("b/neurons-vs-n.svg"))))
        let csvB = readCSV(try String(contentsOf: dir.appendingPathComponent("b/sweep.csv"), encoding: .utf8))
        #expect(csv.rows.map { $0.filter { $0.key != "seconds" } } == csvB.rows.map { $0.filter { $0.key != "seconds" } })
    }

    @Test("bad lists are usage errors (64); impossible or absurd sweeps exit 2 before any work or file")
    func refusals() throws {
        let dir = try temporaryFolder()
        let base = ["sweep", "--dim", "8", "--folder", "never"]
        for bad in [["--n", "64,x", "--delta", "0.2"], ["--n", "64,,128", "--delta", "0.2"], ["--n", "64,64", "--delta", "0.2"],
                    ["--n", "1", "--delta", "0.2"], ["--n", "64", "--delta", "0"], ["--n", "64", "--delta", "0.2,abc"],
                    ["--n", "64", "--delta", "0.2", "--methods", "rajput2021,vershynin2020"],
                    ["--n", "64", "--delta", "0.2", "--seeds", "1,-2"], ["--n", "64", "--delta", "0.2", "--seeds", "3,3"],
                    ["--n", "64"]] {
            let r = try runMemcert(base + bad, in: dir)
            #expect(r.status == 64, "\(bad): \(r.stderr)")
        }
        let methods = try runMemcert(base + ["--n", "64", "--delta", "0.2", "--methods", "foo"], in: dir)
        #expect(methods.stderr.contains("rajput2021, baum1988, indicator"))
        for (impossible, reason) in [(["--n", "4000000", "--delta", "0.1", "--max-minutes", "5"], "--max-minutes 5"),
                                     (["--n", "64", "--delta", "3"], "(0, 2]"),
                                     (["--n", "64", "--delta", "1/100000"], "1/10000"),
                                     (["--n", "20000000", "--delta", "0.1"], "between 2 and")] {
            let r = try runMemcert(base + impossible, in: dir)
            #expect(r.status == 2, "\(impossible): \(r.stderr)")
            #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains(reason), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
        let packing = try runMemcert(["sweep", "--n", "1000", "--dim", "2", "--delta", "0.5", "--folder", "never"], in: dir)
        #expect(packing.status == 2 && packing.stderr.contains("n = 1000, δ = 0.5") && packing.stderr.contains("infeasible"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("never").path))
    }

    @Test("a folder that cannot take the outputs is refused before any work (exit 2, one line); outputs replace files atomically")
    func folders() throws {
        let dir = try temporaryFolder()
        let fm = FileManager.default
        // Big enough that refusing it only after the work would take many seconds.
        let sweep = ["sweep", "--n", "3000,6000", "--dim", "16", "--delta", "0.3,0.2", "--seeds", "1,2", "--folder"]
        try write("keep me\n", to: "afile", in: dir)
        try fm.createDirectory(at: dir.appendingPathComponent("csvdir/sweep.csv"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent("svgdir/first-layer-vs-inverse-delta.svg"), withIntermediateDirectories: true)
        for folder in ["afile", "afile/sub", "csvdir", "svgdir", "-", ""] {
            let start = Date()
            let r = try runMemcert(sweep + [folder], in: dir)
            #expect(r.status == 2, "\(folder): \(r.status) \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(folder): work started: \(r.stdout)")
            #expect(r.stderr.hasPrefix("error: ") && r.stderr.split(separator: "\n").count == 1, "\(folder): \(r.stderr)")
            #expect(Date().timeIntervalSince(start) < 5, "\(folder): refused only after \(Date().timeIntervalSince(start)) s")
        }
        #expect(try String(contentsOf: dir.appendingPathComponent("afile"), encoding: .utf8) == "keep me\n")
        #expect(try fm.contentsOfDirectory(atPath: dir.appendingPathComponent("csvdir").path) == ["sweep.csv"])
        #expect(try fm.contentsOfDirectory(atPath: dir.appendingPathComponent("svgdir").path) == ["first-layer-vs-inverse-delta.svg"])

        // Into a folder that exists: old files replaced, a symbolic link written through (and kept),
        // no temporary file left behind; a new nested folder is created.
        let out = dir.appendingPathComponent("out")
        try fm.createDirectory(at: out, withIntermediateDirectories: true)
        try write("old\n", to: "out/sweep.csv", in: dir)
        try write("old\n", to: "target.svg", in: dir)
        try fm.createSymbolicLink(atPath: out.appendingPathComponent("neurons-vs-n.svg").path, withDestinationPath: "../target.svg")
        let small = ["sweep", "--n", "24,48", "--dim", "4", "--delta", "0.4", "--methods", "baum1988", "--folder"]
        for folder in ["out/", "new/nested"] {
            let r = try runMemcert(small + [folder], in: dir)
            #expect(r.status == 0, "\(folder): \(r.stderr)")
            #expect(r.stdout.contains("wrote     \(folder.hasSuffix("/") ? String(folder.dropLast()) : folder)/sweep.csv ("), "\(r.stdout)")
        }
        #expect(try String(contentsOf: out.appendingPathComponent("sweep.csv"), encoding: .utf8).hasPrefix("method,n,d,"))
        #expect(try fm.destinationOfSymbolicLink(atPath: out.appendingPathComponent("neurons-vs-n.svg").path) == "../target.svg")
        #expect(try String(contentsOf: dir.appendingPathComponent("target.svg"), encoding: .utf8).hasPrefix("<?xml"))
        #expect(Set(try fm.contentsOfDirectory(atPath: out.path)) == ["sweep.csv", "neurons-vs-n.svg"])
        #expect(Set(try fm.contentsOfDirectory(atPath: dir.appendingPathComponent("new/nested").path)) == ["sweep.csv", "neurons-vs-n.svg"])
        #expect(!(try fm.contentsOfDirectory(atPath: dir.path)).contains { $0.hasSuffix(".tmp") })
    }

    @Test("the committed study (docs/plots, made by bench/sweep_plots.sh): its columns, every network verified, slopes and plots")
    func committedStudy() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let plots = root.appendingPathComponent("docs/plots")
        let csv = readCSV(try String(contentsOf: plots.appendingPathComponent("sweep.csv"), encoding: .utf8))
        #expect(csv.header == SweepCLITests.columns)
        #expect(!csv.rows.isEmpty && csv.rows.allSatisfy { $0["verified"] == "true" })
        // The slopes sweep.txt printed are least squares on the CSV's rows.
        let lines = try String(contentsOf: plots.appendingPathComponent("sweep.txt"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("log-log slope") })
        let deltas = lines[header + 1].split(separator: "=").dropFirst().map { $0.split(separator: " ")[0] }.map(String.init)
        var checked = 0
        for line in lines[(header + 2)...].prefix { !$0.isEmpty } {
            let cells = line.split(separator: " ").map(String.init)
            for (column, delta) in deltas.enumerated() {
                let printed = try #require(Double(cells[1 + column]))
                let computed = slope(csv.rows.filter { $0["method"] == cells[0] && $0["delta"] == delta })
                #expect(abs(printed - computed) <= 0.0005 + 1e-9, "\(cells[0]) at δ = \(delta)")
                checked += 1
            }
        }
        #expect(checked >= 2)
        for file in ["neurons-vs-n.svg", "first-layer-vs-inverse-delta.svg"] {
            let marks = try #require(try SVGMarks.read(plots.appendingPathComponent(file)), "\(file)")
            #expect(marks.groups("measured").count >= 1 && marks.names(of: "legend-entry").count >= 3, "\(file)")
        }
    }

    @Test("SIGINT mid-sweep removes every temporary file and leaves the old files as they were")
    func interrupted() throws {
        let dir = try temporaryFolder()
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try write("old csv\n", to: "out/sweep.csv", in: dir)
        let process = Process()
        process.executableURL = memcertExecutable
        process.arguments = ["sweep", "--n", "4000,8000", "--dim", "16", "--delta", "0.3,0.2", "--seeds", "1,2,3", "--folder", "out"]
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The three temporary files exist from before the first case; wait for them, then interrupt.
        var temporaries = 0
        for _ in 0 ..< 1000 where temporaries < 3 {
            temporaries = (try FileManager.default.contentsOfDirectory(atPath: out.path)).filter { $0.hasSuffix(".tmp") }.count
            if temporaries < 3 { usleep(10_000) }
        }
        #expect(temporaries == 3)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["sweep.csv"])
        #expect(try String(contentsOf: out.appendingPathComponent("sweep.csv"), encoding: .utf8) == "old csv\n")
    }
}
