import ExactArithmetic
import TextFormats

// MARK: - The framing and header of a .npy file, apart from its elements
//
// The whole-file reader (`NumPyArray`) and the row-block reader of streams and shards
// (docs/formats.md, S9–S11) read the same header with this one parser, so both give the
// same values and the same errors; the block reader needs only the first bytes of the
// file and its size.

/// The header of a .npy file: element type, order, shape and where the elements start.
public struct NumPyHeader: Sendable, Equatable {
    public let file: String
    public let element: NumPyElement
    public let bigEndian: Bool
    public let fortranOrder: Bool
    public let shape: [Int]
    /// The descr as written, for messages.
    public let descr: String
    /// The bytes before the first element: magic, version, header length and header.
    public let dataStart: Int
    /// The elements' bytes: count · size, exactly what follows `dataStart`.
    public let dataBytes: Int

    /// The fixed bytes before the header: magic (6), version (2), header length (2 or 4).
    public static let framingBytes = 12

    // MARK: - Reading

    /// The number of bytes before the first element, from the file's first bytes (`prefix`,
    /// at least `min(framingBytes, fileSize)` of them) and its size; the errors of a bad magic,
    /// version or header length (P1), as the whole-file reader gives them.
    ///
    /// - Complexity: O(1).
    public static func dataStart(prefix: UnsafeBufferPointer<UInt8>, fileSize: Int, file: String) throws(InputError) -> Int {
        func fail(_ message: String) -> InputError { InputError(file: file, message: message) }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        guard fileSize >= 10, prefix.count >= 10, Array(prefix[0 ..< 6]) == magic else {
            throw fail("not a NumPy .npy file (it does not start with the magic bytes \\x93NUMPY)")
        }
        let major = prefix[6], minor = prefix[7]
        guard minor == 0, (1 ... 3).contains(major) else {
            throw fail(".npy format version \(major).\(minor) is not supported (1.0, 2.0 and 3.0 are)")
        }
        var headerStart = 10
        var length = Int(prefix[8]) | Int(prefix[9]) << 8
        if major >= 2 {
            guard fileSize >= 12, prefix.count >= 12 else { throw fail("the file ends inside the header length") }
            length |= Int(prefix[10]) << 16 | Int(prefix[11]) << 24
            headerStart = 12
        }
        guard length <= fileSize - headerStart else {
            throw fail("the header length \(length) runs past the end of the file (\(fileSize) bytes)")
        }
        return headerStart + length
    }

    /// Parses the header from `prefix` (the file's first bytes, at least `dataStart` of them)
    /// and checks that a file of `fileSize` bytes holds exactly the elements the shape says
    /// (P1: fewer is *truncated*, naming the element where the data ends; more is an error),
    /// from the size alone (S9).
    ///
    /// - Complexity: O(header length); no element is read.
    public init(prefix: UnsafeBufferPointer<UInt8>, fileSize: Int, file: String) throws(InputError) {
        self.file = file
        func fail(_ message: String) -> InputError { InputError(file: file, message: message) }
        let dataStart = try NumPyHeader.dataStart(prefix: prefix, fileSize: fileSize, file: file)
        guard prefix.count >= dataStart else { preconditionFailure("the caller reads the header's bytes before parsing it") }
        let headerStart = prefix[6] >= 2 ? 12 : 10
        let header = UnsafeBufferPointer(rebasing: prefix[headerStart ..< dataStart])
        var parser = HeaderParser(bytes: header, base: headerStart, utf8: prefix[6] == 3)
        let dict: HeaderParser.Header
        do { dict = try parser.parse() } catch { throw fail("header, byte \(error.offset): \(error.message)") }
        (element, bigEndian) = try NumPyArray.dtype(dict.descr, file: file)
        descr = dict.descr
        fortranOrder = dict.fortranOrder
        shape = dict.shape
        var total = element.size
        for extent in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw fail("the shape \(NumPyArray.text(shape)) is too large") }
            total = product
        }
        let available = fileSize - dataStart
        guard available == total else {
            if available < total {
                throw fail("truncated: the shape \(NumPyArray.text(shape)) of \(descr) needs \(total) bytes of data, the file has \(available) "
                    + "(it ends inside element [\(NumPyArray.index(available / element.size, shape: shape, fortran: fortranOrder).map(String.init).joined(separator: ", "))])")
            }
            throw fail("\(available - total) bytes after the last element of the shape \(NumPyArray.text(shape))")
        }
        self.dataStart = dataStart
        dataBytes = total
    }

    // MARK: - Rows

    /// Rows and columns of a 2-D array (a 1-D array is one column).
    public var rows: Int { shape.first ?? 1 }
    public var columns: Int { shape.count >= 2 ? shape[1] : 1 }

    /// The file offsets of the elements of rows `rows` of a 2-D array, as byte runs in file
    /// order: one run in C order, one per column in Fortran order (S11).
    ///
    /// - Complexity: O(columns) in Fortran order, else O(1).
    public func runs(of rows: Range<Int>) -> [Range<Int>] {
        let size = element.size, n = self.rows, c = columns
        if rows.isEmpty { return [] }
        if !fortranOrder {
            return [dataStart + rows.lowerBound * c * size ..< dataStart + rows.upperBound * c * size]
        }
        return (0 ..< c).map { j in dataStart + (j * n + rows.lowerBound) * size ..< dataStart + (j * n + rows.upperBound) * size }
    }
}
