import Synchronization
import TextFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One destination of a command, resolved and checked before any work, and
/// written only when the work has succeeded. The rules (README, "Output"):
///
/// - `-` is standard output (and so is a path naming the file standard output
///   already is); the command's report then goes to standard error.
/// - A regular file, or a missing one, is replaced atomically: the bytes go to
///   a temporary file in the *target's* folder (after following symbolic
///   links, so a link is written through and stays a link), which is flushed
///   and renamed onto the target. The temporary file is created here, before
///   the work, so an unwritable folder is reported at once.
/// - An existing character device or FIFO (`/dev/null`, a terminal, a pipe)
///   is opened and written in place: never renamed over, never unlinked.
///   Block devices, sockets and folders are refused.
///
/// Temporary files are removed on every error path (`OutputFiles.abandonAll`)
/// and on SIGINT, SIGTERM, SIGHUP and SIGPIPE (`TemporaryFiles`).
final class OutputFile {
    enum Destination {
        case standardOutput
        /// An open descriptor of this process that the path names (standard error).
        case descriptor(Int32)
        /// An existing character device or FIFO, written in place.
        case inPlace(String)
        /// A regular file (existing or not) at the absolute, link-free `target`.
        case replace(target: String, temporary: String, descriptor: Int32, slot: Int)
    }

    /// The path as given, for messages.
    let path: String
    private(set) var destination: Destination
    private(set) var finished = false

    fileprivate init(path: String, destination: Destination) {
        self.path = path
        self.destination = destination
    }

    /// True when the bytes go to standard output.
    var isStandardOutput: Bool {
        if case .standardOutput = destination { return true }
        return false
    }

    /// Writes `bytes` to the destination (atomically for a regular file).
    /// On failure nothing is left behind and the destination is unchanged.
    func commit(_ bytes: some Collection<UInt8>) throws(InputError) {
        precondition(!finished, "an output is written once")
        finished = true
        let contiguous = Array(bytes)
        switch destination {
        case .standardOutput:
            fflush(nil)  // what print() buffered goes first
            if let failure = OutputFile.writeAll(1, contiguous) {
                throw InputError(file: path == "-" ? "<stdout>" : path, message: "cannot write to standard output: \(failure)")
            }
        case .descriptor(let fd):
            if let failure = OutputFile.writeAll(fd, contiguous) { throw InputError(file: path, message: "cannot write: \(failure)") }
        case .inPlace(let device):
            // No O_CREAT and no O_TRUNC: the node must still exist, and it is never replaced.
            let fd = open(device, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else { throw InputError(file: path, message: "cannot write: \(OutputFile.lastError())") }
            var info = stat()
            if fstat(fd, &info) != 0 || OutputFile.fileType(info) == S_IFREG || OutputFile.fileType(info) == S_IFBLK {
                close(fd)
                throw InputError(file: path, message: "changed while memcert ran (it is no longer a character device or FIFO); nothing written")
            }
            let failure = OutputFile.writeAll(fd, contiguous)
            close(fd)
            if let failure { throw InputError(file: path, message: "cannot write: \(failure)") }
        case .replace(let target, let temporary, let fd, let slot):
            var failure = OutputFile.writeAll(fd, contiguous)
            if failure == nil && fsync(fd) != 0 { failure = OutputFile.lastError() }
            if close(fd) != 0 && failure == nil { failure = OutputFile.lastError() }
            if failure == nil {
                // Rename only onto a regular file (or nothing): re-check, in case the target changed meanwhile.
                var info = stat()
                if lstat(target, &info) == 0 && OutputFile.fileType(info) != S_IFREG {
                    failure = "\(target) is no longer a regular file; nothing written"
                } else if rename(temporary, target) != 0 {
                    failure = OutputFile.lastError()
                }
            }
            if let failure {
                unlink(temporary)
                TemporaryFiles.unregister(slot)
                throw InputError(file: path, message: "cannot write: \(failure)")
            }
            TemporaryFiles.unregister(slot)
        }
    }

    /// Removes the temporary file of an output that will not be written.
    func discard() {
        guard !finished else { return }
        finished = true
        if case .replace(_, let temporary, let fd, let slot) = destination {
            close(fd)
            unlink(temporary)
            TemporaryFiles.unregister(slot)
        }
    }

    // MARK: - Low level

    /// Writes every byte to `fd`, retrying after interruptions and short writes;
    /// the error text on failure.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { raw -> String? in
            var offset = 0
            while offset < raw.count {
                guard let base = raw.baseAddress else { return nil }
                let written = systemWrite(fd, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return lastError()
                }
                offset += written
            }
            return nil
        }
    }

    static func lastError() -> String { String(cString: strerror(errno)) }

    static func fileType(_ info: stat) -> mode_t { info.st_mode & S_IFMT }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif

// MARK: - Planning

