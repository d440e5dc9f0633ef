import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Both cores, and progress on a terminal

enum Workers {
    /// Worker threads: `MEMCERT_THREADS` when set to a positive integer, else the online processors.
    static let count: Int = {
        if let text = getenv("MEMCERT_THREADS"), let n = Int(String(cString: text)), n > 0 { return n }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }()

    /// Runs `body(c)` for every c in 0..<tasks on all workers (tasks handed out in
    /// increasing order) and returns the results in task order.
    static func map<T: Sendable>(_ tasks: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if tasks == 0 { return [] }
        let results = Mutex([T?](repeating: nil, count: tasks))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(count, tasks)) { _ in
            while true {
                let c = next.add(1, ordering: .relaxed).oldValue
                if c >= tasks { break }
                let value = body(c)
                results.withLock { $0[c] = value }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}

/// A percentage on stderr, drawn only when stderr is a terminal; safe from any thread.
final class Progress: Sendable {
    private let label: String
    private let total: Int
    private let enabled: Bool
    private let state = Mutex<(done: Int, shown: Int)>((0, -1))

    init(_ label: String, total: Int) {
        self.label = label
        self.total = max(1, total)
        enabled = isatty(2) != 0
    }

    func advance(_ units: Int) {
        guard enabled else { return }
        state.withLock { s in
            s.done += units
            let percent = min(100, s.done * 100 / total)
            if percent != s.shown {
                s.shown = percent
                Progress.write("\r\(label): \(percent)%")
            }
        }
    }

    func finish() {
        if enabled { Progress.write("\r" + String(repeating: " ", count: label.count + 8) + "\r") }
    }

    static func write(_ text: String) {
        var copy = text
        copy.withUTF8 { bytes in
            #if canImport(Glibc)
            _ = Glibc.write(2, bytes.baseAddress, bytes.count)
            #else
            _ = Darwin.write(2, bytes.baseAddress, bytes.count)
            #endif
        }
    }
}
