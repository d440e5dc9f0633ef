import ArgumentParser
import Certificates
import DataSets
import NumPyArchives
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

// MARK: - DATA by extension: CSV, NumPy .npy, NumPy .npz (docs/formats.md, sections 3 and 3.2)

/// The options every command that reads DATA accepts, for NumPy data.
struct DataOptions: ParsableArguments {
    @Option(help: "NumPy DATA.npy only: read the labels from this .npy file (integers, one per row) instead of X's last column.")
    var labels: String?
    @Option(name: .customLong("x-key"), help: "NumPy DATA.npz only: the name of the points array.")
    var xKey = "X"
    @Option(name: .customLong("y-key"), help: "NumPy DATA.npz only: the name of the labels array.")
    var yKey = "y"

    var isDefault: Bool { labels == nil && xKey == "X" && yKey == "y" }

    /// The files these options read besides DATA (for the output rules: no output may be one of them).
    var inputs: [String] { labels.map { [$0] } ?? [] }
}

/// How a DATA file is read, decided by its name alone (`-`, standard input, is CSV).
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
        return try parse(file, options: options)
    }

    /// Parses DATA's bytes as CSV, .npy or .npz by its extension (see `read(path:options:)`),
    /// each within the memory budget.
    static func parse(_ file: MappedFile, options: DataOptions) throws -> DataSet {
        let path = file.path
        let kind = DataFileKind(path: path)
        if options.labels != nil && kind != .npy {
            throw RequestError("--labels goes with .npy data (\(path) is \(kind == .npz ? "an .npz archive: name its labels with --y-key" : "CSV: the labels are its last column"))")
        }
        if (options.xKey != "X" || options.yKey != "y") && kind != .npz {
            throw RequestError("--x-key and --y-key go with .npz data only")
        }
        switch kind {
        case .csv:
            try file.requireMemory(for: .csv)
            return try parseCSV(file.bytes, file: file.name)
        case .npy:
            let x = try NumPyArray(file.bytes, file: file.name)
            try requireMemory(for: x)
            guard let labelsPath = options.labels else { return try fromNumPy(x) }
            let labels = try MappedFile(path: labelsPath)
            return try fromNumPy(x, labels: try NumPyArray(labels.bytes, file: labels.name))
        case .npz:
            // A zip archive is read by seeking, from the file itself (see NumPyArchive.arrays); `file.bytes` are its digest's.
            guard file.isRegularFile else {
                throw InputError(file: file.name, message: "an .npz archive must be a regular file (zip archives are read by seeking)")
            }
            let arrays = try NumPyArchive.arrays(path: path, names: [options.xKey, options.yKey], file: file.name,
                                                 limit: UInt64(MemoryBudget.bytes / 4))
            return try arrays[0].withUnsafeBufferPointer { (x) throws -> DataSet in
                try arrays[1].withUnsafeBufferPointer { (y) throws -> DataSet in
                    let points = try NumPyArray(x, file: "\(file.name) (array \(options.xKey))")
                    try requireMemory(for: points)
                    return try fromNumPy(points, labels: try NumPyArray(y, file: "\(file.name) (array \(options.yKey))"))
                }
            }
        }
    }

    /// Throws unless the exact points of `array` fit the memory budget: every element becomes a
    /// word-size numerator, held twice while the parts parsed in parallel are joined (24 bytes),
    /// and every row a denominator and its bookkeeping (32 bytes).
    static func requireMemory(for array: NumPyArray) throws(RequestError) {
        try MemoryBudget.require(MemoryBudget.sum(MemoryBudget.product(array.count, 24), MemoryBudget.product(array.rows, 32)),
                                 for: "reading \(array.file) (\(array.count) elements)")
    }

    /// DATA for a certificate: one named file, digested, read with the default arrays (docs/formats.md, K3).
    static func readForCertificate(path: String, options: DataOptions) throws -> (value: DataSet, sha256: String) {
        guard options.isDefault else {
            throw RequestError("a certificate names one data file, read as CSV, .npy (labels in the last column) or .npz "
                + "(arrays X and y): --labels, --x-key and --y-key cannot be recorded; write the data in one of these forms "
                + "(memcert convert) and certify that file")
        }
        let file = try MappedFile(path: path)
        return (try parse(file, options: options), ContentDigest.sha256(file.bytes))
    }
}
