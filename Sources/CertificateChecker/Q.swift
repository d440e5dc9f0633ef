// MARK: - Exact rationals
//
// Always canonical: gcd(numerator, denominator) = 1 and denominator > 0, so two
// rationals are equal exactly when their parts are, and `description` is the
// canonical text of docs/formats.md (K4): "-3/4", "7", "0".

/// An exact rational number.
struct Q: Sendable, CustomStringConvertible {
    let numerator: Z
    let denominator: Z

    /// num / den reduced; den must be nonzero (a programmer error otherwise).
    init(_ num: Z, _ den: Z) {
        precondition(!den.isZero, "zero denominator")
        let g = Z.gcd(num, den)
        var p = num.dividedExactly(by: g), q = den.dividedExactly(by: g)
        if q.signum < 0 { p = -p; q = -q }
        numerator = p
        denominator = q
    }
    init(_ value: Z) { numerator = value; denominator = Z(1) }
    init(_ value: Int) { self.init(Z(value)) }

    static func + (a: Q, b: Q) -> Q { Q(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator) }
    static func - (a: Q, b: Q) -> Q { Q(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator) }
    static func * (a: Q, b: Q) -> Q { Q(a.numerator * b.numerator, a.denominator * b.denominator) }
    static func / (a: Q, b: Q) -> Q { Q(a.numerator * b.denominator, a.denominator * b.numerator) }

    var signum: Int { numerator.signum }
    var isZero: Bool { numerator.isZero }
    static func compare(_ a: Q, _ b: Q) -> Int { Z.compare(a.numerator * b.denominator, b.numerator * a.denominator) }
    static func == (a: Q, b: Q) -> Bool { a.numerator == b.numerator && a.denominator == b.denominator }
    static func < (a: Q, b: Q) -> Bool { compare(a, b) < 0 }

    var description: String {
        denominator == Z(1) ? numerator.description : "\(numerator)/\(denominator)"
    }
}
