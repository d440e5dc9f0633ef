internal import CGMP

/// Owns one GMP integer (`mpz_t`). The handle is initialised on creation and
/// cleared in `deinit`; C pointers to it are handed out only inside closures.
///
/// Instances are shared between `BigInt` values and mutated only when
/// uniquely referenced (copy-on-write), which makes the type safe to send.
@usableFromInline
final class GMPStorage: @unchecked Sendable {
    private let handle: UnsafeMutablePointer<__mpz_struct>

    init() {
        handle = .allocate(capacity: 1)
        cgmp_init(handle)
    }

    deinit {
        cgmp_clear(handle)
        handle.deallocate()
    }

    /// A fresh storage holding the same value.
    func copy() -> GMPStorage {
        let result = GMPStorage()
        cgmp_set(result.handle, handle)
        return result
    }

    /// Runs `body` with a pointer it may read.
    @inline(__always)
    func withReadPointer<R>(_ body: (UnsafePointer<__mpz_struct>) throws -> R) rethrows -> R {
        try body(UnsafePointer(handle))
    }

    /// Runs `body` with a pointer it may write. Callers guarantee uniqueness.
    @inline(__always)
    func withWritePointer<R>(_ body: (UnsafeMutablePointer<__mpz_struct>) throws -> R) rethrows -> R {
        try body(handle)
    }
}
