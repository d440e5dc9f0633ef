#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TextFormats
internal import ZIPFoundation

// MARK: - .npz archives (NumPy's `savez`): a zip file with one NAME.npy entry per array
//
// The zip container is read and written by ZIPFoundation (CRC-32 checked on reading, stored
// or deflated entries), not by memcert's own code; each entry's bytes are an .npy file, parsed
// by DataSets. This module is separate so that only the command line links Foundation and
// ZIPFoundation: the data sets module stays free of both.

public enum NumPyArchive {
    /// The largest array memcert unpacks from an archive (its declared size is checked before
    /// anything is allocated): 16 GiB.
    public static let largestEntry: UInt64 = 1 << 34

    /// The .npy bytes of the arrays `names` (entries NAME.npy) of the archive file at `path`.
    /// Throws a located `InputError` for a damaged archive, a missing array or a bad checksum.
    ///
    /// The archive is read from its file, not from memory: ZIPFoundation's in-memory archive
    /// traps when a damaged archive's offsets point past its end (found by the fuzz test), its
    /// file-backed one reports them as errors.
    ///
    /// `limit` bounds the bytes unpacked in all (the caller's memory budget), checked against each
    /// entry's declared size before it is unpacked and against the bytes really inflated.
    public static func arrays(path: String, names: [String], file: String, limit: UInt64 = largestEntry) throws(InputError) -> [[UInt8]] {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw InputError(file: file, message: "not a readable .npz (zip) archive: \(error)")
        }
        var result: [[UInt8]] = []
        var total: UInt64 = 0
        for name in names {
            let path = name + ".npy"
            guard let entry = archive[path] else {
                let present = archive.map(\.path).filter { $0.hasSuffix(".npy") }.map { String($0.dropLast(4)) }.sorted()
                throw InputError(file: file, message: "has no array '\(name)' (entry \(path)); its arrays: "
                    + (present.isEmpty ? "none" : present.joined(separator: ", ")))
            }
            guard entry.type == .file else { throw InputError(file: file, message: "the entry \(path) is not a file") }
            guard entry.uncompressedSize <= largestEntry else {
                throw InputError(file: file, message: "the array \(name) declares \(entry.uncompressedSize) bytes, more than memcert unpacks (16 GiB)")
            }
            guard total + entry.uncompressedSize <= limit else {
                throw InputError(file: file, message: "the array \(name) declares \(entry.uncompressedSize) bytes, more than the memory budget "
                    + "leaves for unpacking (\(limit) bytes in all; MEMCERT_MEMORY_LIMIT sets the budget)")
            }
            total += entry.uncompressedSize
            var out = [UInt8]()
            // The declared size is only a claim: reserve at most 64 MiB up front, grow with the bytes really inflated.
            out.reserveCapacity(Int(min(entry.uncompressedSize, 1 << 26)))
            do {
                // extract(_:consumer:) computes the CRC-32 but leaves comparing it to the caller.
                let crc = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard UInt64(out.count + chunk.count) <= entry.uncompressedSize else { throw ArchiveSizeError() }
                    out.append(contentsOf: chunk)
                }
                guard crc == entry.checksum else {
                    throw InputError(file: file, message: "the array \(name) is damaged: its CRC-32 is \(crc), its entry records \(entry.checksum)")
                }
            } catch let error as InputError {
                throw error
            } catch {
                throw InputError(file: file, message: "cannot unpack the array \(name): \(error is ArchiveSizeError ? "more bytes than the entry declares" : "\(error)")")
            }
            guard UInt64(out.count) == entry.uncompressedSize else {
                throw InputError(file: file, message: "the array \(name) holds \(out.count) bytes, its entry declares \(entry.uncompressedSize)")
            }
            result.append(out)
        }
        return result
    }

    /// An archive of the arrays given as (name, .npy bytes), stored without compression, as
    /// NumPy's `savez` writes them.
    public static func archive(_ arrays: [(name: String, npy: [UInt8])]) throws(InternalError) -> [UInt8] {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (name, npy) in arrays {
                let data = Data(npy)
                try archive.addEntry(with: name + ".npy", type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none,
                                     provider: { position, size in data.subdata(in: Int(position) ..< Int(position) + size) })
            }
            guard let bytes = archive.data else { throw InternalError("ZIPFoundation returned no archive") }
            return [UInt8](bytes)
        } catch let error as InternalError {
            throw error
        } catch {
            throw InternalError("cannot build the .npz archive: \(error)")
        }
    }
}

private struct ArchiveSizeError: Error {}
