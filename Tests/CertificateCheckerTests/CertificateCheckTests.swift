import DataSets
import Foundation
import Testing
import TestSupport
import TextFormats
@testable import CertificateChecker

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A copy of a reference case in a fresh folder.
func copyReference(_ name: String) throws -> URL {
    let target = try temporaryFolder()
    let source = repository.appendingPathComponent("certificates/\(name)")
    for file in try FileManager.default.contentsOfDirectory(atPath: source.path) {
        try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target.appendingPathComponent(file))
    }
    return target
}

enum Verdict: Equatable, CustomStringConvertible {
    case holds, fails(String), malformed(String)
    var description: String {
        switch self {
        case .holds: return "holds"
        case .fails(let claim): return "fails \(claim)"
        case .malformed(let message): return "malformed: \(message)"
        }
    }
}

func verdict(_ cert: URL, network: String? = nil, data: String? = nil) -> Verdict {
    do {
        let outcome = try CertificateChecker.check(path: cert.path, network: network, data: data)
        return outcome.failure.map { .fails($0.claim) } ?? .holds
    } catch {
        return .malformed(error.description)
    }
}

/// The verdict on a reference certificate after `change` edits its JSON text.
func verdictAfter(_ name: String, _ change: (inout String) -> Void) throws -> Verdict {
    let folder = try copyReference(name)
    let cert = folder.appendingPathComponent("cert.json")
    var text = try String(contentsOf: cert, encoding: .utf8)
    change(&text)
    try text.write(to: cert, atomically: true, encoding: .utf8)
    return verdict(cert)
}

/// Replaces the first occurrence of `old` (which must occur).
func replacing(_ old: String, _ new: String) -> (inout String) -> Void {
    { text in
        guard let range = text.range(of: old) else { Issue.record("no \(old) in the certificate"); return }
        text.replaceSubrange(range, with: new)
    }
}

/// The verdict after `change` edits the claims as a JSON object.
func verdictAfterClaims(_ name: String, _ change: @escaping (inout [String: Any]) -> Void) throws -> Verdict {
    try verdictAfter(name) { text in
        var root = try! JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        var claims = root["claims"] as! [String: Any]
        change(&claims)
        root["claims"] = claims
        text = String(decoding: try! JSONSerialization.data(withJSONObject: root), as: UTF8.self)
    }
}

@Suite("Certificates read strictly (K1-K5): malformed means exit 2, before any file is read")
struct MalformedCertificateTests {
    @Test("every reference certificate holds", arguments: ["sphere-memorization", "multiclass-memorization", "circle-lower-bound", "moment-curve-lower-bound"])
    func references(_ name: String) throws {
        #expect(verdict(repository.appendingPathComponent("certificates/\(name)/cert.json")) == .holds)
    }

