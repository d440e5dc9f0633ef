import ExactArithmetic
import Testing
import TestSupport
import TextFormats
@testable import DataSets

struct CSVErrorCase: Sendable, CustomStringConvertible {
    let text: String
    let line: Int
    let column: Int
    let fragment: String
    var description: String { fragment }
}

let csvErrorCases: [CSVErrorCase] = [
    CSVErrorCase(text: "1,2,0\n3,NaN,1\n", line: 2, column: 3, fragment: "NaN"),
    CSVErrorCase(text: "1,2,0\n3,inf,1\n", line: 2, column: 3, fragment: "infinity"),
    CSVErrorCase(text: "1,2,0\n3,-Infinity,1\n", line: 2, column: 4, fragment: "infinity"),
    CSVErrorCase(text: "1,2,0\n3,4\n", line: 2, column: 4, fragment: "too few fields"),
    CSVErrorCase(text: "1,2,0\n3,4,1,5\n", line: 2, column: 7, fragment: "too many fields"),
    CSVErrorCase(text: "1,2,0\n3,4,1.5\n", line: 2, column: 5, fragment: "label must be an integer"),
    CSVErrorCase(text: "1,2,0\n3,4,-1\n", line: 2, column: 5, fragment: "label must be an integer"),
    CSVErrorCase(text: "x,y,label\n1,2,0\n# c\n\n3,,1\n", line: 5, column: 3, fragment: "coordinate 2 is empty"),
    CSVErrorCase(text: "1,2,0\n3,4x,1\n", line: 2, column: 4, fragment: "unexpected character 'x'"),
    CSVErrorCase(text: "1,2,0\n3,1/0,1\n", line: 2, column: 5, fragment: "zero denominator"),
    CSVErrorCase(text: "1,2,0\n1,2,1\n", line: 2, column: 1, fragment: "equals the point on line 1"),
    CSVErrorCase(text: "0.5,1/3,0\n1/2,2/6,1\n", line: 2, column: 1, fragment: "equals the point on line 1"),
    CSVErrorCase(text: "# only comments\n\n", line: 3, column: 1, fragment: "no data rows"),
    CSVErrorCase(text: "", line: 1, column: 1, fragment: "no data rows"),
    CSVErrorCase(text: "x,y,label", line: 2, column: 1, fragment: "no data rows"),
    CSVErrorCase(text: "\u{FEFF}x,y,label\r\n", line: 2, column: 1, fragment: "no data rows"),
    CSVErrorCase(text: "1,2,0\r\n3,4\r5,1\r\n", line: 2, column: 4, fragment: "carriage return"),
    CSVErrorCase(text: "x,y\r,label\n1,2,0\n", line: 1, column: 4, fragment: "carriage return"),
    CSVErrorCase(text: "1,2,0\n \r \n", line: 2, column: 2, fragment: "carriage return"),
    CSVErrorCase(text: "nan,y,label\n1,2,0\n", line: 1, column: 1, fragment: "NaN"),
    CSVErrorCase(text: "x,Inf,label\n1,2,0\n", line: 1, column: 1, fragment: "unexpected character 'x'"),
    CSVErrorCase(text: "1,2,0\n\u{FEFF}3,4,1\n", line: 2, column: 1, fragment: "unexpected character"),
    CSVErrorCase(text: "1,2,0\n1,2,1e5001\n", line: 2, column: 7, fragment: "exponent out of range"),
    CSVErrorCase(text: "5\n", line: 1, column: 1, fragment: "at least one coordinate"),
    CSVErrorCase(text: "1,2,0\n1,2,1e999999\n", line: 2, column: 7, fragment: "exponent out of range"),
]

@Suite("CSV data sets")
struct CSVTests {
    @Test("header, comments, blank lines, CRLF and spaces; every value exact")
    func reading() throws {
        let text = "x1, x2 ,label\r\n# a comment\r\n\r\n0.1, -2.5E+4 ,0\r\n  3/7,1e-3,1\r\n-12,0.125,2\r\n"
        let data = try parseCSV(text)
        #expect(data.count == 3 && data.dimension == 2)
        #expect(data.points.point(0) == [Rational(1, 10), Rational(-25000)])
        #expect(data.points.point(1) == [Rational(3, 7), Rational(1, 1000)])
        #expect(data.points.point(2) == [Rational(-12), Rational(1, 8)])
        #expect(data.labels == [0, 1, 2])
        #expect(data.lines == [4, 5, 6])
        #expect(data.classCount == 3 && data.outputBitsNeeded == 2)
    }

