#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The least-squares line through (ln x, ln y): y ≈ e^intercept · x^slope.
///
/// A scaling exponent, for reports only (floating point; no result rests on it).
public struct LogLogFit: Sendable, Equatable {
    public var slope: Double
    public var intercept: Double
    /// Points fitted, and how many distinct x among them.
    public var points: Int
    public var distinctX: Int

    /// Fits the points; nil when fewer than two distinct x, or when any coordinate
    /// is not a positive finite number (no logarithm).
    ///
    /// slope = Σ (u - ū)(v - v̄) / Σ (u - ū)², u = ln x, v = ln y; intercept = v̄ - slope · ū.
    ///
    /// - Complexity: O(points).
    public init?(_ points: [(x: Double, y: Double)]) {
        guard points.allSatisfy({ $0.x > 0 && $0.y > 0 && $0.x.isFinite && $0.y.isFinite }) else { return nil }
        let distinct = Set(points.map(\.x)).count
        guard distinct >= 2 else { return nil }
        let u = points.map { log($0.x) }, v = points.map { log($0.y) }
        let count = Double(points.count)
        let uMean = u.reduce(0, +) / count, vMean = v.reduce(0, +) / count
        var suv = 0.0, suu = 0.0
        for (a, b) in zip(u, v) {
            suv += (a - uMean) * (b - vMean)
            suu += (a - uMean) * (a - uMean)
        }
        guard suu > 0 else { return nil }
        slope = suv / suu
        intercept = vMean - slope * uMean
        self.points = points.count
        distinctX = distinct
    }
}