    @Test("lenient or truncating values, unknown or missing keys, bad forms", arguments: [
        ("\"n\": 2000", "\"n\": 2000.0", "JSON integer"), ("\"n\": 2000", "\"n\": \"2000\"", "JSON integer"), ("\"n\": 2000", "\"n\": true", "JSON integer"),
        ("\"n\": 2000", "\"n\": 2e3", "JSON integer"), ("\"n\": 2000", "\"n\": -0", "JSON integer"), ("\"n\": 2000", "\"n\": 4611686018427387905", "exceeds 2^62"),
        ("\"memorized\": true", "\"memorized\": 1", "true or false"), ("\"memorized\": true", "\"memorized\": \"true\"", "true or false"),
        ("\"n\": 2000", "\"n\": 2000, \"extra\": 1", "unknown key \"extra\""), ("\"biases\": ", "\"biasez\": ", "unknown key"),
        ("\"n\": 2000", "\"n\": 2000, \"n\": 2000", "duplicate key"), ("\"radiusSquared\": \"1\"", "\"radiusSquared\": \"1/1\"", "canonical"),
        ("\"radiusSquared\": \"1\"", "\"radiusSquared\": \"+1\"", "canonical"), ("\"radiusSquared\": \"1\"", "\"radiusSquared\": \"2/2\"", "canonical"),
        ("\"radiusSquared\": \"1\"", "\"radiusSquared\": 1", "must be a string"), ("\"radiusSquared\": \"1\"", "\"radiusSquared\": null", "null exactly when"),
        ("\"minimumMargins\": [", "\"minimumMargins\": [\"0\", ", "entries, claims.depth"),
        ("\"memcert.certificate/2\"", "\"memcert.certificate/1\"", "re-issue"), ("\"memcert.certificate/2\"", "\"memcert.certificate/3\"", "unsupported"),
        ("\"kind\": \"memorization\"", "\"kind\": \"memorisation\"", "kind must be"), ("\"provenance\"", "\"tool\": \"memcert\", \"provenance\"", "unknown key \"tool\""),
        ("\"gmp\":", "\"extra\": 1, \"gmp\":", "unknown key"), ("\"command\": [", "\"command\": [1, ", "provenance.command"),
        ("\"path\": \"data.csv\"", "\"path\": \"../data.csv\"", "'..' segment"), ("\"path\": \"data.csv\"", "\"path\": \"/tmp/data.csv\"", "absolute"),
        ("\"path\": \"data.csv\"", "\"path\": \"./data.csv\"", "'.' segment"), ("\"path\": \"data.csv\"", "\"path\": \"x//data.csv\"", "empty segment"),
        ("\"path\": \"data.csv\"", "\"path\": \"x\\\\data.csv\"", "backslash"), ("\"path\": \"data.csv\"", "\"path\": \"data.csv\\u0000\"", "NUL"),
        ("\"data\": {", "\"extra\": {\"path\": \"data.csv\", \"sha256\": \"00\"}, \"data\": {", "unknown key \"extra\""),
    ])
    func malformed(_ old: String, _ new: String, _ fragment: String) throws {
        let result = try verdictAfter("sphere-memorization", replacing(old, new))
        guard case .malformed(let message) = result else { Issue.record("\(new): \(result)"); return }
        #expect(message.contains(fragment), "\(new): \(message)")
        #expect(message.hasPrefix("/") && message.contains("cert.json:"), "\(message)")
    }

    @Test("δ² null for a small n, or present for a large one, is malformed")
    func separationClaims() throws {
        #expect(try verdictAfterClaims("sphere-memorization") { $0["deltaSquared"] = NSNull() }.description.contains("null exactly when"))
        #expect(try verdictAfterClaims("sphere-memorization") { $0["n"] = 20001 }.description.contains("null exactly when"))
    }

    @Test("a digest in capitals, a missing role, a top-level extra key")
    func structure() throws {
        let upper = try verdictAfter("circle-lower-bound") { text in
            let start = text.range(of: "\"sha256\": \"")!.upperBound
            let digest = text[start...].prefix(64)
            text.replaceSubrange(start ..< text.index(start, offsetBy: 64), with: digest.uppercased())
        }
        #expect(upper.description.contains("lowercase hex"))
        #expect(try verdictAfter("sphere-memorization", replacing("\"network\": {", "\"networc\": {")).description.contains("unknown key"))
        #expect(try verdictAfter("circle-lower-bound", replacing("\"claims\"", "\"extra\": 1, \"claims\"")).description.contains("unknown key"))
    }

