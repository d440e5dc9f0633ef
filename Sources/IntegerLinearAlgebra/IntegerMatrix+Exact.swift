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

// MARK: - Row contents

extension IntegerMatrix {
    /// Divides every nonzero row by the gcd of its entries (making it primitive).
    public mutating func divideRowsByContent() {
        makeUnique()
        let columns = columnCount
        if columns == 0 { return }
        storage.withPointer { m in
            withFLINTIntegers(1) { g in
                for i in 0 ..< rowCount {
                    let row = cflint_mat_entry(m, i, 0)
                    _fmpz_vec_content(g, row, columns)
                    if fmpz_cmp_ui(g, 1) > 0 { _fmpz_vec_scalar_divexact_fmpz(row, row, columns, g) }
                }
            }
        }
    }
}
