internal import CFLINT
import ExactArithmetic
import TextFormats

// MARK: - One kernel vector by one nonsingular solve

extension IntegerMatrix {
    /// One nonzero vector of the null space {w : M w = 0}, chosen by prescribing it
    /// on the free columns, as a primitive integer vector checked exactly.
    ///
    /// Let P be the pivot columns of M modulo p (`ModularElimination.pivotColumns`)
    /// and F the other columns. When M has full row rank modulo p, M_P is square and
    /// nonsingular (its determinant is nonzero modulo p, hence nonzero), so for any
    /// values f on F there is exactly one kernel vector with w_F = f: w_P solves
    /// M_P w_P = -M_F f. FLINT solves that system exactly (`fmpz_mat_solve`: p-adic
    /// lifting after Dixon, "Exact solution of linear equations using p-adic
    /// expansions", Numer. Math. 40, 1982, for large systems; fraction-free LU
    /// for small ones) as X / den; the result is den · (f, X) divided by its
    /// content, signed so that w_F = λ f with λ > 0. Every kernel vector arises this
    /// way (w is determined by w_F), so random f give a random-looking kernel vector.
    ///
    /// Exactness: M w = 0 is then checked with memcert's own GMP arithmetic
    /// (`times`), independent of FLINT; a failure is a broken promise and throws.
    /// The check costs one product, O(r · c) word-by-bignum multiplications,
    /// a small fraction of the solve.
    ///
    /// - Parameter free: one value per column; only the values on non-pivot columns are used.
    /// - Returns: nil when the rows are dependent modulo p (always so when they are
    ///   dependent over Q; see `ModularElimination` for the other case) or when
    ///   `free` is 0 on every non-pivot column.
    /// - Complexity: one modular row reduction, O(r² c) word operations, plus the
    ///   solve: about r³ word operations and O(r² · b) for solutions of b bits.
    public func kernelVector(free: [Int64]) throws(InternalError) -> [BigInt]? {
        precondition(free.count == columnCount, "\(free.count) free values for \(columnCount) columns")
        let pivots = ModularElimination.pivotColumns(of: self)
        if pivots.count < rowCount { return nil }
        var isPivot = [Bool](repeating: false, count: columnCount)
        for j in pivots { isPivot[j] = true }
        let freeColumns = (0 ..< columnCount).filter { !isPivot[$0] && free[$0] != 0 }
        if freeColumns.isEmpty { return nil }
        let r = rowCount
        if r == 0 {
            // No condition: w is f itself, made primitive.
            var g = BigInt(0)
            for v in free { g = BigInt.gcd(g, BigInt(v)) }
            return free.map { BigInt($0).exactQuotient(dividingBy: g) }
        }
        var vector = [BigInt](repeating: 0, count: columnCount)
        try storage.withPointer { (m) throws(InternalError) in
            // A = M_P and B = -M_F f, in FLINT.
            let a = FMPZMatrixStorage(rows: r, columns: r)
            let b = FMPZMatrixStorage(rows: r, columns: 1)
            let x = FMPZMatrixStorage(rows: r, columns: 1)
            a.withPointer { a in
                b.withPointer { b in
                    for i in 0 ..< r {
                        for (k, j) in pivots.enumerated() { fmpz_set(cflint_mat_entry(a, i, k), cflint_mat_entry(m, i, j)) }
                        let bi = cflint_mat_entry(b, i, 0)
                        for j in freeColumns { fmpz_submul_si(bi, cflint_mat_entry(m, i, j), Int(free[j])) }
                    }
                }
            }
            // Scratch FLINT integers: den, content, product.
            try withFLINTIntegers(3) { (t) throws(InternalError) in
                let den = t, content = t + 1, scratch = t + 2
                let solved = a.withPointer { a in b.withPointer { b in x.withPointer { x in fmpz_mat_solve(x, den, a, b) } } }
                guard solved != 0, cflint_sgn(den) != 0 else {
                    throw InternalError("FLINT reports a singular \(r) x \(r) system whose determinant is nonzero modulo \(ModularElimination.prime)")
                }
                // w = den · f on F, X on P, then divided by its content.
                x.withPointer { x in
                    for k in 0 ..< r { fmpz_gcd(content, content, cflint_mat_entry(x, k, 0)) }
                    for j in freeColumns {
                        fmpz_mul_si(scratch, den, Int(free[j]))
                        fmpz_gcd(content, content, scratch)
                    }
                    if cflint_sgn(den) < 0 { fmpz_neg(content, content) }  // so that w_F = λ f with λ > 0
                    for (k, j) in pivots.enumerated() {
                        fmpz_divexact(scratch, cflint_mat_entry(x, k, 0), content)
                        vector[j] = BigInt(flint: scratch)
                    }
                    for j in freeColumns {
                        fmpz_mul_si(scratch, den, Int(free[j]))
                        fmpz_divexact(scratch, scratch, content)
                        vector[j] = BigInt(flint: scratch)
                    }
                }
            }
        }
        guard times(vector).allSatisfy(\.isZero) else {
            throw InternalError("the kernel vector FLINT computed for a \(r) x \(columnCount) matrix fails its exact check M w = 0")
        }
        return vector
    }
}

/// Runs `body` with `count` FLINT integers, initialised to 0 and cleared afterwards.
func withFLINTIntegers<R, E: Error>(_ count: Int, _ body: (UnsafeMutablePointer<fmpz>) throws(E) -> R) throws(E) -> R {
    let integers = UnsafeMutablePointer<fmpz>.allocate(capacity: count)
    for k in 0 ..< count { fmpz_init(integers + k) }
    defer {
        for k in 0 ..< count { fmpz_clear(integers + k) }
        integers.deallocate()
    }
    return try body(integers)
}
