import ArgumentParser
import Certificates
import DataSets
import NumPyArchives
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

// MARK: - DATA by extension: CSV, NumPy .npy, NumPy .npz (docs/formats.md, section 3)

/// The options every command that reads DATA accepts, for NumPy data.
struct DataOptions: ParsableArguments {
    @Option(help: "NumPy DATA.npy only: read the labels from this .npy file (integers, one per row) instead of X's last column.")
    var labels: String?
    @Option(name: .customLong("x-key"), help: "NumPy DATA.npz only: the name of the points array.")
    var xKey = "X"
    @Option(name: .customLong("y-key"), help: "NumPy DATA.npz only: the name of the labels array.")
    var yKey = "y"

    var isDefault: Bool { labels == nil && xKey == "X" && yKey == "y" }
}

/// How a DATA file is read, decided by its name alone.
enum DataFileKind {
    case csv, npy, npz

    init(path: String) {
        let lower = path.lowercased()
        self = lower.hasSuffix(".npy") ? .npy : lower.hasSuffix(".npz") ? .npz : .csv
    }
}

extension DataSet {
    /// Reads DATA as CSV, .npy or .npz by its extension, with the NumPy options.
    static func read(path: String, options: DataOptions) throws -> DataSet {
        if DataFileKind(path: path) == .csv && options.isDefault { return try read(path: path) }
        let file = try MappedFile(path: path)
        return try parse(file.bytes, path: path, options: options)
    }

    /// Parses DATA's bytes as CSV, .npy or .npz by its extension (see `read(path:options:)`).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String, options: DataOptions) throws -> DataSet {
        let kind = DataFileKind(path: path)
        if options.labels != nil && kind != .npy {
            throw RequestError("--labels goes with .npy data (\(path) is \(kind == .npz ? "an .npz archive: name its labels with --y-key" : "CSV: the labels are its last column"))")
        }
        if (options.xKey != "X" || options.yKey != "y") && kind != .npz {
            throw RequestError("--x-key and --y-key go with .npz data only")
        }
        switch kind {
        case .csv:
            return try parseCSV(bytes, file: path)
        case .npy:
            let x = try NumPyArray(bytes, file: path)
            guard let labelsPath = options.labels else { return try fromNumPy(x) }
            let labels = try MappedFile(path: labelsPath)
            return try fromNumPy(x, labels: try NumPyArray(labels.bytes, file: labelsPath))
        case .npz:
            // The zip container is read from the file itself (see NumPyArchive.arrays); `bytes` were its digest's.
            let arrays = try NumPyArchive.arrays(path: path, names: [options.xKey, options.yKey], file: path)
            return try arrays[0].withUnsafeBufferPointer { (x) throws -> DataSet in
                try arrays[1].withUnsafeBufferPointer { (y) throws -> DataSet in
                    try fromNumPy(try NumPyArray(x, file: "\(path) (array \(options.xKey))"),
                                  labels: try NumPyArray(y, file: "\(path) (array \(options.yKey))"))
                }
            }
        }
    }

    /// DATA for a certificate: one file, digested, read with the default arrays (docs/formats.md, K3).
    static func readForCertificate(path: String, options: DataOptions) throws -> (value: DataSet, sha256: String) {
        guard options.isDefault else {
            throw RequestError("a certificate names one data file, read as CSV, .npy (labels in the last column) or .npz "
                + "(arrays X and y): --labels, --x-key and --y-key cannot be recorded; write the data in one of these forms "
                + "(memcert convert) and certify that file")
        }
        let file = try MappedFile(path: path)
        return (try parse(file.bytes, path: path, options: options), ContentDigest.sha256(file.bytes))
    }
}
