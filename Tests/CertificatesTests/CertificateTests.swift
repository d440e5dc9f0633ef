import DataSets
import ExactArithmetic
import Foundation
import SeparationGeometry
import Testing
import TextFormats
import ThresholdNetworks
@testable import CertificateChecker
@testable import Certificates

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let referenceCases = ["sphere-memorization", "multiclass-memorization", "circle-lower-bound", "moment-curve-lower-bound"]

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("memcert-cert-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A copy of a reference case in a fresh folder, so tests can tamper with it.
func copyCase(_ name: String) throws -> URL {
    let target = try temporaryFolder()
    let source = repositoryRoot.appendingPathComponent("certificates/\(name)")
    for file in try FileManager.default.contentsOfDirectory(atPath: source.path) {
        try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target.appendingPathComponent(file))
    }
    return target
}

/// Replaces the first occurrence of `old` by `new` in a file.
func edit(_ file: URL, _ old: String, _ new: String) throws {
    let text = try String(contentsOf: file, encoding: .utf8)
    guard let range = text.range(of: old) else { throw CocoaError(.fileReadUnknown) }
    try text.replacingCharacters(in: range, with: new).write(to: file, atomically: true, encoding: .utf8)
}

@Suite("Reference certificates")
struct ReferenceCertificateTests {
    @Test("every reference certificate checks", arguments: referenceCases)
    func checks(_ name: String) throws {
        let outcome = try CertificateChecker.check(path: repositoryRoot.appendingPathComponent("certificates/\(name)/cert.json").path)
        #expect(outcome.holds, "\(outcome.failure.map(String.init(describing:)) ?? "")")
        #expect(outcome.checks.count >= 8)
    }

    @Test("changing one byte of a named file makes the digest claim fail", arguments: referenceCases)
    func tamperedFile(_ name: String) throws {
        let folder = try copyCase(name)
        let data = folder.appendingPathComponent("data.csv")
        var bytes = try Data(contentsOf: data)
        let index = bytes.count / 2
        bytes[index] = bytes[index] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        try bytes.write(to: data)
        let outcome = try CertificateChecker.check(path: folder.appendingPathComponent("cert.json").path)
        #expect(outcome.failure?.claim == "files.data.sha256", "\(outcome.failure.map(String.init(describing:)) ?? "held")")
    }

    @Test("changing a digest, a count, a margin or a bound makes check name that claim")
    func tamperedClaims() throws {
        let reference = try String(contentsOf: repositoryRoot.appendingPathComponent("certificates/sphere-memorization/cert.json"), encoding: .utf8)
        let digestStart = try #require(reference.range(of: "\"sha256\": \"")).upperBound
        let digest = String(reference[digestStart...].prefix(64))
        let edits: [(String, String, String, String)] = [
            ("sphere-memorization", digest, String(repeating: "0", count: 64), "sha256"),
            ("sphere-memorization", "\"weights\": ", "\"weights\": 1", "claims.weights"),
            ("sphere-memorization", "\"neurons\": ", "\"neurons\": 1", "claims.neurons"),
            ("sphere-memorization", "\"minimumMargins\": [\"", "\"minimumMargins\": [\"1", "claims.minimumMargins"),
            ("sphere-memorization", "\"deltaSquared\": \"", "\"deltaSquared\": \"3", "claims.deltaSquared"),
            ("multiclass-memorization", "\"classes\": 6", "\"classes\": 5", "claims.classes"),
            ("circle-lower-bound", "\"firstLayerNeurons\": 120", "\"firstLayerNeurons\": 121", "firstLayerNeurons"),
            ("circle-lower-bound", "\"best\": 120", "\"best\": 119", "claims.best"),
            ("moment-curve-lower-bound", "\"labelChanges\": 60", "\"labelChanges\": 61", "labelChanges"),
            ("moment-curve-lower-bound", "\"weights\": ", "\"weights\": 9", "weights"),
        ]
        for (name, old, new, expected) in edits {
            let folder = try copyCase(name)
            let cert = folder.appendingPathComponent("cert.json")
            try edit(cert, old, new)
            let outcome = try CertificateChecker.check(path: cert.path)
            #expect(outcome.failure?.description.contains(expected) == true, "\(name) \(new): \(outcome.failure.map(String.init(describing:)) ?? "held")")
        }
    }

