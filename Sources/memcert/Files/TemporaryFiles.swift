import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files a command has open, removed on every way out: by the
/// command on an error path, and by a signal handler on SIGINT, SIGTERM,
/// SIGHUP and SIGPIPE.
///
/// The handler must be async-signal-safe, so it reads only memory prepared in
/// advance: a fixed table of `slotCount` paths as C strings and one atomic
/// bit mask saying which slots hold a file. It unlinks those files (`unlink`
/// is async-signal-safe, POSIX.1-2017 section 2.4.3), restores the default
/// action and raises the signal again, so the process ends as the signal asks
/// and its parent sees it.
enum TemporaryFiles {
    static let slotCount = 16
    /// Bytes per slot, the terminating NUL included (Linux's PATH_MAX).
    static let slotBytes = 4096

    /// Bit i set: slot i holds the path of an existing temporary file.
    static let armed = Atomic<UInt32>(0)
    /// Slots taken (armed or being filled), changed only outside signal handlers.
    static let taken = Mutex<UInt32>(0)
    /// The paths, `slotBytes` per slot; written only while the slot's bit in `armed` is clear.
    nonisolated(unsafe) static let paths: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * slotBytes)
        buffer.initialize(repeating: 0, count: slotCount * slotBytes)
        return buffer
    }()
    static let installed = Atomic<Bool>(false)

    /// Reserves a slot for `path` and arms it; nil when the table is full or the
    /// path is too long (the caller then refuses to create the file).
    /// Call before creating the file, so no moment exists when it is unprotected.
    static func register(_ path: String) -> Int? {
        installHandlers()
        let bytes = Array(path.utf8)
        guard bytes.count < slotBytes, !bytes.contains(0) else { return nil }
        let slot: Int? = taken.withLock { mask in
            for i in 0 ..< slotCount where mask & (1 << UInt32(i)) == 0 {
                mask |= 1 << UInt32(i)
                return i
            }
            return nil
        }
        guard let slot else { return nil }
        let base = paths + slot * slotBytes
        for (k, byte) in bytes.enumerated() { base[k] = CChar(bitPattern: byte) }
        base[bytes.count] = 0
        armed.bitwiseOr(1 << UInt32(slot), ordering: .releasing)
        return slot
    }

    /// Disarms `slot` (after its file was renamed or removed) and frees it.
    static func unregister(_ slot: Int) {
        armed.bitwiseAnd(~(1 << UInt32(slot)), ordering: .sequentiallyConsistent)
        taken.withLock { $0 &= ~(1 << UInt32(slot)) }
    }

    /// Removes every armed temporary file and frees its slot (on a command's way out).
    static func removeAll() {
        let mask = armed.load(ordering: .acquiring)
        for i in 0 ..< slotCount where mask & (1 << UInt32(i)) != 0 {
            unlink(paths + i * slotBytes)
            unregister(i)
        }
    }

    /// Installs the handlers once.
    static func installHandlers() {
        guard installed.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return }
        // Touch the lazily initialized statics now: the handler must not be the first to use them.
        _ = paths
        _ = armed.load(ordering: .relaxed)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] {
            // A signal the parent set to be ignored (nohup, a shell's background job) stays ignored.
            var current = sigaction()
            sigaction(sig, nil, &current)
            #if canImport(Glibc)
            let ignored = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            #else
            let ignored = unsafeBitCast(current.__sigaction_u.__sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            #endif
            if ignored { continue }
            sigaddset(&unblock, sig)
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = removeTemporaryFilesAndReraise
            #else
            action.__sigaction_u.__sa_handler = removeTemporaryFilesAndReraise
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
        // A parent may hand down these signals blocked (a test runner's thread, for one); the
        // handler is of no use while they are, so unblock them for this thread and those it starts.
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }
}

/// The signal handler: unlink every armed temporary file, then die of the signal.
private func removeTemporaryFilesAndReraise(_ sig: Int32) {
    let mask = TemporaryFiles.armed.load(ordering: .acquiring)
    for i in 0 ..< TemporaryFiles.slotCount where mask & (1 << UInt32(i)) != 0 {
        unlink(TemporaryFiles.paths + i * TemporaryFiles.slotBytes)
    }
    signal(sig, SIG_DFL)
    raise(sig)
}
