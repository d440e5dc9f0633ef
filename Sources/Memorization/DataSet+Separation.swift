import ExactArithmetic
import WorkSharing

/// The separation of a data set, computed exactly (DESIGN section 1):
/// R = max ‖x_i‖ and δ = min_{i≠j} ‖x_i − x_j‖ / R, so δ² = minimum squared
/// distance / R², a rational number.
public struct Separation: Sendable {
    /// R², exact.
    public var radiusSquared: Rational
    /// The minimum squared distance and a pair attaining it, or nil when skipped or n < 2.
    public var minimumSquaredDistance: Rational?
    public var closestPair: (Int, Int)?
    /// Why the minimum distance was not computed, when it was not.
    public var skipped: String?
    /// True when every point has norm exactly R (the points lie on a sphere centred at 0).
    public var onCentredSphere: Bool

    /// δ² = min squared distance / R², exact.
    public var deltaSquared: Rational? {
        guard let m = minimumSquaredDistance, !radiusSquared.isZero else { return nil }
        return m / radiusSquared
    }

    /// δ for display, from the exact δ² (to `digits` decimals, correctly rounded
    /// from a square root computed with integers).
    public func deltaDecimal(digits: Int = 6) -> String? {
        guard let d2 = deltaSquared else { return nil }
        return Separation.squareRootDecimal(d2, digits: digits)
    }

    /// √q to `digits` decimals, rounded down (exact integer square root).
    public static func squareRootDecimal(_ q: Rational, digits: Int) -> String {
        let scale = BigInt.powerOfTen(2 * digits)
        // floor(sqrt(floor(y))) = floor(sqrt(y)) for y >= 0, so this is floor(sqrt(q) 10^digits).
        let scaled = (q.numerator * scale).quotientAndRemainder(dividingBy: q.denominator).quotient
        let root = scaled.integerSquareRoot
        return Rational(root, BigInt.powerOfTen(digits)).decimalString(fractionDigits: digits)
    }
}

extension DataSet {
    /// R², exact, and whether all points have that norm.
    public func radius() -> (squared: Rational, allEqual: Bool) {
        let parts = Parallel.mapChunks(count: count, chunkSize: 4096) { range -> (Rational, Bool) in
            var best = Rational(-1)
            var allEqual = true
            for i in range {
                let r = points.squaredNorm(i)
                if best.sign == .negative { best = r } else if r != best {
                    allEqual = false
                    if r > best { best = r }
                }
            }
            return (best, allEqual)
        }
        var best = parts[0].0
        var allEqual = parts[0].1
        for part in parts.dropFirst() {
            if part.0 != best { allEqual = false }
            if part.0 > best { best = part.0 }
            allEqual = allEqual && part.1
        }
        return (best, allEqual)
    }

    /// The exact separation. The minimum distance search uses a hash grid on a
    /// few high-variance axes with growing cell sizes; it is skipped (with the
    /// reason) when the estimated work of the steps taken and the next one would
    /// exceed `workBudget` (about that many nanoseconds).
    ///
    /// - Complexity: O(n · 3^g) grid work plus the candidate pairs, g <= 6.
    public func separation(workBudget: Int? = nil, allPairsLimit: Int = 12_000) -> Separation {
        // Default budget for the whole search: 1.2 s, or 15 µs per point for large sets, at most 10 s.
        let workBudget = workBudget ?? min(10_000_000_000, max(1_200_000_000, 15_000 * count))
        let (r2, onSphere) = count > 0 ? radius() : (Rational(), true)
        var result = Separation(radiusSquared: r2, minimumSquaredDistance: nil, closestPair: nil, skipped: nil,
                                onCentredSphere: onSphere)
        if count < 2 {
            result.skipped = "fewer than two points"
            return result
        }
        let search = ClosestPairSearch(points: points)
        switch search.run(workBudget: workBudget, allPairsLimit: allPairsLimit) {
        case .found(let value, let pair):
            result.minimumSquaredDistance = value
            result.closestPair = pair
        case .tooExpensive(let pairs, let seconds):
            result.skipped = "the exact closest-pair search would take about \(max(1, seconds)) s or more "
                + "(about \(pairs) candidate pairs for a grid this coarse); points this spread out leave a grid little to prune"
        }
        return result
    }
}

