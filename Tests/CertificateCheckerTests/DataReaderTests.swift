import ExactArithmetic
import TextFormats
import DataSets
import Testing
import TestSupport
@testable import CertificateChecker

@Suite("The checker's CSV reader (docs/formats.md, section 3)")
struct DataReaderTests {
    @Test("a comment line ending in CRLF does not swallow the next row")
    func crlfComment() throws {
        let data = try readData("x,y,label\r\n# comment\r\n1,0,1\r\n0,1,0\r\n").get()
        #expect(data.count == 2 && data.lines == [3, 4])
        #expect(data.labels == [1, 0])
    }

    @Test("byte-order mark, CR before the end of the file, blanks, header rule")
    func specification() throws {
        let marked = try readData("\u{FEFF}x,y,label\n 1 ,\t2\t, 0 \r").get()
        #expect(marked.count == 1 && marked.lines == [2] && marked.rows == [1, 1, 2])
        #expect(try readData("\u{FEFF}1,2,0").get().lines == [1])
        #expect(try readData("-1,.5,0\n").get().count == 1)  // looks like a number: data, not a header
        #expect(readData("nan,y,label\n1,2,0\n").failure?.line == 1)
        #expect(readData("x,inf,label\n1,2,0\n").failure?.line == 1)
        #expect(readData("x,y,label\n1,2,0\n").value?.count == 1)
    }

    @Test("points are canonical integers over the least common denominator")
    func canonical() throws {
        let data = try readData("1/2,1/3,0\n0.5,2/6,0\n6/4,-0.25,1\n").get()
        #expect(data.count == 2 && data.mergedDuplicates == 1)
        #expect(Array(data.rows[0 ..< 3]) == [6, 3, 2])
        #expect(Array(data.rows[3 ..< 6]) == [4, 6, -1])
        let big = try readData("1e30,1/3,0\n1000000000000000000000000000000,2/6,0\n").get()
        #expect(big.count == 1 && big.mergedDuplicates == 1 && big.big[0]?.map(\.description) == ["3", "3" + String(repeating: "0", count: 30), "1"])
    }

    @Test("equal points with different labels are a conflict naming both lines")
    func conflict() throws {
        let data = try readData("1,2,0\n3,4,1\n0.3e1,4e0,1\n1,2,1\n1,2,1\n").get()
        #expect(data.conflict?.line == 4 && data.conflict?.earlierLine == 1)
        #expect(data.mergedDuplicates == 1)
    }

    @Test("bad rows are located errors", arguments: [
        ("1,2,0\n3,NaN,1\n", 2), ("1,2,0\n3,4\n", 2), ("1,2,0\n3,4,1,5\n", 2), ("1,2,0\n3,4,1.5\n", 2), ("1,2,0\n3,4,-1\n", 2),
        ("1,2,0\n3,4,4611686018427387904\n", 2), ("1,2,0\r\n3,4\r5,1\r\n", 2), ("x,y\r,label\n1,2,0\n", 1), ("1,2,0\n \r \n", 2),
        ("5\n", 1), ("", 1), ("# only\n\n", 3), ("x,y,label", 2), ("\u{FEFF}", 1), ("1,2,0\n\u{FEFF}3,4,1\n", 2), ("1,2,0\n1e5001,1,1\n", 2),
    ])
    func errors(_ text: String, _ line: Int) {
        let error = readData(text).failure
        #expect(error?.line == line, "\(text.debugDescription): \(error.map(String.init(describing:)) ?? "accepted")")
        #expect(error?.column != nil)
    }

