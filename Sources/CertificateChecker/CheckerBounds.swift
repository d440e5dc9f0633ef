import ExactArithmetic
import Foundation

/// Re-derives lower-bound claims: circle and moment-curve arguments from the
/// points themselves, region counts and the counting bound with exact integers.
enum CheckerBounds {
    static func check(_ claims: [String: Any], _ data: CheckerData) throws -> [String] {
        let n = data.points.count, d = data.dimension
        var checked = [try CertificateChecker.expect(claims, "n", "\(n)"),
                       try CertificateChecker.expect(claims, "d", "\(d)"),
                       try CertificateChecker.expect(claims, "classes", "\((data.labels.max() ?? -1) + 1)")]
        guard let bounds = claims["bounds"] as? [[String: Any]] else { throw ClaimFails(message: "claims.bounds is missing") }
        var best = Set(data.labels).count > 1 ? 1 : 0
        for (k, bound) in bounds.enumerated() {
            let name = "claims.bounds[\(k)]"
            func claim(_ key: String, _ actual: String) throws {
                let value = bound[key]
                let recorded = (value as? String) ?? (value as? NSNumber).map { "\($0)" } ?? "missing"
                if recorded != actual { throw ClaimFails(message: "\(name).\(key): the certificate says \(recorded), the files give \(actual)") }
            }
            func lineList(_ key: String, _ indices: [Int]) throws {
                let recorded = (bound[key] as? [NSNumber])?.map(\.intValue) ?? []
                if recorded != indices.map({ data.lines[$0] }) { throw ClaimFails(message: "\(name).\(key) is not the order of the points") }
            }
            switch bound["argument"] as? String {
            case "circle":
                let changes = try circleChanges(bound, data, name: name)
                try claim("labelChanges", "\(changes.count)")
                try claim("firstLayerNeurons", "\((changes.count + 1) / 2)")
                let recorded = (bound["cyclicOrderLines"] as? [NSNumber])?.map(\.intValue) ?? []
                let own = changes.order.map { data.lines[$0] }
                let rotations = (0 ..< max(1, own.count)).flatMap { r in [Array(own[r...] + own[..<r]), Array((own[r...] + own[..<r]).reversed())] }
                if !rotations.contains(recorded) { throw ClaimFails(message: "\(name).cyclicOrderLines is not the cyclic order of the points") }
                best = max(best, (changes.count + 1) / 2)
            case "moment-curve":
                var t: [Rational] = []
                for i in 0 ..< n {
                    let x = data.point(i)
                    var power = x[0]
                    for j in 1 ..< d {
                        power = power * x[0]
                        if x[j] != power { throw ClaimFails(message: "\(name): the point on line \(data.lines[i]) is not on the moment curve") }
                    }
                    t.append(x[0])
                }
                let order = (0 ..< n).sorted { t[$0] < t[$1] }
                var changes = 0
                for i in 0 ..< n - 1 where data.labels[order[i]] != data.labels[order[i + 1]] { changes += 1 }
                try claim("labelChanges", "\(changes)")
                try claim("firstLayerNeurons", "\((changes + d - 1) / d)")
                try lineList("orderLines", order)
                if (bound["parameters"] as? [String]) != order.map({ t[$0].description }) {
                    throw ClaimFails(message: "\(name).parameters are not the points' t values in order")
                }
                best = max(best, (changes + d - 1) / d)
            case "distinct-codes":
                guard let k = (bound["firstLayerNeurons"] as? NSNumber)?.intValue, k >= 1 else { throw ClaimFails(message: "\(name).firstLayerNeurons is missing") }
                let at = regions(k, d), below = regions(k - 1, d)
                if !(below < BigInt(n) && BigInt(n) <= at) {
                    throw ClaimFails(message: "\(name).firstLayerNeurons: \(k) is not the least K with Σ_{i<=\(d)} C(K, i) >= \(n)")
                }
                try claim("regionsAtBound", at.description)
                try claim("regionsBelowBound", below.description)
            case "counting":
                guard let w = (bound["weights"] as? NSNumber)?.intValue, let neurons = (bound["neurons"] as? NSNumber)?.intValue,
                      let eText = bound["eUpperBound"] as? String, let e = try? Rational(parsing: eText), w >= 1, neurons >= 1 else {
                    throw ClaimFails(message: "\(name) needs weights, neurons and eUpperBound")
                }
                // e < Σ_{k<=10} 1/k! + 1/(10!·10): the recorded value must be at least that.
                var series = Rational(), factorial = BigInt(1)
                for j in 0 ... 10 {
                    if j > 0 { factorial *= BigInt(j) }
                    series += Rational(BigInt(1), factorial)
                }
                if e < series + Rational(BigInt(1), factorial * 10) { throw ClaimFails(message: "\(name).eUpperBound is not above e") }
                let p = e.numerator * BigInt(neurons), q = e.denominator, twoN = BigInt(1).shiftedLeft(by: n)
                func enough(_ w: Int) -> Bool { BigInt.power(p, 2 * w) >= twoN * BigInt.power(q, 2 * w) }
                if !(enough(w) && !enough(w - 1)) {
                    throw ClaimFails(message: "\(name).weights: \(w) is not the least W with (e N)^(2W) >= 2^n")
                }
            default:
                throw ClaimFails(message: "\(name).argument is not one this checker knows")
            }
            checked.append(name)
        }
        checked.append(try CertificateChecker.expect(claims, "best", "\(best)"))
        return checked
    }