/// The outputs of one command, resolved and checked together before any work:
/// none may be one of the command's inputs, and no two may be the same file.
enum OutputFiles {
    /// Folders created for outputs by this command (removed again, if still empty, when it fails).
    private static let createdFolders = Mutex<[String]>([])
    /// True once some output goes to standard output: reports then go to standard error.
    private static let reportOnStandardError = Atomic<Bool>(false)

    /// True when the command's report must go to standard error.
    static var reportsToStandardError: Bool { reportOnStandardError.load(ordering: .relaxed) }

    /// Resolves `outputs` (nil entries are options not given) and checks them
    /// against `inputs` (paths, or `-` for standard input) and each other.
    /// Temporary files for regular destinations are created now.
    ///
    /// Throws `InputError` (exit 2) naming the output: a folder, socket or
    /// block device; a missing folder; an output that is one of the inputs; two
    /// outputs that are the same file.
    static func prepare(_ outputs: [String?], inputs: [String?]) throws(InputError) -> [OutputFile?] {
        let inputIdentities = inputs.compactMap { $0 }.compactMap { FileIdentity(input: $0) }
        var prepared: [OutputFile?] = []
        var seen: [(path: String, identity: FileIdentity?, target: String?)] = []
        do throws(InputError) {
            for output in outputs {
                guard let output else {
                    prepared.append(nil)
                    continue
                }
                let (file, identity, target) = try resolve(output)
                // Only regular files can be destroyed by writing: reading data from a terminal and
                // writing to the same terminal is fine.
                for input in inputIdentities where input.isRegular {
                    let same = (identity != nil && identity!.isRegular && identity!.sameFile(as: input))
                        || (target != nil && target == input.canonicalPath)
                    if same {
                        file.discard()
                        throw InputError(file: output, message: "is also an input of this command (\(input.path)); "
                                         + "refusing to overwrite it (write the output to another file)")
                    }
                }
                if file.isStandardOutput && prepared.contains(where: { $0?.isStandardOutput == true }) {
                    file.discard()
                    throw InputError(file: output, message: "only one output can go to standard output")
                }
                for other in seen {
                    let sameIdentity = identity != nil && other.identity != nil && identity!.sameFile(as: other.identity!)
                    let bothDevices = identity?.isCharacterDevice == true && other.identity?.isCharacterDevice == true
                    if (sameIdentity && !bothDevices) || (target != nil && target == other.target) {
                        file.discard()
                        throw InputError(file: output, message: "is the same file as another output of this command (\(other.path))")
                    }
                }
                seen.append((output, identity, target))
                prepared.append(file)
            }
        } catch {
            for file in prepared { file?.discard() }
            throw error
        }
        if prepared.contains(where: { $0?.isStandardOutput == true }) { reportOnStandardError.store(true, ordering: .relaxed) }
        return prepared
    }

    /// One output: its destination, its identity when it exists, and its resolved target path.
    private static func resolve(_ path: String) throws(InputError) -> (OutputFile, FileIdentity?, String?) {
        if path == "-" {
            return (OutputFile(path: path, destination: .standardOutput), FileIdentity(descriptor: 1, path: "<stdout>"), nil)
        }
        guard !path.isEmpty else { throw InputError(file: "''", message: "an output path may not be empty") }
        var info = stat()
        if stat(path, &info) == 0 {
            let identity = FileIdentity(info, path: path)
            switch OutputFile.fileType(info) {
            case S_IFDIR: throw InputError(file: path, message: "is a folder, not a file")
            case S_IFSOCK: throw InputError(file: path, message: "is a socket; memcert writes regular files, character devices and FIFOs")
            case S_IFBLK: throw InputError(file: path, message: "is a block device; memcert does not write to disks")
            default: break
            }
            // The file this process's standard output or error already is: write through that descriptor.
            if let out = FileIdentity(descriptor: 1, path: "<stdout>"), out.sameFile(as: identity) {
                return (OutputFile(path: path, destination: .standardOutput), identity, nil)
            }
            if let err = FileIdentity(descriptor: 2, path: "<stderr>"), err.sameFile(as: identity) {
                return (OutputFile(path: path, destination: .descriptor(2)), identity, nil)
            }
            if OutputFile.fileType(info) != S_IFREG {
                return (OutputFile(path: path, destination: .inPlace(path)), identity, nil)  // character device or FIFO
            }
            let target = try FileBytes.canonicalPath(path)
            return (try replacing(path, target: target, mode: info.st_mode & 0o777), identity, target)
        }
        guard errno == ENOENT else { throw InputError(file: path, message: "cannot write: \(OutputFile.lastError())") }
        let target = try missingTarget(path)
        return (try replacing(path, target: target, mode: nil), nil, target)
    }

