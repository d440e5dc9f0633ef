#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TextFormats

extension OutputFile {
    /// Writes an output too large to hold at once (a shard's row list) piece by piece: `produce`
    /// hands its pieces to the writer it is given. Only a regular file (or a missing one) can take
    /// it: the pieces go to the temporary file prepared by `OutputFiles.prepare`, which `commit`
    /// then flushes and renames onto the destination, so the output rules hold as for any output
    /// (nothing partial, nothing clobbered, temporary files removed on every error path).
    func commitStreamed(_ produce: (_ write: ([UInt8]) throws(InputError) -> Void) throws -> Void) throws {
        guard case .replace(_, _, let fd, _) = destination else {
            discard()
            throw InputError(file: path, message: "a row list is written only to a regular file (or a new one)")
        }
        try produce { (bytes) throws(InputError) in
            if let failure = OutputFile.writeAll(fd, bytes) {
                throw InputError(file: path, message: "cannot write: \(failure)")
            }
        }
        try commit([])
    }
}
