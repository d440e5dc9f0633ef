import Dispatch
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
        let slots = ResultSlots<T, E>(count: chunkCount)
        let next = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: min(workers, chunkCount)) { _ in
            while true {
                let c = next.increment()
                if c >= chunkCount { break }
                let result: Result<T, E>
                do throws(E) { result = .success(try body(ranges[c])) } catch { result = .failure(error) }
                slots.store(result, at: c)
            }
        }
        var results: [T] = []
        results.reserveCapacity(chunkCount)
        for c in 0 ..< chunkCount { results.append(try slots.take(c).get()) }
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

/// One result slot per chunk; each slot is written by exactly one worker and
/// read after all workers have joined, so no two threads touch a slot at once.
final class ResultSlots<T, E: Error>: @unchecked Sendable {
    private var slots: [Result<T, E>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func store(_ result: Result<T, E>, at index: Int) {
        slots.withUnsafeMutableBufferPointer { $0[index] = result }
    }
    func take(_ index: Int) -> Result<T, E> { slots[index]! }
}

/// A shared counter for handing out work.
final class AtomicCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLockLike()
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        let v = value
        value += 1
        return v
    }
}

/// A minimal pthread mutex.
final class NSLockLike: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(mutex, nil) }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
}

/// A view of a mutable buffer that workers may write at disjoint indices.
///
/// The caller guarantees that no two chunks write the same index and that the
/// buffer outlives the parallel loop.
public struct DisjointWrites<Element>: @unchecked Sendable {
    public let buffer: UnsafeMutableBufferPointer<Element>
    public init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
    @inlinable
    public subscript(index: Int) -> Element {
        get { buffer[index] }
        nonmutating set { buffer[index] = newValue }
    }
}
