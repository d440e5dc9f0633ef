import ExactArithmetic
import Foundation
import Memorization
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

@Suite("Issuing certificates")
struct IssuingTests {
    @Test("regenerated certificates equal the reference ones in everything but provenance; files outside the folder are refused")
    func deterministic() throws {
        let folder = repositoryRoot.appendingPathComponent("certificates/sphere-memorization")
        let provenance = Provenance(memcert: "test", commit: nil, gmp: "test", command: ["memcert", "certify"])
        let a = try CertificateIssuer.memorization(networkPath: folder.appendingPathComponent("network.json").path,
                                                   dataPath: folder.appendingPathComponent("data.csv").path,
                                                   certificatePath: folder.appendingPathComponent("cert.json").path, provenance: provenance)
        func withoutProvenance(_ data: Data) throws -> NSDictionary {
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(object["provenance"] != nil)
            return object.filter { $0.key != "provenance" } as NSDictionary
        }
        let reference = try Data(contentsOf: folder.appendingPathComponent("cert.json"))
        #expect(try withoutProvenance(Data(JSONWriter.bytes(a.certificate!))) == withoutProvenance(reference))
        // A certificate in another folder would have to name the files with "..": refused (K3).
        let target = try temporaryFolder().appendingPathComponent("nested")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        #expect(throws: InputError.self) {
            try CertificateIssuer.memorization(networkPath: folder.appendingPathComponent("network.json").path,
                                               dataPath: folder.appendingPathComponent("data.csv").path,
                                               certificatePath: target.appendingPathComponent("c.json").path, provenance: provenance)
        }
    }

    @Test("a network that misclassifies one point cannot be certified")
    func noFalseCertificate() throws {
        let folder = try temporaryFolder()
        let data = folder.appendingPathComponent("d.csv"), net = folder.appendingPathComponent("n.json")
        try "0,0,0\n1,0,1\n0,1,1\n".write(to: data, atomically: true, encoding: .utf8)
        // Output 1[x1 - 1/2 >= 0]: right on the first two points, wrong on (0, 1).
        let network = ThresholdNetworks.Network(inputDimension: 2, outputBits: 1, layers: [
            ThresholdNetworks.Layer(name: "o", neurons: [Neuron(dense: [1, 0], bias: Rational(-1, 2))]),
        ])
        try network.write(to: net.path)
        let result = try CertificateIssuer.memorization(networkPath: net.path, dataPath: data.path,
                                                        certificatePath: folder.appendingPathComponent("c.json").path,
                                                        provenance: Provenance(memcert: "t", commit: nil, gmp: "t", command: []))
        #expect(result.certificate == nil)
        #expect(result.report.mismatchCount == 1 && result.report.mismatches.first?.line == 3)
    }
}

@Suite("Two implementations agree")
struct AgreementTests {
    @Test("the checker's plain evaluation and the main verifier agree on random networks, data and margins")
    func randomized() throws {
        var state: UInt64 = 12345
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        for round in 0 ..< 40 {
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
                layers.append(ThresholdNetworks.Layer(name: "l\(l)", neurons: (0 ..< count).map { _ in
                    Neuron(dense: (0 ..< width).map { _ in Rational(next() % 7 - 3, next() % 4 + 1) }, bias: Rational(next() % 5 - 2, next() % 3 + 1))
                }))
                width = count
            }
            let network = ThresholdNetworks.Network(inputDimension: d, outputBits: 2, layers: layers)
            let folder = try temporaryFolder()
            let dataFile = folder.appendingPathComponent("d.csv"), netFile = folder.appendingPathComponent("n.json")
            try (rows.joined(separator: "\n") + "\n").write(to: dataFile, atomically: true, encoding: .utf8)
            try network.write(to: netFile.path)
            var main = try Verifier.verify(try ThresholdNetworks.Network.read(path: netFile.path), on: try Memorization.DataSet.read(path: dataFile.path),
                                           mismatchLimit: rows.count)
            if round % 2 == 0 {
                // Relabel with the network's own outputs, so that margins are compared over every point.
                let outputs = Dictionary(uniqueKeysWithValues: main.mismatches.map { ($0.line, $0.output) })
                let relabeled = rows.enumerated().map { i, row in
                    outputs[i + 1].map { row.split(separator: ",").dropLast().joined(separator: ",") + ",\($0)" } ?? row
                }
                try (relabeled.joined(separator: "\n") + "\n").write(to: dataFile, atomically: true, encoding: .utf8)
                main = try Verifier.verify(try ThresholdNetworks.Network.read(path: netFile.path), on: try Memorization.DataSet.read(path: dataFile.path))
                #expect(main.memorized)
            }
            let dataBytes = try MappedBytes(path: dataFile.path), netBytes = try MappedBytes(path: netFile.path)
            let checkerData = try DataReader.read(dataBytes.bytes, file: "d.csv")
            let checkerNet = try NetworkReader.read(netBytes.bytes, file: "n.json")
            let plain = Evaluator.run(checkerNet, checkerData)
            #expect((plain.mismatch == nil) == main.memorized, "round \(round)")
            if let (index, output) = plain.mismatch, let first = main.mismatches.first {
                #expect(checkerData.lines[index] == first.line && UInt64(output) == first.output, "round \(round)")
            }
            if main.memorized {
                let margins = CompiledNetwork(network).minimumMargins(on: try Memorization.DataSet.read(path: dataFile.path).points)
                #expect(margins.map(\.description) == plain.margins.map { $0.q!.description }, "round \(round)")
            }
        }
    }
}
