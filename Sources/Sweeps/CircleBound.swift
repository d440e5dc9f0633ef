import DataSets
import ExactArithmetic
import SeparationGeometry
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Ω(1/δ) side of the first layer, certified: m points on the unit circle,
/// pairwise at least δ apart (checked exactly), with alternating labels need a
/// first layer of m/2 neurons (`lower-bound`'s circle argument: each hyperplane
/// meets the circle at most twice, so each neuron changes output at most twice
/// around it, and the m label changes need m/2 neurons). With m the largest even
/// number of nearly evenly spaced points at distance δ, m ≈ 2π/δ and the bound is
/// about π/δ.
///
/// These are other data than a sweep's sphere data: the bound shows that no
/// method can have a first layer below about π/δ on every δ-separated data set,
/// not that a given sphere data set needs it.
public struct CircleBound: Sendable {
    public var delta: Rational
    /// Points on the circle (even).
    public var points: Int
    /// Their exact minimum distance, as a decimal rounded down (>= δ).
    public var measuredDelta: String
    /// The certified first-layer lower bound on them (points / 2).
    public var firstLayerNeurons: Int

    /// The bound for δ in (0, 2], or nil when it would need more than
    /// `maximumPoints` points (δ below about 2e-5).
    ///
    /// - Complexity: the circle generator, the exact minimum distance and the
    ///   circle check on about 2π/δ points.
    public init?(delta: Rational) {
        precondition(delta.sign == .positive && delta <= Rational(2), "CircleBound: δ out of (0, 2]")
        let d = delta.approximation ?? 2
        // 2 sin(π/m) >= δ  ⟺  m <= π / asin(δ/2); the largest even m, at least 2.
        let limit = Double.pi / asin(min(1, d / 2))
        guard limit <= Double(CircleBound.maximumPoints) else { return nil }
        var m = max(2, Int(limit.rounded(.down)) / 2 * 2)  // limit <= maximumPoints: the conversion is safe
        let deltaSquared = delta * delta
        while m >= 2 {
            // The generator rounds each point to a dyadic on the circle; check the distance exactly.
            guard let data = try? Generators.circle(n: m, labels: .alternating, seed: 1) else { return nil }
            let distance = data.minimumDistance(workBudget: .max)
            if let d2 = distance.deltaSquared, d2 >= deltaSquared {
                let report = LowerBoundReport(data: data, neurons: m)
                self.delta = delta
                points = m
                measuredDelta = distance.deltaDecimal() ?? ""
                firstLayerNeurons = report.best
                return
            }
            m -= 2
        }
        return nil
    }

    public static let maximumPoints = 300_000
}
