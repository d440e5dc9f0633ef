import ExactArithmetic
import Foundation
import NumPyArchives
import TestSupport
import Testing
import TextFormats
@testable import DataSets

// NumPy data read exactly: every dtype and order against values computed independently (Swift's own
// Float16/Float/Double and integer types, converted by Rational(exactly:)), every malformed header
// located, and seeded fuzzing of the .npy and .npz readers: never a trap, only a data set or a
// located InputError.

// MARK: - Building .npy files in the test (independently of NumPyWriter)

/// An .npy file: version `major`, `descr`, order, shape, the element bytes as given.
func npyFile(descr: String, fortran: Bool = false, shape: [Int], elements: [UInt8], major: UInt8 = 1, header: String? = nil) -> [UInt8] {
    let shapeText = "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    var text = header ?? "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shapeText), }"
    let prefix = major == 1 ? 10 : 12
    text += String(repeating: " ", count: (64 - (prefix + text.utf8.count + 1) % 64) % 64) + "\n"
    var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
    let n = text.utf8.count
    out += major == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
    return out + Array(text.utf8) + elements
}

/// The bytes of `bits` (each `size` bytes wide) in the given order.
func elementBytes(_ bits: [UInt64], size: Int, bigEndian: Bool) -> [UInt8] {
    bits.flatMap { v in (0 ..< size).map { b in UInt8(truncatingIfNeeded: v >> UInt64(8 * (bigEndian ? size - 1 - b : b))) } }
}

func readNumPy(_ bytes: [UInt8], labels: [UInt8]? = nil, file: String = "x.npy") throws(InputError) -> DataSet {
    try bytes.withUnsafeBufferPointer { (x) throws(InputError) -> DataSet in
        let array = try NumPyArray(x, file: file)
        guard let labels else { return try DataSet.fromNumPy(array) }
        return try labels.withUnsafeBufferPointer { (y) throws(InputError) -> DataSet in
            try DataSet.fromNumPy(array, labels: try NumPyArray(y, file: "y.npy"))
        }
    }
}

/// The arrays `names` of an archive with the bytes `bytes` (written to a temporary file: archives are read from files).
func archiveArrays(_ bytes: [UInt8], names: [String] = ["X", "y"]) throws(InputError) -> [[UInt8]] {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("memcert-npz-\(UUID().uuidString).npz").path
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw InputError(file: path, message: "cannot write") }
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try NumPyArchive.arrays(path: path, names: names, file: "d.npz")
}

func numPyError(_ bytes: [UInt8], labels: [UInt8]? = nil) -> InputError? {
    do { _ = try readNumPy(bytes, labels: labels) } catch { return error }
    return nil
}

@Suite("NumPy .npy and .npz data")
struct NumPyTests {
    @Test("every float16/32/64 and integer dtype, either byte order, C or Fortran order, is read as the exact value it stores",
          arguments: ["f2", "f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"], [false, true])
    func exactValues(_ type: String, _ bigEndian: Bool) throws {
        var rng = SplitMix64(seed: UInt64(Array(type.utf8).reduce(14) { $0 * 31 + Int($1) }) &+ (bigEndian ? 1 : 0))
        let size = Int(String(type.dropFirst()))!
        let n = 37, d = 3
        for fortran in [false, true] {
            // Coordinates: random bit patterns (non-finite ones replaced), labels 0...9 in the last column.
            var expected: [[Rational]] = []
            var bits = [UInt64](repeating: 0, count: n * (d + 1))
            for i in 0 ..< n {
                var row: [Rational] = []
                for j in 0 ... d {
                    var raw = size == 8 ? rng.next() : rng.next() & ((1 << UInt64(8 * size)) - 1)
                    var value: Rational
                    if j == d {
                        let label = rng.below(10)
                        switch type.first! {
                        case "f": raw = size == 2 ? UInt64(Float16(label).bitPattern) : size == 4 ? UInt64(Float(label).bitPattern) : Double(label).bitPattern
                        default: raw = UInt64(label)
                        }
                        value = Rational(label)
                    } else {
                        switch type {
                        case "f2":
                            while !Float16(bitPattern: UInt16(raw)).isFinite { raw = rng.next() & 0xFFFF }
                            value = Rational(exactly: Double(Float16(bitPattern: UInt16(raw))))!
                        case "f4":
                            while !Float(bitPattern: UInt32(raw)).isFinite { raw = rng.next() & 0xFFFF_FFFF }
                            value = Rational(exactly: Double(Float(bitPattern: UInt32(raw))))!
                        case "f8":
                            while !Double(bitPattern: raw).isFinite { raw = rng.next() }
                            value = Rational(exactly: Double(bitPattern: raw))!
                        case "i1": value = Rational(Int(Int8(truncatingIfNeeded: raw)))
                        case "i2": value = Rational(Int(Int16(truncatingIfNeeded: raw)))
                        case "i4": value = Rational(Int(Int32(truncatingIfNeeded: raw)))
                        case "i8": value = Rational(Int(Int64(bitPattern: raw)))
                        default: value = Rational(BigInt(raw))
                        }
                    }
                    row.append(value)
                    bits[fortran ? j * n + i : i * (d + 1) + j] = raw
                }
                expected.append(row)
            }
            let order = size == 1 ? "|" : bigEndian ? ">" : "<"
            let file = npyFile(descr: order + type, fortran: fortran, shape: [n, d + 1], elements: elementBytes(bits, size: size, bigEndian: bigEndian))
            let set = try readNumPy(file)
            // Rows may merge (equal random integers are unlikely but possible): compare through the lines.
            for (p, line) in set.lines.enumerated() {
                let row = expected[line - 1]
                #expect((0 ..< d).allSatisfy { set.points.coordinate(p, $0) == row[$0] }, "\(type) row \(line - 1)")
                #expect(Rational(set.labels[p]) == row[d])
            }
            #expect(set.count + set.mergedDuplicates == n)
        }
    }

