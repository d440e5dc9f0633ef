import Foundation
import TestSupport
@testable import CertificateChecker

/// Runs a reader over bytes, turning its typed error into a Result.
func reading<T, E: Error>(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> T) -> Result<T, E> {
    bytes.withUnsafeBufferPointer { buffer in Result { () throws(E) in try body(buffer) } }
}

func readJSON(_ text: String) -> Result<JSONNode, MalformedInput> {
    reading(Array(text.utf8)) { (b) throws(MalformedInput) in try JSONReader.parse(b, file: "t.json") }
}

func readData(_ text: String) -> Result<LabeledPoints, MalformedInput> { readData(Array(text.utf8)) }
func readData(_ bytes: [UInt8]) -> Result<LabeledPoints, MalformedInput> {
    reading(bytes) { (b) throws(MalformedInput) in try DataReader.read(b, file: "d.csv") }
}

func readNetwork(_ text: String) -> Result<NetworkModel, MalformedInput> { readNetwork(Array(text.utf8)) }
func readNetwork(_ bytes: [UInt8]) -> Result<NetworkModel, MalformedInput> {
    reading(bytes) { (b) throws(MalformedInput) in try NetworkReader.read(b, file: "n.json") }
}

func number(_ text: String) -> Result<String, NumberError> {
    reading(Array(text.utf8)) { (b) throws(NumberError) in try ExactNumber.parse(b).q.description }
}

extension Result {
    var value: Success? { if case .success(let v) = self { return v } else { return nil } }
    var failure: Failure? { if case .failure(let e) = self { return e } else { return nil } }
}

/// A fresh temporary folder.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("memcert-checker-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Random bytes, or a valid text with a few random edits (flips, deletions, truncation).
func mutated(_ base: [UInt8], _ rng: inout SplitMix64, round: Int) -> [UInt8] {
    if round % 3 == 0 { return (0 ..< rng.below(300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
    var bytes = base
    for _ in 0 ..< rng.below(4) + 1 where !bytes.isEmpty {
        let i = rng.below(bytes.count)
        switch rng.below(4) {
        case 0: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
        case 1: bytes.remove(at: i)
        case 2: bytes.insert([0x0D, 0x0A, 0x2C, 0x22, 0x5C, 0x2D, 0x2E, 0x65][rng.below(8)], at: i)
        default: bytes = Array(bytes.prefix(i))
        }
    }
    return bytes
}
