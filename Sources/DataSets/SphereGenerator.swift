import ExactArithmetic
import TextFormats
import WorkSharing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How sphere points are placed.
public enum SphereLayout: String, Sendable, CaseIterable {
    /// Uniform random points, each kept only if it is at least δ from all kept points.
    case uniform
    /// Points in close pairs: each second point lies between δ and 1.25 δ from the one before
    /// it (and at least δ from all others), so that the data set's minimum distance is close to δ.
    case pairs
}

/// A request for points on the unit sphere S^{d-1}.
public struct SphereRequest: Sendable {
    public var count: Int
    public var dimension: Int
    public var delta: Rational
    public var labels: LabelScheme
    public var seed: UInt64
    public var layout: SphereLayout

    public init(count: Int, dimension: Int, delta: Rational, labels: LabelScheme = .random, seed: UInt64 = 1,
                layout: SphereLayout = .uniform) {
        self.count = count
        self.dimension = dimension
        self.delta = delta
        self.labels = labels
        self.seed = seed
        self.layout = layout
    }
}

extension Generators {
    /// n points exactly on the unit sphere with pairwise distances >= δ, checked exactly.
    ///
    /// Each point is a uniform random direction, mapped by stereographic
    /// projection (from the pole farther away, so |t| <= 1) to t in R^{d-1},
    /// rounded to a dyadic T / 2^p, and mapped back exactly:
    /// x = (2T 2^p, ±(4^p - |T|²)) / (|T|² + 4^p), which has ‖x‖ = 1 exactly.
    /// Candidates closer than δ to a kept point are rejected (random sequential
    /// addition). Requests that cannot fit (the cap-packing bound) or would take
    /// too long are refused with the reason.
    public static func sphere(_ request: SphereRequest) throws(RequestError) -> DataSet {
        var generator = try SphereSampler(request)
        return try generator.run()
    }
}

/// The state of one sphere generation.
struct SphereSampler {
    let request: SphereRequest
    let n: Int, d: Int
    let deltaSquared: Rational
    /// δ² rounded outward for the filter: certainly <= δ² and certainly >= δ².
    let deltaSquaredLow: Double, deltaSquaredHigh: Double
    let bits: Int
    var rng: SeededRandom
    var points: RationalPoints
    var approximations: [Double] = []
    var grid: NeighborGrid
    let filter: SquaredDistanceFilter

