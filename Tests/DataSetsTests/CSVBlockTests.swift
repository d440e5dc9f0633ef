import ExactArithmetic
import Testing
import TestSupport
import TextFormats
@testable import DataSets

// The block reader (`csvLayout` + `parseCSVBlock`, docs/formats.md 3.1) against the whole-file
// reader: random files cut into random line-aligned blocks give the same rows, lines and errors.

@Suite("CSV in blocks") struct CSVBlockTests {
    /// Parses `bytes` block by block, cutting after random line ends, as the streaming reader does.
    func parseInBlocks(_ bytes: [UInt8], rng: inout SplitMix64) throws(InputError) -> (rows: DataSet, offsets: [Int]) {
        let layout = try bytes.withUnsafeBufferPointer { (b) throws(InputError) in
            try DataSet.csvLayout(prefix: b, isWholeFile: true, file: "t.csv")!
        }
        var points = RationalPoints(dimension: layout.dimension)
        var labels: [Int] = [], lines: [Int] = [], offsets: [Int] = []
        var position = layout.bodyStart, line = layout.bodyFirstLine
        while position < bytes.count {
            var end = min(bytes.count, position + 1 + rng.below(40))
            while end < bytes.count && bytes[end - 1] != 0x0A { end += 1 }
            let block = try bytes.withUnsafeBufferPointer { (b) throws(InputError) in
                try DataSet.parseCSVBlock(UnsafeBufferPointer(rebasing: b[position ..< end]), dimension: layout.dimension,
                                          file: "t.csv", firstLine: line, baseOffset: position)
            }
            points.append(contentsOf: block.rows.points)
            labels += block.rows.labels
            lines += block.rows.lines
            offsets += block.offsets
            line += block.lineCount
            position = end
        }
        return (DataSet(points: points, labels: labels, lines: lines), offsets)
    }

    @Test("random files: the same rows, lines, byte offsets and first error as the whole-file reader")
    func sameAsWholeFile() throws {
        var rng = SplitMix64(seed: 15)
        for round in 0 ..< 300 {
            var text = rng.below(3) == 0 ? "\u{FEFF}" : ""
            if rng.below(2) == 0 { text += "a, b ,label\r\n" }
            var seen = Set<[Int]>()
            for _ in 0 ..< 1 + rng.below(12) {
                switch rng.below(6) {
                case 0: text += "# comment\r, with a CR\n"
                case 1: text += rng.below(2) == 0 ? "  \t\n" : "\n"
                default:
                    let x = [rng.below(9) - 4, rng.below(9) - 4]
                    if seen.contains(x) { continue }
                    seen.insert(x)
                    text += "\(x[0]), \(x[1] * 2)/2 ,\(rng.below(3))" + (rng.below(3) == 0 ? "\r\n" : "\n")
                }
            }
            if round % 10 == 9 { text += "1,oops,0\n" }  // an error in the last rows
            if rng.below(4) == 0, text.hasSuffix("\n") { text.removeLast() }
            let bytes = Array(text.utf8)
            let whole: Result<DataSet, InputError> = Result { () throws(InputError) in try DataSet.parseCSV(bytes, file: "t.csv") }
            let blocks: Result<(rows: DataSet, offsets: [Int]), InputError> = Result { () throws(InputError) in try parseInBlocks(bytes, rng: &rng) }
            switch (whole, blocks) {
            case (.success(let w), .success(let b)):
                #expect(b.rows.labels == w.labels && b.rows.lines == w.lines, "round \(round): \(text.debugDescription)")
                #expect((0 ..< w.count).allSatisfy { b.rows.points.point($0) == w.points.point($0) })
                // Each offset is the start of the row's line.
                for (k, offset) in b.offsets.enumerated() {
                    let lineStart = offset == 0 || bytes[offset - 1] == 0x0A || (offset == 3 && bytes.starts(with: [0xEF, 0xBB, 0xBF]))
                    let lineNumber = bytes[0 ..< offset].filter { $0 == 0x0A }.count + 1
                    #expect(lineStart && lineNumber == b.rows.lines[k], "round \(round)")
                }
            case (.failure(let w), .failure(let b)):
                #expect(w.description == b.description, "round \(round)")
            case (.failure(let w), .success):
                // Only "no data rows" is the caller's to report (the streaming reader does, at the end).
                #expect(w.description.contains("no data rows"), "round \(round): \(w)")
            case (.success, .failure(let b)):
                Issue.record("round \(round): the blocks fail with \(b), the whole file reads")
            }
        }
    }
}
