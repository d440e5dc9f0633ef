internal import CFLINT
import ExactArithmetic

/// A dense matrix of arbitrary-precision integers, stored as a FLINT `fmpz_mat`
/// so that FLINT's exact algorithms (rank, null space, p-adic solving) run on it
/// without conversion.
///
/// Value semantics: copies share storage until one of them is written
/// (copy-on-write). Entries that fit in a machine word are stored inline by FLINT;
/// larger ones are GMP integers owned by the matrix.
public struct IntegerMatrix: Sendable {
    /// The number of rows.
    public let rowCount: Int
    /// The number of columns.
    public let columnCount: Int
    var storage: FMPZMatrixStorage

    // MARK: - Construction

    /// The zero matrix of the given size (either may be 0).
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "negative matrix size")
        rowCount = rows
        columnCount = columns
        storage = FMPZMatrixStorage(rows: rows, columns: columns)
    }

    /// The matrix with the given rows, each of length `columns`.
    public init(_ rows: [[BigInt]], columns: Int) {
        self.init(rows: rows.count, columns: columns)
        for (i, row) in rows.enumerated() {
            precondition(row.count == columns, "row \(i) has \(row.count) entries, expected \(columns)")
            for (j, value) in row.enumerated() { self[i, j] = value }
        }
    }

    // MARK: - Entries

    /// Entry (i, j).
    public subscript(i: Int, j: Int) -> BigInt {
        get {
            checkIndex(i, j)
            return storage.withPointer { BigInt(flint: cflint_mat_entry($0, i, j)) }
        }
        set {
            checkIndex(i, j)
            makeUnique()
            storage.withPointer { newValue.store(into: cflint_mat_entry($0, i, j)) }
        }
    }

    /// Sets entry (i, j) to a word (the fast path for data read from files).
    public mutating func set(_ i: Int, _ j: Int, to value: Int64) {
        checkIndex(i, j)
        makeUnique()
        storage.withPointer { cflint_set_si(cflint_mat_entry($0, i, j), Int(value)) }
    }

    /// Row i.
    public func row(_ i: Int) -> [BigInt] {
        (0 ..< columnCount).map { self[i, $0] }
    }

    /// The rows.
    public var rows: [[BigInt]] { (0 ..< rowCount).map { row($0) } }

    /// The matrix of the given columns, in that order.
    public func selectingColumns(_ selected: [Int]) -> IntegerMatrix {
        let result = IntegerMatrix(rows: rowCount, columns: selected.count)
        storage.withPointer { a in
            result.storage.withPointer { b in
                for i in 0 ..< rowCount {
                    for (k, j) in selected.enumerated() {
                        precondition(j >= 0 && j < columnCount, "column \(j) out of range")
                        fmpz_set(cflint_mat_entry(b, i, k), cflint_mat_entry(a, i, j))
                    }
                }
            }
        }
        return result
    }

    /// The matrix of the given rows, in that order.
    public func selectingRows(_ selected: [Int]) -> IntegerMatrix {
        let result = IntegerMatrix(rows: selected.count, columns: columnCount)
        storage.withPointer { a in
            result.storage.withPointer { b in
                for (k, i) in selected.enumerated() {
                    precondition(i >= 0 && i < rowCount, "row \(i) out of range")
                    for j in 0 ..< columnCount { fmpz_set(cflint_mat_entry(b, k, j), cflint_mat_entry(a, i, j)) }
                }
            }
        }
        return result
    }

    /// The transpose.
    public var transposed: IntegerMatrix {
        let result = IntegerMatrix(rows: columnCount, columns: rowCount)
        storage.withPointer { a in result.storage.withPointer { fmpz_mat_transpose($0, a) } }
        return result
    }

    @inline(__always)
    private func checkIndex(_ i: Int, _ j: Int) {
        precondition(i >= 0 && i < rowCount && j >= 0 && j < columnCount,
                     "index (\(i), \(j)) outside a \(rowCount) x \(columnCount) matrix")
    }

    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }
}

extension IntegerMatrix: Equatable {
    public static func == (lhs: IntegerMatrix, rhs: IntegerMatrix) -> Bool {
        guard lhs.rowCount == rhs.rowCount && lhs.columnCount == rhs.columnCount else { return false }
        return lhs.storage.withPointer { a in rhs.storage.withPointer { b in fmpz_mat_equal(a, b) != 0 } }
    }
}

// MARK: - Storage

/// Owns one FLINT matrix (`fmpz_mat_t`): initialised on creation, cleared in
/// `deinit`; C pointers to it are handed out only inside `withPointer`.
///
/// Mutated only when uniquely referenced (see `IntegerMatrix.makeUnique`), so
/// sending it between threads is safe.
final class FMPZMatrixStorage: @unchecked Sendable {
    private let handle: UnsafeMutablePointer<fmpz_mat_struct>

    init(rows: Int, columns: Int) {
        handle = .allocate(capacity: 1)
        fmpz_mat_init(handle, rows, columns)
    }

    private init(copying other: FMPZMatrixStorage) {
        handle = .allocate(capacity: 1)
        fmpz_mat_init_set(handle, other.handle)
    }

    deinit {
        fmpz_mat_clear(handle)
        handle.deallocate()
    }

    func copy() -> FMPZMatrixStorage { FMPZMatrixStorage(copying: self) }

    @inline(__always)
    func withPointer<R, E: Error>(_ body: (UnsafeMutablePointer<fmpz_mat_struct>) throws(E) -> R) throws(E) -> R {
        try body(handle)
    }
}

// MARK: - BigInt <-> fmpz

extension BigInt {
    /// The value of a FLINT integer.
    init(flint f: UnsafePointer<fmpz>) {
        if cflint_fits_si(f) != 0 {
            self.init(Int64(cflint_get_si(f)))
            return
        }
        let count = cflint_word_count(f)
        let negative = cflint_sgn(f) < 0
        self = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { words in
            cflint_get_words(words.baseAddress!, count, f)
            return BigInt(magnitudeWords: UnsafeBufferPointer(words), negative: negative)
        }
    }

    /// Writes the value into a FLINT integer.
    func store(into f: UnsafeMutablePointer<fmpz>) {
        if let small = int64Value {
            cflint_set_si(f, Int(small))
            return
        }
        withMagnitudeWords { words, sign in
            cflint_set_words(f, words.baseAddress!, words.count, sign == .negative ? 1 : 0)
        }
    }
}
