/// Exact linear algebra over the integers without fractions.
///
/// Bareiss's fraction-free elimination (E. H. Bareiss, "Sylvester's identity and
/// multistep integer-preserving Gaussian elimination", Math. Comp. 22, 1968):
/// after step k every entry is a k×k minor of the input, so all divisions are
/// exact and entries stay bounded by Hadamard's bound instead of growing
/// exponentially.
public enum FractionFreeElimination {
    /// The row echelon form of an integer matrix (rows of equal length), its rank
    /// and pivot columns.
    ///
    /// - Complexity: O(r · c · min(r, c)) integer operations on minors.
    public static func echelon(_ matrix: [[BigInt]]) -> (rows: [[BigInt]], rank: Int, pivots: [Int]) {
        var a = matrix
        let rows = a.count, columns = a.first?.count ?? 0
        var previous = BigInt(1)
        var pivots: [Int] = []
        var r = 0
        for c in 0 ..< columns where r < rows {
            guard let p = (r ..< rows).first(where: { !a[$0][c].isZero }) else { continue }
            if p != r { a.swapAt(p, r) }
            for i in r + 1 ..< rows {
                for j in c + 1 ..< columns {
                    // Sylvester's identity: the new entry is a minor, so the division is exact.
                    a[i][j] = (a[r][c] * a[i][j] - a[i][c] * a[r][j]).exactQuotient(dividingBy: previous)
                }
                a[i][c] = 0
            }
            previous = a[r][c]
            pivots.append(c)
            r += 1
        }
        return (a, r, pivots)
    }

    /// A basis of the integer null space {x : M x = 0}: one primitive integer vector
    /// per free column (that column's entry positive), found by exact back substitution.
    public static func nullSpace(_ matrix: [[BigInt]], columns: Int) -> [[BigInt]] {
        if matrix.isEmpty { return (0 ..< columns).map { j in (0 ..< columns).map { $0 == j ? BigInt(1) : BigInt(0) } } }
        let (rows, rank, pivots) = echelon(matrix)
        let free = (0 ..< columns).filter { !pivots.contains($0) }
        return free.map { f in
            var x = [Rational](repeating: Rational(), count: columns)
            x[f] = 1
            for i in stride(from: rank - 1, through: 0, by: -1) {
                let c = pivots[i]
                var s = Rational()
                for j in c + 1 ..< columns where !x[j].isZero { s += Rational(rows[i][j]) * x[j] }
                x[c] = -s / Rational(rows[i][c])
            }
            // Clear denominators and common factors: a primitive integer vector.
            let l = Rational.commonDenominator(of: x)
            var integers = x.map { $0.scaled(by: l) }
            var g = BigInt(0)
            for v in integers { g = BigInt.gcd(g, v) }
            if g > 1 { integers = integers.map { $0.exactQuotient(dividingBy: g) } }
            return integers
        }
    }
}
