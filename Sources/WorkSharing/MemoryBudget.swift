import Synchronization
import TextFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the machine can hold: every size derived from input is checked
/// against this budget *before* it is allocated, so a request too large for
/// the machine is refused with the reason (exit 2) instead of aborting in the
/// allocator or being killed by the kernel.
///
/// The budget is the least of: physical memory (`sysconf`), the process's
/// address-space and data-segment limits (`getrlimit`), a limit the command
/// line sets (`limit(toAtMost:)`, from the control group's `memory.max`), and
/// the environment variable `MEMCERT_MEMORY_LIMIT` (bytes, or with a suffix
/// K, M, G or T), which is how a user or a test lowers it.
public enum MemoryBudget {
    private static let lowered = Atomic<Int>(Int.max)

    /// The budget in bytes (at least 64 MB).
    public static var bytes: Int {
        max(64 << 20, min(machineBytes, lowered.load(ordering: .relaxed)))
    }

    /// Lowers the budget to at most `bytes` (a limit the caller found, such as a
    /// control group's memory limit). It never raises it.
    public static func limit(toAtMost bytes: Int) {
        var current = lowered.load(ordering: .relaxed)
        while bytes < current {
            let (exchanged, original) = lowered.compareExchange(expected: current, desired: bytes, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// Physical memory, resource limits and `MEMCERT_MEMORY_LIMIT`, whichever is least.
    static let machineBytes: Int = {
        var result = Int.max
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0 && pageSize > 0 {
            let (product, overflow) = pages.multipliedReportingOverflow(by: pageSize)
            if !overflow { result = product }
        }
        for resource in [RLIMIT_AS, RLIMIT_DATA] {
            var limit = rlimit()
            #if canImport(Glibc)
            let status = getrlimit(__rlimit_resource_t(resource.rawValue), &limit)
            #else
            let status = getrlimit(resource, &limit)
            #endif
            if status == 0 && limit.rlim_cur < rlim_t(Int.max) {
                result = min(result, Int(limit.rlim_cur))
            }
        }
        if let text = getenv("MEMCERT_MEMORY_LIMIT"), let value = parseSize(String(cString: text)) {
            result = min(result, value)
        }
        return result
    }()

    /// Parses "123", "512M", "4G", "1T" (powers of 1024); nil when malformed or out of range.
    public static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces
        guard let last = trimmed.last else { return nil }
        let shifts: [Character: Int] = ["K": 10, "k": 10, "M": 20, "m": 20, "G": 30, "g": 30, "T": 40, "t": 40]
        let shift = shifts[last] ?? 0
        guard let value = Int(shift == 0 ? trimmed : String(trimmed.dropLast())), value > 0 else { return nil }
        let (scaled, overflow) = value.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : scaled
    }

    // MARK: - Checks

    /// The product of `factors`, or nil when it overflows `Int` or some factor
    /// is negative: sizes are computed with this before anything is allocated.
    public static func product(_ factors: Int...) -> Int? {
        var result = 1
        for factor in factors {
            guard factor >= 0 else { return nil }
            let (next, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            result = next
        }
        return result
    }

    /// The sum of `terms`, or nil when some term is nil or negative, or the sum overflows.
    public static func sum(_ terms: Int?...) -> Int? {
        var result = 0
        for term in terms {
            guard let term, term >= 0 else { return nil }
            let (next, overflow) = result.addingReportingOverflow(term)
            if overflow { return nil }
            result = next
        }
        return result
    }

    /// Throws unless `bytes` (nil: beyond any machine) fits the budget; `what`
    /// says what the memory is for ("the points: n·d numbers of 16 bytes").
    public static func require(_ bytes: Int?, for what: String) throws(RequestError) {
        let budget = self.bytes
        guard let bytes, bytes <= budget else {
            let size = bytes.map(describe) ?? "more than 2^63 bytes"
            throw RequestError("this needs about \(size) for \(what), more than the memory budget of \(describe(budget)) "
                               + "(physical memory and limits; MEMCERT_MEMORY_LIMIT lowers it)")
        }
    }

    /// "1.6 TB", "512 MB", "900 bytes" (powers of 1024).
    public static func describe(_ bytes: Int) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit + 1 < units.count {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) bytes" }
        return (value < 10 ? value.roundedText(digits: 1) : String(Int(value.rounded()))) + " " + units[unit]
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
