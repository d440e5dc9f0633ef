internal import CFLINT
import ExactArithmetic
import TextFormats

// MARK: - Differences of points as integer rows

extension RationalPoints {
    /// The matrix whose row k is the primitive integer multiple of x_{others[k]} - x_origin
    /// with the sign of the difference: a positive multiple, so it has the same null
    /// space as the differences themselves, with the smallest entries.
    ///
    /// Word points (X/D, X and D in words) give X_k D_0 - X_0 D_k formed exactly
    /// in 128 bits; other points go through `BigInt`. Each row is then divided by
    /// the gcd of its entries.
    ///
    /// - Complexity: O(k · d) plus one gcd pass per row.
    public func differenceMatrix(origin: Int, others: some Collection<Int>) -> IntegerMatrix {
        var matrix = IntegerMatrix(rows: others.count, columns: dimension)
        let d = dimension
        for (row, k) in others.enumerated() {
            let done = withWordPoint(k) { x, dk in
                withWordPoint(origin) { o, d0 -> Bool in
                    for j in 0 ..< d {
                        let v = Int128(x[j]) * Int128(d0) - Int128(o[j]) * Int128(dk)
                        if let word = Int64(exactly: v) { matrix.set(row, j, to: word) } else { matrix[row, j] = BigInt(v) }
                    }
                    return true
                }
            }
            if done == true { continue }
            let p = scaledPoint(k), q = scaledPoint(origin)
            for j in 0 ..< d { matrix[row, j] = p.numerators[j] * q.denominator - q.numerators[j] * p.denominator }
        }
        matrix.divideRowsByContent()
        return matrix
    }

    /// For each coordinate j, whether it differs between two points (false for every
    /// j when there are fewer than two points).
    ///
    /// - Complexity: O(n · d).
    public func varyingCoordinates() -> [Bool] {
        var varying = [Bool](repeating: false, count: dimension)
        guard count > 1 else { return varying }
        let first = scaledPoint(0)
        for i in 1 ..< count {
            let done = withWordPoint(i) { x, di in
                withWordPoint(0) { o, d0 -> Bool in
                    for j in 0 ..< dimension where !varying[j] && Int128(x[j]) * Int128(d0) != Int128(o[j]) * Int128(di) {
                        varying[j] = true
                    }
                    return true
                }
            }
            if done == true { continue }
            let p = scaledPoint(i)
            for j in 0 ..< dimension where !varying[j] && p.numerators[j] * first.denominator != first.numerators[j] * p.denominator {
                varying[j] = true
            }
        }
        return varying
    }

    /// The dimension of the affine hull of the points (0 for one point, -1 for none),
    /// modulo `ModularElimination.prime`: the rank modulo p of the differences
    /// x_i - x_0, a lower bound of the true dimension and equal to it unless p
    /// divides every maximal nonzero minor (see `ModularElimination`).
    ///
    /// The rows are reduced in blocks of max(4d, 4096) against the echelon basis of
    /// the rows before them, so memory stays O(d · max(d, 1024)) words for any n.
    ///
    /// - Complexity: O(n · d · r) word operations for hull dimension r.
    public func affineDimensionModPrime() -> Int {
        if count == 0 { return -1 }
        let d = dimension
        if count == 1 || d == 0 { return 0 }
        let block = max(4 * d, 4096)
        let p = ModularElimination.prime
        var basis: [UInt64] = []  // the echelon rows so far, row-major
        var rank = 0
        var next = 1
        while next < count && rank < d {
            let end = min(count, next + block)
            let rows = rank + (end - next)
            let matrix = UnsafeMutablePointer<nmod_mat_struct>.allocate(capacity: 1)
            nmod_mat_init(matrix, rows, d, mp_limb_t(p))
            defer {
                nmod_mat_clear(matrix)
                matrix.deallocate()
            }
            for i in 0 ..< rank {
                let row = matrix.pointee.rows[i]!
                for j in 0 ..< d { row[j] = mp_limb_t(basis[i * d + j]) }
            }
            // The new differences modulo p (scaled as in differenceMatrix).
            for (offset, k) in (next ..< end).enumerated() {
                let row = matrix.pointee.rows[rank + offset]!
                let done = withWordPoint(k) { x, dk in
                    withWordPoint(0) { o, d0 -> Bool in
                        for j in 0 ..< d {
                            row[j] = mp_limb_t(Self.residue(Int128(x[j]) * Int128(d0) - Int128(o[j]) * Int128(dk), p))
                        }
                        return true
                    }
                }
                if done == true { continue }
                let a = scaledPoint(k), b = scaledPoint(0)
                let modulus = BigInt(p)
                for j in 0 ..< d {
                    let difference = a.numerators[j] * b.denominator - b.numerators[j] * a.denominator
                    let r = difference.flooredQuotientAndRemainder(dividingBy: modulus).remainder
                    row[j] = mp_limb_t(UInt64(r.int64Value!))  // 0 <= r < p < 2^63
                }
            }
            // Reduced row echelon form: its first `rank` rows span every row so far.
            rank = Int(nmod_mat_rref(matrix))
            basis = [UInt64](repeating: 0, count: rank * d)
            for i in 0 ..< rank {
                let row = matrix.pointee.rows[i]!
                for j in 0 ..< d { basis[i * d + j] = UInt64(row[j]) }
            }
            next = end
        }
        return rank
    }

    /// v mod p in 0 ..< p.
    @inline(__always)
    static func residue(_ v: Int128, _ p: UInt64) -> UInt64 {
        if let w = Int64(exactly: v) {
            let r = w % Int64(p)
            return UInt64(r < 0 ? r + Int64(p) : r)
        }
        let r = v % Int128(p)
        return UInt64(r < 0 ? r + Int128(p) : r)
    }

    /// A hyperplane w·x = c through the points at `indices`, for use as a
    /// separating hyperplane. The points may be affinely dependent: w is a kernel
    /// vector (`IntegerMatrix.kernelVector(free:)`) of the differences to the first
    /// point that are independent modulo p, checked exactly to be orthogonal to every
    /// difference, and c = w·x_{indices[0]} exactly; so every listed point satisfies
    /// w·x = c exactly.
    ///
    /// - Parameter independent: the rows of `differenceMatrix(origin: indices[0],
    ///   others: indices.dropFirst())` to solve with, when the caller knows them to be
    ///   independent modulo p and to span the others; nil to find them here
    ///   (`ModularElimination.independentRows`).
    /// - Returns: nil when the kernel vector is not orthogonal to some difference
    ///   outside the solved rows (a dependency modulo p that does not hold over Q), or
    ///   `free` is 0 on every column left free (see `IntegerMatrix.kernelVector`).
    public func hyperplane(through indices: [Int], free: [Int64], independent: [Int]? = nil)
        throws(InternalError) -> (normal: [BigInt], offset: Rational)? {
        precondition(!indices.isEmpty, "a hyperplane through no point")
        let origin = indices[0]
        let differences = differenceMatrix(origin: origin, others: indices.dropFirst())
        let rows = independent ?? ModularElimination.independentRows(of: differences)
        let solved = rows.count == differences.rowCount ? differences : differences.selectingRows(rows)
        guard let normal = try solved.kernelVector(free: free) else { return nil }
        if rows.count < differences.rowCount && !differences.times(normal).allSatisfy({ $0.isZero }) { return nil }
        let x = scaledPoint(origin)
        var sum = IntegerAccumulator()
        for j in 0 ..< dimension where !normal[j].isZero { sum.add(normal[j], times: x.numerators[j]) }
        return (normal, Rational(sum.value, x.denominator))
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
