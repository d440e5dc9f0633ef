import ExactArithmetic
import TextFormats
import WorkSharing

// MARK: - Data sets from NumPy arrays (docs/formats.md, section 3.2)
//
// X is a 2-D array (n, c) of floats or integers, each element read as the exact value it
// stores. The labels are its last column (then d = c - 1; every label an integer value in
// [0, 2^62 - 1], as in CSV), or a separate array of n integers (an integer dtype only, shape
// (n,) or (n, 1)), from `--labels FILE.npy` or an .npz archive. Point i's line is i + 1 (its
// row counted from 1); errors name NumPy's own 0-based element index [i, j].

extension DataSet {
    /// The data set held by `x` (labels in its last column when `labels` is nil).
    ///
    /// Errors: the shape first (`numPyShape`); then, with `labels`, the labels array; then the
    /// first row (least i) holding a bad element, and in it the least column j (so the error
    /// is the same whichever order the array is stored in, and the same as a block reader
    /// going through the rows in order gives, docs/formats.md S9).
    ///
    /// - Complexity: O(n · d) on all cores; values of a row that fit 64-bit words over a
    ///   power-of-two denominator are stored without big integers.
    public static func fromNumPy(_ x: NumPyArray, labels: NumPyArray? = nil) throws(InputError) -> DataSet {
        let (n, dimension) = try numPyShape(x.shape, file: x.file, separateLabels: labels != nil)
        var labelValues: [Int]?
        if let labels {
            guard labels.element.isInteger else {
                throw InputError(file: labels.file, message: "labels must have an integer dtype, found '\(labels.descr)'")
            }
            guard labels.shape == [n] || labels.shape == [n, 1] else {
                throw InputError(file: labels.file, message: "labels must have shape (\(n),) to match X's \(n) rows, found \(NumPyArray.text(labels.shape))")
            }
            labelValues = try (0 ..< n).map { (i) throws(InputError) in try label(labels, i, 0) }
        }
        let rows = try decodeRows(x, dimension: dimension, labelsInLastColumn: labels == nil)
        return try mergingDuplicates(points: rows.points, labels: labelValues ?? rows.labels, lines: Array(1 ... n), file: x.file, rows: true)
    }

    /// The rows `rows` of a .npy file whose header is `header`, from their element bytes
    /// `block` in file order (one run in C order, one run per column in Fortran order):
    /// points, labels (the last column) and lines (row i is line i + 1), not merged. Values
    /// and errors are the whole-file reader's (`fromNumPy`), elements named by their index
    /// in the file.
    ///
    /// - Complexity: O(rows · columns) on all cores.
    public static func numPyBlock(_ block: UnsafeBufferPointer<UInt8>, header: NumPyHeader, rows: Range<Int>) throws(InputError) -> DataSet {
        let (_, dimension) = try numPyShape(header.shape, file: header.file, separateLabels: false)
        let array = NumPyArray(header: header, data: block, rows: rows.count, rowBase: rows.lowerBound)
        let decoded = try decodeRows(array, dimension: dimension, labelsInLastColumn: true)
        return DataSet(points: decoded.points, labels: decoded.labels, lines: Array(rows.lowerBound + 1 ..< rows.upperBound + 1),
                       mergedDuplicates: 0, source: header.file)
    }

    /// n and d of a data set stored as an array of `shape` (P5): a 2-D array (n, c) with n >= 1
    /// and d = c - 1 >= 1 (or d = c >= 1 when the labels are a separate array).
    ///
    /// - Complexity: O(1).
    public static func numPyShape(_ shape: [Int], file: String, separateLabels: Bool) throws(InputError) -> (rows: Int, dimension: Int) {
        guard shape.count == 2 else {
            throw InputError(file: file, message: "X must be a 2-D array (points × coordinates), its shape is \(NumPyArray.text(shape))")
        }
        let n = shape[0], columns = shape[1]
        guard n >= 1 else { throw InputError(file: file, message: "contains no data rows (shape \(NumPyArray.text(shape)))") }
        let dimension = separateLabels ? columns : columns - 1
        guard dimension >= 1 else {
            throw InputError(file: file, message: separateLabels
                ? "X has no coordinates (shape \(NumPyArray.text(shape)))"
                : "a row needs at least one coordinate and a label in its last column, the shape is \(NumPyArray.text(shape))")
        }
        return (n, dimension)
    }