    @Test("an unreadable certificate or missing file is bad input, not a verdict")
    func unreadable() throws {
        let folder = try copyCase("circle-lower-bound")
        let cert = folder.appendingPathComponent("cert.json")
        try edit(cert, "memcert.certificate/2", "memcert.certificate/9")
        #expect(throws: MalformedInput.self) { try CertificateChecker.check(path: cert.path) }
        try "{ not json".write(to: cert, atomically: true, encoding: .utf8)
        #expect(throws: MalformedInput.self) { try CertificateChecker.check(path: cert.path) }
        let other = try copyCase("circle-lower-bound")
        try FileManager.default.removeItem(at: other.appendingPathComponent("data.csv"))
        #expect(throws: MalformedInput.self) { try CertificateChecker.check(path: other.appendingPathComponent("cert.json").path) }
    }
}

/// The issuer's input for a file: its role, the path a certificate in the same folder names, and the digest of `bytes`.
func certified(_ role: String, _ name: String, _ bytes: [UInt8]) -> CertifiedFile {
    CertifiedFile(role: role, path: name, sha256: ContentDigest.sha256(bytes))
}

@Suite("Issuing certificates")
struct IssuingTests {
    @Test("regenerated certificates equal the reference ones in everything but provenance, and name the files given")
    func deterministic() throws {
        let folder = repositoryRoot.appendingPathComponent("certificates/sphere-memorization")
        let networkBytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("network.json")))
        let dataBytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("data.csv")))
        let network = try Network.parse(networkBytes, file: "network.json")
        let data = try DataSet.parseCSV(dataBytes, file: "data.csv")
        let report = try Verifier.verify(network, on: data, mismatchLimit: 10)
        let files = [certified("network", "network.json", networkBytes), certified("data", "data.csv", dataBytes)]
        let provenance = Provenance(memcert: "test", commit: nil, gmp: "test", command: ["memcert", "certify", "é"])
        let a = try #require(CertificateIssuer.memorization(network: network, data: data, report: report, files: files,
                                                            provenance: provenance))
        func object(_ data: Data) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
        func withoutProvenance(_ data: Data) throws -> NSDictionary {
            try object(data).filter { $0.key != "provenance" } as NSDictionary
        }
        let reference = try Data(contentsOf: folder.appendingPathComponent("cert.json"))
        let issued = Data(JSONWriter.bytes(a))
        #expect(try withoutProvenance(issued) == withoutProvenance(reference))
        // The provenance is written as given, in the order of K2 (commit null when unknown).
        let written = try #require(try object(issued)["provenance"] as? NSDictionary)
        #expect(written == ["memcert": "test", "commit": NSNull(), "gmp": "test", "command": ["memcert", "certify", "é"]] as NSDictionary)
        #expect(JSONWriter.text(a).contains("\"kind\": \"memorization\",\n  \"provenance\": {"))
        // The files are named as given. A path that leaves the certificate's folder is refused by the checker
        // (K3, bad input); the command line, which computes the paths, refuses to write one (CLI tests).
        let target = try temporaryFolder().appendingPathComponent("nested")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let up = String(repeating: "../", count: target.path.split(separator: "/").count) + folder.path.dropFirst()
        let b = try #require(CertificateIssuer.memorization(network: network, data: data, report: report,
                                                            files: [certified("network", up + "/network.json", networkBytes),
                                                                    certified("data", up + "/data.csv", dataBytes)],
                                                            provenance: provenance))
        let file = target.appendingPathComponent("c.json")
        try Data(JSONWriter.bytes(b)).write(to: file)
        #expect(JSONWriter.text(b).contains("\"path\": \"\(up)/network.json\""))
        #expect(throws: MalformedInput.self) { try CertificateChecker.check(path: file.path) }
        // A digest that is not of the bytes read makes the certificate fail its check.
        let copy = try copyCase("sphere-memorization")
        let c = try #require(CertificateIssuer.memorization(network: network, data: data, report: report,
                                                            files: [certified("network", "network.json", networkBytes + [0x0A]),
                                                                    certified("data", "data.csv", dataBytes)],
                                                            provenance: provenance))
        try Data(JSONWriter.bytes(c)).write(to: copy.appendingPathComponent("cert.json"))
        #expect(try CertificateChecker.check(path: copy.appendingPathComponent("cert.json").path).failure?.claim
                    == "files.network.sha256")
    }

    @Test("a network that misclassifies one point cannot be certified")
    func noFalseCertificate() throws {
        let dataBytes = Array("0,0,0\n1,0,1\n0,1,1\n".utf8)
        let data = try DataSet.parseCSV(dataBytes, file: "d.csv")
        // Output 1[x1 - 1/2 >= 0]: right on the first two points, wrong on (0, 1).
        let network = ThresholdNetworks.Network(inputDimension: 2, outputBits: 1, layers: [
            ThresholdNetworks.Layer(name: "o", neurons: [Neuron(dense: [1, 0], bias: Rational(-1, 2))]),
        ])
        let report = try Verifier.verify(network, on: data, mismatchLimit: 10)
        let certificate = CertificateIssuer.memorization(
            network: network, data: data, report: report,
            files: [certified("network", "n.json", network.jsonBytes()), certified("data", "d.csv", dataBytes)],
            provenance: Provenance(memcert: "t", commit: nil, gmp: "t", command: []))
        #expect(certificate == nil)
        #expect(report.mismatchCount == 1 && report.mismatches.first?.line == 3)
    }
}

