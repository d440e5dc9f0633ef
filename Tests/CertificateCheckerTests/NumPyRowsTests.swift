import Crypto
import Foundation
import TestSupport
import Testing
@testable import CertificateChecker

// The checker's .npy row source (NumPyRows, docs/formats.md S9–S11) against its whole-file
// reader (NumPyReader): on random files of every dtype, byte order and storage order, rows read
// in blocks by index give the same values, labels, lines and errors as the whole file; element
// digests are those of the bytes at P4's positions; sizes that disagree with the header are
// refused before any row is read.

/// A random (n × c) array: labels (last column) small integers, coordinates random bits
/// (so NaN and infinities occur for floats), returned as .npy bytes.
private func randomArray(_ rng: inout SplitMix64, kind: String, size: Int, order: String, n: Int, c: Int, fortran: Bool) -> [UInt8] {
    var values = [[UInt64]](repeating: [UInt64](repeating: 0, count: c), count: n)
    for i in 0 ..< n {
        for j in 0 ..< c {
            var bits: UInt64 = j == c - 1 ? UInt64(rng.below(3)) : [0, 1, rng.next(), rng.next() >> UInt64(rng.below(64))][rng.below(4)]
            if kind == "f" && j == c - 1 {
                bits = size == 2 ? UInt64(Float16(Int(bits)).bitPattern) : size == 4 ? UInt64(Float(Int(bits)).bitPattern) : Double(Int(bits)).bitPattern
            }
            values[i][j] = bits
        }
    }
    // Now and then one bad element: an infinity or NaN (floats), a label out of range (integers).
    if rng.below(4) == 0 {
        let i = rng.below(n)
        if kind == "f" {
            let exponent: UInt64 = size == 2 ? 0x7C00 : size == 4 ? 0x7F80_0000 : 0x7FF0_0000_0000_0000
            values[i][rng.below(c)] = exponent | UInt64(rng.below(2))
        } else {
            values[i][c - 1] = kind == "i" ? UInt64.max : 1 << UInt64(8 * size - 1) | (size == 8 ? 0 : 1 << 62)
        }
    }
    var elements: [UInt8] = []
    let positions = fortran ? (0 ..< c).flatMap { j in (0 ..< n).map { (i: $0, j: j) } } : (0 ..< n).flatMap { i in (0 ..< c).map { (i: i, j: $0) } }
    for (i, j) in positions {
        for b in 0 ..< size { elements.append(UInt8(truncatingIfNeeded: values[i][j] >> UInt64(8 * (order == ">" ? size - 1 - b : b)))) }
    }
    return npy(order + kind + String(size), [n, c], elements, fortran: fortran)
}

/// The rows of a file as text: "line: canonical text -> label" per row, or the error message.
private func describe(_ body: () throws(MalformedInput) -> [(line: Int, text: [UInt8], label: Int64)]) -> [String] {
    do {
        return try body().map { "\($0.line): \(String(decoding: $0.text, as: UTF8.self)) -> \($0.label)" }
    } catch {
        return ["error: \(error.message)"]
    }
}

private func rowsOf(_ set: LabeledPoints) -> [(line: Int, text: [UInt8], label: Int64)] {
    (0 ..< set.count).map { i in
        var text: [UInt8] = []
        RowKeyText.canonicalText(rows: set.rows, i, big: set.big, dimension: set.dimension, into: &text)
        return (set.lines[i], text, set.labels[i])
    }
}

