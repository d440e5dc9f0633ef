// MARK: - Lower-bound claims (docs/formats.md, sections 5.2 and 6)
//
// Circle and moment-curve witnesses are checked in O(n) memory: the claimed
// order is checked to be a permutation of the points' lines (a bitmap) and to be
// sorted (one pass), never recomputed by sorting and never compared against all
// rotations. Every claimed count is bounded by what n allows before any binomial
// sum or power is computed.

enum LowerBoundCheck {
    static func check(_ claims: LowerBoundClaims, _ data: LabeledPoints, _ checks: inout [String]) throws(ClaimFailure) {
        let n = data.count, d = data.dimension
        try expect("claims.n", claims.n, n, &checks)
        try expect("claims.d", claims.d, d, &checks)
        try expect("claims.classes", claims.classes, Int(data.labels.max()! + 1), &checks)
        var best = Set(data.labels).count > 1 ? 1 : 0
        for (i, bound) in claims.bounds.enumerated() {
            let name = "claims.bounds[\(i)]"
            switch bound {
            case let .circle(neurons, center, r2, origin, basis, changes, order):
                let actual = try circle(data, center: center, radiusSquared: r2, origin: origin, basis: basis, order: order, name: name)
                try expect("\(name).labelChanges", changes, actual, &checks)
                try expect("\(name).firstLayerNeurons", neurons, (actual + 1) / 2, &checks)
                best = max(best, neurons)
            case let .momentCurve(neurons, changes, order, parameters):
                let actual = try momentCurve(data, order: order, parameters: parameters, name: name)
                try expect("\(name).labelChanges", changes, actual, &checks)
                try expect("\(name).firstLayerNeurons", neurons, (actual + d - 1) / d, &checks)
                best = max(best, neurons)
            case let .distinctCodes(k, at, below):
                try distinctCodes(n: n, d: d, k: k, at: at, below: below, name: name, &checks)
            case let .counting(w, neurons):
                try counting(n: n, w: w, neurons: neurons, name: name)
                checks.append("\(name).weights")
            }
            checks.append(name)
        }
        try expect("claims.best", claims.best, best, &checks)
    }

    static func expect(_ name: String, _ claimed: Int, _ actual: Int, _ checks: inout [String]) throws(ClaimFailure) {
        if claimed != actual { throw ClaimFailure(name, "the certificate says \(claimed), the files give \(actual)") }
        checks.append(name)
    }

    static func expect(_ name: String, _ claimed: String, _ actual: String, _ checks: inout [String]) throws(ClaimFailure) {
        if claimed != actual { throw ClaimFailure(name, "the certificate says \(claimed), the files give \(actual)") }
        checks.append(name)
    }

    /// The point index of every line in `order` when it is a permutation of the points' lines (lines increase with the index).
    static func permutation(_ order: [Int], _ data: LabeledPoints, _ name: String) throws(ClaimFailure) -> [Int] {
        var seen = [Bool](repeating: false, count: data.count)
        var result: [Int] = []
        result.reserveCapacity(order.count)
        for line in order {
            var lo = 0, hi = data.count  // binary search: lines are increasing
            while lo < hi {
                let mid = (lo + hi) / 2
                if data.lines[mid] < line { lo = mid + 1 } else { hi = mid }
            }
            guard lo < data.count, data.lines[lo] == line else { throw ClaimFailure(name, "line \(line) holds no point of the data") }
            guard !seen[lo] else { throw ClaimFailure(name, "line \(line) appears twice") }
            seen[lo] = true
            result.append(lo)
        }
        guard result.count == data.count else { throw ClaimFailure(name, "lists \(result.count) points, the data has \(data.count)") }
        return result
    }

    // MARK: Circle

