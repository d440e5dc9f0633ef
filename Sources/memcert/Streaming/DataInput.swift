#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TextFormats

/// A data file read piece by piece with `pread` (streaming and shards): never mapped
/// or read whole, so memory does not grow with the file.
final class DataInput {
    /// The path as given, for messages.
    let path: String
    /// The file's size in bytes when it was opened.
    let size: Int
    private let fd: Int32

    /// Opens `path`, which must be a regular file (streaming reads by offset, so standard
    /// input and pipes are refused with a message saying to give a file).
    init(path: String) throws(InputError) {
        self.path = path
        if path == "-" {
            throw InputError(file: "<stdin>", message: "streaming and shards read the data by offset; standard input cannot be read that way, give a file")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(file: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw InputError(file: path, message: "cannot read: \(message)")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw InputError(file: path, message: "is not a regular file (streaming and shards read the data by offset)")
        }
        self.fd = fd
        size = Int(info.st_size)
    }

    deinit { close(fd) }

    /// Fills `buffer` from byte `offset` on, up to its end or the end of the file; returns the
    /// number of bytes read (fewer than asked only at the end of the file), or -1 with errno set.
    private func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var done = 0
        while done < buffer.count {
            guard let base = buffer.baseAddress else { return 0 }
            let got = pread(fd, base + done, buffer.count - done, off_t(offset + done))
            if got < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// The bytes [offset, offset + count) (fewer at the end of the file).
    func bytes(at offset: Int, count: Int) throws(InputError) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: max(0, count))
        let got = result.withUnsafeMutableBytes { read(at: offset, into: $0) }
        if got < 0 { throw InputError(file: path, message: "cannot read: \(String(cString: strerror(errno)))") }
        result.removeLast(result.count - got)
        return result
    }

    /// Reads the byte runs `runs`, one after another, into the start of `buffer` (which must
    /// hold them all); a file that ends sooner changed after its size was checked, which is
    /// an error.
    ///
    /// - Complexity: O(total bytes), one pread per run; no allocation.
    func read(runs: [Range<Int>], into buffer: inout [UInt8]) throws(InputError) {
        var at = 0
        for run in runs {
            precondition(at + run.count <= buffer.count, "the buffer holds the runs")
            let got = buffer.withUnsafeMutableBytes { all in
                read(at: run.lowerBound, into: UnsafeMutableRawBufferPointer(rebasing: all[at ..< at + run.count]))
            }
            if got < 0 { throw InputError(file: path, message: "cannot read: \(String(cString: strerror(errno)))") }
            if got < run.count {
                throw InputError(file: path, message: "the file changed while it was read (it ends before byte \(run.upperBound) now)")
            }
            at += run.count
        }
    }
}