    @Test("a file reached through a symlink out of the folder is refused; --data names one explicitly")
    func confinement() throws {
        let folder = try copyReference("circle-lower-bound")
        let outside = try temporaryFolder().appendingPathComponent("data.csv")
        try FileManager.default.moveItem(at: folder.appendingPathComponent("data.csv"), to: outside)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("data.csv"), withDestinationURL: outside)
        let cert = folder.appendingPathComponent("cert.json")
        #expect(verdict(cert).description.contains("outside the certificate's folder"))
        #expect(verdict(cert, data: outside.path) == .holds)
        // A symlink that stays inside is fine.
        let inside = try copyReference("circle-lower-bound")
        try FileManager.default.moveItem(at: inside.appendingPathComponent("data.csv"), to: inside.appendingPathComponent("real.csv"))
        try FileManager.default.createSymbolicLink(atPath: inside.appendingPathComponent("data.csv").path, withDestinationPath: "real.csv")
        #expect(verdict(inside.appendingPathComponent("cert.json")) == .holds)
    }

    @Test("control characters from the input are escaped in messages")
    func escaping() throws {
        let result = try verdictAfter("circle-lower-bound", replacing("\"n\": 240", "\"n\\u0007\\u001b[31m\": 240"))
        #expect(!result.description.unicodeScalars.contains { $0.value < 0x20 })
        #expect(result.description.contains("\\x1B"))
    }
}

@Suite("Every claim, tampered with, fails by name (exit 1)")
struct TamperTests {
    @Test("memorization claims", arguments: [
        ("n", 1), ("d", 1), ("classes", 1), ("mergedDuplicates", 1), ("neurons", 1), ("weights", -1), ("biases", 1), ("depth", 1),
        ("largestWeightBits", 1),
    ])
    func counts(_ key: String, _ delta: Int) throws {
        let result = try verdictAfterClaims("sphere-memorization") { claims in
            claims[key] = (claims[key] as! Int) + delta
            if key == "depth" { claims["minimumMargins"] = (claims["minimumMargins"] as! [String]) + ["0"] }
        }
        #expect(result == .fails("claims.\(key)"))
    }