    /// Checks the circle witness and the cyclic order; returns the label changes around the circle.
    static func circle(_ data: LabeledPoints, center: [Q], radiusSquared r2: Q, origin: [Q], basis: [[Q]], order: [Int], name: String) throws(ClaimFailure) -> Int {
        let n = data.count, d = data.dimension
        guard d >= 2, n >= 3 else { throw ClaimFailure(name, "a circle bound needs dimension at least 2 and at least 3 points") }
        func dot(_ a: [Q], _ b: [Q]) -> Q { zip(a, b).reduce(Q(0)) { $0 + $1.0 * $1.1 } }
        let u = basis[0], v = basis[1]
        let uu = dot(u, u), uv = dot(u, v), vv = dot(v, v)
        let det = uu * vv - uv * uv
        if det.isZero { throw ClaimFailure("\(name).planeBasis", "the two rows are not independent: they span no plane") }
        /// Plane coordinates (α, β) of y − o when y lies in the plane o + span(u, v), else nil.
        func planar(_ y: [Q]) -> (Q, Q)? {
            let w = zip(y, origin).map { $0 - $1 }
            let a = dot(u, w), b = dot(v, w)
            let alpha = (vv * a - uv * b) / det, beta = (uu * b - uv * a) / det
            for k in 0 ..< d where !(w[k] == alpha * u[k] + beta * v[k]) { return nil }
            return (alpha, beta)
        }
        guard let c = planar(center) else { throw ClaimFailure("\(name).center", "the centre is not in the plane of planeOrigin and planeBasis") }
        var directions: [(Q, Q)] = []
        directions.reserveCapacity(n)
        for i in 0 ..< n {
            let x = (0 ..< d).map { data.coordinate(i, $0) }
            guard let p = planar(x) else { throw ClaimFailure(name, "the point on line \(data.lines[i]) is not in the plane of the circle") }
            let offset = zip(x, center).map { $0 - $1 }
            guard dot(offset, offset) == r2 else {
                throw ClaimFailure(name, "the point on line \(data.lines[i]) is not at squared distance \(r2) from the centre")
            }
            directions.append((p.0 - c.0, p.1 - c.1))
        }
        let sequence = try permutation(order, data, "\(name).cyclicOrderLines")
        // "p before q" in counterclockwise order from the positive first axis.
        func upper(_ p: (Q, Q)) -> Bool { p.1.signum > 0 || (p.1.isZero && p.0.signum > 0) }
        func before(_ p: (Q, Q), _ q: (Q, Q)) -> Bool {
            if upper(p) != upper(q) { return upper(p) }
            return (p.0 * q.1 - p.1 * q.0).signum > 0
        }
        var descents = 0
        for k in 0 ..< n where before(directions[sequence[(k + 1) % n]], directions[sequence[k]]) { descents += 1 }
        guard descents == 1 || descents == n - 1 else {
            throw ClaimFailure("\(name).cyclicOrderLines", "is not the order of the points around the circle")
        }
        var changes = 0
        for k in 0 ..< n where data.labels[sequence[k]] != data.labels[sequence[(k + 1) % n]] { changes += 1 }
        return changes
    }

    // MARK: Moment curve

    /// Checks that the points lie on t -> (t, ..., t^d) in the claimed order; returns the label changes along it.
    static func momentCurve(_ data: LabeledPoints, order: [Int], parameters: [String], name: String) throws(ClaimFailure) -> Int {
        let n = data.count, d = data.dimension
        for i in 0 ..< n {
            // x_k = a_k / D = (a_1 / D)^k  ⟺  a_k D^(k-1) = a_1^k.
            let row = data.exactRow(i)
            var power = row[1], scale = Z(1)
            for k in 2 ... max(2, d) where k <= d {
                power = power * row[1]
                scale = scale * row[0]
                if !(row[k] * scale == power) {
                    throw ClaimFailure(name, "the point on line \(data.lines[i]) is not on t -> (t, t², ..., t^\(d)) (coordinate \(k) is not t^\(k))")
                }
            }
        }
        let sequence = try permutation(order, data, "\(name).orderLines")
        for k in 0 ..< n where parameters[k] != data.coordinate(sequence[k], 0).description {
            throw ClaimFailure("\(name).parameters", "entry \(k) is \(parameters[k]), the point on line \(order[k]) has t = \(data.coordinate(sequence[k], 0))")
        }
        for k in 0 ..< n - 1 where !(data.coordinate(sequence[k], 0) < data.coordinate(sequence[k + 1], 0)) {
            throw ClaimFailure("\(name).orderLines", "is not in increasing t (lines \(order[k]) and \(order[k + 1]))")
        }
        var changes = 0
        for k in 0 ..< max(0, n - 1) where data.labels[sequence[k]] != data.labels[sequence[k + 1]] { changes += 1 }
        return changes
    }