    @Test("a C99 hex float in CSV is the float32 that .npy stores: 0x1.99999ap-4 is Float(0.1) exactly")
    func hexFloatsInCSV() throws {
        let csv = try parseCSV("x,y,label\n0x1.99999ap-4,-0X.8P1,1\n0x1p-149,0x1.fffffep127,0\n")
        let values: [Float] = [0.1, -1, 0x1p-149, .greatestFiniteMagnitude]
        let npy = try readNumPy(npyFile(descr: "<f4", shape: [2, 3], elements: elementBytes(
            [values[0], values[1], 1, values[2], values[3], 0].map { UInt64(Float($0).bitPattern) }, size: 4, bigEndian: false)))
        for i in 0 ..< 2 {
            for j in 0 ..< 2 {
                #expect(csv.points.coordinate(i, j) == Rational(exactly: Double(values[2 * i + j]))!)
                #expect(npy.points.coordinate(i, j) == csv.points.coordinate(i, j))
            }
        }
        #expect(csv.points.coordinate(0, 0) != Rational(1, 10))
        #expect(throws: InputError.self) { try parseCSV("x,label\n0x1.8,1\n") }  // the binary exponent is required (C99)
    }

    @Test("labels: the last column or a separate array; NaN, infinities, fractions, negatives and shapes refused, naming the element")
    func labels() throws {
        let x = npyFile(descr: "<f8", shape: [3, 2], elements: elementBytes([1.0, 2, 3, 4, 5, 6].map(\.bitPattern), size: 8, bigEndian: false))
        let y = npyFile(descr: ">i2", shape: [3], elements: elementBytes([0, 1, 3], size: 2, bigEndian: true))
        let set = try readNumPy(x, labels: y)
        #expect(set.dimension == 2 && set.labels == [0, 1, 3])
        let column = try readNumPy(x)
        #expect(column.dimension == 1 && column.labels == [2, 4, 6])
        for (value, fragment) in [(Double.nan, "[1, 1]"), (-1, "a negative value"), (0.5, "not an integer"), (.infinity, "an infinity"),
                                  (0x1p62, "above 2^62 - 1")] {
            let bad = npyFile(descr: "<f8", shape: [2, 2], elements: elementBytes([1, 0, 2, value].map(\.bitPattern), size: 8, bigEndian: false))
            let error = numPyError(bad)
            #expect(error?.file == "x.npy" && error?.message.contains("element [1, 1]") == true && error?.message.contains(fragment) == true,
                    "\(value): \(String(describing: error))")
        }
        #expect(numPyError(x, labels: npyFile(descr: "<f8", shape: [3], elements: [UInt8](repeating: 0, count: 24)))?.message.contains("integer dtype") == true)
        #expect(numPyError(x, labels: npyFile(descr: "<i8", shape: [2], elements: [UInt8](repeating: 0, count: 16)))?.message.contains("shape (3,)") == true)
        #expect(numPyError(x, labels: npyFile(descr: "<i8", shape: [3, 2], elements: [UInt8](repeating: 0, count: 48))) != nil)
        #expect(try readNumPy(x, labels: npyFile(descr: "<u8", shape: [3, 1], elements: [UInt8](repeating: 0, count: 24))).labels == [0, 0, 0])
        let nanCoordinate = npyFile(descr: "<f4", shape: [2, 3], elements: elementBytes([1, 2, 0, 3, Float.nan, 1].map { UInt64($0.bitPattern) }, size: 4, bigEndian: false))
        #expect(numPyError(nanCoordinate)?.message == "element [1, 1] is NaN, not a number")
        let shapes: [[Int]] = [[6], [1, 1], [0, 3], [2, 1, 3]]
        for shape in shapes {
            let count = shape.reduce(1, *)
            #expect(numPyError(npyFile(descr: "<i1", shape: shape, elements: [UInt8](repeating: 1, count: count))) != nil, "\(shape)")
        }
    }

    @Test("every malformed header, a truncated array and every unsupported dtype: an InputError naming the file and the byte or element")
    func malformed() throws {
        let good = npyFile(descr: "<f8", shape: [2, 2], elements: [UInt8](repeating: 0, count: 32))
        #expect(numPyError(good) == nil)
        let headers: [(String, String)] = [
            ("{'descr': '<f8', 'fortran_order': False}", "lacks 'shape'"),
            ("{'descr': '<f8', 'shape': (2, 2)}", "lacks 'fortran_order'"),
            ("{'fortran_order': False, 'shape': (2, 2)}", "lacks 'descr'"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'extra': 1}", "unknown key 'extra'"),
            ("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 2)}", "repeated"),
            ("{'descr': '<f8', 'fortran_order': false, 'shape': (2, 2)}", "True or False"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': [2, 2]}", "a tuple"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (4)}", "(n,)"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -2)}", "non-negative"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (2 2)}", "',' or ')'"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999, 2)}", "too large"),
            ("{'descr': '<f\\x38', 'fortran_order': False, 'shape': (2, 2)}", "escapes"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2)", "',' or '}'"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2)} x", "after the dict"),
            ("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2, 2)}", "structured"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'shape': (2, 2)}", "repeated"),
            ("{'descr': '<f8\t', 'fortran_order': False, 'shape': (2, 2)}", "control character"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), } é", "non-ASCII"),
        ]
        for (header, fragment) in headers {
            let error = numPyError(npyFile(descr: "", shape: [], elements: [UInt8](repeating: 0, count: 32), header: header))
            #expect(error?.file == "x.npy" && error?.message.contains("header, byte ") == true && error?.message.contains(fragment) == true,
                    "\(header): \(String(describing: error))")
        }
        // Framing: magic, version, header length, the newline.
        var noNewline = good
        noNewline[good.firstIndex(of: 0x0A)!] = 0x20
        let framing: [([UInt8], String)] = [
            (Array(good[0 ..< 5]), "magic"), ([0x93] + Array("NUMPZ".utf8) + Array(good[6...]), "magic"),
            (Array(good[0 ..< 6]) + [4, 0] + Array(good[8...]), "version 4.0"), (Array(good[0 ..< 6]) + [1, 1] + Array(good[8...]), "version 1.1"),
            (Array(good[0 ..< 8]) + [0xFF, 0xFF] + Array(good[10...]), "runs past the end"), (noNewline, "newline"),
            (Array(good.dropLast(12)), "truncated"), (good + [0], "1 bytes after the last element"),
        ]
        for (bytes, fragment) in framing {
            #expect(numPyError(bytes)?.message.contains(fragment) == true, "\(fragment): \(String(describing: numPyError(bytes)))")
        }
        // Truncated: the message names the element where the data ends.
        let cut = numPyError(Array(good.dropLast(12)))
        #expect(cut?.message.contains("it ends inside element [1, 0]") == true, "\(String(describing: cut))")
        // Versions 2.0 and 3.0 (4-byte length; 3.0 allows UTF-8 in the header).
        #expect(numPyError(npyFile(descr: "<f8", shape: [2, 2], elements: [UInt8](repeating: 0, count: 32), major: 2)) == nil)
        #expect(numPyError(npyFile(descr: "<f8", shape: [2, 2], elements: [UInt8](repeating: 0, count: 32), major: 3,
                                   header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), } ")) == nil)
        // Unsupported dtypes, named by kind.
        for (descr, fragment) in [("<c8", "complex"), ("|b1", "booleans"), ("|O", "Python objects"), ("<U3", "strings"), ("|S3", "strings"),
                                  ("|V8", "records"), ("<M8", "dates"), ("<f16", "a float of 16 bytes"), ("<i16", "an integer of 16 bytes"),
                                  ("<f", "explicit byte order"), ("=f8", "explicit byte order"), ("|f8", "1-byte"), ("f8", "not a simple dtype"),
                                  ("<x8", "unknown kind")] {
            let error = numPyError(npyFile(descr: descr, shape: [2, 2], elements: [UInt8](repeating: 0, count: 32)))
            #expect(error?.message.contains("unsupported dtype '\(descr)'") == true && error?.message.contains(fragment) == true,
                    "\(descr): \(String(describing: error))")
        }
    }

    @Test(".npz: arrays by name through ZIPFoundation; a missing array, a damaged archive or a bad checksum is a located error")
    func archives() throws {
        let x = npyFile(descr: "<f4", shape: [2, 1], elements: elementBytes([Float(0.25), 3].map { UInt64($0.bitPattern) }, size: 4, bigEndian: false))
        let y = npyFile(descr: "<i8", shape: [2], elements: elementBytes([1, 0], size: 8, bigEndian: false))
        let archive = try NumPyArchive.archive([("X", x), ("y", y)])
        let arrays = try archiveArrays(archive)
        #expect(arrays == [x, y])
        func error(_ bytes: [UInt8], _ names: [String] = ["X", "y"]) -> InputError? {
            do { _ = try archiveArrays(bytes, names: names) } catch { return error }
            return nil
        }
        #expect(error(archive, ["X", "labels"])?.message.contains("has no array 'labels' (entry labels.npy); its arrays: X, y") == true)
        #expect(error(Array("PK not a zip".utf8))?.message.contains("not a readable .npz") == true)
        // One byte of X's stored data changed: the CRC-32 catches it.
        var damaged = archive
        let at = (0 ..< damaged.count - 4).first { Array(damaged[$0 ..< $0 + 4]) == [0x00, 0x00, 0x80, 0x3E] }!  // 0.25f
        damaged[at + 3] ^= 0x01
        #expect(error(damaged)?.message.contains("the array X is damaged: its CRC-32") == true, "\(String(describing: error(damaged)))")
    }

    @Test("fuzz (seeded): mutated .npy files and .npz archives give a data set or a located InputError, never a trap")
    func fuzz() throws {
        var rng = SplitMix64(seed: 14_2026)
        let seeds: [[UInt8]] = [
            npyFile(descr: "<f4", shape: [3, 3], elements: elementBytes((0 ..< 9).map { UInt64(Float($0 % 3).bitPattern) }, size: 4, bigEndian: false)),
            npyFile(descr: ">f8", fortran: true, shape: [2, 3], elements: elementBytes((0 ..< 6).map { Double($0 % 2).bitPattern }, size: 8, bigEndian: true)),
            npyFile(descr: "<f2", shape: [4, 2], elements: elementBytes((0 ..< 8).map { UInt64(Float16($0 % 4).bitPattern) }, size: 2, bigEndian: false)),
            npyFile(descr: "|u1", shape: [5, 2], elements: (0 ..< 10).map { UInt8($0 % 3) }, major: 2),
        ]
        var outcomes = (sets: 0, errors: 0)
        for round in 0 ..< 3000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0 ... rng.below(3) {
                switch rng.below(6) {
                case 0: bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next())
                case 5 where bytes.count > 64: bytes[64 + rng.below(bytes.count - 64)] = UInt8(truncatingIfNeeded: rng.next())  // an element
                case 1: bytes[rng.below(bytes.count)] ^= 1 << UInt8(rng.below(8))
                case 2: bytes.removeLast(rng.below(min(bytes.count, 40)))
                case 3: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(bytes.count + 1))
                default:  // a header byte from the header's own alphabet
                    let alphabet = Array("{}(),:' 0123456789TrueFalsdhpo<>|fiu\n".utf8)
                    bytes[min(10 + rng.below(60), bytes.count - 1)] = alphabet[rng.below(alphabet.count)]
                }
                if bytes.isEmpty { bytes = [0] }
            }
            do {
                _ = try readNumPy(bytes)
                outcomes.sets += 1
            } catch {
                #expect(error.file == "x.npy" && !error.message.isEmpty)
                outcomes.errors += 1
            }
        }
        #expect(outcomes.sets > 50 && outcomes.errors > 1000, "\(outcomes)")
        // .npz: mutated archives of valid arrays.
        let archive = try NumPyArchive.archive([("X", seeds[0]), ("y", npyFile(descr: "<i8", shape: [3], elements: [UInt8](repeating: 0, count: 24)))])
        var unpacked = 0
        for _ in 0 ..< 400 {
            var bytes = archive
            for _ in 0 ... rng.below(3) {
                if rng.below(4) == 0 { bytes.removeLast(rng.below(min(bytes.count - 1, 60))) } else { bytes[rng.below(bytes.count)] ^= UInt8(1 + rng.below(255)) }
            }
            do {
                let arrays = try archiveArrays(bytes)
                _ = try readNumPy(arrays[0], labels: arrays[1])
                unpacked += 1
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
        #expect(unpacked > 0)
    }
}
