/// A value handed to worker threads that only read it. Used where the reading is thread-safe
/// (`pread` on a shared descriptor, immutable fields), which the compiler cannot see.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
