import Crypto

// MARK: - Separation-number claims (docs/formats.md, sections 5.3 and 6)
//
// The checker re-derives everything from the data with code of its own: the cuts a hyperplane
// can make (below), the differently labeled pairs, the undominated cuts, the CNF byte for byte
// (compared by SHA-256), the witness's hyperplanes on every pair, and the DRAT proof (DRAT.swift).
//
// The cuts. A cut is the set of points where a neuron 1[w·x + b >= 0] fires; every cut is made
// by a hyperplane through no point (shift b by half the least negative value), so the cuts are
// the strict sign patterns of affine functions on the points. Every such pattern comes from a
// hyperplane H through d affinely independent points, tilted slightly: off H the side of H, on H
// any strict pattern of the points of H inside H (docs/formats.md, 5.3, gives the proof, an
// extreme ray of the cone of separating (w, b)). In the plane, the points on a line are split
// "first j along the line on one side, the rest on the other"; in space, the points on a plane
// are split like points in the plane. This code lists exactly that, plainly: every pair (d = 2)
// or every non-collinear triple (d = 3), with no attempt to meet a hyperplane only once.
//
// Predicates use homogeneous integer coordinates h = (D, a_1, ..., a_d) for x = a / D, D > 0:
// the side of x is the sign of a determinant of such rows (each row scaled by its positive D,
// which keeps the sign), and positions along a line are exact rationals.

enum SeparationNumberCheck {
    /// The most points the checker derives cuts for, per dimension (the producer's limits).
    static let pointLimits = [1: 2_000, 2: 150, 3: 40]