    @Test("memorized, margins, R², δ², digests")
    func values() throws {
        #expect(try verdictAfterClaims("sphere-memorization") { $0["memorized"] = false } == .fails("claims.memorized"))
        #expect(try verdictAfterClaims("sphere-memorization") { c in
            var m = c["minimumMargins"] as! [String]
            m[m.count - 1] = "1/2"
            c["minimumMargins"] = m
        } == .fails("claims.minimumMargins"))
        #expect(try verdictAfterClaims("sphere-memorization") { $0["radiusSquared"] = "2" } == .fails("claims.radiusSquared"))
        #expect(try verdictAfterClaims("sphere-memorization") { $0["deltaSquared"] = "1/3" } == .fails("claims.deltaSquared"))
        for role in ["data", "network"] {
            let folder = try copyReference("multiclass-memorization")
            let file = folder.appendingPathComponent(role == "data" ? "data.csv" : "network.json")
            try (try String(contentsOf: file, encoding: .utf8) + "\n").write(to: file, atomically: true, encoding: .utf8)
            #expect(verdict(folder.appendingPathComponent("cert.json")) == .fails("files.\(role).sha256"))
        }
    }

    @Test("a changed weight, with its digest updated, fails memorization at a named point")
    func changedNetwork() throws {
        let folder = try copyReference("sphere-memorization")
        let net = folder.appendingPathComponent("network.json"), cert = folder.appendingPathComponent("cert.json")
        let old = try MappedBytes(path: net.path).sha256
        var text = try String(contentsOf: net, encoding: .utf8)
        // The output neuron: make it never fire.
        let last = text.range(of: "\"bias\": \"", options: .backwards)!
        let end = text[last.upperBound...].firstIndex(of: "\"")!
        text.replaceSubrange(last.lowerBound ..< end, with: "\"bias\": \"-1000000")
        try text.write(to: net, atomically: true, encoding: .utf8)
        let certText = try String(contentsOf: cert, encoding: .utf8).replacingOccurrences(of: old, with: try MappedBytes(path: net.path).sha256)
        try certText.write(to: cert, atomically: true, encoding: .utf8)
        let outcome = try CertificateChecker.check(path: cert.path)
        #expect(outcome.failure?.claim == "claims.memorized")
        #expect(outcome.failure?.message.contains("the point on line") == true)
    }

    @Test("lower-bound claims: circle")
    func circle() throws {
        func bound(_ change: @escaping (inout [String: Any]) -> Void) throws -> Verdict {
            try verdictAfterClaims("circle-lower-bound") { claims in
                var bounds = claims["bounds"] as! [[String: Any]]
                change(&bounds[0])
                claims["bounds"] = bounds
            }
        }
        #expect(try bound { $0["firstLayerNeurons"] = 121 } == .fails("claims.bounds[0].firstLayerNeurons"))
        #expect(try bound { $0["labelChanges"] = 238 } == .fails("claims.bounds[0].labelChanges"))
        #expect(try bound { $0["radiusSquared"] = "2" } == .fails("claims.bounds[0]"))
        #expect(try bound { $0["center"] = ["1/2", "0"] } == .fails("claims.bounds[0]"))  // in the plane (d = 2), off the circle
        #expect(try bound { b in b["planeBasis"] = [(b["planeBasis"] as! [[String]])[0], (b["planeBasis"] as! [[String]])[0]] } == .fails("claims.bounds[0].planeBasis"))
        // Orders: a rotation and the reverse still hold, a swap does not, and every line must be a point's.
        #expect(try bound { b in let o = b["cyclicOrderLines"] as! [Int]; b["cyclicOrderLines"] = Array(o[7...] + o[..<7]) } == .holds)
        #expect(try bound { b in b["cyclicOrderLines"] = Array((b["cyclicOrderLines"] as! [Int]).reversed()) } == .holds)
        #expect(try bound { b in var o = b["cyclicOrderLines"] as! [Int]; o.swapAt(3, 10); b["cyclicOrderLines"] = o } == .fails("claims.bounds[0].cyclicOrderLines"))
        #expect(try bound { b in var o = b["cyclicOrderLines"] as! [Int]; o[3] = o[4]; b["cyclicOrderLines"] = o } == .fails("claims.bounds[0].cyclicOrderLines"))
        #expect(try bound { b in var o = b["cyclicOrderLines"] as! [Int]; o[3] = 2; b["cyclicOrderLines"] = o } == .fails("claims.bounds[0].cyclicOrderLines"))
        #expect(try verdictAfterClaims("circle-lower-bound") { $0["best"] = 119 } == .fails("claims.best"))
    }

    @Test("lower-bound claims: moment curve, distinct codes, counting, with huge claims refused before any power")
    func others() throws {
        func bound(_ index: Int, _ change: @escaping (inout [String: Any]) -> Void) throws -> Verdict {
            try verdictAfterClaims("moment-curve-lower-bound") { claims in
                var bounds = claims["bounds"] as! [[String: Any]]
                change(&bounds[index])
                claims["bounds"] = bounds
            }
        }
        #expect(try bound(0) { $0["labelChanges"] = 59 } == .fails("claims.bounds[0].labelChanges"))
        #expect(try bound(0) { $0["firstLayerNeurons"] = 16 } == .fails("claims.bounds[0].firstLayerNeurons"))
        #expect(try bound(0) { b in var o = b["orderLines"] as! [Int]; o.swapAt(0, 1); b["orderLines"] = o } == .fails("claims.bounds[0].parameters"))
        #expect(try bound(0) { b in
            var o = b["orderLines"] as! [Int], p = b["parameters"] as! [String]
            o.swapAt(0, 1); p.swapAt(0, 1)
            (b["orderLines"], b["parameters"]) = (o, p)
        } == .fails("claims.bounds[0].orderLines"))
        #expect(try bound(1) { $0["firstLayerNeurons"] = 8 } == .fails("claims.bounds[1].firstLayerNeurons"))
        #expect(try bound(1) { $0["firstLayerNeurons"] = 6 } == .fails("claims.bounds[1].firstLayerNeurons"))
        #expect(try bound(1) { $0["firstLayerNeurons"] = 1_000_000_000_000_000 } == .fails("claims.bounds[1].firstLayerNeurons"))
        #expect(try bound(1) { $0["regionsAtBound"] = "98" } == .fails("claims.bounds[1].regionsAtBound"))
        #expect(try bound(1) { $0["regionsBelowBound"] = "58" } == .fails("claims.bounds[1].regionsBelowBound"))
        #expect(try bound(2) { $0["weights"] = 4 } == .fails("claims.bounds[2].weights"))
        #expect(try bound(2) { $0["weights"] = 6 } == .fails("claims.bounds[2].weights"))
        #expect(try bound(2) { $0["neurons"] = 10_000 } == .fails("claims.bounds[2].weights"))
        let clock = ContinuousClock.now
        #expect(try bound(2) { $0["weights"] = 1_000_000_000_000_000 } == .fails("claims.bounds[2].weights"))
        #expect(try bound(2) { $0["weights"] = 100_000_000 } == .fails("claims.bounds[2].weights"))
        #expect(ContinuousClock.now - clock < .seconds(30))
        if case .malformed = try bound(2) { $0["neurons"] = 0 } {} else { Issue.record("neurons 0 accepted") }
        if case .malformed = try bound(2) { $0["neurons"] = 4_611_686_018_427_387_905 } {} else { Issue.record("neurons > 2^62 accepted") }
        if case .malformed = try bound(2) { $0["eUpperBound"] = "3" } {} else { Issue.record("another e accepted") }
        if case .malformed = try verdictAfterClaims("moment-curve-lower-bound", { c in c["bounds"] = Array((c["bounds"] as! [Any]).reversed()) }) {} else {
            Issue.record("bounds out of order accepted")
        }
    }

    @Test("a row that another reader would hide is seen: a conflict fails the claim naming both lines")
    func conflict() throws {
        let folder = try copyReference("circle-lower-bound")
        let data = folder.appendingPathComponent("data.csv"), cert = folder.appendingPathComponent("cert.json")
        let old = try MappedBytes(path: data.path).sha256
        var lines = try String(contentsOf: data, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let row = lines[4].split(separator: ",")
        lines.insert("# comment\r", at: lines.count - 1)
        lines.insert(row.dropLast().joined(separator: ",") + "," + (row.last == "0" ? "1" : "0"), at: lines.count - 1)
        try lines.joined(separator: "\n").write(to: data, atomically: true, encoding: .utf8)
        try String(contentsOf: cert, encoding: .utf8).replacingOccurrences(of: old, with: try MappedBytes(path: data.path).sha256)
            .write(to: cert, atomically: true, encoding: .utf8)
        let outcome = try CertificateChecker.check(path: cert.path)
        #expect(outcome.failure?.claim == "claims.n")
        #expect(outcome.failure?.message.contains("line 5") == true, "\(String(describing: outcome.failure))")
    }
}