    /// Every row of `x` (a 2-D array): its first `dimension` elements as exact coordinates and,
    /// with `labelsInLastColumn`, its last element as a label; in parallel chunks of rows. The
    /// error of the least failing row (within it, the least column) is thrown.
    static func decodeRows(_ x: NumPyArray, dimension: Int, labelsInLastColumn: Bool) throws(InputError) -> (points: RationalPoints, labels: [Int]) {
        let n = x.shape[0], lastColumn = x.shape[1] - 1
        let shared = SharedBuffer(readOnly: x.data)
        let (file, element, bigEndian, fortran, shape, descr, base) = (x.file, x.element, x.bigEndian, x.fortranOrder, x.shape, x.descr, x.rowBase)
        let chunkRows = max(256, n / (Parallel.workerCount * 8) + 1)
        let parts = Parallel.mapChunks(count: n, chunkSize: chunkRows) { range -> Result<(RationalPoints, [Int]), InputError> in
            let array = NumPyArray(file: file, element: element, bigEndian: bigEndian, fortranOrder: fortran, shape: shape,
                                   data: shared.readOnly, descr: descr, rowBase: base)
            var points = RationalPoints(dimension: dimension)
            points.reserveCapacity(range.count)
            var labels: [Int] = []
            if labelsInLastColumn { labels.reserveCapacity(range.count) }
            var numerators = [Int64](repeating: 0, count: dimension)
            var slow = [Rational](repeating: Rational(), count: dimension)
            for i in range {
                do throws(InputError) {
                    if let denominator = try array.wordRow(i, dimension, into: &numerators) {
                        points.append(scaledNumerators: numerators, denominator: denominator)
                    } else {
                        for j in 0 ..< dimension { slow[j] = try array.value(i, j) }
                        points.append(slow)
                    }
                    if labelsInLastColumn { labels.append(try label(array, i, lastColumn)) }
                } catch {
                    return .failure(error)
                }
            }
            return .success((points, labels))
        }
        var points = RationalPoints(dimension: dimension)
        points.reserveCapacity(n)
        var labels: [Int] = []
        labels.reserveCapacity(labelsInLastColumn ? n : 0)
        for part in parts {
            let (p, l) = try part.get()
            points.append(contentsOf: p)
            labels.append(contentsOf: l)
        }
        return (points, labels)
    }

    /// Element [i, j] as a label: an integer value in [0, 2^62 - 1].
    static func label(_ array: NumPyArray, _ i: Int, _ j: Int) throws(InputError) -> Int {
        let k = array.position(i, j)
        func bad(_ what: String) -> InputError {
            InputError(file: array.file, message: "element \(array.elementName(i, j)): the label must be an integer from 0 to 2^\(LabelCode.maximumBits) - 1, found \(what)")
        }
        guard let (negative, magnitude, exponent) = array.dyadic(at: k) else { throw bad(array.nonFiniteName(at: k)) }
        if magnitude == 0 { return 0 }
        if negative { throw bad("a negative value") }
        if exponent < 0 && magnitude.trailingZeroBitCount < -exponent { throw bad("a value that is not an integer") }
        let value = exponent >= 0 ? (exponent >= 64 ? nil : magnitude.multipliedReportingOverflow(by: 1 << UInt64(exponent)).overflow ? nil : magnitude << UInt64(exponent))
                                  : magnitude >> UInt64(-exponent)
        guard let value, value <= UInt64(LabelCode.maximumLabel) else { throw bad("a value above 2^62 - 1") }
        return Int(value)
    }
}

