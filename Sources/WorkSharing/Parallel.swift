import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Data-parallel loops over index ranges on all cores.
public enum Parallel {
    /// The number of worker threads: the `MEMCERT_THREADS` environment
    /// variable when set to a positive integer, otherwise the number of online
    /// processors.
    public static let workerCount: Int = {
        if let text = getenv("MEMCERT_THREADS"), let n = Int(String(cString: text)), n > 0 { return n }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }()

    /// Splits 0..<count into consecutive chunks of about `chunkSize` (at least
    /// `minimumChunk`), runs `body` on each chunk on the worker threads, and
    /// returns the results in chunk order. The first error, in chunk order, is
    /// rethrown after all chunks finish.
    public static func mapChunks<T, E: Error>(
        count: Int, chunkSize: Int? = nil, minimumChunk: Int = 1,
        _ body: @Sendable (Range<Int>) throws(E) -> T
    ) throws(E) -> [T] {
        if count == 0 { return [] }
        let workers = workerCount
        let size = max(minimumChunk, chunkSize ?? max(1, (count + workers * 8 - 1) / (workers * 8)))
        let chunkCount = (count + size - 1) / size
        let ranges = (0 ..< chunkCount).map { c in c * size ..< min(count, (c + 1) * size) }
        if workers == 1 || chunkCount == 1 {
            var results: [T] = []
            results.reserveCapacity(chunkCount)
            for r in ranges { results.append(try body(r)) }
            return results
        }
        // One slot per chunk, each written by exactly one worker and read after all have joined.
        let storage = UnsafeMutableBufferPointer<Result<T, E>?>.allocate(capacity: chunkCount)
        storage.initialize(repeating: nil)
        defer {
            storage.deinitialize()
            storage.deallocate()
        }
        let slots = SharedBuffer(storage)
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(workers, chunkCount)) { _ in
            while true {
                // Relaxed suffices: the counter only hands out chunk numbers; the results are
                // published by concurrentPerform's join.
                let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if c >= chunkCount { break }
                let result: Result<T, E>
                do throws(E) { result = .success(try body(ranges[c])) } catch { result = .failure(error) }
                slots[c] = result
            }
        }
        var results: [T] = []
        results.reserveCapacity(chunkCount)
        for c in 0 ..< chunkCount {
            guard let result = storage[c] else { preconditionFailure("chunk \(c) was not run") }
            results.append(try result.get())
        }
        return results
    }

    /// Runs `body` on every chunk of 0..<count in parallel (see `mapChunks`).
    public static func forEachChunk<E: Error>(
        count: Int, chunkSize: Int? = nil, minimumChunk: Int = 1,
        _ body: @Sendable (Range<Int>) throws(E) -> Void
    ) throws(E) {
        _ = try mapChunks(count: count, chunkSize: chunkSize, minimumChunk: minimumChunk, body)
    }
}
