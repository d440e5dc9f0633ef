import ExactArithmetic
import TextFormats
import WorkSharing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reproducible data sets: the same parameters and seed give the same bytes.
public enum Generators {
    // MARK: - Circle

    /// n points exactly on the unit circle, in counterclockwise cyclic order,
    /// at nearly even spacing: ((1 - t²)/(1 + t²), 2t/(1 + t²)) for dyadic t
    /// near tan(θ_i / 2), θ_i = 2πi/n (points with |θ| > π/2 are the negatives
    /// of points with θ - π, so that |t| <= 1 always).
    public static func circle(n: Int, labels: LabelScheme, seed: UInt64) throws(RequestError) -> DataSet {
        guard n >= 1 && n <= 50_000_000 else { throw RequestError("--n must be between 1 and 50000000") }
        // Two word coordinates per point, their approximations, and the CSV text (two p/q of about 30 digits).
        try MemoryBudget.require(MemoryBudget.product(n, 160), for: "\(n) points on the circle and their CSV text")
        let bits = max(20, Int(log2(Double(n))) + 20)
        var points = RationalPoints(dimension: 2)
        points.reserveCapacity(n)
        for i in 0 ..< n {
            var theta = 2 * Double.pi * Double(i) / Double(n)
            if theta > Double.pi { theta -= 2 * Double.pi }  // θ in (-π, π]
            var flip = false
            if theta > Double.pi / 2 { theta -= Double.pi; flip = true }
            if theta < -Double.pi / 2 { theta += Double.pi; flip = true }
            let t = Rational(nearestDyadic: tan(theta / 2), fractionalBits: bits)
            let one = Rational(1)
            let q = one + t * t
            var x = (one - t * t) / q, y = (t + t) / q
            if flip { x = -x; y = -y }
            points.append([x, y])
        }
        return DataSet(points: points, labels: labels.labels(count: n, seed: seed), source: "circle")
    }

    // MARK: - Moment curve

    /// n points on t -> (t, t², ..., t^D) at t_i = -1 + 2i/(n-1) (t = 0 when n = 1), in t order.
    public static func momentCurve(n: Int, dimension: Int, labels: LabelScheme, seed: UInt64) throws(RequestError) -> DataSet {
        guard n >= 1 && n <= 10_000_000 else { throw RequestError("--n must be between 1 and 10000000") }
        guard dimension >= 1 && dimension <= 1000 else { throw RequestError("--dim must be between 1 and 1000") }
        // Coordinate j is t^j with numerator and denominator of about j log2(n) bits: about
        // d² log10(n) digits per point in the CSV text, and as many bits / 3.3 in memory.
        let digits = Swift.max(1.0, log10(Double(n)))
        let perPoint = Double(dimension) * Double(dimension + 1) * digits * 1.5 + 64 * Double(dimension) + 64
        let bytes = Double(n) * perPoint
        try MemoryBudget.require(bytes < 9e18 ? Int(bytes) : nil,
                                 for: "\(n) points on the moment curve in dimension \(dimension) and their CSV text "
                                    + "(coordinate j has about 2j log10(n) digits)")
        var points = RationalPoints(dimension: dimension)
        points.reserveCapacity(n)
        for i in 0 ..< n {
            let t = n == 1 ? Rational(0) : Rational(2 * i - (n - 1), n - 1)
            var coordinates: [Rational] = []
            var power = Rational(1)
            for _ in 0 ..< dimension {
                power = power * t
                coordinates.append(power)
            }
            points.append(coordinates)
        }
        return DataSet(points: points, labels: labels.labels(count: n, seed: seed), source: "moment-curve")
    }
}