    init(_ request: SphereRequest) throws(RequestError) {
        self.request = request
        n = request.count
        d = request.dimension
        guard n >= 1 && n <= 50_000_000 else { throw RequestError("--n must be between 1 and 50000000") }
        guard d >= 1 && d <= 4096 else { throw RequestError("--dim must be between 1 and 4096") }
        guard request.delta.sign == .positive else { throw RequestError("--delta must be positive") }
        // The points (n·d words and their doubles), the grid, the labels, and the CSV text
        // (each coordinate a p/q of up to 2 × 19 digits), before anything is allocated.
        try MemoryBudget.require(MemoryBudget.sum(MemoryBudget.product(n, d, 16 + 42), MemoryBudget.product(n, 160)),
                                 for: "\(n) points in dimension \(d) and their CSV text (about 58·n·d bytes)")
        deltaSquared = request.delta * request.delta
        // δ² rounded outward for the filter. Below the range of doubles (δ² < 2^-1000, where
        // `approximation` is nil) 0 and 2^-990 still bound it from below and above.
        if let approx = deltaSquared.approximation {
            deltaSquaredLow = approx * (1 - 4 * Rational.approximationRelativeError)
            deltaSquaredHigh = approx * (1 + 4 * Rational.approximationRelativeError)
        } else {
            deltaSquaredLow = 0
            deltaSquaredHigh = deltaSquared < Rational(1) ? 0x1p-990 : .greatestFiniteMagnitude
        }
        let delta = request.delta.approximation ?? 0
        if n >= 2 && deltaSquared > Rational(4) {
            throw RequestError("two points of the unit sphere are at most 2 apart, so --delta \(request.delta) admits only one point")
        }
        if request.layout == .pairs && n >= 2 && 1.25 * delta > 2 {
            throw RequestError("--layout pairs places partners up to 1.25 δ apart, which must be at most 2; use --delta <= 1.6")
        }
        // Partners are placed between δ and 1.25 δ, which the dyadic rounding (about 2^-p, p <= 30) cannot resolve
        // when δ is tiny.
        if request.layout == .pairs && n >= 2 && deltaSquared < Rational(1, 1 << 40) {
            throw RequestError("--layout pairs needs --delta >= 2^-20 (about 1e-6): partners between δ and 1.25 δ "
                               + "are placed on a grid of about 2^-30; use --layout uniform for smaller δ")
        }
        if d == 1 && n > 2 { throw RequestError("the unit sphere in dimension 1 has only two points, -1 and 1") }
        // Cap packing: caps of angular radius asin(δ/2) around the points are disjoint.
        if d >= 2 && n >= 2 {
            let fraction = SphereSampler.capFraction(dimension: d, angle: asin(min(1, delta / 2)))
            let bound = 1 / fraction
            if Double(n) > bound {
                throw RequestError("infeasible: caps of angular radius asin(δ/2) around the points cannot overlap, "
                                   + "so at most about \(bound.scientificText(digits: 2)) points with distance >= \(request.delta) fit on S^\(d - 1)")
            }
            if Double(n) > 0.5 * bound && d <= 3 || Double(n) > 0.2 * bound && d > 3 {
                throw RequestError("random placement would take unreasonably long: \(n) points need \((100 * Double(n) / bound).integerText)% "
                                   + "of the packing bound (about \(bound.scientificText(digits: 2)) points), beyond what random sequential addition reaches; "
                                   + "use fewer points or a smaller --delta")
            }
        }
        // Stereographic precision: rounding moves a point by about 2^-p, far below δ,
        // while |T|² + 4^p stays in a word.
        let maxBits = max(8, (61 - Int(log2(Double(max(d, 2))).rounded(.up))) / 2)
        bits = min(maxBits, max(16, Int(log2(1 / max(delta, 1e-300)).rounded(.up)) + 12))
        rng = SeededRandom(seed: request.seed, stream: RandomStream.points)
        points = RationalPoints(dimension: d)
        points.reserveCapacity(n)
        approximations.reserveCapacity(n * d)
        filter = SquaredDistanceFilter(dimension: d)
        grid = NeighborGrid(axes: [], cellSize: 1)
        grid = try planGrid(delta: delta)
    }

