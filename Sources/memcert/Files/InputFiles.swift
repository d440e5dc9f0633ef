import Certificates
import DataSets
import TextFormats
import ThresholdNetworks

// MARK: - Reading and writing the library's formats

extension DataSet {
    /// Reads a data set file: mapped, then parsed on all cores.
    static func read(path: String) throws(InputError) -> DataSet {
        let file = try MappedFile(path: path)
        return try parseCSV(file.bytes, file: path)
    }
}

extension Network {
    /// Reads and validates a network file (`memcert.network/1`).
    static func read(path: String) throws(InputError) -> Network {
        let file = try MappedFile(path: path)
        return try parse(file.bytes, file: path)
    }

    /// Writes the canonical file atomically.
    func write(to path: String) throws(InputError) {
        try AtomicFile.write(jsonBytes(), to: path)
    }
}

// MARK: - Files named by certificates

/// Reads the file at `path` once: parses its bytes and digests the same bytes
/// (SHA-256), so a certificate's claims and digest come from one read. The
/// mapping is released before returning.
func readAndDigest<T>(_ path: String, _ parse: (UnsafeBufferPointer<UInt8>) throws(InputError) -> T)
    throws(InputError) -> (value: T, sha256: String) {
    let file = try MappedFile(path: path)
    let value = try parse(file.bytes)
    return (value, ContentDigest.sha256(file.bytes))
}

extension CertifiedFile {
    /// The entry for the file at `path` whose bytes were `sha256`: the path as seen
    /// from the folder of the certificate written to `certificate` (symlinks resolved).
    ///
    /// A checker resolves a certificate's paths inside its own folder only
    /// (docs/formats.md, K3), so a file outside that folder is refused here, before
    /// anything is written: the certificate could never be checked as written.
    init(role: String, path: String, sha256: String, certificate: String) throws(InputError) {
        let folder = AtomicFile.directory(of: certificate)
        let relative = try FileBytes.relativePath(of: path, fromFolder: folder)
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        if relative.isEmpty || relative.hasPrefix("/") || relative.contains("\\") || relative.contains("\0")
            || segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            throw InputError(file: path, message: "lies outside the certificate's folder \(folder.isEmpty ? "." : folder) "
                + "(resolved: \(relative)); a certificate names files inside its own folder, "
                + "so write it next to the files or in a folder above them")
        }
        self.init(role: role, path: relative, sha256: sha256)
    }
}
