import Certificates
import DataSets
import TextFormats
import ThresholdNetworks

// MARK: - Reading and writing the library's formats

extension DataSet {
    /// Reads a data set file (`-`: standard input, named `<stdin>` in messages):
    /// mapped, then parsed on all cores.
    static func read(path: String) throws(InputError) -> DataSet {
        let file = try MappedFile(path: path)
        return try parseCSV(file.bytes, file: file.name)
    }
}

extension Network {
    /// Reads and validates a network file (`memcert.network/1`; `-`: standard input).
    static func read(path: String) throws(InputError) -> Network {
        let file = try MappedFile(path: path)
        return try parse(file.bytes, file: file.name)
    }
}

// MARK: - Files named by certificates

/// Reads the file at `path` once: parses its bytes and digests the same bytes
/// (SHA-256), so a certificate's claims and digest come from one read. The
/// mapping is released before returning.
func readAndDigest<T>(_ path: String, _ parse: (UnsafeBufferPointer<UInt8>, String) throws(InputError) -> T)
    throws(InputError) -> (value: T, sha256: String) {
    let file = try MappedFile(path: path)
    let value = try parse(file.bytes, file.name)
    return (value, ContentDigest.sha256(file.bytes))
}

extension CertifiedFile {
    /// The entry for the file at `path` whose bytes were `sha256`: the path as seen
    /// from the folder of the certificate written to `certificate`.
    init(role: String, path: String, sha256: String, certificate: String) throws(InputError) {
        let relative = try FileBytes.relativePath(of: path, fromFolder: FileBytes.directory(of: certificate))
        self.init(role: role, path: relative, sha256: sha256)
    }
}

/// Refuses standard input where a certificate must name the file by path.
func requireNamedFile(_ path: String, role: String) throws(InputError) {
    if path == "-" {
        throw InputError(file: "<stdin>", message: "a certificate names its \(role) file by path and SHA-256, so the \(role) "
                         + "cannot come from standard input; give a file")
    }
}
