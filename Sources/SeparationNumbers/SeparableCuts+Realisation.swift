import ExactArithmetic

// MARK: - An explicit hyperplane for every listed pattern
//
// Lemma (realisation). Let f be affine and nonzero off the hyperplane H = {f = 0}, G affine
// with G(x) ≠ 0 on the points of H with the wanted signs, f_min = min |f(p)| over the points
// off H (f_min > 0), and g_max = max |G(p)| over all points. With ε = f_min / (2 g_max + 1),
// F = s·f + ε·G has the sign of G on H (there f = 0) and the sign of s·f off H, since
// ε |G(p)| <= f_min g_max / (2 g_max + 1) < f_min <= |f(p)|. Every number is an exact
// rational (ε is taken as a unit fraction below that bound), and the result is checked again exactly by `SeparationCheck` before use.

extension SeparableCuts {
    /// An affine function w·x + b on R^r with the pattern of `recipe` on `points`.
    static func realise(_ recipe: CutRecipe, points: [[BigInt]], dimension r: Int) -> (w: [Rational], b: Rational) {
        switch recipe {
        case .constant(let positive):
            return ([Rational](repeating: Rational(), count: r), Rational(positive ? 1 : -1))
        case .threshold(let sign, let tau):
            precondition(r == 1, "a threshold lives on a line")
            return ([Rational(sign)], Rational(-sign) * tau)
        case .along(let projection, let sub):
            let g = realise(sub, points: points.map(projection.apply), dimension: projection.rows.count)
            return compose(g, projection, dimension: r)
        case .hyperplane(let normal, let offset, let sign, let projection, let sub):
            func f(_ x: [BigInt]) -> BigInt {
                var s = offset
                for (a, v) in zip(normal, x) { s += a * v }
                return s
            }
            let on = points.filter { f($0).isZero }
            let g = compose(realise(sub, points: on.map(projection.apply), dimension: projection.rows.count), projection,
                            dimension: r)
            func value(_ x: [BigInt]) -> Rational {
                var s = g.b
                for (a, v) in zip(g.w, x) { s += a * Rational(v) }
                return s
            }
            var fMin: BigInt?
            var gMax = Rational()
            for x in points {
                let fx = f(x).magnitude
                if !fx.isZero, fMin.map({ fx < $0 }) ?? true { fMin = fx }
                let gx = value(x).magnitude
                if gMax < gx { gMax = gx }
            }
            // ε = 1 / ⌈(2 g_max + 1) / f_min⌉ <= f_min / (2 g_max + 1): the lemma's bound, as a unit fraction.
            let epsilon = fMin.map { Rational(BigInt(1), ((Rational(2) * gMax + Rational(1)) / Rational($0)).ceiling) } ?? Rational(1)
            let s = Rational(sign)
            let w = (0 ..< r).map { s * Rational(normal[$0]) + epsilon * g.w[$0] }
            return (w, s * Rational(offset) + epsilon * g.b)
        }
    }

    /// G ∘ π for G(y) = w·y + b and π(x) = A x + c: (Aᵀ w)·x + (w·c + b).
    static func compose(_ g: (w: [Rational], b: Rational), _ map: AffineMap, dimension r: Int) -> (w: [Rational], b: Rational) {
        var w = [Rational](repeating: Rational(), count: r)
        var b = g.b
        for (row, (gw, c)) in zip(map.rows, zip(g.w, map.shift)) {
            for k in 0 ..< r { w[k] += gw * Rational(row[k]) }
            b += gw * Rational(c)
        }
        return (w, b)
    }
}