    /// The fraction of S^{d-1} within angle α of a point: ∫_0^α sin^{d-2} / ∫_0^π sin^{d-2}
    /// (Simpson's rule in log space; an estimate used only to refuse requests).
    static func capFraction(dimension d: Int, angle alpha: Double) -> Double {
        func integral(_ upper: Double) -> Double {
            let steps = 4000
            let h = upper / Double(steps)
            var sum = 0.0
            for i in 0 ... steps {
                let t = Double(i) * h
                let w = (i == 0 || i == steps) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0)
                let s = sin(t)
                if s > 0 { sum += w * exp(Double(d - 2) * log(s)) }  // <= 1: no overflow
            }
            return sum * h / 3
        }
        if d == 2 { return alpha / Double.pi }
        return min(1, integral(alpha) / integral(Double.pi))
    }

    /// Chooses the grid axes from a trial sample and refuses requests whose
    /// neighbour checks would take unreasonably long.
    func planGrid(delta: Double) throws(RequestError) -> NeighborGrid {
        // Any cell of side >= δ finds every pair closer than δ in neighbouring cells; cells below
        // 2^-28 would only make cell indices overflow (the coordinates are at most 1).
        let cell = Swift.max(delta * (1 + 1e-6), 0x1p-28)
        if n < 2 || d == 1 { return NeighborGrid(axes: [], cellSize: cell) }
        var trial = SeededRandom(seed: request.seed, stream: 0xC0FFEE)
        let m = 1500
        var sample: [[Double]] = []
        for _ in 0 ..< m {
            var g = (0 ..< d).map { _ in trial.gaussian() }
            let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            g = g.map { $0 / norm }
            sample.append(g)
        }
        // Fraction of pairs whose cells are neighbours on the first g axes.
        var near = [Int](repeating: 0, count: NeighborGrid.maximumAxes + 1)
        for a in 0 ..< m {
            for b in a + 1 ..< m {
                var g = 0
                while g < min(d, NeighborGrid.maximumAxes) {
                    let ca = (sample[a][g] / cell).rounded(.down), cb = (sample[b][g] / cell).rounded(.down)
                    if Swift.abs(ca - cb) > 1 { break }
                    g += 1
                }
                for k in 0 ... g { near[k] += 1 }
            }
        }
        let pairs = Double(m * (m - 1) / 2)
        var bestAxes = 0
        var bestCost = Double.infinity
        for g in 0 ... min(d, NeighborGrid.maximumAxes) {
            let fraction = max(Double(near[g]), 0.5) / pairs
            let cost = Double(n) * (pow(3, Double(g)) * 3 + Double(n) / 2 * fraction)
            if cost < bestCost {
                bestCost = cost
                bestAxes = g
            }
        }
        if bestCost > 1.2e10 {
            throw RequestError("checking that all points are >= δ apart would take unreasonably long "
                               + "(about \((bestCost / 1e9).integerText) billion neighbour tests): in dimension \(d) random points are "
                               + "spread too evenly for a grid to prune at δ = \(request.delta); use fewer points or a smaller --delta")
        }
        return NeighborGrid(axes: Array(0 ..< bestAxes), cellSize: cell)
    }

    // MARK: - Sampling

    /// A random point as (stereographic numerators T, pole sign); the point is
    /// (2T 2^p, sign (4^p - |T|²)) / (|T|² + 4^p).
    mutating func drawParameters(near center: [Double]? = nil) -> ([Int64], Int64) {
        var g = (0 ..< d).map { _ in rng.gaussian() }
        if let center {
            // A partner: move from the center by about 1.1 δ along a random tangent direction.
            let dot = zip(g, center).reduce(0) { $0 + $1.0 * $1.1 }
            g = zip(g, center).map { $0 - dot * $1 }
            let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let delta = request.delta.approximation ?? 0
            let step = 1.1 * delta
            if 2 * sin(atan(step) / 2) >= 1.05 * delta {
                g = zip(g, center).map { $1 + step * $0 / max(norm, 1e-300) }
            } else {
                // For large δ (about 0.48 and up) a tangent step of 1.1 δ lands closer than δ once
                // projected back to the sphere: rotate by the angle whose chord is 1.1 δ instead.
                let angle = 2 * asin(min(1, 0.55 * delta))
                g = zip(g, center).map { cos(angle) * $1 + sin(angle) * $0 / max(norm, 1e-300) }
            }
        }
        let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
        // A zero vector (probability 0) has no direction: draw again rather than divide by 0.
        guard norm > 0 && norm.isFinite else { return drawParameters(near: center) }
        let unit = g.map { $0 / norm }
        let last = unit[d - 1]
        let sign: Int64 = last > 0 ? 1 : -1
        let scale = Double(sign: .plus, exponent: bits, significand: 1)
        let t = unit.prefix(d - 1).map { Int64(($0 / (1 + Swift.abs(last)) * scale).rounded()) }
        return (t, sign)
    }

    /// Appends the exact point for parameters `t` to `list`.
    static func exactPoint(_ t: [Int64], _ sign: Int64, bits: Int, into list: inout RationalPoints) {
        let four = Int64(1) << Int64(2 * bits)
        var normSquared: Int64 = 0
        for v in t { normSquared += v * v }
        var numerators = t.map { 2 * $0 << Int64(bits) }
        numerators.append(sign * (four - normSquared))
        list.append(scaledNumerators: numerators, denominator: normSquared + four)
    }

    var distanceTest: DistanceTest {
        DistanceTest(d: d, filter: filter, deltaSquared: deltaSquared, low: deltaSquaredLow, high: deltaSquaredHigh)
    }
}