@Suite("Two implementations agree")
struct AgreementTests {
    @Test("the checker's plain evaluation and the main verifier agree on random networks (every comparison), data, ties and margins")
    func randomized() throws {
        var state: UInt64 = 12345
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        var tieRounds = 0
        for round in 0 ..< 80 {
            let d = next() % 4 + 1
            var rows: [String] = []
            var seen = Set<String>()
            let count = d == 1 ? 12 : 30  // d = 1 has only 17 distinct values below
            while rows.count < count {
                let coordinates = (0 ..< d).map { _ in "\(next() % 9 - 4)/\(next() % 3 + 1)" }
                let key = coordinates.map { try! Rational(parsing: $0).description }.joined(separator: ",")
                if seen.insert(key).inserted { rows.append(coordinates.joined(separator: ",") + ",\(next() % 4)") }
            }
            var layers: [ThresholdNetworks.Layer] = []
            var width = d
            let depth = next() % 3 + 1
            for l in 0 ..< depth {
                let count = l == depth - 1 ? 2 : next() % 5 + 1
                let comparison = round < 40 ? Comparison.atLeast : Comparison.allCases[next() % 3]
                layers.append(ThresholdNetworks.Layer(name: "l\(l)", neurons: (0 ..< count).map { _ in
                    Neuron(dense: (0 ..< width).map { _ in Rational(next() % 7 - 3, next() % 4 + 1) }, bias: Rational(next() % 5 - 2, next() % 3 + 1))
                }, comparison: comparison))
                width = count
            }
            let network = ThresholdNetworks.Network(inputDimension: d, outputBits: 2, layers: layers)
            let folder = try temporaryFolder()
            let dataFile = folder.appendingPathComponent("d.csv"), netFile = folder.appendingPathComponent("n.json")
            try (rows.joined(separator: "\n") + "\n").write(to: dataFile, atomically: true, encoding: .utf8)
            try Data(network.jsonBytes()).write(to: netFile)
            func producerData() throws -> DataSet {
                try DataSet.parseCSV([UInt8](try Data(contentsOf: dataFile)), file: dataFile.path)
            }
            let producerNetwork = try Network.parse([UInt8](try Data(contentsOf: netFile)), file: netFile.path)
            var main = try Verifier.verify(producerNetwork, on: try producerData(), mismatchLimit: rows.count)
            if round % 2 == 0 {
                // Relabel with the network's own outputs, so that margins are compared over every point.
                let outputs = Dictionary(uniqueKeysWithValues: main.mismatches.map { ($0.line, $0.output) })
                let relabeled = rows.enumerated().map { i, row in
                    outputs[i + 1].map { row.split(separator: ",").dropLast().joined(separator: ",") + ",\($0)" } ?? row
                }
                try (relabeled.joined(separator: "\n") + "\n").write(to: dataFile, atomically: true, encoding: .utf8)
                main = try Verifier.verify(producerNetwork, on: try producerData(), mismatchLimit: rows.count)
                #expect(main.memorized == (main.tieCount == 0))
            }
            let dataBytes = try MappedBytes(path: dataFile.path), netBytes = try MappedBytes(path: netFile.path)
            let checkerData = try DataReader.read(dataBytes.bytes, file: "d.csv")
            let checkerNet = try NetworkReader.read(netBytes.bytes, file: "n.json")
            let plain = Evaluator.run(checkerNet, checkerData)
            #expect((plain.mismatch == nil) == main.memorized, "round \(round)")
            if let (index, output, tie) = plain.mismatch, let first = main.mismatches.first {
                #expect(checkerData.lines[index] == first.line, "round \(round)")
                #expect(tie?.layer == first.tie?.layer && tie?.neuron == first.tie?.neuron, "round \(round)")
                if tie == nil { #expect(UInt64(output) == first.output, "round \(round)") } else { tieRounds += 1 }
            }
            if main.memorized {
                let margins = CompiledNetwork(network).minimumMargins(on: try producerData().points)
                #expect(margins.map(\.description) == plain.margins.map { $0.q!.description }, "round \(round)")
            }
        }
        #expect(tieRounds > 3)
    }
}
