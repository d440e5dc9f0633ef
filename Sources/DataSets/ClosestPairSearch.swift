import ExactArithmetic
import WorkSharing

/// Exact closest pair by hash grids of growing cell size with a float filter.
struct ClosestPairSearch {
    enum Outcome {
        case found(Rational, (Int, Int))
        /// Estimates only: candidate pairs and seconds (doubles, so no estimate can overflow).
        case tooExpensive(pairs: Double, seconds: Double)
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
        let specialPairs = Double(special.count) * Double(n)
        if specialPairs * 100 > Double(workBudget) {
            return .tooExpensive(pairs: specialPairs, seconds: specialPairs / 1e7)
        }

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
        // The estimates steer the search; the budget is enforced by the clock as well, since a
        // step can run far past its estimate (hash lookups that miss the cache, a loaded machine).
        let deadline: ContinuousClock.Instant? = workBudget >= Int.max / 2 ? nil : start + .nanoseconds(workBudget)
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
                return .tooExpensive(pairs: bestPairs, seconds: bestCost * slowdown / 1e9)
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
            guard let found = pairsWithin(r, grid: grid, deadline: deadline) else {
                let spent = start.duration(to: .now) / .nanoseconds(1)
                return .tooExpensive(pairs: bestPairs, seconds: Swift.max(spent, bestCost * slowdown) / 1e9)
            }
            candidates = found
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

    /// Candidate pairs (i < j) in neighbouring cells whose estimated distance may be below r,
    /// or nil when the clock passed `deadline` first (checked every 64 points).
    func pairsWithin(_ r: Double, grid: NeighborGrid, deadline: ContinuousClock.Instant? = nil) -> [(Int, Int)]? {
        let n = points.count, d = dimension
        let filter = SquaredDistanceFilter(dimension: d)
        let r2 = r * r
        let parts = approximations.withUnsafeBufferPointer { a -> [[(Int, Int)]?] in
            let all = SharedBuffer(readOnly: a)
            return Parallel.mapChunks(count: n, chunkSize: 4096) { range -> [(Int, Int)]? in
                var found: [(Int, Int)] = []
                for i in range where approximable[i] {
                    if let deadline, i % 64 == 0, ContinuousClock.now > deadline { return nil }
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
        var all: [(Int, Int)] = []
        for part in parts {
            guard let part else { return nil }
            all += part
        }
        return all
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
        if best == nil {
            // No candidate survived the filter (impossible with finite estimates); stay total:
            // every pair exactly, unfiltered.
            for i in 0 ..< points.count {
                for j in i + 1 ..< points.count {
                    let exact = points.squaredDistance(i, j)
                    if best == nil || exact < best! { best = exact; bestPair = (i, j) }
                }
            }
        }
        return .found(best ?? Rational(), bestPair)
    }
}
