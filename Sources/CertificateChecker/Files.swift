import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Files: reading, confinement (K3), digests

/// A regular file's bytes, mapped read-only for the lifetime of this object.
final class MappedBytes: @unchecked Sendable {
    let path: String
    let bytes: UnsafeBufferPointer<UInt8>
    private let length: Int

    /// Maps the regular file at `path` (symlinks followed). Anything else (a folder, a FIFO, a
    /// device) is refused before it is opened, and it is opened non-blocking, so a FIFO swapped
    /// in meanwhile cannot stall the check; `-` is an ordinary file name.
    init(path: String) throws(MalformedInput) {
        self.path = path
        try FilePaths.requireRegularFile(path)
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw MalformedInput(path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw MalformedInput(path, "cannot read: \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw MalformedInput(path, "is not a regular file") }
        length = Int(info.st_size)
        guard length > 0 else {
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw MalformedInput(path, "cannot map into memory: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: length)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), length) }
    }

    /// SHA-256 of the bytes as 64 lowercase hex digits (FIPS 180-4, via swift-crypto).
    var sha256: String { digest(progress: nil) }

    func digest(progress: Progress?) -> String {
        var hasher = SHA256()
        var offset = 0
        repeat {  // in slices, so that progress can be shown
            let end = min(bytes.count, offset + (1 << 26))
            hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[offset ..< end])))
            progress?.advance(end - offset)
            offset = end
        } while offset < bytes.count
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in hasher.finalize() {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

enum FilePaths {
    /// The folder part of a path as given ("" for a bare file name).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Why `path` is not a well-formed relative path of K3, or nil when it is.
    static func problem(_ path: String) -> String? {
        if path.isEmpty { return "the path is empty" }
        if path.hasPrefix("/") { return "the path is absolute; paths are relative to the certificate's folder" }
        if path.utf8.contains(0) { return "the path contains NUL" }
        if path.contains("\\") { return "the path contains a backslash" }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "the path has an empty segment" }
            if segment == "." || segment == ".." { return "the path has a '\(segment)' segment; files must lie inside the certificate's folder" }
        }
        return nil
    }

    /// Throws unless `path` names a regular file, symlinks followed (K3; the certificate and
    /// `--network`/`--data` files too): a missing file, a folder, a FIFO or a device is
    /// malformed input (exit 2).
    static func requireRegularFile(_ path: String) throws(MalformedInput) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw MalformedInput(path, "cannot open: \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw MalformedInput(path, "is not a regular file") }
    }

    /// realpath(3), or nil.
    static func resolved(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    /// The file named by `path` (K3-checked) in `folder`, resolved with symlinks
    /// followed, when it lies inside the folder; otherwise a located error.
    static func confined(_ path: String, in folder: String, certificate: String) throws(MalformedInput) -> (shown: String, resolved: String) {
        let shown = folder.isEmpty ? path : (folder.hasSuffix("/") ? folder + path : folder + "/" + path)
        guard let base = resolved(folder.isEmpty ? "." : folder) else {
            throw MalformedInput(certificate, "cannot resolve the certificate's folder: \(String(cString: strerror(errno)))")
        }
        guard let target = resolved(shown) else { throw MalformedInput(shown, "cannot open: \(String(cString: strerror(errno)))") }
        let prefix = base == "/" ? "/" : base + "/"
        guard target.hasPrefix(prefix) else {
            throw MalformedInput(shown, "resolves to \(target), outside the certificate's folder \(base) (use --network/--data to name a file elsewhere)")
        }
        return (shown, target)
    }
}