@Suite("Input-derived integers and positions never trap")
struct IntegerAndPositionTests {
    /// `CertificateReader.integer` on the JSON number `text`.
    func certificateInteger(_ text: String) -> Result<Int, MalformedInput> {
        let bytes = Array("{\"x\": \(text)}".utf8)
        return reading(bytes) { (b) throws(MalformedInput) in
            let root = try JSONReader.parse(b, file: "c.json")
            guard case .object(let members) = root.value else { throw MalformedInput("c.json", "not an object") }
            return try CertificateReader(file: "c.json", bytes: b).integer(members[0].node, "x")
        }
    }

    @Test("certificate integers: [0, 2^62] read exactly, anything larger malformed at any length (K4)", arguments: [
        ("0", 0), ("7", 7), ("4611686018427387903", (1 << 62) - 1), ("4611686018427387904", 1 << 62),
        ("4611686018427387905", nil), ("4611686018427387910", nil), ("9223372036854775807", nil), ("9223372036854775808", nil),
        ("18446744073709551616", nil), ("99999999999999999999999", nil), (String(repeating: "9", count: 400), nil),
        ("1.0", nil), ("1e3", nil), ("-1", nil),
    ] as [(String, Int?)])
    func integers(_ text: String, _ expected: Int?) {
        let result = certificateInteger(text)
        if let expected {
            #expect(result.value == expected, "\(text): \(String(describing: result.failure))")
        } else {
            #expect(result.value == nil, "\(text) was accepted as \(String(describing: result.value))")
            #expect(result.failure?.line == 1 && result.failure?.column == 7, "\(text)")
        }
    }