    @Test("agrees with the producer's reader on random files: same points, labels, lines and errors")
    func differential() {
        var rng = SplitMix64(seed: 903)
        let numbers = ["1", "-2", "0.5", "1/2", "3e1", "0x1p1", "1.5", "7", "+0", "2/4", "-0.25", "1e-2"]
        let bad = ["x", "", "nan", "\r", "\u{FEFF}", "1,", "inf", " # ", "1/0", "\t", "é\r", "\u{661}", "1e5001", "0x1p"]
        var accepted = 0
        for _ in 0 ..< 3000 {
            let columns = rng.below(3) + 2
            var text = rng.below(4) == 0 ? "\u{FEFF}" : ""
            for line in 0 ..< rng.below(8) {
                let end = rng.below(2) == 0 ? "\n" : "\r\n"
                switch rng.below(10) {
                case 0: text += "# comment \r" + end
                case 1: text += " \t" + end
                case 2 where line == 0: text += (0 ..< columns).map { "c\($0)" }.joined(separator: ",") + end
                default:
                    var fields = (0 ..< columns - 1).map { _ in numbers[rng.below(numbers.count)] } + ["\(rng.below(3))"]
                    if rng.below(8) == 0 { fields[rng.below(columns)] = bad[rng.below(bad.count)] }
                    if rng.below(12) == 0 { fields.removeLast() }
                    text += fields.joined(separator: rng.below(5) == 0 ? " , " : ",") + (rng.below(10) == 0 ? "" : end)
                }
            }
            let mine = readData(text)
            let theirs = parseProducer(text)
            switch (mine, theirs) {
            case (.success(let a), .success(let b)):
                #expect(a.conflict == nil, "\(text.debugDescription)")
                #expect(a.count == b.count && a.dimension == b.dimension && a.lines == b.lines && a.mergedDuplicates == b.mergedDuplicates,
                        "\(text.debugDescription)")
                #expect(a.labels.map(Int.init) == b.labels, "\(text.debugDescription)")
                for i in 0 ..< min(a.count, b.count) {
                    for k in 0 ..< a.dimension { #expect(a.coordinate(i, k).description == b.points.coordinate(i, k).description) }
                }
                accepted += 1
            case (.success(let a), .failure(let e)):
                #expect(a.conflict?.line == e.line, "\(text.debugDescription): producer \(e)")
            case (.failure(let e), .success):
                Issue.record("\(text.debugDescription): only the checker refused: \(e)")
            case (.failure(let a), .failure(let b)):
                // Lines agree; columns may point at different faults of the same line (advisory, T2).
                #expect(a.line == b.line, "\(text.debugDescription): \(a) vs \(b)")
            }
        }
        #expect(accepted > 100)
    }

    @Test("a large file is read in parallel chunks with exact values and true line numbers")
    func chunks() throws {
        var rng = SplitMix64(seed: 904)
        var text = "a,b,label\r\n"
        for i in 0 ..< 60_000 {
            text += "\(Int64(bitPattern: rng.next()) >> 8)/\(rng.below(1000) + 1),\(rng.below(100)).\(rng.below(100)),\(i % 5)\r\n"
            if i % 1000 == 999 { text += "# comment\r\n" }
        }
        #expect(text.utf8.count > 1 << 20)
        let data = try readData(text).get()
        let producer = try parseProducer(text).get()
        #expect(data.count == producer.count && data.lines == producer.lines)
        for i in stride(from: 0, to: data.count, by: 499) { #expect(data.coordinate(i, 0).description == producer.points.coordinate(i, 0).description) }
        let lines = text.utf8.filter { $0 == 0x0A }.count
        #expect(readData(text + "1,2,x\r\n").failure?.line == lines + 1)
    }

    @Test("random bytes and mutated files give typed errors, never a crash")
    func fuzz() {
        var rng = SplitMix64(seed: 905)
        let base = Array("x,y,label\r\n0.5,-1/3,1\n2e3,0x1p-2,0\n# c\r\n1,1,1\n".utf8)
        var rejected = 0
        for round in 0 ..< 4000 {
            if readData(mutated(base, &rng, round: round)).failure != nil { rejected += 1 }
        }
        #expect(rejected > 1500)
    }
}

func parseProducer(_ text: String) -> Result<DataSets.DataSet, TextFormats.InputError> {
    reading(Array(text.utf8)) { (b) throws(TextFormats.InputError) in try DataSets.DataSet.parseCSV(b, file: "d.csv") }
}