/// "Are these two points at least δ apart?", decided by the squared-distance
/// filter with exact arithmetic inside its error bound.
struct DistanceTest: Sendable {
    let d: Int
    let filter: SquaredDistanceFilter
    let deltaSquared: Rational
    let low: Double, high: Double

    /// True when the points with approximations `ax`, `bx` are at least δ apart;
    /// `exact` computes their exact squared distance when the filter cannot decide.
    func farEnough(_ ax: UnsafeBufferPointer<Double>, _ bx: UnsafeBufferPointer<Double>,
                   exact: () -> Rational) -> Bool {
        if !filter.mayBeBelow(high, ax, bx) { return true }  // certainly >= δ² (early exit inside)
        let (s, error) = filter.estimate(ax, bx)
        if s + error < low { return false }  // certainly < δ²
        return exact() >= deltaSquared
    }
}

extension SphereSampler {

    // MARK: - Main loop

    /// The error when random placement exceeds its attempt limit (50 n + 100000 candidates).
    func gaveUp(_ attempts: Int) -> RequestError {
        RequestError("gave up after \(attempts) random candidates with \(points.count) of \(n) points placed: "
                     + "the sphere is too crowded at this δ for random placement; use fewer points or a smaller --delta")
    }

    mutating func run() throws(RequestError) -> DataSet {
        let progress = ProgressMeter("generating", total: n, threshold: 20_000)
        if d == 1 {
            for (k, x) in [Int64(1), -1].prefix(n).enumerated() {
                points.append(scaledNumerators: [x], denominator: 1)
                approximations.append(Double(x))
                grid.insert(k, approximation: approximations.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[k ..< k + 1]) })
            }
            return DataSet(points: points, labels: request.labels.labels(count: n, seed: request.seed), source: "sphere")
        }
        let batchSize = 2048
        var attempts = 0
        let attemptLimit = 50 * n + 100_000
        while points.count < n {
            // Draw a batch of candidates (sequential: the random stream decides everything).
            var parameters: [([Int64], Int64)] = []
            var groups: [Int] = []  // candidate count per group (1, or 2 for a pair)
            let remaining = n - points.count
            while parameters.count < min(batchSize, 4 * remaining) {
                let anchor = drawParameters()
                if request.layout == .pairs && remaining >= 2 {  // singles only for the last point of an odd n
                    var one = RationalPoints(dimension: d)
                    SphereSampler.exactPoint(anchor.0, anchor.1, bits: bits, into: &one)
                    var partner = anchor
                    var ok = false
                    var buffer = [Double](repeating: 0, count: d)
                    _ = buffer.withUnsafeMutableBufferPointer { one.approximate(0, into: $0) }
                    for _ in 0 ..< 100 {
                        // Every partner drawn counts against the attempt limit: no request can spin for long.
                        attempts += 1
                        if attempts > attemptLimit { throw gaveUp(attempts) }
                        partner = drawParameters(near: buffer)
                        SphereSampler.exactPoint(partner.0, partner.1, bits: bits, into: &one)
                        let distance = one.squaredDistance(0, one.count - 1)
                        if distance >= deltaSquared && distance <= deltaSquared * Rational(25, 16) {
                            ok = true
                            break
                        }
                    }
                    if !ok { continue }
                    parameters.append(anchor)
                    parameters.append(partner)
                    groups.append(2)
                } else {
                    parameters.append(anchor)
                    groups.append(1)
                }
            }
            attempts += parameters.count
            if attempts > attemptLimit { throw gaveUp(attempts) }
            // Exact points and approximations, in parallel.
            let params = parameters
            let d = self.d, bits = self.bits
            let batch = Parallel.mapChunks(count: params.count, chunkSize: 256) { range -> (RationalPoints, [Double]) in
                var list = RationalPoints(dimension: d)
                for k in range { SphereSampler.exactPoint(params[k].0, params[k].1, bits: bits, into: &list) }
                var approx = [Double](repeating: 0, count: range.count * d)
                approx.withUnsafeMutableBufferPointer { buffer in
                    for k in 0 ..< range.count {
                        _ = list.approximate(k, into: UnsafeMutableBufferPointer(rebasing: buffer[k * d ..< (k + 1) * d]))
                    }
                }
                return (list, approx)
            }
            var candidates = RationalPoints(dimension: d)
            var candidateApprox: [Double] = []
            for part in batch {
                candidates.append(contentsOf: part.0)
                candidateApprox.append(contentsOf: part.1)
            }
            // Against the points already kept, in parallel (the grid is read-only here).
            // The snapshot shares the kept arrays; it must be gone before they are mutated
            // below, or copy-on-write would copy them for every batch.
            var passes: [Bool] = []
            do {
                let snapshot = SphereSnapshot(points: points, approximations: approximations, grid: grid,
                                              test: distanceTest, candidates: candidates, candidateApprox: candidateApprox)
                passes = Parallel.mapChunks(count: candidates.count, chunkSize: 64) { range in
                    range.map { snapshot.clearOfKept($0) }
                }.flatMap { $0 }
            }
            let batchCheck = SphereSnapshot(points: RationalPoints(dimension: d), approximations: [], grid: NeighborGrid(axes: [], cellSize: 1),
                                            test: distanceTest, candidates: candidates, candidateApprox: candidateApprox)
            // Within the batch, in order.
            var index = 0
            var keptInBatch: [Int] = []
            for size in groups {
                let members = Array(index ..< index + size)
                index += size
                guard members.allSatisfy({ passes[$0] }) else { continue }
                var clear = true
                for c in members where clear {
                    for k in keptInBatch where !batchCheck.farFromCandidate(c, k) {
                        clear = false
                        break
                    }
                }
                guard clear, points.count + size <= n else { continue }
                for c in members {
                    keptInBatch.append(c)
                    let id = points.count
                    points.append(contentsOf: candidates.subset([c]))
                    approximations.append(contentsOf: candidateApprox[c * d ..< (c + 1) * d])
                    approximations.withUnsafeBufferPointer { a in
                        grid.insert(id, approximation: UnsafeBufferPointer(rebasing: a[id * d ..< (id + 1) * d]))
                    }
                }
                progress.advance(by: size)
            }
        }
        progress.finish()
        return DataSet(points: points, labels: request.labels.labels(count: n, seed: request.seed), source: "sphere")
    }
}

