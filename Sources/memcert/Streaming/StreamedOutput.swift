#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TextFormats

/// An output written piece by piece (a row list can be larger than memory allows at once):
/// the bytes go to a temporary file in the destination's folder, which is flushed and renamed
/// onto the destination only when everything was written (never a partial file); on any
/// failure, or when `discard()` is called, the temporary file is removed.
final class StreamedOutput {
    let path: String
    private let temporary: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var done = false

    init(path: String) throws(InputError) {
        self.path = path
        var info = stat()
        if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            throw InputError(file: path, message: "is not a regular file; a row list is written only as a regular file")
        }
        let folder = AtomicFile.directory(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        temporary = folder + "/." + name + ".\(getpid()).\(UInt32.random(in: 0 ... .max)).tmp"
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw InputError(file: path, message: "cannot write: \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(1 << 20)
    }

    deinit { discard() }

    func append(_ bytes: some Collection<UInt8>) throws(InputError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws(InputError) {
        var failure: String?
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
        if let failure {
            discard()
            throw InputError(file: path, message: "cannot write: \(failure)")
        }
    }

    /// Flushes, syncs and renames onto the destination.
    func commit() throws(InputError) {
        try flush()
        var failure: String?
        if fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
        fd = -1
        if failure == nil && rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            done = true
            throw InputError(file: path, message: "cannot write: \(failure)")
        }
        done = true
    }

    /// Removes the temporary file (nothing is written).
    func discard() {
        guard !done else { return }
        done = true
        if fd >= 0 { close(fd) }
        unlink(temporary)
    }
}
