/// A floating-point filter for the sign of an exact affine form w·x + b.
///
/// The caller evaluates s = fl(Σ ŵ_j x̂_j + b̂) in doubles, in any order, from
/// approximations with |w_j - ŵ_j| <= ρ|ŵ_j|, |x_j - x̂_j| <= ρ|x̂_j|,
/// |b - b̂| <= ρ|b̂| (ρ = `Rational.approximationRelativeError`). When every
/// nonzero |ŵ_j|, |x̂_j|, |b̂| lies in [2^-500, 2^500] no product underflows or
/// overflows, and with M = Σ|ŵ_j x̂_j| + |b̂|:
///
///     |(w·x + b) - s| <= (2ρ + ρ² + γ_{d+1}) M,   γ_n = n u / (1 - n u), u = 2^-53
///
/// (input error: |w x - ŵ x̂| <= (2ρ + ρ²)|ŵ x̂|; rounding error of a dot product
/// with d+1 terms in any evaluation order: Higham, *Accuracy and Stability of
/// Numerical Algorithms*, 2nd ed., eq. (3.5) and Lemma 3.1). M is bounded by
/// M' = ‖ŵ‖₁ ‖x̂‖_∞ + |b̂|, which the caller computes in doubles with at most
/// d+3 roundings. The bound returned is fl(c · fl(M')) with
/// c = 2(2ρ + γ_{d+1}); the factor 2 covers ρ², the rounding of fl(M')
/// (a factor 1 + γ_{d+3}) and of the final product (1 + u) for any d < 2^40.
///
/// When |s| exceeds the bound the sign of s is the exact sign; otherwise the
/// caller must decide exactly. The filter never decides a sign wrongly; it
/// only declines.
public struct DotProductFilter: Sendable {
    /// Smallest and largest magnitudes the filter accepts for nonzero operands.
    public static let smallestOperand: Double = 0x1p-500
    public static let largestOperand: Double = 0x1p500

    /// c for this dimension.
    public let factor: Double

    /// A filter for dot products of `dimension` terms plus one bias.
    public init(dimension: Int) {
        precondition(dimension >= 0 && dimension < 1 << 40, "dimension out of the filter's range")
        let u = 0x1p-53
        let terms = Double(dimension + 1)
        let gamma = terms * u / (1 - terms * u)
        factor = 2 * (2 * Rational.approximationRelativeError + gamma)
    }

    /// True when `value` is zero or inside the accepted magnitude range.
    @inlinable
    public static func accepts(_ value: Double) -> Bool {
        let m = Swift.abs(value)
        return m == 0 || (m >= smallestOperand && m <= largestOperand)
    }

    /// The error bound for weights with 1-norm `weightNorm`, inputs with
    /// largest magnitude `inputMaxAbs` and bias magnitude `biasMagnitude`.
    @inlinable
    public func bound(weightNorm: Double, inputMaxAbs: Double, biasMagnitude: Double) -> Double {
        factor * (weightNorm * inputMaxAbs + biasMagnitude)
    }

    /// The certain sign of the exact value, or nil when |s| <= bound.
    @inlinable
    public static func decide(_ s: Double, bound: Double) -> Sign? {
        if s > bound { return .positive }
        if s < -bound { return .negative }
        return nil
    }
}
