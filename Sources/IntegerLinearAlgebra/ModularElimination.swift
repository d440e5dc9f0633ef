internal import CFLINT
import ExactArithmetic

// MARK: - Rank and pivots modulo a prime

/// Row reduction modulo one fixed prime p, for ranks and pivot choices of large
/// integer matrices at word cost (FLINT's `nmod_mat_rref`).
///
/// Reducing modulo p never raises the rank: a nonzero minor modulo p is a nonzero
/// minor over Z. So the rank modulo p is a lower bound of the rank over Q, and
/// columns (rows) independent modulo p are independent over Q. The bound is
/// strict only when p divides every maximal nonzero minor, which for p > 2^59 and
/// matrices from real data does not happen in practice; callers must stay correct
/// when it does (memcert only uses it to choose, never to conclude).
public enum ModularElimination {
    /// p: the least prime above 2^59 (FLINT's preferred modulus size for word matrices).
    public static let prime: UInt64 = UInt64(n_nextprime(UInt(1) << 59, 1))

    /// The pivot columns modulo p (the columns independent modulo p of the columns
    /// before them), in increasing order; their number is the rank modulo p.
    ///
    /// - Complexity: O(r · c · min(r, c)) word operations (asymptotically faster
    ///   inside FLINT); memory r · c words.
    public static func pivotColumns(of matrix: IntegerMatrix) -> [Int] {
        if matrix.rowCount == 0 || matrix.columnCount == 0 { return [] }
        return withReduction(of: matrix) { reduced in
            let rank = Int(nmod_mat_rref(reduced))
            var pivots: [Int] = []
            pivots.reserveCapacity(rank)
            var j = 0
            for i in 0 ..< rank {
                while cflint_nmod_entry(reduced, i, j) == 0 { j += 1 }
                pivots.append(j)
                j += 1
            }
            return pivots
        }
    }

    /// The rows independent modulo p of the rows before them, in increasing order:
    /// the pivot columns of the transpose.
    public static func independentRows(of matrix: IntegerMatrix) -> [Int] {
        pivotColumns(of: matrix.transposed)
    }

    /// The rank modulo p.
    public static func rank(of matrix: IntegerMatrix) -> Int {
        if matrix.rowCount == 0 || matrix.columnCount == 0 { return 0 }
        return withReduction(of: matrix) { Int(nmod_mat_rank($0)) }
    }

    /// Runs `body` on the matrix reduced modulo p (a scratch copy).
    static func withReduction<R>(of matrix: IntegerMatrix, _ body: (UnsafeMutablePointer<nmod_mat_struct>) -> R) -> R {
        let reduced = UnsafeMutablePointer<nmod_mat_struct>.allocate(capacity: 1)
        nmod_mat_init(reduced, matrix.rowCount, matrix.columnCount, mp_limb_t(prime))
        defer {
            nmod_mat_clear(reduced)
            reduced.deallocate()
        }
        matrix.storage.withPointer { fmpz_mat_get_nmod_mat(reduced, $0) }
        return body(reduced)
    }
}

// MARK: - A row space modulo p

/// The span modulo `ModularElimination.prime` of the rows added so far, kept as the
/// nonzero rows of a reduced row echelon form (at most `dimension` of them).
struct ModularRowSpace: Sendable {
    let dimension: Int
    /// The echelon rows, row-major.
    private(set) var basis: [UInt64] = []
    private(set) var rank = 0

    init(dimension: Int) { self.dimension = dimension }

    /// Adds `count` rows, the k-th written by `fill(k, row)`, and reduces.
    ///
    /// - Complexity: one `nmod_mat_rref` of (rank + count) x dimension words.
    mutating func add(count: Int, _ fill: (Int, UnsafeMutablePointer<mp_limb_t>) -> Void) {
        let d = dimension
        let matrix = UnsafeMutablePointer<nmod_mat_struct>.allocate(capacity: 1)
        nmod_mat_init(matrix, rank + count, d, mp_limb_t(ModularElimination.prime))
        defer {
            nmod_mat_clear(matrix)
            matrix.deallocate()
        }
        for i in 0 ..< rank {
            let row = matrix.pointee.rows[i]!
            for j in 0 ..< d { row[j] = mp_limb_t(basis[i * d + j]) }
        }
        for k in 0 ..< count { fill(k, matrix.pointee.rows[rank + k]!) }
        // Reduced row echelon form: the first `rank` rows (through FLINT's row pointers) span every row so far.
        rank = Int(nmod_mat_rref(matrix))
        basis = [UInt64](repeating: 0, count: rank * d)
        for i in 0 ..< rank {
            let row = matrix.pointee.rows[i]!
            for j in 0 ..< d { basis[i * d + j] = UInt64(row[j]) }
        }
    }

    /// Adds the rows of another space over the same prime and dimension.
    mutating func add(_ other: ModularRowSpace) {
        let d = dimension
        other.basis.withUnsafeBufferPointer { rows in
            add(count: other.rank) { k, row in
                for j in 0 ..< d { row[j] = mp_limb_t(rows[k * d + j]) }
            }
        }
    }
}
