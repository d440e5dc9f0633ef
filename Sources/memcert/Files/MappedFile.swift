#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TextFormats

/// A whole file's bytes, mapped read-only into memory (no copy, no per-line allocation).
///
/// The command line is the only layer that touches files (docs/ARCHITECTURE.md):
/// the library modules parse bytes and serialize to bytes.
public final class MappedFile {
    /// The path as given, used in messages.
    public let path: String
    /// The file's bytes; valid for the lifetime of this object.
    public let bytes: UnsafeBufferPointer<UInt8>
    private let mapping: UnsafeMutableRawPointer?
    private let length: Int

    /// Maps `path`; throws a one-line `InputError` naming the file when it cannot be read.
    public init(path: String) throws(InputError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError(file: path, message: "cannot open: \(MappedFile.lastError())") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw InputError(file: path, message: "cannot read: \(MappedFile.lastError())") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw InputError(file: path, message: "is a directory, not a file") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw InputError(file: path, message: "is not a regular file")
        }
        length = Int(info.st_size)
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

    deinit {
        if let mapping { munmap(mapping, length) }
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

    /// Creates a folder and its missing parents.
    public static func makeFolder(_ path: String) throws(InputError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if !exists(current) && mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw InputError(file: path, message: "cannot create the folder: \(MappedFile.lastError())")
            }
        }
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
