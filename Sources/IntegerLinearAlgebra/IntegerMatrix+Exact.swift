internal import CFLINT
import ExactArithmetic

// MARK: - Exact rank and null space (FLINT)

extension IntegerMatrix {
    /// The rank over Q, exactly (FLINT's `fmpz_mat_rank`, fraction-free elimination).
    ///
    /// - Complexity: O(r · c · min(r, c)) operations on integers of up to the
    ///   Hadamard bound's size; for large matrices prefer `echelonModPrime`.
    public var rank: Int {
        storage.withPointer { Int(fmpz_mat_rank($0)) }
    }

    /// A basis of the null space {x : M x = 0} over Q: one primitive integer vector per
    /// non-pivot column of the reduced row echelon form (pivots are the leftmost
    /// columns independent of the columns before them), that column's entry positive
    /// and the other non-pivot entries 0. Empty when the columns are independent.
    ///
    /// This is the basis `FractionFreeElimination.nullSpace` returns, computed by
    /// FLINT's `fmpz_mat_nullspace` (reduced row echelon form, multimodular for
    /// large matrices).
    public var nullSpaceBasis: [[BigInt]] {
        if columnCount == 0 { return [] }
        let basis = FMPZMatrixStorage(rows: columnCount, columns: columnCount)
        let nullity = storage.withPointer { m in basis.withPointer { Int(fmpz_mat_nullspace($0, m)) } }
        return basis.withPointer { b in
            (0 ..< nullity).map { k in
                var vector = (0 ..< columnCount).map { BigInt(flint: cflint_mat_entry(b, $0, k)) }
                // Normalise: primitive, and positive at its non-pivot column (its last nonzero entry).
                var g = BigInt(0)
                for v in vector { g = BigInt.gcd(g, v) }
                let last = vector.lastIndex { !$0.isZero }!
                if vector[last].sign == .negative { g = -g }
                if g != 1 { vector = vector.map { $0.exactQuotient(dividingBy: g) } }
                return vector
            }
        }
    }

    /// M v, exactly, with memcert's own GMP arithmetic (independent of FLINT).
    ///
    /// - Precondition: `vector.count == columnCount`.
    public func times(_ vector: [BigInt]) -> [BigInt] {
        precondition(vector.count == columnCount, "vector of length \(vector.count) for \(columnCount) columns")
        return storage.withPointer { m in
            (0 ..< rowCount).map { i in
                var sum = IntegerAccumulator()
                for j in 0 ..< columnCount where !vector[j].isZero {
                    let entry = cflint_mat_entry(m, i, j)
                    if cflint_fits_si(entry) != 0 {
                        let a = Int64(cflint_get_si(entry))
                        if a != 0 { sum.add(BigInt(a), times: vector[j]) }
                    } else {
                        sum.add(BigInt(flint: entry), times: vector[j])
                    }
                }
                return sum.value
            }
        }
    }
}

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

    /// The rank modulo p and the pivot columns (the leftmost columns independent
    /// modulo p of the columns before them), in increasing order.
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