    /// Where a path that does not exist (yet) leads: itself, or the end of its chain
    /// of symbolic links, in a folder that exists, as an absolute link-free path.
    private static func missingTarget(_ path: String) throws(InputError) -> String {
        var current = path
        for _ in 0 ..< 40 {
            var info = stat()
            if lstat(current, &info) == 0 {
                guard OutputFile.fileType(info) == S_IFLNK else {
                    throw InputError(file: path, message: "cannot write: it changed while memcert looked at it")
                }
                var buffer = [CChar](repeating: 0, count: 4097)
                let length = readlink(current, &buffer, 4096)
                guard length > 0 else { throw InputError(file: path, message: "cannot read the link: \(OutputFile.lastError())") }
                let link = String(decoding: buffer[0 ..< length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                current = link.hasPrefix("/") ? link : FileBytes.directory(of: current) + "/" + link
                continue
            }
            guard errno == ENOENT else { throw InputError(file: path, message: "cannot write: \(OutputFile.lastError())") }
            let name = FileBytes.lastComponent(of: current)
            guard !name.isEmpty && name != "." && name != ".." && !current.hasSuffix("/") else {
                throw InputError(file: path, message: "names a folder, not a file")
            }
            let folder = FileBytes.directory(of: current)
            var folderInfo = stat()
            guard stat(folder, &folderInfo) == 0, OutputFile.fileType(folderInfo) == S_IFDIR else {
                throw InputError(file: path, message: "cannot write: the folder \(folder) does not exist")
            }
            let real = try FileBytes.canonicalPath(folder)
            return (real == "/" ? "" : real) + "/" + name
        }
        throw InputError(file: path, message: "cannot write: too many levels of symbolic links")
    }

    /// A temporary file next to `target`, created now (O_EXCL, a fresh name) and registered for removal.
    private static func replacing(_ path: String, target: String, mode: mode_t?) throws(InputError) -> OutputFile {
        let folder = FileBytes.directory(of: target)
        let name = String(FileBytes.lastComponent(of: target).prefix(100))
        for _ in 0 ..< 16 {
            let temporary = folder + "/." + name + ".memcert-\(getpid())-\(String(UInt32.random(in: 0 ... .max), radix: 16)).tmp"
            guard let slot = TemporaryFiles.register(temporary) else {
                throw InputError(file: path, message: "cannot write: the path is too long or too many outputs are open")
            }
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ?? 0o666)
            if fd >= 0 {
                if let mode { fchmod(fd, mode) }  // keep the replaced file's permissions (umask applied at creation)
                return OutputFile(path: path, destination: .replace(target: target, temporary: temporary, descriptor: fd, slot: slot))
            }
            let failure = errno
            TemporaryFiles.unregister(slot)
            if failure != EEXIST {
                throw InputError(file: path, message: "cannot write in \(folder): \(String(cString: strerror(failure)))")
            }
        }
        throw InputError(file: path, message: "cannot create a temporary file in \(folder)")
    }

    // MARK: - Folders and cleanup

    /// Creates `path` and its missing parents, remembering what was created so a
    /// failing command can remove it again.
    static func makeFolder(_ path: String) throws(InputError) {
        guard !path.isEmpty, path != "-" else { throw InputError(file: path.isEmpty ? "''" : path, message: "is not a folder name") }
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            var info = stat()
            if stat(current, &info) == 0 {
                if OutputFile.fileType(info) != S_IFDIR { throw InputError(file: path, message: "\(current) is not a folder") }
                continue
            }
            if mkdir(current, 0o777) != 0 && errno != EEXIST {
                throw InputError(file: path, message: "cannot create the folder: \(OutputFile.lastError())")
            }
            let created = current
            createdFolders.withLock { $0.append(created) }
        }
    }

    /// On every way out of a command: removes temporary files still pending
    /// and, when the command failed, the folders it created (if still empty).
    static func abandonAll(failed: Bool) {
        TemporaryFiles.removeAll()
        if failed {
            for folder in createdFolders.withLock({ $0 }).reversed() { rmdir(folder) }
        }
        createdFolders.withLock { $0.removeAll() }
    }
}

// MARK: - File identity

/// A file as the kernel knows it (device and inode), and its canonical path.
struct FileIdentity {
    let path: String
    let device: UInt64
    let inode: UInt64
    let isCharacterDevice: Bool
    let isRegular: Bool
    let canonicalPath: String?

    init(_ info: stat, path: String) {
        self.path = path
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        isCharacterDevice = OutputFile.fileType(info) == S_IFCHR
        isRegular = OutputFile.fileType(info) == S_IFREG
        canonicalPath = try? FileBytes.canonicalPath(path)
    }

    /// The identity of an input: `-` is the file standard input is; nil when it cannot be read.
    init?(input path: String) {
        if path == "-" {
            self.init(descriptor: 0, path: "<stdin>")
            return
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info, path: path)
    }

    /// The identity of an open descriptor of this process; nil when it is closed.
    init?(descriptor: Int32, path: String) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.path = path
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        isCharacterDevice = OutputFile.fileType(info) == S_IFCHR
        isRegular = OutputFile.fileType(info) == S_IFREG
        canonicalPath = nil
    }

    func sameFile(as other: FileIdentity) -> Bool { device == other.device && inode == other.inode }
}