    /// Σ_{i<=d} C(k, i), summed term by term.
    static func regions(_ k: Int, _ d: Int) -> BigInt {
        var term = BigInt(1), sum = BigInt(1)
        if k <= 0 { return 1 }
        for i in stride(from: 1, through: min(k, d), by: 1) {
            term = (term * BigInt(k - i + 1)).exactQuotient(dividingBy: BigInt(i))
            sum += term
        }
        return sum
    }

    /// Checks that every point lies on the recorded circle (in its plane, at its radius)
    /// and returns the points' own cyclic order and its label changes.
    static func circleChanges(_ bound: [String: Any], _ data: CheckerData, name: String) throws -> (count: Int, order: [Int]) {
        func vector(_ value: Any?) -> [Rational]? { (value as? [String])?.compactMap { try? Rational(parsing: $0) } }
        guard let c = vector(bound["center"]), let r2Text = bound["radiusSquared"] as? String, let r2 = try? Rational(parsing: r2Text),
              let basis = bound["planeBasis"] as? [Any], basis.count == 2, let u = vector(basis[0]), let v = vector(basis[1]),
              c.count == data.dimension, u.count == data.dimension, v.count == data.dimension, data.points.count >= 3 else {
            throw ClaimFails(message: "\(name) needs center, radiusSquared and planeBasis of the data's dimension, and 3 points")
        }
        func dot(_ a: [Rational], _ b: [Rational]) -> Rational { zip(a, b).reduce(Rational()) { $0 + $1.0 * $1.1 } }
        let uu = dot(u, u), uv = dot(u, v), vv = dot(v, v), det = uu * vv - uv * uv
        if det.isZero { throw ClaimFails(message: "\(name).planeBasis does not span a plane") }
        var coordinates: [(Rational, Rational)] = []
        for i in 0 ..< data.points.count {
            let w = zip(data.point(i), c).map { $0 - $1 }
            if dot(w, w) != r2 { throw ClaimFails(message: "\(name): the point on line \(data.lines[i]) is not at radius² \(r2Text) from the center") }
            let (a, b) = (dot(u, w), dot(v, w))
            let alpha = (a * vv - b * uv) / det, beta = (uu * b - uv * a) / det
            for j in 0 ..< data.dimension where w[j] != alpha * u[j] + beta * v[j] {
                throw ClaimFails(message: "\(name): the point on line \(data.lines[i]) is not in the circle's plane")
            }
            coordinates.append((alpha, beta))
        }
        func upper(_ p: (Rational, Rational)) -> Bool { p.1.sign == .positive || (p.1.isZero && p.0.sign == .positive) }
        let order = coordinates.indices.sorted { i, j in
            let p = coordinates[i], q = coordinates[j]
            if upper(p) != upper(q) { return upper(p) }
            return (p.0 * q.1 - p.1 * q.0).sign == .positive
        }
        var changes = 0
        for k in 0 ..< order.count where data.labels[order[k]] != data.labels[order[(k + 1) % order.count]] { changes += 1 }
        return (changes, order)
    }
}
