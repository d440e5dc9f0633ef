import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress for long work, drawn on stderr only when stderr is a terminal
/// (so logs and pipes stay clean). Safe to advance from several threads.
public final class ProgressMeter: Sendable {
    private struct State {
        var done = 0
        var lastPercent = -1
        var lastDraw: ContinuousClock.Instant?
    }

    private let label: String
    private let total: Int
    private let enabled: Bool
    private let state = Mutex(State())

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
        state.withLock { state in
            state.done += units
            let percent = min(100, state.done * 100 / total)
            let now = ContinuousClock.now
            if percent != state.lastPercent && state.lastDraw.map({ $0.duration(to: now) > .milliseconds(100) }) ?? true {
                state.lastPercent = percent
                state.lastDraw = now
                ProgressMeter.writeError("\r\(label): \(percent)%")
            }
        }
    }

    /// Clears the line.
    public func finish() {
        guard enabled else { return }
        ProgressMeter.writeError("\r" + String(repeating: " ", count: label.count + 8) + "\r")
    }

    /// Writes text to stderr unbuffered.
    public static func writeError(_ text: String) {
        var copy = text
        copy.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}
