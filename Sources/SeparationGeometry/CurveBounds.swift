import DataSets
import ExactArithmetic

/// Lower bounds from curves: a hyperplane meets a circle in at most two points
/// (or contains it) and the moment curve in at most d points, so along such a
/// curve each first-layer neuron's output changes only a few times, while every
/// label change needs some first-layer output to change (Rajput et al.,
/// NeurIPS 2021, section 5; docs/ARCHITECTURE.md, "Separation and lower bounds").
public enum CurveBounds {
    /// The points lie on one circle: in a 2-dimensional affine plane, at one distance from a centre.
    public struct Circle: Sendable {
        /// Centre and radius², exact.
        public var center: [Rational]
        public var radiusSquared: Rational
        /// The plane: an origin point and two spanning vectors (differences of data points).
        public var origin: [Rational]
        public var basis: [[Rational]]
        /// Point indices in cyclic order (counterclockwise with respect to the basis).
        public var cyclicOrder: [Int]
        /// Label changes between cyclically consecutive points.
        public var labelChanges: Int
        /// ⌈labelChanges / 2⌉.
        public var bound: Int { (labelChanges + 1) / 2 }
    }

    /// The points lie on t -> (t, t², ..., t^d).
    public struct MomentCurve: Sendable {
        /// Point indices in increasing t, and the parameters t = x_1.
        public var order: [Int]
        public var parameters: [Rational]
        public var labelChanges: Int
        public var dimension: Int
        /// ⌈labelChanges / d⌉.
        public var bound: Int { (labelChanges + dimension - 1) / dimension }
    }

    // MARK: - Circle

    /// The circle through the points, checked exactly, or the reason there is none.
    ///
    /// With u = p1 - p0 and v = p2 - p0 for three non-collinear points and Gram
    /// matrix G = [u·u u·v; u·v v·v], every point q must satisfy
    /// q - p0 = αu + βv (coplanar; α, β from G [α β] = [u·w v·w]) and
    /// ‖(α - a)u + (β - b)v‖² = r², where c = p0 + au + bv is the circumcentre
    /// (G [a b] = [u·u/2 v·v/2]). The cyclic order compares directions around c
    /// in (α, β) coordinates: the map to the plane is linear and invertible, so
    /// it keeps or reverses every orientation alike.
    public static func circle(_ data: DataSet) -> Result<Circle, Failure> {
        let n = data.count, d = data.dimension
        guard d >= 2 else { return .failure(Failure("a circle needs dimension at least 2")) }
        guard n >= 3 else { return .failure(Failure("a circle bound needs at least 3 points")) }
        let p0 = data.points.point(0)
        func minus(_ a: [Rational], _ b: [Rational]) -> [Rational] { zip(a, b).map { $0 - $1 } }
        func dot(_ a: [Rational], _ b: [Rational]) -> Rational {
            var s = Rational()
            for (x, y) in zip(a, b) { s += x * y }
            return s
        }
        let u = minus(data.points.point(1), p0)
        let uu = dot(u, u)
        var second: Int?
        var v: [Rational] = []
        for i in 2 ..< n {
            let w = minus(data.points.point(i), p0)
            let uw = dot(u, w)
            if uu * dot(w, w) != uw * uw {  // Cauchy–Schwarz is strict unless w ∥ u
                second = i
                v = w
                break
            }
        }
        guard second != nil else { return .failure(Failure("the points are collinear, so they lie on no circle")) }
        let uv = dot(u, v), vv = dot(v, v)
        let det = uu * vv - uv * uv
        func solve(_ r1: Rational, _ r2: Rational) -> (Rational, Rational) {
            ((r1 * vv - r2 * uv) / det, (uu * r2 - uv * r1) / det)
        }
        let half = Rational(1, 2)
        let (a, b) = solve(uu * half, vv * half)
        let r2 = a * a * uu + 2 * a * b * uv + b * b * vv
        var coordinates: [(Rational, Rational)] = []
        coordinates.reserveCapacity(n)
        for i in 0 ..< n {
            let w = minus(data.points.point(i), p0)
            let (alpha, beta) = solve(dot(u, w), dot(v, w))
            for j in 0 ..< d where w[j] != alpha * u[j] + beta * v[j] {
                return .failure(Failure("the point on line \(data.lines[i]) is not in the plane of the first three non-collinear points"))
            }
            let x = alpha - a, y = beta - b
            if x * x * uu + 2 * x * y * uv + y * y * vv != r2 {
                return .failure(Failure("the point on line \(data.lines[i]) is not on the circle through the first three non-collinear points"))
            }
            coordinates.append((x, y))
        }
        // Sort by direction: upper half (y > 0, or y = 0 and x > 0) first, then by orientation.
        func upper(_ p: (Rational, Rational)) -> Bool { p.1.sign == .positive || (p.1.isZero && p.0.sign == .positive) }
        let order = (0 ..< n).sorted { i, j in
            let p = coordinates[i], q = coordinates[j]
            let hp = upper(p), hq = upper(q)
            if hp != hq { return hp }
            return (p.0 * q.1 - p.1 * q.0).sign == .positive  // p before q when q is counterclockwise of p
        }
        var changes = 0
        for k in 0 ..< n where data.labels[order[k]] != data.labels[order[(k + 1) % n]] { changes += 1 }
        let center = zip(p0, zip(u, v)).map { $0 + a * $1.0 + b * $1.1 }
        return .success(Circle(center: center, radiusSquared: r2, origin: p0, basis: [u, v], cyclicOrder: order,
                               labelChanges: changes))
    }

    // MARK: - Moment curve

    /// The moment-curve order of the points, checked exactly (x_k = x_1^k for every
    /// coordinate k), or the reason they are not on it.
    public static func momentCurve(_ data: DataSet) -> Result<MomentCurve, Failure> {
        let n = data.count, d = data.dimension
        guard d >= 1 && n >= 1 else { return .failure(Failure("no points")) }
        var parameters: [Rational] = []
        parameters.reserveCapacity(n)
        for i in 0 ..< n {
            let t = data.points.coordinate(i, 0)
            var power = t
            for k in 1 ..< d {
                power = power * t
                if data.points.coordinate(i, k) != power {
                    return .failure(Failure("the point on line \(data.lines[i]) is not on t -> (t, t², ..., t^\(d)) (coordinate \(k + 1) is not t^\(k + 1))"))
                }
            }
            parameters.append(t)
        }
        let order = (0 ..< n).sorted { parameters[$0] < parameters[$1] }
        var changes = 0
        for k in 0 ..< n - 1 where data.labels[order[k]] != data.labels[order[k + 1]] { changes += 1 }
        return .success(MomentCurve(order: order, parameters: order.map { parameters[$0] }, labelChanges: changes, dimension: d))
    }

    /// Why a curve argument does not apply.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public init(_ reason: String) { self.reason = reason }
        public var description: String { reason }
    }
}
