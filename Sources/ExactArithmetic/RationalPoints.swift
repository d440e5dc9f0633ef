/// A list of points of Q^d, stored compactly for exact evaluation.
///
/// Point i is kept as integers (X_i1, ..., X_id) over one positive common
/// denominator D_i, the least common multiple of its coordinates' canonical
/// denominators. That form is unique, so equal points have identical storage.
/// When every X_ij and D_i fit in `Int64` they are stored in flat word arrays
/// (no per-point allocation); otherwise the point is kept as `BigInt`s.
public struct RationalPoints: Sendable {
    /// The dimension d.
    public let dimension: Int
    /// The number of points.
    public private(set) var count: Int = 0

    @usableFromInline var numerators: [Int64] = []
    /// D_i > 0 for word points; 0 marks a point stored in `bigPoints`.
    @usableFromInline var denominators: [Int64] = []
    var bigPoints: [Int: ScaledPoint] = [:]

    /// Integer coordinates over a common positive denominator.
    public struct ScaledPoint: Sendable, Hashable {
        public var numerators: [BigInt]
        public var denominator: BigInt
    }

    public init(dimension: Int) {
        precondition(dimension >= 0, "negative dimension")
        self.dimension = dimension
    }

    /// Reserves storage for `capacity` points.
    public mutating func reserveCapacity(_ capacity: Int) {
        numerators.reserveCapacity(capacity * dimension)
        denominators.reserveCapacity(capacity)
    }

    // MARK: - Appending

    /// Appends one point.
    ///
    /// - Precondition: `coordinates.count == dimension`.
    public mutating func append(_ coordinates: some Collection<Rational>) {
        precondition(coordinates.count == dimension, "point has \(coordinates.count) coordinates, expected \(dimension)")
        if appendWords(coordinates) { return }
        let common = Rational.commonDenominator(of: coordinates)
        let scaled = coordinates.map { $0.scaled(by: common) }
        bigPoints[count] = ScaledPoint(numerators: scaled, denominator: common)
        numerators.append(contentsOf: repeatElement(0, count: dimension))
        denominators.append(0)
        count += 1
    }

    /// Appends the point (X_1, ..., X_d) / D given in words, D > 0, reducing it
    /// to the canonical form (dividing by gcd(D, X_1, ..., X_d)).
    public mutating func append(scaledNumerators x: some Collection<Int64>, denominator: Int64) {
        precondition(x.count == dimension && denominator > 0, "bad scaled point")
        var g = UInt64(denominator)
        for v in x where g != 1 { g = WordArithmetic.gcd(g, v.magnitude) }
        let divisor = Int64(g)
        for v in x { numerators.append(v / divisor) }
        denominators.append(denominator / divisor)
        count += 1
    }

    /// Tries the word form; returns false (appending nothing) when it does not fit.
    private mutating func appendWords(_ coordinates: some Collection<Rational>) -> Bool {
        var common: Int64 = 1
        for x in coordinates {
            guard let q = x.denominator.int64Value, x.numerator.int64Value != nil else { return false }
            if common % q != 0 {
                let g = Int64(WordArithmetic.gcd(UInt64(common), UInt64(q)))
                let (l, overflow) = (common / g).multipliedReportingOverflow(by: q)
                if overflow { return false }
                common = l
            }
        }
        let start = numerators.count
        for x in coordinates {
            let (scaled, overflow) = x.numerator.int64Value!.multipliedReportingOverflow(by: common / x.denominator.int64Value!)
            if overflow {
                numerators.removeSubrange(start...)
                return false
            }
            numerators.append(scaled)
        }
        denominators.append(common)
        count += 1
        return true
    }

    /// Appends every point of `other` (same dimension).
    public mutating func append(contentsOf other: RationalPoints) {
        precondition(other.dimension == dimension, "dimension mismatch")
        for (index, point) in other.bigPoints { bigPoints[count + index] = point }
        numerators.append(contentsOf: other.numerators)
        denominators.append(contentsOf: other.denominators)
        count += other.count
    }

    /// The points at `indices`, in that order.
    public func subset(_ indices: some Sequence<Int>) -> RationalPoints {
        var result = RationalPoints(dimension: dimension)
        for i in indices {
            if denominators[i] == 0 {
                result.bigPoints[result.count] = bigPoints[i]!
                result.numerators.append(contentsOf: repeatElement(0, count: dimension))
            } else {
                result.numerators.append(contentsOf: numerators[i * dimension ..< (i + 1) * dimension])
            }
            result.denominators.append(denominators[i])
            result.count += 1
        }
        return result
    }

    // MARK: - Access

    /// Coordinate j of point i, canonical.
    public func coordinate(_ i: Int, _ j: Int) -> Rational {
        if denominators[i] != 0 {
            return Rational(Int(numerators[i * dimension + j]), Int(denominators[i]))
        }
        let point = bigPoints[i]!
        return Rational(point.numerators[j], point.denominator)
    }

    /// Point i as canonical rationals.
    public func point(_ i: Int) -> [Rational] {
        (0 ..< dimension).map { coordinate(i, $0) }
    }

