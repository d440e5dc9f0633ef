import Testing
@testable import DataSets

// MARK: - Splitting bytes at line starts

@Suite("line-aligned ranges for parallel parsing")
struct LineAlignedRangesTests {
    /// A reference: the offsets just after each LF, plus the end.
    private func lineEnds(_ bytes: [UInt8]) -> Set<Int> {
        var ends: Set<Int> = [bytes.count]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { ends.insert(i + 1) }
        return ends
    }

    @Test("the ranges tile the buffer, end at line ends, and are as short as the target allows")
    func tiling() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // splitmix64, seeded
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for _ in 0 ..< 300 {
            let count = Int(next() % 200)
            let lfShare = next() % 5  // 0: no LF at all
            let bytes: [UInt8] = (0 ..< count).map { _ in
                lfShare > 0 && next() % (lfShare * 4) == 0 ? UInt8(ascii: "\n") : UInt8(ascii: "7")
            }
            let target = Int(next() % 40) + 1
            let ends = lineEnds(bytes)
            let ranges = bytes.withUnsafeBufferPointer { lineAlignedRanges($0, target: target) }
            var expectedStart = 0
            for r in ranges {
                #expect(r.lowerBound == expectedStart)
                #expect(!r.isEmpty)
                #expect(ends.contains(r.upperBound))
                // Shortest: the first line end at or after start + target (or the buffer's end).
                let shortest = ends.filter { $0 >= min(count, r.lowerBound + target) }.min()!
                #expect(r.upperBound == shortest)
                expectedStart = r.upperBound
            }
            #expect(expectedStart == count)
        }
    }
}