/// Read-only view of the kept points and a batch of candidates, for checking in parallel.
struct SphereSnapshot: Sendable {
    let points: RationalPoints
    let approximations: [Double]
    let grid: NeighborGrid
    let test: DistanceTest
    let candidates: RationalPoints
    let candidateApprox: [Double]

    /// True when candidate c is at least δ from every kept point.
    func clearOfKept(_ c: Int) -> Bool {
        let d = test.d
        return candidateApprox.withUnsafeBufferPointer { ca in
            approximations.withUnsafeBufferPointer { ka in
                let x = UnsafeBufferPointer(rebasing: ca[c * d ..< (c + 1) * d])
                var clear = true
                grid.forEachCandidate(near: x) { k in
                    let y = UnsafeBufferPointer(rebasing: ka[k * d ..< (k + 1) * d])
                    if !test.farEnough(x, y, exact: { exactDistance(c, k) }) { clear = false }
                    return clear
                }
                return clear
            }
        }
    }

    /// True when candidates a and b are at least δ apart.
    func farFromCandidate(_ a: Int, _ b: Int) -> Bool {
        let d = test.d
        return candidateApprox.withUnsafeBufferPointer { ca in
            test.farEnough(UnsafeBufferPointer(rebasing: ca[a * d ..< (a + 1) * d]),
                              UnsafeBufferPointer(rebasing: ca[b * d ..< (b + 1) * d])) {
                var pair = candidates.subset([a])
                pair.append(contentsOf: candidates.subset([b]))
                return pair.squaredDistance(0, 1)
            }
        }
    }

    func exactDistance(_ c: Int, _ k: Int) -> Rational {
        var pair = candidates.subset([c])
        pair.append(contentsOf: points.subset([k]))
        return pair.squaredDistance(0, 1)
    }
}