/// Exact closest pair by hash grids of growing cell size with a float filter.
struct ClosestPairSearch {
    enum Outcome {
        case found(Rational, (Int, Int))
        case tooExpensive(pairs: Int, seconds: Int)
    }

    let points: RationalPoints
    let dimension: Int
    /// Approximations, n × d; rows of points outside the filter's range are flagged.
    let approximations: [Double]
    let approximable: [Bool]

    init(points: RationalPoints) {
        self.points = points
        dimension = points.dimension
        let n = points.count, d = points.dimension
        var approximations = [Double](repeating: 0, count: n * d)
        var approximable = [Bool](repeating: true, count: n)
        approximations.withUnsafeMutableBufferPointer { buffer in
            let out = SharedBuffer(buffer)
            let flags = approximable.withUnsafeMutableBufferPointer { SharedBuffer($0) }
            Parallel.forEachChunk(count: n, chunkSize: 8192) { range in
                for i in range {
                    let row = UnsafeMutableBufferPointer(rebasing: out.base[i * d ..< (i + 1) * d])
                    flags[i] = points.approximate(i, into: row) != nil
                }
            }
        }
        self.approximations = approximations
        self.approximable = approximable
    }

    func run(workBudget: Int, allPairsLimit: Int) -> Outcome {
        let n = points.count, d = dimension
        // Points the filter cannot handle are compared exactly with everyone.
        let special = (0 ..< n).filter { !approximable[$0] }
        if special.count * n * 100 > workBudget { return .tooExpensive(pairs: special.count * n, seconds: special.count * n / 10_000_000) }

        // Few points: every pair, filtered, is cheaper than any grid.
        if n <= allPairsLimit && special.isEmpty { return exactMinimum(allPairsNearMinimum()) }

        // An upper bound on the minimum from a deterministic sample.
        let sampleSize = min(n, 1500)
        let sample = (0 ..< sampleSize).map { $0 * n / sampleSize }.filter { approximable[$0] }
        var sampleMin = Double.infinity
        approximations.withUnsafeBufferPointer { a in
            for x in 0 ..< sample.count {
                for y in x + 1 ..< sample.count {
                    let i = sample[x], j = sample[y]
                    var s = 0.0
                    for k in 0 ..< d { let t = a[i * d + k] - a[j * d + k]; s += t * t }
                    sampleMin = min(sampleMin, s)
                }
            }
        }
        if !sampleMin.isFinite || sampleMin == 0 { sampleMin = 1 }
        let sampleDistance = sampleMin.squareRoot()

        // Axes with the largest spread.
        var spread = [Double](repeating: 0, count: d)
        approximations.withUnsafeBufferPointer { a in
            for k in 0 ..< d {
                var lo = Double.infinity, hi = -Double.infinity
                for i in stride(from: 0, to: n, by: max(1, n / 4096)) where approximable[i] {
                    lo = min(lo, a[i * d + k])
                    hi = max(hi, a[i * d + k])
                }
                spread[k] = hi - lo
            }
        }
        let order = (0 ..< d).sorted { spread[$0] > spread[$1] }
        var largest = [Double](repeating: 0, count: d)
        approximations.withUnsafeBufferPointer { a in
            for i in 0 ..< n where approximable[i] {
                for k in 0 ..< d { largest[k] = max(largest[k], Swift.abs(a[i * d + k])) }
            }
        }

        var r = sampleDistance / 16
        var candidates: [(Int, Int)] = []
        var estimatedSoFar = 0.0, measuredSoFar = 0.0
        let start = ContinuousClock.now
        while n - special.count >= 2 {
            // Choose the number of axes (high-variance ones first, with coordinates below 1e8
            // cells so that cell indices are computed reliably) by the estimated work: grid
            // probes (3^g hash lookups per point) against candidate pairs (early-exit distances),
            // in rough nanoseconds, measured on a subsample.
            let usable = order.filter { largest[$0] / r < 1e8 }.prefix(NeighborGrid.maximumAxes)
            let sampleStep = max(1, n / 20_000)
            let sampleIDs = stride(from: 0, to: n, by: sampleStep).filter { approximable[$0] }
            var bestAxes: [Int] = []
            var bestCost = Double.infinity
            var bestPairs = 0.0
            for g in 0 ... usable.count {
                let axes = Array(usable.prefix(g))
                var probe = NeighborGrid(axes: axes, cellSize: r)
                approximations.withUnsafeBufferPointer { a in
                    for (k, i) in sampleIDs.enumerated() {
                        probe.insert(k, approximation: UnsafeBufferPointer(rebasing: a[i * d ..< (i + 1) * d]))
                    }
                }
                var found = 0, queries = 0
                approximations.withUnsafeBufferPointer { a in
                    for i in stride(from: 0, to: sampleIDs.count, by: max(1, sampleIDs.count / 1000)) {
                        let id = sampleIDs[i]
                        queries += 1
                        probe.forEachCandidate(near: UnsafeBufferPointer(rebasing: a[id * d ..< (id + 1) * d])) { _ in
                            found += 1
                            return true
                        }
                    }
                }
                var probes = 1.0
                for _ in axes { probes *= 3 }
                let pairs = Double(n) * Double(found) / Double(max(1, queries)) * Double(sampleStep) / 2
                // Calibrated on this machine: ~30 ns a probe, ~12 ns a pair (each is met from both sides).
                let cost = Double(n) * probes * 30 + pairs * 12
                if cost < bestCost {
                    bestCost = cost
                    bestAxes = axes
                    bestPairs = pairs
                }
            }
            // The cost model is calibrated on cache-resident data; correct it by how far the
            // steps so far ran over their estimates (large sets miss the cache).
            let elapsed = start.duration(to: .now) / .nanoseconds(1)
            let slowdown = estimatedSoFar > 1e8 ? Swift.max(1, measuredSoFar / estimatedSoFar) : 1
            if elapsed + bestCost * slowdown > Double(workBudget) {
                return .tooExpensive(pairs: Int(bestPairs), seconds: Int(bestCost * slowdown / 1e9))
            }
            estimatedSoFar += bestCost
            let axes = bestAxes
            var grid = NeighborGrid(axes: axes, cellSize: r)
            approximations.withUnsafeBufferPointer { a in
                for i in 0 ..< n {
                    grid.insert(i, approximation: UnsafeBufferPointer(rebasing: a[i * d ..< (i + 1) * d]))
                }
            }
            let stepStart = ContinuousClock.now
            candidates = pairsWithin(r, grid: grid)
            measuredSoFar += stepStart.duration(to: .now) / .nanoseconds(1)
            // The grid captures every pair whose approximations differ by at most r(1 - 1e-6)
            // on each axis (cell indices are floor(fl(x / r)), off by at most u |x| / r < 1e-7).
            // Pairs within distance √U of each other differ by at most √U + 2ρM there.
            let upper = upperBound(candidates)
            let maxAxis = axes.map { largest[$0] }.max() ?? 0
            let needed = (upper.squareRoot() + 2 * Rational.approximationRelativeError * maxAxis) / (1 - 1e-6)
            if upper.isFinite && needed <= r { break }
            // Candidates found but not yet certified: grow just enough to certify them.
            // Otherwise grow by 1.25: work grows steeply with r, and overshooting the minimum
            // distance can cost far more than one more step.
            r = upper.isFinite ? max(needed * 1.001, r * 1.001) : r * 1.25
        }
        for s in special { for j in 0 ..< n where j != s { candidates.append((min(s, j), max(s, j))) } }
        return exactMinimum(candidates)
    }

