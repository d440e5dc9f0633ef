import DataSets
import ExactArithmetic
import TestSupport
import Testing
import TextFormats
@testable import CertificateChecker

// The checker's own .npy reader against the producer's (DataSets), which it shares no code with:
// on valid files of every dtype and order they must give the same points, labels, lines and merged
// rows, and on seeded mutations of them they must accept and refuse the same files (the producer
// refuses equal points with different labels, where the checker records the conflict).

/// An .npy file (version 1.0) of `descr` and `shape` with the given element bytes.
func npy(_ descr: String, _ shape: [Int], _ elements: [UInt8], fortran: Bool = false) -> [UInt8] {
    let shapeText = "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shapeText), }"
    header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
    let n = header.utf8.count
    return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(header.utf8) + elements
}

enum Outcome: Equatable {
    case points([String])  // every point as "line: coordinates -> label", then "merged k"
    case conflict
    case refused
}

func producerOutcome(_ bytes: [UInt8]) -> Outcome {
    do {
        let set = try bytes.withUnsafeBufferPointer { (b) throws(InputError) -> DataSet in try DataSet.fromNumPy(try NumPyArray(b, file: "x.npy")) }
        return .points((0 ..< set.count).map { i in
            "\(set.lines[i]): " + (0 ..< set.dimension).map { set.points.coordinate(i, $0).description }.joined(separator: " ") + " -> \(set.labels[i])"
        } + ["merged \(set.mergedDuplicates)"])
    } catch {
        return error.message.contains("but its label is") ? .conflict : .refused
    }
}

func checkerOutcome(_ bytes: [UInt8]) -> Outcome {
    do {
        let set = try bytes.withUnsafeBufferPointer { (b) throws(MalformedInput) in try NumPyReader.read(b, path: "x.npy", file: "x.npy") }
        if set.conflict != nil { return .conflict }
        return .points((0 ..< set.count).map { i in
            "\(set.lines[i]): " + (0 ..< set.dimension).map { set.coordinate(i, $0).description }.joined(separator: " ") + " -> \(set.labels[i])"
        } + ["merged \(set.mergedDuplicates)"])
    } catch {
        #expect(error.file == "x.npy" && !error.message.isEmpty)
        return .refused
    }
}

@Suite("The checker's .npy reader, differentially against the producer's")
struct NumPyReaderTests {
    @Test("random valid files of every dtype, byte order and storage order: the same points, labels, lines and merged rows")
    func sameValues() throws {
        var rng = SplitMix64(seed: 0x14_C4EC)
        for round in 0 ..< 300 {
            let kinds: [(String, Int)] = [("f", 2), ("f", 4), ("f", 8), ("i", 1), ("i", 2), ("i", 4), ("i", 8), ("u", 1), ("u", 2), ("u", 4), ("u", 8)]
            let (kind, size) = kinds[round % kinds.count]
            let order = size == 1 ? "|" : rng.below(2) == 0 ? "<" : ">"
            let n = 1 + rng.below(12), c = 2 + rng.below(3)
            var elements: [UInt8] = []
            for k in 0 ..< n * c {
                // Labels (the last column in C order) small non-negative integers; coordinates random bits, few distinct values.
                let isLabel = k % c == c - 1
                var bits: UInt64 = isLabel ? UInt64(rng.below(3)) : [0, 1, rng.next(), rng.next() >> UInt64(rng.below(64))][rng.below(4)]
                if kind == "f" && isLabel { bits = size == 2 ? UInt64(Float16(Int(bits)).bitPattern) : size == 4 ? UInt64(Float(Int(bits)).bitPattern) : Double(Int(bits)).bitPattern }
                for b in 0 ..< size { elements.append(UInt8(truncatingIfNeeded: bits >> UInt64(8 * (order == ">" ? size - 1 - b : b)))) }
            }
            let file = npy(order + kind + String(size), [n, c], elements)
            let producer = producerOutcome(file), checker = checkerOutcome(file)
            #expect(producer == checker, "\(order)\(kind)\(size) \(n)x\(c)")
        }
    }

    @Test("fuzz (seeded): on mutated files both readers accept and refuse the same ones, with the same values")
    func agreeOnMutations() throws {
        var rng = SplitMix64(seed: 0x14_F022)
        let seeds = [
            npy("<f4", [3, 3], (0 ..< 9).flatMap { k in withUnsafeBytes(of: Float(k % 3).bitPattern.littleEndian, Array.init) }),
            npy(">f8", [2, 3], (0 ..< 6).flatMap { k in withUnsafeBytes(of: Double(k % 2).bitPattern.bigEndian, Array.init) }, fortran: true),
            npy("<i2", [3, 2], (0 ..< 6).flatMap { k in withUnsafeBytes(of: Int16(k % 2).littleEndian, Array.init) }),
            npy("|u1", [4, 2], (0 ..< 8).map { UInt8($0 % 3) }),
        ]
        var accepted = 0
        for round in 0 ..< 4000 {
            var bytes = seeds[round % seeds.count]
            mutateNumPy(&bytes, &rng)
            let producer = producerOutcome(bytes), checker = checkerOutcome(bytes)
            #expect(producer == checker, "round \(round): \(String(decoding: bytes.prefix(80), as: UTF8.self))")
            if case .points = checker { accepted += 1 }
        }
        #expect(accepted > 100, "\(accepted)")
    }
}
