import ExactArithmetic
import Foundation

/// A data set read by the checker's own minimal CSV reader: exact values, equal
/// rows merged, points kept as integers over a common denominator.
struct CheckerData {
    var points: [(numerators: [BigInt], denominator: BigInt)] = []
    var labels: [Int] = []
    var lines: [Int] = []
    var dimension = 0
    var merged = 0
    /// Two equal points with different labels, if any.
    var conflict: String?

    init(path: String) throws(UnreadableInput) {
        guard let text = String(data: try CertificateChecker.readBytes(path), encoding: .utf8) else {
            throw UnreadableInput(path, "not UTF-8 text")
        }
        var seen: [[Rational]: Int] = [:]
        var first = true
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if first {
                first = false
                dimension = fields.count - 1
                if (try? Rational(parsing: fields[0])) == nil { continue }  // a header
            }
            guard fields.count == dimension + 1, dimension >= 1 else { throw UnreadableInput(path, "line \(index + 1): wrong number of fields") }
            var values: [Rational] = []
            for field in fields {
                guard let v = try? Rational(parsing: field) else { throw UnreadableInput(path, "line \(index + 1): '\(field)' is not a number") }
                values.append(v)
            }
            let label = values.removeLast()
            guard label.isInteger, label.sign != .negative, let l = label.numerator.intValue else {
                throw UnreadableInput(path, "line \(index + 1): the label is not a non-negative integer")
            }
            if let j = seen[values] {
                if labels[j] != l, conflict == nil { conflict = "lines \(lines[j]) and \(index + 1) are equal points with different labels" }
                merged += 1
                continue
            }
            seen[values] = labels.count
            var common = BigInt(1)
            for v in values where !common.isMultiple(of: v.denominator) { common = BigInt.lcm(common, v.denominator) }
            points.append((values.map { $0.numerator * common.exactQuotient(dividingBy: $0.denominator) }, common))
            labels.append(l)
            lines.append(index + 1)
        }
        if points.isEmpty { throw UnreadableInput(path, "no data points") }
    }

    /// The point as rationals.
    func point(_ i: Int) -> [Rational] { points[i].numerators.map { Rational($0, points[i].denominator) } }

    /// R² and δ² = min_{i≠j} ‖x_i - x_j‖² / R² (nil when n < 2), exactly.
    ///
    /// Every pair is first estimated in doubles: s = Σ (x̂_k - ŷ_k)² and P = Σ (|x̂_k| + |ŷ_k|)².
    /// With approximations of relative error ρ = 2^-50 (`Rational.approximation`) the error of s
    /// is below 3(ρ + u)P + 2γ_d s (the analysis in DESIGN's exactness rules, Higham eq. (3.5)),
    /// far below the margin E = 10^-9 (P + s) + 10^-280 used here for d < 10^6. Only pairs with
    /// s - E <= min(s + E) can be closest, and those are compared exactly.
    func separation() -> (Rational, Rational?) {
        var r2 = Rational()
        for i in 0 ..< points.count {
            var s = BigInt(0)
            for x in points[i].numerators { s += x * x }
            r2 = max(r2, Rational(s, points[i].denominator * points[i].denominator))
        }
        let n = points.count
        guard n >= 2 else { return (r2, nil) }
        let approximations: [[Double]?] = (0 ..< n).map { i in
            let values = point(i).map(\.approximation)
            return values.allSatisfy { $0 != nil && abs($0!) < 1e300 } ? values.map { $0! } : nil
        }
        @Sendable func estimate(_ i: Int, _ j: Int) -> (low: Double, high: Double) {
            guard let a = approximations[i], let b = approximations[j] else { return (-.infinity, .infinity) }
            var s = 0.0, p = 0.0
            for k in 0 ..< dimension {
                s += (a[k] - b[k]) * (a[k] - b[k])
                p += (abs(a[k]) + abs(b[k])) * (abs(a[k]) + abs(b[k]))
            }
            let e = 1e-9 * (p + s) + 1e-280
            return (s - e, s + e)
        }
        let upper = Locked(Double.infinity)
        DispatchQueue.concurrentPerform(iterations: n - 1) { i in
            var local = Double.infinity
            for j in i + 1 ..< n { local = min(local, estimate(i, j).high) }
            upper.update { $0 = min($0, local) }
        }
        let bound = upper.value
        let best = Locked<Rational?>(nil)
        DispatchQueue.concurrentPerform(iterations: n - 1) { i in
            var local: Rational?
            let (a, p) = points[i]
            for j in i + 1 ..< n where estimate(i, j).low <= bound {
                let (b, q) = points[j]
                var s = BigInt(0)
                for k in 0 ..< dimension {
                    let t = a[k] * q - b[k] * p
                    s += t * t
                }
                let value = Rational(s, (p * q) * (p * q))
                if local == nil || value < local! { local = value }
            }
            if let local { best.update { if $0 == nil || local < $0! { $0 = local } } }
        }
        return (r2, r2.isZero ? nil : best.value.map { $0 / r2 })
    }
}

/// A value shared between worker threads behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()
    init(_ value: Value) { stored = value }
    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
    func update(_ body: (inout Value) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&stored)
    }
}
