import ExactArithmetic
import TextFormats
import WorkSharing

/// The minimum distance of a data set, computed exactly: R = max ‖x_i‖ and
/// δ = min_{i≠j} ‖x_i − x_j‖ / R, so δ² = minimum squared distance / R², a
/// rational number (Rajput et al., NeurIPS 2021: the data is "δ-separated";
/// docs/ARCHITECTURE.md, "The data's minimum distance δ").
///
/// In memcert "separation" means only hyperplanes separating labels
/// (`SeparationGeometry`); this is the distance between the points themselves.
public struct MinimumDistance: Sendable {
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

    /// δ for display, from the exact δ² (to `digits` decimals, rounded down, from
    /// an integer square root).
    public func deltaDecimal(digits: Int = 6) -> String? {
        guard let d2 = deltaSquared else { return nil }
        return MinimumDistance.squareRootDecimal(d2, digits: digits)
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

    /// The exact minimum distance and δ. Up to `allPairsLimit` points every pair is
    /// compared (filtered); beyond, the search uses a hash grid on a few
    /// high-variance axes with growing cell sizes. It is skipped (with the reason)
    /// when the estimated work of the steps taken and the next one would exceed
    /// `workBudget` (about that many nanoseconds; `.max` for no limit), or when the
    /// grid search is still running that long after it started.
    ///
    /// - Complexity: O(n · 3^g) grid work plus the candidate pairs, g <= 6.
    public func minimumDistance(workBudget: Int? = nil, allPairsLimit: Int = 12_000) -> MinimumDistance {
        // Default budget for the whole search: 1.2 s, or 15 µs per point for large sets, at most 10 s.
        let workBudget = workBudget ?? min(10_000_000_000, max(1_200_000_000, 15_000 * count))
        let (r2, onSphere) = count > 0 ? radius() : (Rational(), true)
        var result = MinimumDistance(radiusSquared: r2, minimumSquaredDistance: nil, closestPair: nil, skipped: nil,
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
            result.skipped = "the exact closest-pair search would take about \(Swift.max(1, seconds).integerText) s or more "
                + "(about \(pairs.integerText) candidate pairs for a grid this coarse); points this spread out leave a grid little to prune"
        }
        return result
    }
}
