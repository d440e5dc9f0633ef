#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress for long work, drawn on stderr only when stderr is a terminal
/// (so logs and pipes stay clean). Safe to advance from several threads.
public final class ProgressMeter: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let enabled: Bool
    private var done = 0
    private var lastPercent = -1
    private var lastDraw: Double = 0
    private let lock = NSLockLike()

    /// A meter for `total` units of work named `label`; drawn only when
    /// stderr is a terminal and `total` is at least `threshold`.
    public init(_ label: String, total: Int, threshold: Int = 1) {
        self.label = label
        self.total = max(total, 1)
        enabled = isatty(2) != 0 && total >= threshold
    }

    /// Records `units` more units done.
    public func advance(by units: Int = 1) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        done += units
        let percent = min(100, done * 100 / total)
        let now = ProgressMeter.seconds()
        if percent != lastPercent && now - lastDraw > 0.1 {
            lastPercent = percent
            lastDraw = now
            ProgressMeter.writeError("\r\(label): \(percent)%")
        }
    }

    /// Clears the line.
    public func finish() {
        guard enabled else { return }
        ProgressMeter.writeError("\r" + String(repeating: " ", count: label.count + 8) + "\r")
    }

    static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Writes text to stderr unbuffered.
    public static func writeError(_ text: String) {
        var copy = text
        copy.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}