    /// Candidate pairs (i < j) in neighbouring cells whose estimated distance may be below r.
    func pairsWithin(_ r: Double, grid: NeighborGrid) -> [(Int, Int)] {
        let n = points.count, d = dimension
        let filter = SquaredDistanceFilter(dimension: d)
        let r2 = r * r
        let parts = approximations.withUnsafeBufferPointer { a -> [[(Int, Int)]] in
            let all = SharedBuffer(readOnly: a)
            return Parallel.mapChunks(count: n, chunkSize: 4096) { range in
                var found: [(Int, Int)] = []
                for i in range where approximable[i] {
                    let x = all[i * d ..< (i + 1) * d]
                    grid.forEachCandidate(near: x) { j in
                        if j > i && approximable[j] {
                            let y = all[j * d ..< (j + 1) * d]
                            if filter.mayBeBelow(r2, x, y) { found.append((i, j)) }
                        }
                        return true
                    }
                }
                return found
            }
        }
        return parts.flatMap { $0 }
    }

    /// Every pair whose filtered lower bound does not exceed the least filtered upper bound
    /// (which contains every pair at the minimum distance), in two parallel passes.
    func allPairsNearMinimum() -> [(Int, Int)] {
        let n = points.count, d = dimension
        let filter = SquaredDistanceFilter(dimension: d)
        return approximations.withUnsafeBufferPointer { a -> [(Int, Int)] in
            let all = SharedBuffer(readOnly: a)
            @Sendable func row(_ i: Int) -> UnsafeBufferPointer<Double> { all[i * d ..< (i + 1) * d] }
            // Pass 1: the least upper bound ŝ + E.
            let uppers = Parallel.mapChunks(count: n, chunkSize: 64) { range -> Double in
                var best = Double.infinity
                for i in range {
                    for j in i + 1 ..< n where filter.mayBeBelow(best, row(i), row(j)) {
                        let (s, e) = filter.estimate(row(i), row(j))
                        best = min(best, s + e)
                    }
                }
                return best
            }
            let upper = uppers.min() ?? .infinity
            // Pass 2: every pair whose lower bound ŝ - E is at most that.
            let threshold = upper.nextUp
            return Parallel.mapChunks(count: n, chunkSize: 64) { range -> [(Int, Int)] in
                var found: [(Int, Int)] = []
                for i in range {
                    for j in i + 1 ..< n where filter.mayBeBelow(threshold, row(i), row(j)) { found.append((i, j)) }
                }
                return found
            }.flatMap { $0 }
        }
    }