extension NumPyArray {
    init(file: String, element: NumPyElement, bigEndian: Bool, fortranOrder: Bool, shape: [Int], data: UnsafeBufferPointer<UInt8>,
         descr: String, rowBase: Int) {
        self.file = file
        self.element = element
        self.bigEndian = bigEndian
        self.fortranOrder = fortranOrder
        self.shape = shape
        self.data = data
        self.descr = descr
        self.rowBase = rowBase
    }

    /// Row i's first `dimension` elements as integers over the denominator returned (a power of
    /// two), when all of them fit in Int64 that way; nil otherwise (the caller then reads the
    /// row exactly with `value`). NaN and infinities throw.
    func wordRow(_ i: Int, _ dimension: Int, into numerators: inout [Int64]) throws(InputError) -> Int64? {
        var least = Int.max
        for j in 0 ..< dimension {
            let k = position(i, j)
            guard let (_, magnitude, exponent) = dyadic(at: k) else {
                throw InputError(file: file, message: "element \(elementName(i, j)) is \(nonFiniteName(at: k)), not a number")
            }
            if magnitude != 0 { least = Swift.min(least, exponent + magnitude.trailingZeroBitCount) }
        }
        // Every value is m 2^e = (m 2^(e - least)) / 2^-least with an integer numerator.
        let shift = least == Int.max ? 0 : Swift.min(least, 0)
        guard shift > -63 else { return nil }
        for j in 0 ..< dimension {
            let (negative, magnitude, exponent) = dyadic(at: position(i, j))!
            if magnitude == 0 {
                numerators[j] = 0
                continue
            }
            let up = exponent - shift  // >= 0 except for trailing zeros, handled by the shift below
            let value: UInt64
            if up >= 0 {
                guard magnitude.leadingZeroBitCount > up + 1 else { return nil }  // stays below 2^63
                value = magnitude << UInt64(up)
            } else {
                value = magnitude >> UInt64(-up)  // exact: the dropped bits are zeros (least accounts for them)
            }
            guard value <= UInt64(Int64.max) else { return nil }
            numerators[j] = negative ? -Int64(value) : Int64(value)
        }
        return Int64(1) << Int64(-shift)
    }
}

// MARK: - Writing .npy

public enum NumPyWriter {
    /// A version 1.0 .npy file of `shape` with C-order elements `descr` (little-endian), the
    /// header padded with blanks to a multiple of 64 bytes, as NumPy writes it.
    public static func file(descr: String, shape: [Int], elements: [UInt8]) -> [UInt8] {
        let shapeText = "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = header.utf8.count
        out += [UInt8(length & 0xFF), UInt8(length >> 8)]
        out += Array(header.utf8)
        out += elements
        return out
    }

    /// Little-endian bytes of doubles.
    public static func float64Bytes(_ values: [Double]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(values.count * 8)
        for v in values {
            let bits = v.bitPattern
            for b in 0 ..< 8 { out.append(UInt8(truncatingIfNeeded: bits >> UInt64(8 * b))) }
        }
        return out
    }

    /// Little-endian bytes of 64-bit integers.
    public static func int64Bytes(_ values: [Int]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(values.count * 8)
        for v in values {
            for b in 0 ..< 8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * b))) }
        }
        return out
    }
}

extension DataSet {
    /// The coordinates as float64 values in row order, each the nearest double (ties to even),
    /// with the number of values that changed and the first of them (point, coordinate); nil
    /// when a value lies beyond the largest double.
    public func float64Coordinates() -> (values: [Double], changed: Int, first: (point: Int, coordinate: Int)?)? {
        var values = [Double]()
        values.reserveCapacity(count * dimension)
        var changed = 0
        var first: (Int, Int)?
        for i in 0 ..< count {
            for j in 0 ..< dimension {
                guard let (v, exact) = points.coordinate(i, j).nearestDouble else { return nil }
                if !exact {
                    changed += 1
                    if first == nil { first = (i, j) }
                }
                values.append(v)
            }
        }
        return (values, changed, first)
    }
}