    @Test("docs/formats.md: a byte-order mark, CRLF comments, hex floats; a line is a header only when no field looks like a number")
    func specification() throws {
        let marked = try parseCSV("\u{FEFF}x,y,label\r\n# comment\r\n0x1.8p-1,2,1\r\n1,2,0")
        #expect(marked.count == 2 && marked.lines == [3, 4])
        #expect(marked.points.point(0) == [Rational(3, 4), Rational(2)])
        let unmarked = try parseCSV("\u{FEFF}1,2,0\n")  // the mark is not part of the first field
        #expect(unmarked.count == 1 && unmarked.lines == [1])
        let comment = try parseCSV("# a comment\r with a CR inside\r\n1,2,0\r\n3,4,1\r")  // a CR before the end of the file
        #expect(comment.count == 2 && comment.lines == [2, 3])
        let noHeader = try parseCSV("-1,.5,0\n")
        #expect(noHeader.count == 1)
    }

    @Test("repeated rows with equal labels merge into one point, whatever the written form")
    func duplicatesMerge() throws {
        let data = try parseCSV("0.5,1,1\n1/2,1.0,1\n2,3,0\n0.50,1e0,1\n")
        #expect(data.count == 2)
        #expect(data.mergedDuplicates == 2)
        #expect(data.lines == [1, 3])
    }

    @Test("each bad input names file, line and column", arguments: csvErrorCases)
    func errors(_ c: CSVErrorCase) {
        do {
            _ = try parseCSV(c.text)
            Issue.record("accepted bad data")
        } catch {
            #expect(error.file == "data.csv")
            #expect(error.message.contains(c.fragment), "\(error)")
            if c.line > 0 {
                #expect(error.line == c.line, "\(error)")
                #expect(error.column == c.column, "\(error)")
            }
        }
    }

    @Test("a large file is parsed in parallel chunks with exact values and correct line numbers")
    func chunks() throws {
        var rng = SplitMix64(seed: 300)
        var text = "a,b,c,label\n"
        var expected: [[Rational]] = []
        for i in 0 ..< 30_000 {
            let values = (0 ..< 3).map { _ in Rational(Int(Int64(bitPattern: rng.next()) >> 20), Int(rng.next() % 1_000_000) + 1) }
            expected.append(values)
            text += values.map(\.description).joined(separator: ",") + ",\(i % 3)\n"
            if i % 1000 == 0 { text += "# comment \(i)\n" }
        }
        #expect(text.utf8.count > 1 << 20)  // several chunks
        let data = try parseCSV(text)
        #expect(data.count == 30_000)
        for i in stride(from: 0, to: 30_000, by: 997) {
            #expect(data.points.point(i) == expected[i])
            #expect(data.labels[i] == i % 3)
        }
        // Line of point i: header (1) + i + 1 + comments before it (one per 1000 points, at i = 0, 1000, ...).
        #expect(data.lines[29_999] == 1 + 30_000 + 30)
        // An error late in the file is reported at its true line.
        let bad = text + "1,2,3,x\n"
        do {
            _ = try parseCSV(bad)
            Issue.record("accepted bad data")
        } catch {
            #expect(error.line == 1 + 30_000 + 30 + 1)
            #expect(error.column == 7)
        }
    }

    @Test("random bytes and mangled files never crash the reader")
    func fuzz() {
        var rng = SplitMix64(seed: 301)
        let base = Array("x,y,label\n0.5,-1/3,1\n2e3,7,0\n# c\n1,1,1\n".utf8)
        var rejected = 0
        for round in 0 ..< 3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0 ..< rng.below(200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = base
                for _ in 0 ..< rng.below(3) + 1 where !bytes.isEmpty {
                    let i = rng.below(bytes.count)
                    if rng.below(2) == 0 { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) } else { bytes.remove(at: i) }
                }
            }
            do {
                let data = try parseCSV(bytes)
                #expect(data.count > 0 && data.labels.allSatisfy { $0 >= 0 })
            } catch {
                #expect(!error.message.isEmpty)
                rejected += 1
            }
        }
        #expect(rejected > 1400)
    }

    @Test("writing and reading back gives the same exact data")
    func roundTrip() throws {
        let data = try parseCSV("0.1,-2.5E+4,0\n3/7,1e-3,1\n-12,0.125,2\n")
        let again = try parseCSV(data.csvBytes(comments: ["generated"]))
        #expect(again.count == 3)
        for i in 0 ..< 3 { #expect(again.points.point(i) == data.points.point(i)) }
        #expect(again.labels == data.labels)
    }
}
