import Testing
import WorkSharing

struct ChunkFailure: Error, Equatable {
    let chunkStart: Int
}

@Suite("Parallel loops")
struct ParallelTests {
    @Test("results come back in chunk order and cover every index once, for many chunk sizes")
    func order() {
        for (count, chunk) in [(0, 1), (1, 1), (7, 3), (1000, 1), (1000, 7), (100_000, 4096)] {
            let parts = Parallel.mapChunks(count: count, chunkSize: chunk) { range in Array(range) }
            #expect(parts.flatMap { $0 } == Array(0 ..< count), "count \(count), chunk \(chunk)")
            #expect(parts.allSatisfy { $0.count <= chunk })
        }
    }

    @Test("the first error in chunk order is rethrown, whichever worker meets it first")
    func firstError() {
        for _ in 0 ..< 20 {
            #expect(throws: ChunkFailure(chunkStart: 300)) {
                _ = try Parallel.mapChunks(count: 1000, chunkSize: 100) { (range) throws(ChunkFailure) -> Int in
                    if range.lowerBound >= 300 && range.lowerBound % 200 == 100 { throw ChunkFailure(chunkStart: range.lowerBound) }
                    return range.count
                }
            }
        }
    }

    @Test("workers write disjoint indices of a shared buffer")
    func disjointWrites() {
        var squares = [Int](repeating: -1, count: 50_000)
        squares.withUnsafeMutableBufferPointer { buffer in
            let out = SharedBuffer(buffer)
            Parallel.forEachChunk(count: out.count, chunkSize: 333) { range in
                for i in range { out[i] = i * i }
            }
        }
        #expect(squares == (0 ..< 50_000).map { $0 * $0 })
    }
}
