internal import CFLINT
import ExactArithmetic
import TextFormats
import WorkSharing

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
    /// The points are split in one stretch per core; each reduces its differences in
    /// blocks of max(4d, 4096) rows against the echelon basis of the rows before them,
    /// and the bases are merged at the end. Memory stays O(d · max(d, 1024)) words
    /// per core for any n.
    ///
    /// - Complexity: O(n · d · r) word operations for hull dimension r.
    public func affineDimensionModPrime() -> Int {
        if count == 0 { return -1 }
        let d = dimension
        if count == 1 || d == 0 { return 0 }
        let block = max(4 * d, 4096)
        let stretch = max(block, (count - 1 + Parallel.workerCount - 1) / Parallel.workerCount)
        let parts = Parallel.mapChunks(count: count - 1, chunkSize: stretch) { range -> ModularRowSpace in
            var space = ModularRowSpace(dimension: d)
            var next = range.lowerBound + 1  // differences x_k - x_0 for k in 1 ..< count
            while next <= range.upperBound && space.rank < d {
                let end = min(range.upperBound + 1, next + block)
                space.add(count: end - next) { offset, row in self.writeDifferenceModPrime(next + offset, into: row) }
                next = end
            }
            return space
        }
        var total = parts[0]
        for part in parts.dropFirst() where total.rank < d { total.add(part) }
        return total.rank
    }

    /// Writes (x_k - x_0) D_k D_0 reduced modulo p (the row of `differenceMatrix`
    /// before its content is removed) into `row`.
    func writeDifferenceModPrime(_ k: Int, into row: UnsafeMutablePointer<mp_limb_t>) {
        let p = ModularElimination.prime
        let d = dimension
        let done = withWordPoint(k) { x, dk in
            withWordPoint(0) { o, d0 -> Bool in
                for j in 0 ..< d { row[j] = mp_limb_t(Self.residue(Int128(x[j]) * Int128(d0) - Int128(o[j]) * Int128(dk), p)) }
                return true
            }
        }
        if done == true { return }
        let a = scaledPoint(k), b = scaledPoint(0)
        let modulus = BigInt(p)
        for j in 0 ..< d {
            let difference = a.numerators[j] * b.denominator - b.numerators[j] * a.denominator
            let r = difference.flooredQuotientAndRemainder(dividingBy: modulus).remainder
            row[j] = mp_limb_t(UInt64(r.int64Value!))  // 0 <= r < p < 2^63
        }
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
