import Certificates
import DataSets
import TextFormats
import ThresholdNetworks
import WorkSharing

// MARK: - Reading and writing the library's formats

extension DataSet {
    /// Reads a data set file (`-`: standard input, named `<stdin>` in messages):
    /// mapped, then parsed on all cores.
    static func read(path: String) throws -> DataSet {
        let file = try MappedFile(path: path)
        try file.requireMemory(for: .csv)
        return try parseCSV(file.bytes, file: file.name)
    }
}

extension Network {
    /// Reads and validates a network file (`memcert.network/1`; `-`: standard input).
    static func read(path: String) throws -> Network {
        let file = try MappedFile(path: path)
        try file.requireMemory(for: .network)
        return try parse(file.bytes, file: file.name)
    }
}

// MARK: - Memory for what a file holds

extension MappedFile {
    /// What a file's contents will cost in memory once parsed, estimated from above by counting
    /// separators in one pass over its bytes (no allocation), before it is parsed.
    enum Contents {
        /// CSV: every cell (a comma or a line end) becomes an exact number of 8 bytes, held twice while
        /// the parts parsed in parallel are joined, plus per-line words: 24 bytes per cell, 32 per line.
        case csv
        /// Network JSON: about two commas per weight, which becomes an index and an exact rational and
        /// then the compiled layers' terms: 64 bytes per comma, 64 per line.
        case network

        func estimate(commas: Int, lines: Int) -> Int? {
            switch self {
            case .csv: return MemoryBudget.sum(MemoryBudget.product(commas + lines, 24), MemoryBudget.product(lines, 32))
            case .network: return MemoryBudget.sum(MemoryBudget.product(commas, 64), MemoryBudget.product(lines, 64))
            }
        }
    }

    /// Throws unless what the file holds fits the memory budget.
    func requireMemory(for contents: Contents) throws(RequestError) {
        var commas = 0, lines = 1
        for byte in bytes {
            commas &+= byte == 0x2C ? 1 : 0
            lines &+= byte == 0x0A ? 1 : 0
        }
        try MemoryBudget.require(contents.estimate(commas: commas, lines: lines),
                                 for: "reading \(name) (\(commas) commas, \(lines) lines)")
    }
}

// MARK: - Files named by certificates

/// Reads the file at `path` once: parses its bytes and digests the same bytes
/// (SHA-256), so a certificate's claims and digest come from one read. The
/// mapping is released before returning.
func readAndDigest<T>(_ path: String, contents: MappedFile.Contents, _ parse: (UnsafeBufferPointer<UInt8>, String) throws(InputError) -> T)
    throws -> (value: T, sha256: String) {
    let file = try MappedFile(path: path)
    try file.requireMemory(for: contents)
    let value = try parse(file.bytes, file.name)
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
        let folder = FileBytes.directory(of: certificate)
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

/// Refuses standard input where a certificate must name the file by path.
func requireNamedFile(_ path: String, role: String) throws(InputError) {
    if path == "-" {
        throw InputError(file: "<stdin>", message: "a certificate names its \(role) file by path and SHA-256, so the \(role) "
                         + "cannot come from standard input; give a file")
    }
}
