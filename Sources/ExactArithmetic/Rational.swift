/// An exact rational number.
///
/// Every `Rational` is canonical (docs/ARCHITECTURE.md, "Canonical rationals"):
/// numerator and denominator are coprime and the denominator is positive
/// (zero is 0/1). Equal values therefore have equal parts, equal hashes and
/// equal printed forms. Both parts are `BigInt`s, so values whose parts fit in
/// `Int64` compute on machine words (with 128-bit intermediates) and never
/// allocate.
public struct Rational: Sendable, Hashable {
    /// The numerator; carries the sign.
    public let numerator: BigInt
    /// The denominator; always positive.
    public let denominator: BigInt

    /// Builds from parts already known to be canonical.
    @inlinable
    init(canonicalNumerator numerator: BigInt, denominator: BigInt) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Zero.
    @inlinable
    public init() {
        self.init(canonicalNumerator: 0, denominator: 1)
    }

    /// The integer `value`.
    @inlinable
    public init(_ value: BigInt) {
        self.init(canonicalNumerator: value, denominator: 1)
    }

    /// The integer `value`.
    @inlinable
    public init(_ value: Int) {
        self.init(canonicalNumerator: BigInt(value), denominator: 1)
    }

    /// `numerator / denominator`, reduced to canonical form.
    ///
    /// - Precondition: `denominator` is not zero.
    public init(_ numerator: BigInt, _ denominator: BigInt) {
        precondition(!denominator.isZero, "Rational with zero denominator")
        if let n = numerator.int64Value, let d = denominator.int64Value {
            self = Rational.reduced(Int128(n), Int128(d))
            return
        }
        let g = BigInt.gcd(numerator, denominator)
        var n = numerator.exactQuotient(dividingBy: g)
        var d = denominator.exactQuotient(dividingBy: g)
        if d.sign == .negative {
            n = -n
            d = -d
        }
        self.init(canonicalNumerator: n, denominator: d)
    }

    /// `numerator / denominator` on machine words, reduced.
    ///
    /// - Precondition: `denominator` is not zero.
    public init(_ numerator: Int, _ denominator: Int) {
        precondition(denominator != 0, "Rational with zero denominator")
        self = Rational.reduced(Int128(numerator), Int128(denominator))
    }

    /// Reduces `n / d` given in 128-bit words.
    @usableFromInline
    static func reduced(_ n: Int128, _ d: Int128) -> Rational {
        if n == 0 { return Rational() }
        let g: UInt128
        if let a = UInt64(exactly: n.magnitude), let b = UInt64(exactly: d.magnitude) {
            g = UInt128(WordArithmetic.gcd(a, b))  // the common case: one-word gcd
        } else {
            g = WordArithmetic.gcd(n.magnitude, d.magnitude)
        }
        let negative = (n < 0) != (d < 0)
        return Rational(canonicalNumerator: BigInt.fromMagnitude(n.magnitude / g, negative: negative),
                        denominator: BigInt.fromMagnitude(d.magnitude / g, negative: false))
    }

    // MARK: - Inspection

    /// The sign of the value.
    @inlinable
    public var sign: Sign { numerator.sign }

    /// True when the value is zero.
    @inlinable
    public var isZero: Bool { numerator.isZero }

    /// True when the value is an integer (denominator 1).
    @inlinable
    public var isInteger: Bool { denominator == 1 }

    /// The absolute value.
    public var magnitude: Rational {
        sign == .negative ? Rational(canonicalNumerator: -numerator, denominator: denominator) : self
    }

    /// True when the denominator is a power of two.
    public var isDyadic: Bool {
        let d = denominator
        return d.bitLength == d.trailingZeroBitCount + 1
    }

    /// Bits needed to write the value: bitLength(|p|) + bitLength(q) - 1, so
    /// integers cost their magnitude's bits (0 for 0, 1 for ±1) and 3/8 costs 2 + 4 - 1 = 5.
    public var bitSize: Int {
        if isZero { return 0 }
        return numerator.bitLength + denominator.bitLength - 1
    }
}

extension Rational: ExpressibleByIntegerLiteral {
    @inlinable
    public init(integerLiteral value: Int64) {
        self.init(canonicalNumerator: BigInt(value), denominator: 1)
    }
}

extension BigInt {
    /// The integer with the given 128-bit magnitude and sign.
    static func fromMagnitude(_ magnitude: UInt128, negative: Bool) -> BigInt {
        if let small = Int64(exactly: magnitude) { return BigInt(negative ? -small : small) }
        if negative && magnitude == UInt128(Int64.max) + 1 { return BigInt(Int64.min) }
        if let wide = Int128(exactly: magnitude) { return BigInt(negative ? -wide : wide) }
        // magnitude == 2^127 and above (only 2^127 can occur from Int128 inputs)
        let value = BigInt(Int128.max) + 1
        return negative ? -value : value
    }
}
