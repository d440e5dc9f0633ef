import ExactArithmetic

/// A floating-point filter for exact squared distances ‖x - y‖².
///
/// From approximations with |x_j - x̂_j| <= ρ|x̂_j| (ρ = 2^-50, see
/// `Rational.approximation`), let a_j = |x̂_j| + |ŷ_j|, Δ̂_j = fl(x̂_j - ŷ_j),
/// ŝ = fl(Σ Δ̂_j²) and P̂ = fl(Σ a_j²). Then |Δ_j - Δ̂_j| <= (ρ + u) a_j,
/// |Δ_j² - Δ̂_j²| <= 2.01 (ρ + u) a_j², and the rounding of the sum of squares
/// is at most γ_d Σ Δ̂_j² (Higham, *Accuracy and Stability of Numerical
/// Algorithms*, 2nd ed., eq. (3.5)), so
///
///     |‖x - y‖² - ŝ| <= E = 3 (ρ + u) P̂ + 2 γ_d ŝ + d 2^-1070,
///
/// where the factors 3 and 2 cover the rounding of P̂ and of E itself, and the
/// last term covers squares of tiny differences that underflow. Operands must
/// lie in `DotProductFilter`'s range.
struct SquaredDistanceFilter: Sendable {
    let dimension: Int
    let inputFactor: Double
    let sumFactor: Double
    let underflowTerm: Double

    init(dimension: Int) {
        self.dimension = dimension
        let u = 0x1p-53
        let gamma = Double(dimension) * u / (1 - Double(dimension) * u)
        inputFactor = 3 * (Rational.approximationRelativeError + u)
        sumFactor = 2 * gamma
        underflowTerm = Double(dimension) * 0x1p-1070
    }

    /// False when ‖x - y‖² is certainly >= `threshold`; stops early once a
    /// partial sum (a lower bound, all terms being squares) reaches it.
    @inline(__always)
    func mayBeBelow(_ threshold: Double, _ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Bool {
        var s = 0.0, p = 0.0
        var j = 0
        while j < dimension {
            let delta = x[j] - y[j]
            let a = Swift.abs(x[j]) + Swift.abs(y[j])
            s += delta * delta
            p += a * a
            j += 1
            if j & 3 == 0 && s - (inputFactor * p + sumFactor * s + underflowTerm) >= threshold { return false }
        }
        return s - (inputFactor * p + sumFactor * s + underflowTerm) < threshold
    }

    /// (ŝ, E) for two approximated points.
    @inline(__always)
    func estimate(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> (value: Double, error: Double) {
        var s = 0.0, p = 0.0
        for j in 0 ..< dimension {
            let delta = x[j] - y[j]
            let a = Swift.abs(x[j]) + Swift.abs(y[j])
            s += delta * delta
            p += a * a
        }
        return (s, inputFactor * p + sumFactor * s + underflowTerm)
    }
}