    static func check(_ claims: SeparationNumberClaims, _ data: LabeledPoints, proof: UnsafeBufferPointer<UInt8>?,
                      _ checks: inout [String]) throws(ClaimFailure) {
        let n = data.count, d = data.dimension
        try LowerBoundCheck.expect("claims.n", claims.n, n, &checks)
        try LowerBoundCheck.expect("claims.d", claims.d, d, &checks)
        try LowerBoundCheck.expect("claims.classes", claims.classes, Int(data.labels.max()! + 1), &checks)
        var pairs: [(Int, Int)] = []
        for i in 0 ..< n { for j in i + 1 ..< n where data.labels[i] != data.labels[j] { pairs.append((i, j)) } }
        try LowerBoundCheck.expect("claims.pairs", claims.pairs, pairs.count, &checks)

        // n − 1 parallel hyperplanes between consecutive points along a direction no two points share
        // separate every pair, so a larger claim fails at once (before any work that grows with it).
        if claims.minimum > max(n - 1, 0) || claims.witness.count > max(n - 1, 0) {
            throw ClaimFailure("claims.minimum", "claims \(claims.minimum) hyperplanes (witness: \(claims.witness.count)), but n - 1 = \(n - 1) always suffice")
        }
        guard let limit = pointLimits[d], n <= limit else {
            throw ClaimFailure("claims.candidates", "the checker derives cuts only for d <= 3 and at most \(pointLimits[d] ?? 0) points in d = \(d) (n = \(n))")
        }
        let rows = (0 ..< n).map { data.exactRow($0) }
        // The cuts separating some pair, as the side without point 0, sorted (false before true, point 0 first).
        var cuts = Array(allCuts(rows, dimension: d)).filter { cut in pairs.contains { cut[$0.0] != cut[$0.1] } }
        cuts.sort { $0.lexicographicallyPrecedes($1) { !$0 && $1 } }
        try LowerBoundCheck.expect("claims.candidates", claims.candidates, cuts.count, &checks)

        try witness(claims, data, pairs)
        checks.append("claims.witness")

        if let encoding = claims.encoding {
            let separated = cuts.map { cut in pairs.map { cut[$0.0] != cut[$0.1] } }
            let kept = undominated(separated)
            try LowerBoundCheck.expect("claims.encoding.cuts", encoding.cuts, kept.count, &checks)
            let formula = cnf(kept.map { separated[$0] }, pairs: pairs.count, k: encoding.k)
            try LowerBoundCheck.expect("claims.encoding.variables", encoding.variables, formula.variables, &checks)
            try LowerBoundCheck.expect("claims.encoding.clauses", encoding.clauses, formula.clauses, &checks)
            let digest = SHA256.hash(data: formula.bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            try LowerBoundCheck.expect("claims.encoding.cnfSha256", encoding.cnfSha256, digest, &checks)
            guard let proof else { throw ClaimFailure("claims.provenBy", "no proof file") }
            do {
                _ = try formula.bytes.withUnsafeBufferPointer { cnf throws(DRATError) in try DRAT.check(formula: cnf, proof: proof) }
            } catch {
                throw ClaimFailure("claims.provenBy", "the proof does not refute the formula with k = \(encoding.k): \(error)")
            }
        } else if let bound = claims.bound {
            let value: Int
            switch bound {
            case .labels(let claimed):
                value = pairs.isEmpty ? 0 : 1
                try LowerBoundCheck.expect("claims.bound.firstLayerNeurons", claimed, value, &checks)
            case .curve(.circle(let neurons, let center, let r2, let origin, let basis, let changes, let order)):
                let actual = try LowerBoundCheck.circle(data, center: center, radiusSquared: r2, origin: origin, basis: basis, order: order,
                                                        name: "claims.bound")
                try LowerBoundCheck.expect("claims.bound.labelChanges", changes, actual, &checks)
                try LowerBoundCheck.expect("claims.bound.firstLayerNeurons", neurons, (actual + 1) / 2, &checks)
                value = neurons
            case .curve(.momentCurve(let neurons, let changes, let order, let parameters)):
                let actual = try LowerBoundCheck.momentCurve(data, order: order, parameters: parameters, name: "claims.bound")
                try LowerBoundCheck.expect("claims.bound.labelChanges", changes, actual, &checks)
                try LowerBoundCheck.expect("claims.bound.firstLayerNeurons", neurons, (actual + d - 1) / d, &checks)
                value = neurons
            case .curve:
                throw ClaimFailure("claims.bound", "only circle and moment-curve bounds prove a separation number")
            }
            checks.append("claims.bound")
            guard value == claims.minimum else {
                throw ClaimFailure("claims.provenBy", "the \(claims.provenBy) bound gives \(value), not the claimed minimum \(claims.minimum)")
            }
        }
        checks.append("claims.provenBy")
        checks.append("claims.minimum")
    }

    /// The witness has `minimum` hyperplanes and they give every differently labeled pair different codes.
    static func witness(_ claims: SeparationNumberClaims, _ data: LabeledPoints, _ pairs: [(Int, Int)]) throws(ClaimFailure) {
        guard claims.witness.count == claims.minimum else {
            throw ClaimFailure("claims.witness", "has \(claims.witness.count) hyperplanes, the claimed minimum is \(claims.minimum)")
        }
        // Code bit of point i: w·x + b >= 0, with x = a / D, decided as w·a + b·D >= 0 (D > 0).
        let codes = (0 ..< data.count).map { i in
            let row = data.exactRow(i)
            return claims.witness.map { h in
                var z = h.bias * Q(row[0])
                for k in 0 ..< data.dimension { z = z + h.weights[k] * Q(row[k + 1]) }
                return z.signum >= 0
            }
        }
        if let (i, j) = pairs.first(where: { codes[$0.0] == codes[$0.1] }) {
            throw ClaimFailure("claims.witness", "the points on lines \(data.lines[i]) and \(data.lines[j]) have different labels and the same code")
        }
    }

    // MARK: The cuts

    static func det3(_ m: [[Z]]) -> Z {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    }

    /// The cofactors c_k of the last row of a 4 × 4 matrix whose first three rows are `rows`:
    /// det(rows; y) = Σ_k c_k y_k.
    static func cofactors(_ rows: [[Z]]) -> [Z] {
        (0 ..< 4).map { k in
            let minor = rows.map { row in (0 ..< 4).filter { $0 != k }.map { row[$0] } }
            return k % 2 == 1 ? det3(minor) : -det3(minor)  // sign (−1)^(3 + k)
        }
    }

    static func dot(_ c: [Z], _ y: [Z]) -> Z { zip(c, y).reduce(Z(0)) { $0 + $1.0 * $1.1 } }

    /// x as rationals.
    static func point(_ row: [Z]) -> [Q] { row.dropFirst().map { Q($0, row[0]) } }

    /// The position of point x along the direction q − p: (q − p)·x, exact.
    static func position(_ p: [Z], _ q: [Z], _ x: [Z]) -> Q {
        let (pp, qq, xx) = (point(p), point(q), point(x))
        var s = Q(0)
        for k in 0 ..< pp.count { s = s + (qq[k] - pp[k]) * xx[k] }
        return s
    }

    /// Points on a line, in order along it: the first j on one side and the rest on the other,
    /// both ways, for j = 0...m. Returned as the sets of points on the positive side.
    static func lineCuts(_ ordered: [Int]) -> [[Int]] {
        var result: [[Int]] = []
        for j in 0 ... ordered.count {
            result.append(Array(ordered[j...]))
            result.append(Array(ordered[..<j]))
        }
        return result
    }

    /// Points of a plane: for every two of them, the line through them; the points strictly on
    /// each side, and the points on it split along it. `side(a, b, x)` is the side of x of the
    /// line through a and b in the plane; `along(a, b, x)` the position of x along it.
    static func planeCuts(_ members: [Int], side: (Int, Int, Int) -> Int, along: (Int, Int, Int) -> Q) -> [[Int]] {
        if members.count <= 1 { return [members, []] }
        var result: [[Int]] = []
        for (s, a) in members.enumerated() {
            for b in members[(s + 1)...] {
                var left: [Int] = [], right: [Int] = [], on: [Int] = []
                for x in members {
                    switch side(a, b, x) {
                    case 1: left.append(x)
                    case -1: right.append(x)
                    default: on.append(x)
                    }
                }
                let ordered = on.map { ($0, along(a, b, $0)) }.sorted { $0.1 < $1.1 }.map(\.0)
                for split in lineCuts(ordered) {
                    result.append(left + split)
                    result.append(right + split)
                }
            }
        }
        return result
    }

    /// Every cut of the points with homogeneous rows `rows`, as the side without point 0.
    static func allCuts(_ rows: [[Z]], dimension d: Int) -> Set<[Bool]> {
        let n = rows.count
        var positives: [[Int]] = []
        let everyone = Array(0 ..< n)
        func sign(_ z: Z) -> Int { z.signum }
        switch d {
        case 1:
            let ordered = everyone.sorted { Z.compare(rows[$0][1] * rows[$1][0], rows[$1][1] * rows[$0][0]) < 0 }
            positives = lineCuts(ordered)
        case 2:
            positives = planeCuts(everyone, side: { a, b, x in sign(det3([rows[a], rows[b], rows[x]])) },
                                  along: { a, b, x in position(rows[a], rows[b], rows[x]) })
        default:
            var anyPlane = false
            for a in 0 ..< n {
                for b in a + 1 ..< n {
                    for c in b + 1 ..< n {
                        let plane = cofactors([rows[a], rows[b], rows[c]])
                        if plane.allSatisfy({ $0.isZero }) { continue }  // a, b, c collinear
                        anyPlane = true
                        var above: [Int] = [], below: [Int] = [], on: [Int] = []
                        for x in 0 ..< n {
                            switch sign(dot(plane, rows[x])) {
                            case 1: above.append(x)
                            case -1: below.append(x)
                            default: on.append(x)
                            }
                        }
                        // A point off the plane among the origin and the unit points, to orient lines inside it.
                        let units: [[Z]] = (0 ..< 4).map { k in (0 ..< 4).map { Z($0 == 0 || $0 == k ? 1 : 0) } }
                        let outside = units.first { !dot(plane, $0).isZero }!
                        // In the plane, the side of x of the line through p and q: det(h_p; h_q; h_x; outside).
                        let inPlane = planeCuts(on, side: { p, q, x in sign(dot(cofactors([rows[p], rows[q], rows[x]]), outside)) },
                                                along: { p, q, x in position(rows[p], rows[q], rows[x]) })
                        for split in inPlane {
                            positives.append(above + split)
                            positives.append(below + split)
                        }
                    }
                }
            }
            if !anyPlane {  // all points on one line
                let ordered = n < 2 ? everyone : everyone.sorted { position(rows[0], rows[1], rows[$0]) < position(rows[0], rows[1], rows[$1]) }
                positives = lineCuts(ordered)
            }
        }
        var cuts = Set<[Bool]>()
        for positive in positives {
            var cut = [Bool](repeating: false, count: n)
            for i in positive { cut[i] = true }
            if n > 0 && cut[0] { cut = cut.map { !$0 } }
            cuts.insert(cut)
        }
        return cuts
    }

    // MARK: Dominance and the formula

    /// The indices of the cuts kept: no other separates a strict superset of their pairs, and
    /// none before them exactly the same pairs. Sets of pairs are packed 64 to a word; only a
    /// set with more pairs can strictly contain another.
    static func undominated(_ separated: [[Bool]]) -> [Int] {
        let packed: [[UInt64]] = separated.map { bits in
            var words = [UInt64](repeating: 0, count: (bits.count + 63) / 64)
            for (p, bit) in bits.enumerated() where bit { words[p / 64] |= 1 << UInt64(p % 64) }
            return words
        }
        let sizes = packed.map { $0.reduce(0) { $0 + $1.nonzeroBitCount } }
        func subset(_ a: Int, _ b: Int) -> Bool { zip(packed[a], packed[b]).allSatisfy { $0 & ~$1 == 0 } }
        let largestFirst = separated.indices.sorted { sizes[$0] > sizes[$1] }
        var kept: [Int] = []
        for c in separated.indices {
            var dominated = false
            for o in largestFirst {
                if sizes[o] < sizes[c] { break }
                if o != c && subset(c, o) && (sizes[o] > sizes[c] || o < c) {
                    dominated = true
                    break
                }
            }
            if !dominated { kept.append(c) }
        }
        return kept
    }

    /// The cover formula of docs/formats.md, 5.3: a clause per pair over the kept cuts separating
    /// it, then Σ x <= k by Sinz's sequential counter (units ¬x for k = 0; nothing for k >= m).
    static func cnf(_ kept: [[Bool]], pairs: Int, k: Int) -> (bytes: [UInt8], variables: Int, clauses: Int) {
        let m = kept.count
        var clauses: [[Int]] = (0 ..< pairs).map { p in (0 ..< m).filter { kept[$0][p] }.map { $0 + 1 } }
        var variables = m
        if k == 0 {
            clauses += (0 ..< m).map { [-($0 + 1)] }
        } else if k < m {
            variables = m + (m - 1) * k
            let s = { (i: Int, j: Int) in m + (i - 1) * k + j }
            clauses.append([-1, s(1, 1)])
            if k >= 2 { for j in 2 ... k { clauses.append([-s(1, j)]) } }
            if m >= 3 {
                for i in 2 ... m - 1 {
                    clauses.append([-i, s(i, 1)])
                    clauses.append([-s(i - 1, 1), s(i, 1)])
                    if k >= 2 {
                        for j in 2 ... k {
                            clauses.append([-i, -s(i - 1, j - 1), s(i, j)])
                            clauses.append([-s(i - 1, j), s(i, j)])
                        }
                    }
                    clauses.append([-i, -s(i - 1, k)])
                }
            }
            clauses.append([-m, -s(m - 1, k)])
        }
        var text = "p cnf \(variables) \(clauses.count)\n"
        for clause in clauses { text += clause.map { "\($0) " }.joined() + "0\n" }
        return (Array(text.utf8), variables, clauses.count)
    }
}
