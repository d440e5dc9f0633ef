#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import TextFormats
import WorkSharing

/// A whole input's bytes: a regular file mapped read-only into memory (no copy,
/// no per-line allocation), or standard input (`-`), a FIFO or a character
/// device read to its end, up to a quarter of the memory budget.
///
/// The command line is the only layer that touches files (docs/ARCHITECTURE.md):
/// the library modules parse bytes and serialize to bytes.
public final class MappedFile {
    /// The path as given.
    public let path: String
    /// The name used in messages: the path, or `<stdin>` for `-`.
    public let name: String
    /// The bytes; valid for the lifetime of this object.
    public let bytes: UnsafeBufferPointer<UInt8>
    private let mapping: UnsafeMutableRawPointer?
    private let length: Int
    private let owned: UnsafeMutableBufferPointer<UInt8>?

    /// Standard input can be read once; a second `-` is an error.
    private static let standardInputTaken = Atomic<Bool>(false)

    /// Reads `path` (`-` for standard input); throws a one-line `InputError`
    /// naming the file when it cannot be read.
    public init(path: String) throws(InputError) {
        self.path = path
        if path == "-" {
            name = "<stdin>"
            guard MappedFile.standardInputTaken.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else {
                throw InputError(file: name, message: "standard input was already read for another argument; it can be read once")
            }
            let data = try MappedFile.readToEnd(0, name: name)
            owned = data
            bytes = UnsafeBufferPointer(data)
            mapping = nil
            length = 0
            return
        }
        name = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(file: path, message: "cannot open: \(MappedFile.lastError())") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw InputError(file: path, message: "cannot read: \(MappedFile.lastError())") }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFIFO, S_IFCHR:
            let data = try MappedFile.readToEnd(fd, name: path)
            owned = data
            bytes = UnsafeBufferPointer(data)
            mapping = nil
            length = 0
            return
        case S_IFDIR:
            throw InputError(file: path, message: "is a folder, not a file")
        default:
            throw InputError(file: path, message: "is not a regular file, a FIFO or a character device")
        }
        owned = nil
        guard info.st_size >= 0, let size = Int(exactly: info.st_size) else {
            throw InputError(file: path, message: "cannot read: impossible size")
        }
        length = size
        if length == 0 {
            mapping = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw InputError(file: path, message: "cannot map into memory: \(MappedFile.lastError())")
        }
        mapping = address
        bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// Whether the bytes come from a regular file (mapped), not from standard input, a FIFO or a device.
    public var isRegularFile: Bool { owned == nil }

    deinit {
        if let mapping { munmap(mapping, length) }
        owned?.deallocate()
    }

    /// Every byte readable from `fd`, at most a quarter of the memory budget.
    private static func readToEnd(_ fd: Int32, name: String) throws(InputError) -> UnsafeMutableBufferPointer<UInt8> {
        let cap = MemoryBudget.bytes / 4
        var capacity = 1 << 20
        var buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        var count = 0
        while true {
            if count == capacity {
                guard capacity < cap else {
                    buffer.deallocate()
                    throw InputError(file: name, message: "is larger than \(MemoryBudget.describe(cap)), a quarter of the memory "
                                     + "budget, which is the most memcert reads from a stream (give a regular file instead)")
                }
                let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Swift.min(cap, 2 * capacity))
                _ = larger.initialize(from: buffer[0 ..< count])
                buffer.deallocate()
                buffer = larger
                capacity = larger.count
            }
            let got = read(fd, buffer.baseAddress! + count, capacity - count)
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                let failure = MappedFile.lastError()
                buffer.deallocate()
                throw InputError(file: name, message: "cannot read: \(failure)")
            }
            count += got
        }
        let exact = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Swift.max(count, 1))
        _ = exact.initialize(from: buffer[0 ..< count])
        buffer.deallocate()
        return UnsafeMutableBufferPointer(rebasing: exact[0 ..< count])
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// Whole-file helpers.
public enum FileBytes {
    /// Reads a file into an array (for small files such as certificates).
    public static func read(_ path: String) throws(InputError) -> [UInt8] {
        let file = try MappedFile(path: path)
        return Array(file.bytes)
    }

    /// The folder part of a path ("." when there is none, "/" for the root).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component of a path ("" when it ends with "/").
    public static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The absolute, symlink-free form of an existing path.
    public static func canonicalPath(_ path: String) throws(InputError) -> String {
        guard let resolved = realpath(path, nil) else {
            throw InputError(file: path, message: "cannot resolve: \(MappedFile.lastError())")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `file` relative to `folder` (both existing), e.g. "../data/d.csv".
    public static func relativePath(of file: String, fromFolder folder: String) throws(InputError) -> String {
        let target = try canonicalPath(file).split(separator: "/").map(String.init)
        let base = try canonicalPath(folder).split(separator: "/").map(String.init)
        var common = 0
        while common < min(target.count, base.count) && target[common] == base[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        return (ups + target[common...]).joined(separator: "/")
    }

    /// True when `path` exists.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}

// MARK: - The machine's limits

/// Limits of the machine that only files tell: the control group's memory limit
/// (cgroup v2 `memory.max`, or v1 `memory.limit_in_bytes`), which containers and
/// CI set below physical memory. It lowers `MemoryBudget` once per process.
enum MachineLimits {
    private static let applied = Atomic<Bool>(false)

    static func apply() {
        guard applied.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            guard let text = smallFile(path) else { continue }
            let trimmed = text.filter { !$0.isWhitespace }
            if let bytes = Int(trimmed), bytes > 0 { MemoryBudget.limit(toAtMost: bytes) }  // "max" means no limit
        }
    }

    /// The first few hundred bytes of a small system file, or nil.
    private static func smallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0 ..< count], as: UTF8.self)
    }
}