    @Test("a line number of 2^64 in a witness is malformed, not a trap")
    func hugeLine() throws {
        let result = try verdictAfter("circle-lower-bound") { text in
            let start = text.range(of: "\"cyclicOrderLines\": [")!.upperBound
            text.insert(contentsOf: "18446744073709551616, ", at: start)
        }
        #expect(result.description.contains("exceeds 2^62"), "\(result)")
    }

    @Test("columns count UTF-8 sequences, one per byte of anything invalid; a leading byte-order mark is no column (T2)",
          arguments: [
              ([], 1), (Array("abc".utf8), 4), (Array("é€𝄞".utf8), 4),
              ([0xE2, 0x82], 3), ([0xC0, 0x80], 3), ([0xED, 0xA0, 0x80], 4), ([0xF4, 0x90, 0x80, 0x80], 5), ([0x80, 0xBF], 3),
              ([0xFF, 0x41], 3), ([0xE2, 0x82, 0xAC, 0xE2, 0x82], 4), ([0xF0, 0x9D, 0x84], 4),
          ] as [([UInt8], Int)])
    func columns(_ prefix: [UInt8], _ column: Int) {
        let bytes = prefix + Array("x".utf8)
        let error = bytes.withUnsafeBufferPointer { MalformedInput("f", "m", offset: prefix.count, in: $0) }
        #expect(error.line == 1 && error.column == column, "\(prefix)")
        // Behind a byte-order mark, on line 1 and on line 2.
        let marked: [UInt8] = [0xEF, 0xBB, 0xBF] + bytes
        let behindMark = marked.withUnsafeBufferPointer { MalformedInput("f", "m", offset: 3 + prefix.count, in: $0) }
        #expect(behindMark.column == column, "\(prefix) behind a mark")
        let second: [UInt8] = [0xEF, 0xBB, 0xBF, 0x0A] + bytes
        let onLine2 = second.withUnsafeBufferPointer { MalformedInput("f", "m", offset: 4 + prefix.count, in: $0) }
        #expect(onLine2.line == 2 && onLine2.column == column, "\(prefix) on line 2")
    }

    @Test("a data error after invalid UTF-8 in the header is located by the same rule")
    func dataColumns() {
        let header: [UInt8] = Array("é".utf8) + [0xE2, 0x82, 0x2C, 0xFF, 0x0D] + Array(",label\n0,1\n".utf8)
        for bytes in [header, [0xEF, 0xBB, 0xBF] + header] {
            let error = readData(bytes).failure
            #expect(error?.line == 1 && error?.column == 6, "\(String(describing: error))")
            // The producer's reader counts columns by the same rule.
            let producer = reading(bytes) { (b) throws(TextFormats.InputError) in try DataSets.DataSet.parseCSV(b, file: "d.csv") }.failure
            #expect(producer?.line == 1 && producer?.column == 6, "\(String(describing: producer))")
        }
    }

    @Test("the certificate and --network/--data must be regular files: a FIFO is refused without being opened, '-' is a name")
    func regularFiles() throws {
        let folder = try copyReference("circle-lower-bound")
        let fifo = folder.appendingPathComponent("fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        #expect(verdict(fifo).description.contains("not a regular file"))
        #expect(verdict(folder).description.contains("not a regular file"))
        let cert = folder.appendingPathComponent("cert.json")
        #expect(verdict(cert, data: fifo.path).description.contains("not a regular file"))
        #expect(verdict(cert, data: folder.path).description.contains("not a regular file"))
        #expect(verdict(cert, network: "data.csv").description.contains("names no network"))
        let dash = FileManager.default.currentDirectoryPath + "/-"
        if !FileManager.default.fileExists(atPath: dash) {
            #expect(verdict(cert, data: "-").description.contains("cannot open"))
        }
    }
}