    // MARK: Distinct codes

    /// Σ_{i=0}^{min(d,k)} C(k, i), stopping early (returning nil) once the sum reaches `stop`.
    static func regions(_ k: Int, _ d: Int, stop: Z? = nil) -> Z? {
        var term = Z(1), sum = Z(1)
        if let stop, !(sum < stop) { return nil }
        var i = 1
        while i <= min(d, k) {
            term = (term * Z(k - i + 1)).dividedExactly(by: Z(i))  // C(k, i) = C(k, i-1) (k - i + 1) / i
            sum = sum + term
            if let stop, !(sum < stop) { return nil }
            i += 1
        }
        return sum
    }

    static func distinctCodes(n: Int, d: Int, k: Int, at: String, below: String, name: String, _ checks: inout [String]) throws(ClaimFailure) {
        let field = "\(name).firstLayerNeurons"
        // K <= n: R(n) >= n + 1 > n for d >= 1 (R(k) >= k + 1), so the least K is at most n.
        guard k <= n else { throw ClaimFailure(field, "\(k) exceeds n = \(n), and K = n already gives more than n regions") }
        // R(K − 1) < n, summed only until it reaches n: every number stays below 2n.
        var belowValue = Z(0)
        if k > 0 {
            guard let b = regions(k - 1, d, stop: Z(n)) else {
                throw ClaimFailure(field, "\(k) is not the least K with Σ_{i<=\(d)} C(K, i) >= \(n): K - 1 already reaches it")
            }
            belowValue = b
        }
        // R(K) = R(K − 1) + Σ_{i<=d−1} C(K − 1, i) <= 2 R(K − 1) < 2n (Pascal's rule).
        let atValue = k == 0 ? Z(1) : belowValue + (d >= 1 ? regions(k - 1, d - 1)! : Z(0))
        guard !(atValue < Z(n)) else { throw ClaimFailure(field, "\(k) gives only \(atValue) regions, fewer than n = \(n)") }
        checks.append(field)
        try expect("\(name).regionsAtBound", at, atValue.description, &checks)
        try expect("\(name).regionsBelowBound", below, belowValue.description, &checks)
    }

    // MARK: Counting

    static func counting(n: Int, w: Int, neurons: Int, name: String) throws(ClaimFailure) {
        let field = "\(name).weights"
        // e_hi N >= 1457/536 > 2, so (e_hi N)^(2W) > 4^W >= 2^n once W >= n/2: the least W is at most ⌈n/2⌉.
        guard w <= (n + 1) / 2 + 1 else { throw ClaimFailure(field, "\(w) exceeds ⌈n/2⌉ + 1 = \((n + 1) / 2 + 1), and W = ⌈n/2⌉ always suffices") }
        // enough(W) ⟺ (1457 N)^(2W) >= 2^n · 536^(2W): numbers of at most about 75 (n + 4) bits.
        let p = Z(1457) * Z(neurons), q = Z(536), twoToN = Z(1).shiftedLeft(by: n)
        func enough(_ w: Int) -> Bool { !(p.power(2 * w) < twoToN * q.power(2 * w)) }
        guard enough(w) else { throw ClaimFailure(field, "(e_hi N)^(2W) < 2^n for W = \(w), N = \(neurons): W is too small") }
        if w > 0 && enough(w - 1) { throw ClaimFailure(field, "\(w) is not the least: W = \(w - 1) already has (e_hi N)^(2W) >= 2^n") }
    }
}