    /// Point i as integers over its common denominator.
    public func scaledPoint(_ i: Int) -> ScaledPoint {
        if denominators[i] == 0 { return bigPoints[i]! }
        return ScaledPoint(numerators: numerators[i * dimension ..< (i + 1) * dimension].map { BigInt($0) },
                           denominator: BigInt(denominators[i]))
    }

    /// True when point i is stored in machine words.
    @inlinable
    public func isWordPoint(_ i: Int) -> Bool { denominators[i] != 0 }

    /// Calls `body` with point i's word numerators and denominator; nil for a big point.
    @inlinable
    public func withWordPoint<R>(_ i: Int, _ body: (UnsafeBufferPointer<Int64>, Int64) throws -> R) rethrows -> R? {
        let d = denominators[i]
        if d == 0 { return nil }
        return try numerators.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[i * dimension ..< (i + 1) * dimension]), d)
        }
    }

    /// Writes approximations x̂_ij with |x_ij - x̂_ij| <= ρ|x̂_ij| (ρ = 2^-50) into
    /// `output` and returns max_j |x̂_ij|; nil when some coordinate is outside the
    /// range `DotProductFilter` accepts (the caller then decides exactly).
    public func approximate(_ i: Int, into output: UnsafeMutableBufferPointer<Double>) -> Double? {
        var maxAbs = 0.0
        let d = denominators[i]
        if d != 0 {
            // fl(fl(X)/fl(D)) for words: relative error < 3.01u (see Rational.approximation).
            let scale = Double(d)
            let base = i * dimension
            numerators.withUnsafeBufferPointer { all in
                for j in 0 ..< dimension {
                    let value = Double(all[base + j]) / scale
                    output[j] = value
                    maxAbs = Swift.max(maxAbs, Swift.abs(value))
                }
            }
            return maxAbs
        }
        let point = bigPoints[i]!
        for j in 0 ..< dimension {
            guard let value = Rational(point.numerators[j], point.denominator).approximation,
                  DotProductFilter.accepts(value) else { return nil }
            output[j] = value
            maxAbs = Swift.max(maxAbs, Swift.abs(value))
        }
        return maxAbs
    }

    // MARK: - Equality and hashing of stored points

    /// True when points i and j are equal.
    public func pointsEqual(_ i: Int, _ j: Int) -> Bool {
        let di = denominators[i], dj = denominators[j]
        if di != dj { return false }
        if di == 0 { return bigPoints[i]! == bigPoints[j]! }
        return numerators.withUnsafeBufferPointer { all in
            for k in 0 ..< dimension where all[i * dimension + k] != all[j * dimension + k] { return false }
            return true
        }
    }

    /// A hash of point i consistent with `pointsEqual`.
    public func pointHash(_ i: Int) -> Int {
        let d = denominators[i]
        if d == 0 {
            var hasher = Hasher()
            hasher.combine(bigPoints[i]!)
            return hasher.finalize()
        }
        // A multiply-xorshift mix over the words (fast, and seeded per process by Hasher).
        var h = UInt64(bitPattern: d) &* 0x9E37_79B9_7F4A_7C15
        numerators.withUnsafeBufferPointer { all in
            for k in 0 ..< dimension {
                h = (h ^ UInt64(bitPattern: all[i * dimension + k])) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 31
            }
        }
        var hasher = Hasher()
        hasher.combine(h)
        return hasher.finalize()
    }

    // MARK: - Exact geometry helpers

    /// ‖x_i‖², exact.
    public func squaredNorm(_ i: Int) -> Rational {
        var sum = IntegerAccumulator()
        let p = scaledPoint(i)
        for x in p.numerators { sum.add(x, times: x) }
        return Rational(sum.value, p.denominator * p.denominator)
    }

    /// ‖x_i - x_j‖², exact.
    public func squaredDistance(_ i: Int, _ j: Int) -> Rational {
        if let result = withWordPoint(i, { a, da in
            withWordPoint(j, { b, db -> Rational in
                // (a/da - b/db)² summed: Σ (a db - b da)² / (da db)².
                var sum = IntegerAccumulator()
                var exact = true
                for k in 0 ..< dimension {
                    let (x, o1) = a[k].multipliedReportingOverflow(by: db)
                    let (y, o2) = b[k].multipliedReportingOverflow(by: da)
                    let (diff, o3) = x.subtractingReportingOverflow(y)
                    if o1 || o2 || o3 { exact = false; break }
                    sum.add(diff, times: diff)
                }
                if !exact { return Rational(-1) }
                let dd = BigInt(da) * BigInt(db)
                return Rational(sum.value, dd * dd)
            })
        }), let value = result, value.sign != .negative {
            return value
        }
        let p = scaledPoint(i), q = scaledPoint(j)
        var sum = IntegerAccumulator()
        for k in 0 ..< dimension {
            let diff = p.numerators[k] * q.denominator - q.numerators[k] * p.denominator
            sum.add(diff, times: diff)
        }
        let dd = p.denominator * q.denominator
        return Rational(sum.value, dd * dd)
    }
}