    /// The least upper bound ŝ + E over candidate pairs (infinity when there are none).
    func upperBound(_ candidates: [(Int, Int)]) -> Double {
        let d = dimension
        let filter = SquaredDistanceFilter(dimension: d)
        var upper = Double.infinity
        approximations.withUnsafeBufferPointer { a in
            for (i, j) in candidates {
                let (s, e) = filter.estimate(UnsafeBufferPointer(rebasing: a[i * d ..< (i + 1) * d]),
                                             UnsafeBufferPointer(rebasing: a[j * d ..< (j + 1) * d]))
                upper = min(upper, s + e)
            }
        }
        return upper
    }

    /// The exact minimum over candidate pairs, filtering with interval bounds first.
    func exactMinimum(_ candidates: [(Int, Int)]) -> Outcome {
        let d = dimension
        let filter = SquaredDistanceFilter(dimension: d)
        var bounds: [(lo: Double, hi: Double)] = []
        bounds.reserveCapacity(candidates.count)
        var upper = Double.infinity
        approximations.withUnsafeBufferPointer { a in
            for (i, j) in candidates {
                if approximable[i] && approximable[j] {
                    let (s, e) = filter.estimate(UnsafeBufferPointer(rebasing: a[i * d ..< (i + 1) * d]),
                                                 UnsafeBufferPointer(rebasing: a[j * d ..< (j + 1) * d]))
                    bounds.append((s - e, s + e))
                    upper = min(upper, s + e)
                } else {
                    bounds.append((-Double.infinity, Double.infinity))
                }
            }
        }
        var best: Rational?
        var bestPair = (0, 0)
        for (k, (i, j)) in candidates.enumerated() where bounds[k].lo <= upper {
            let exact = points.squaredDistance(i, j)
            if best == nil || exact < best! || (exact == best! && (i, j) < bestPair) {
                best = exact
                bestPair = (i, j)
            }
        }
        return .found(best!, bestPair)
    }
}