private func writeFile(_ bytes: [UInt8], _ folder: URL, _ name: String = "x.npy") throws -> String {
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

@Suite("The checker's .npy row source against its whole-file reader")
struct NumPyRowsTests {
    static let kinds: [(String, Int)] = [("f", 2), ("f", 4), ("f", 8), ("i", 1), ("i", 2), ("i", 4), ("i", 8), ("u", 1), ("u", 2), ("u", 4), ("u", 8)]

    @Test("blocks of rows at random cuts give the whole file's values, labels, lines and errors (every dtype, both byte orders, C and Fortran)")
    func blocksAgree() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var rng = SplitMix64(seed: 0x5_9_11)
        var valid = 0, refused = 0
        for round in 0 ..< 400 {
            let (kind, size) = NumPyRowsTests.kinds[round % NumPyRowsTests.kinds.count]
            let order = size == 1 ? "|" : rng.below(2) == 0 ? "<" : ">"
            let n = 1 + rng.below(30), c = 2 + rng.below(4), fortran = rng.below(2) == 0
            let bytes = randomArray(&rng, kind: kind, size: size, order: order, n: n, c: c, fortran: fortran)
            let path = try writeFile(bytes, folder)
            let whole = describe { () throws(MalformedInput) in
                try bytes.withUnsafeBufferPointer { (b) throws(MalformedInput) in
                    rowsOf(try NumPyReader.rows(try NumPyReader.Array(b, file: "x.npy"), labels: nil, file: "x.npy", hashing: false).0)
                }
            }
            // Random cuts into blocks.
            var cuts = [0, n]
            for _ in 0 ..< rng.below(4) { cuts.append(rng.below(n + 1)) }
            cuts = Array(Set(cuts)).sorted()
            let blocks = describe { () throws(MalformedInput) in
                let rows = try NumPyRows(try RangeFile(path: path), name: "x.npy")
                #expect(rows.n == n && rows.dimension == c - 1)
                var out: [(line: Int, text: [UInt8], label: Int64)] = []
                for k in 0 ..< cuts.count - 1 { out += rowsOf(try rows.decode(cuts[k] ..< cuts[k + 1])) }
                return out
            }
            #expect(whole == blocks, "round \(round): \(order)\(kind)\(size) \(n)x\(c) fortran \(fortran) cuts \(cuts)")
            if whole.first?.hasPrefix("error") == true { refused += 1; continue }
            valid += 1
            // Each row read again alone by its index (S10) gives its text.
            let rows = try NumPyRows(try RangeFile(path: path), name: "x.npy")
            for i in 0 ..< n {
                let text = String(decoding: try rows.canonicalText(row: i), as: UTF8.self)
                #expect(whole[i].hasPrefix("\(i + 1): \(text) -> "), "round \(round) row \(i)")
            }
        }
        #expect(valid > 100 && refused > 20, "\(valid) valid, \(refused) refused: both kinds must be exercised")
    }

    @Test("the element digest of a row range is the SHA-256 of the bytes of its elements in file order; the header digest of the bytes before them")
    func elementDigests() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var rng = SplitMix64(seed: 0xD1_6E57)
        for round in 0 ..< 60 {
            let (kind, size) = NumPyRowsTests.kinds[round % NumPyRowsTests.kinds.count]
            let order = size == 1 ? "|" : ">"
            let n = 1 + rng.below(20), c = 2 + rng.below(3), fortran = round % 2 == 0
            let bytes = randomArray(&rng, kind: kind, size: size, order: order, n: n, c: c, fortran: fortran)
            let rows = try NumPyRows(try RangeFile(path: try writeFile(bytes, folder)), name: "x.npy")
            let headerEnd = bytes.count - n * c * size
            #expect(rows.headerSha256 == hexDigest(Array(SHA256.hash(data: bytes[..<headerEnd]))))
            for _ in 0 ..< 5 {
                let a = rng.below(n + 1), b = a + rng.below(n - a + 1)
                // The elements [i, j] for i in a..<b, in the order of their positions (P4).
                var positions: [Int] = []
                for i in a ..< b { for j in 0 ..< c { positions.append(fortran ? j * n + i : i * c + j) } }
                positions.sort()
                var expected: [UInt8] = []
                for p in positions { expected += bytes[headerEnd + p * size ..< headerEnd + (p + 1) * size] }
                #expect(try rows.elementSha256(a ..< b) == hexDigest(Array(SHA256.hash(data: expected))), "round \(round) rows \(a)..<\(b)")
            }
            // Shards tile the rows (S11).
            let k = 1 + rng.below(n + 2)
            var next = 0
            for i in 1 ... k {
                let r = rows.shardRows(i, of: k)
                #expect(r.lowerBound == next && r.lowerBound == (i - 1) * n / k && r.upperBound == i * n / k)
                next = r.upperBound
            }
            #expect(next == n)
        }
    }

    @Test("a file shorter or longer than its header says, or of the wrong shape, is refused from the header alone, as the whole-file reader refuses it")
    func sizeAgainstHeader() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = npy("<f8", [3, 2], (0 ..< 6).flatMap { k in withUnsafeBytes(of: Double(k % 2).bitPattern.littleEndian, Array.init) })
        let cases: [(String, [UInt8], String)] = [
            ("truncated", Array(good.dropLast(3)), "truncated"),
            ("one row short", Array(good.dropLast(16)), "truncated"),
            ("oversized", good + [0], "1 bytes after the last element"),
            ("one row long", good + [UInt8](repeating: 0, count: 16), "16 bytes after the last element"),
            ("1-D", npy("<f8", [6], Array(good[(good.count - 48)...])), "2-D"),
            ("one column", npy("<f8", [6, 1], Array(good[(good.count - 48)...])), "2-D"),
            ("no rows", npy("<f8", [0, 2], []), "no data rows"),
            ("no magic", Array(good.prefix(5)), "no magic"),
            ("header past the end", Array(good.prefix(40)), "runs past the end"),
        ]
        for (what, bytes, message) in cases {
            let path = try writeFile(bytes, folder)
            let streamed = Result { () throws(MalformedInput) in try NumPyRows(try RangeFile(path: path), name: "x.npy") }
            let whole = reading(bytes) { (b) throws(MalformedInput) in try NumPyReader.read(b, path: path, file: "x.npy") }
            #expect(streamed.failure?.message.contains(message) == true, "\(what): \(streamed.failure?.message ?? "accepted")")
            #expect(streamed.failure?.message == whole.failure?.message, "\(what): the whole-file reader says \(whole.failure?.message ?? "nothing")")
        }
        let goodPath = try writeFile(good, folder)
        #expect(try NumPyRows(try RangeFile(path: goodPath), name: "x.npy").n == 3)
    }

    @Test("fuzz (seeded): on mutated files the row source accepts and refuses exactly what the whole-file reader does, with its message")
    func agreesOnMutations() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var rng = SplitMix64(seed: 0xF022_0B15)
        let seeds = [
            npy("<f4", [3, 3], (0 ..< 9).flatMap { k in withUnsafeBytes(of: Float(k % 3).bitPattern.littleEndian, Array.init) }),
            npy(">f8", [2, 3], (0 ..< 6).flatMap { k in withUnsafeBytes(of: Double(k % 2).bitPattern.bigEndian, Array.init) }, fortran: true),
            npy("<i2", [3, 2], (0 ..< 6).flatMap { k in withUnsafeBytes(of: Int16(k % 2).littleEndian, Array.init) }),
            npy("|u1", [4, 2], (0 ..< 8).map { UInt8($0 % 3) }, fortran: true),
        ]
        var accepted = 0, refused = 0
        for round in 0 ..< 1500 {
            var bytes = seeds[round % seeds.count]
            mutateNumPy(&bytes, &rng)
            let path = try writeFile(bytes, folder)
            let whole = describe { () throws(MalformedInput) in
                try bytes.withUnsafeBufferPointer { (b) throws(MalformedInput) in
                    let x = try NumPyReader.Array(b, file: "x.npy")
                    guard x.shape.count == 2, x.shape[1] >= 2 else { throw MalformedInput("x.npy", "shape") }
                    guard x.shape[0] >= 1 else { throw MalformedInput("x.npy", "contains no data rows") }
                    return rowsOf(try NumPyReader.rows(x, labels: nil, file: "x.npy", hashing: false).0)
                }
            }
            let streamed = describe { () throws(MalformedInput) in
                let rows = try NumPyRows(try RangeFile(path: path), name: "x.npy")
                var out: [(line: Int, text: [UInt8], label: Int64)] = []
                var a = 0
                while a < rows.n {
                    let b = min(rows.n, a + 1 + rng.below(2))
                    out += rowsOf(try rows.decode(a ..< b))
                    a = b
                }
                return out
            }
            // The shape rules' messages differ in wording only between these two call sites.
            if whole == ["error: shape"] { #expect(streamed.first?.contains("2-D") == true, "round \(round)") } else {
                #expect(whole == streamed, "round \(round): \(String(decoding: bytes.prefix(80), as: UTF8.self))")
            }
            if whole.first?.hasPrefix("error") == true { refused += 1 } else { accepted += 1 }
        }
        #expect(accepted > 40 && refused > 100, "\(accepted) accepted, \(refused) refused")
    }

    @Test("a pass in blocks of one row and in one block: the same rows, first mismatch, margins and row keys as the whole file")
    func passAgrees() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // y = [x_0 - x_1 > 1/2]: labels from integer data, with a few wrong labels late in the file.
        let net = try #require(readNetwork("""
            {"format": "memcert.network/1", "inputDimension": 2, "outputBits": 1,
             "layers": [{"neurons": [{"weights": {"indices": [0, 1], "values": ["1", "-1"]}, "bias": "-1/2"}]}]}
            """).value)
        var rng = SplitMix64(seed: 0xB10C)
        for fortran in [false, true] {
            for wrong in [false, true] {
                let n = 257
                var values: [[Int16]] = []
                for i in 0 ..< n {
                    let x0 = Int16(rng.below(9)) - 4, x1 = Int16(rng.below(9)) - 4
                    var label: Int16 = x0 - x1 > 0 ? 1 : 0
                    if wrong && (i == 200 || i == 230) { label = 1 - label }
                    values.append([x0, x1, label])
                }
                let order = fortran ? (0 ..< 3).flatMap { j in (0 ..< n).map { values[$0][j] } } : values.flatMap { $0 }
                let bytes = npy(">i2", [n, 3], order.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) }, fortran: fortran)
                let rows = try NumPyRows(try RangeFile(path: try writeFile(bytes, folder)), name: "x.npy")
                let whole = try bytes.withUnsafeBufferPointer { (b) throws(MalformedInput) in
                    try NumPyReader.rows(try NumPyReader.Array(b, file: "x.npy"), labels: nil, file: "x.npy", hashing: false).0
                }
                let reference = Evaluator.run(net, whole)
                var results: [String] = []
                for blockBytes in [1, 1 << 20] {
                    let sorter = try KeyedRows()
                    let pass = try rows.pass(0 ..< n, net: net, evaluate: true, sorter: sorter, blockBytes: blockBytes, progress: nil)
                    #expect(pass.rows == n)
                    #expect(pass.mismatch.map { "\($0.line) \($0.offset)" } == reference.mismatch.map { "\($0.0 + 1) \($0.0)" })
                    #expect(pass.margins.map { $0.q?.description } == reference.margins.map { $0.q?.description })
                    // Every row's record: its exact key, label, index and line.
                    var records: [String] = []
                    try sorter.forEachBucket { (bucket) throws(ClaimFailure) in
                        for r in bucket { records.append("\(hexDigest(r[0 ..< 32])) \(KeyedRows.label(r)) \(KeyedRows.offset(r)) \(KeyedRows.line(r))") }
                    }
                    let expected = rowsOf(whole).enumerated().map { i, row in
                        "\(hexDigest(Array(SHA256.hash(data: row.text)))) \(row.label) \(i) \(i + 1)"
                    }
                    #expect(records.sorted() == expected.sorted())
                    let groups = try RowGroups.group(sorter) { (index) throws(MalformedInput) in try rows.canonicalText(row: Int(index)) }
                    results.append("\(groups.points) \(groups.merged) \(groups.conflict != nil) \(pass.mismatch.map { "\($0.line)" } ?? "-")")
                }
                #expect(results[0] == results[1], "\(results)")
                #expect(wrong == (reference.mismatch != nil))
            }
        }
    }
}
