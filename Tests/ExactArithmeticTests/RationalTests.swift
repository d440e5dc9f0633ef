import Testing
import TestSupport
@testable import ExactArithmetic

/// A random rational with parts of up to `maxBits` bits, often near word edges.
func randomRational(_ rng: inout SplitMix64, maxBits: Int = 200) -> Rational {
    let n = randomBigInt(&rng, maxBits: maxBits)
    var d = randomBigInt(&rng, maxBits: maxBits).magnitude
    if d.isZero { d = 1 }
    return Rational(n, d)
}

@Suite("Rational")
struct RationalTests {
    @Test("always canonical: reduced with a positive denominator")
    func canonical() {
        var rng = SplitMix64(seed: 10)
        for _ in 0 ..< 2000 {
            let x = randomRational(&rng)
            #expect(x.denominator.sign == .positive)
            #expect(BigInt.gcd(x.numerator, x.denominator) == 1)
        }
        #expect(Rational(6, -4).description == "-3/2")
        #expect(Rational(0, -7).denominator == 1)
        #expect(Rational(BigInt(Int64.min), BigInt(Int64.min)) == 1)
        #expect(Rational(BigInt(Int64.min), -1).numerator == -BigInt(Int64.min))
    }

    @Test("the common denominator is the least multiplier that makes every value an integer")
    func commonDenominator() {
        var rng = SplitMix64(seed: 14)
        for round in 0 ..< 500 {
            // Shared denominators half the time, so the divisibility shortcut is exercised.
            let shared = randomRational(&rng, maxBits: round % 2 == 0 ? 20 : 90).denominator
            let values = (0 ..< rng.below(6)).map { _ in
                round % 2 == 0 ? Rational(randomBigInt(&rng, maxBits: 80), shared) : randomRational(&rng, maxBits: 90)
            }
            let l = Rational.commonDenominator(of: values)
            // L clears every denominator, equals the lcm, and is least: L/p fails for some value for each small prime p | L.
            #expect(l.sign == .positive)
            for v in values {
                #expect((v * Rational(l)).isInteger)
                #expect(Rational(v.scaled(by: l)) == v * Rational(l))
            }
            #expect(l == values.reduce(BigInt(1)) { BigInt.lcm($0, $1.denominator) })
            for p: BigInt in [2, 3, 5, 7] where l.isMultiple(of: p) {
                let smaller = Rational(l.exactQuotient(dividingBy: p))
                #expect(values.contains { !($0 * smaller).isInteger }, "L/\(p) would do")
            }
        }
        #expect(Rational.commonDenominator(of: [Rational]()) == 1)
        #expect(Rational.commonDenominator(of: [Rational(1, 4), Rational(5, 6), Rational(7)]) == 12)
    }

    @Test("field identities, and the word path agrees with the general path")
    func identities() throws {
        var rng = SplitMix64(seed: 11)
        for round in 0 ..< 3000 {
            let bits = round % 3 == 0 ? 40 : (round % 3 == 1 ? 64 : 300)
            let a = randomRational(&rng, maxBits: bits)
            let b = randomRational(&rng, maxBits: bits)
            let c = randomRational(&rng, maxBits: bits)
            #expect((a + b) - b == a)
            #expect(a * (b + c) == a * b + a * c)
            if !b.isZero { #expect((a / b) * b == a) }
            #expect(a + b == Rational.addGeneral(a.numerator, a.denominator, b.numerator, b.denominator))
            #expect(a * b == Rational.multiplyGeneral(a, b))
            #expect(Rational.compare(a, b) == Rational.compareGeneral(a, b))
            // Cross-multiplication as an independent order reference.
            let cross = BigInt.compare(a.numerator * b.denominator, b.numerator * a.denominator)
            #expect(Rational.compare(a, b) == cross)
            #expect(try Rational(parsing: a.description) == a)
            #expect(Rational(a.floor) <= a && a < Rational(a.floor + 1))
            #expect(Rational(a.ceiling) >= a && Rational(a.ceiling - 1) < a)
        }
    }

    @Test("word results at the Int64 edge promote exactly")
    func edges() {
        let maxWord = Rational(BigInt(Int64.max))
        #expect((maxWord + 1).numerator == BigInt(Int128(Int64.max) + 1))
        let tiny = Rational(1, Int(Int64.max))
        #expect((tiny * tiny).denominator == BigInt(Int128(Int64.max) * Int128(Int64.max)))
        #expect(tiny + tiny - tiny == tiny)
        let minWord = Rational(BigInt(Int64.min))
        #expect((-minWord).numerator == BigInt(Int128(1) << 63))
        #expect(minWord.reciprocal.denominator == BigInt(Int128(1) << 63))
    }

    @Test("sums that cancel exactly: 1/3 + 1/3 - 2/3 = 0 and 0.1 + 0.2 - 0.3 = 0")
    func cancellation() throws {
        #expect(Rational(1, 3) + Rational(1, 3) - Rational(2, 3) == 0)
        let sum = try Rational(parsing: "0.1") + Rational(parsing: "0.2") - Rational(parsing: "0.3")
        #expect(sum.isZero)
        // float64 would say 5.551115123125783e-17 here.
        #expect(0.1 + 0.2 - 0.3 != 0.0)
    }

    @Test("approximations stay within the stated relative error 2^-50")
    func approximationBound() {
        var rng = SplitMix64(seed: 12)
        let rho = Rational(exactly: Rational.approximationRelativeError)!
        var checked = 0
        for round in 0 ..< 3000 {
            let x = randomRational(&rng, maxBits: round % 2 == 0 ? 62 : 500)
            guard let a = x.approximation else { continue }
            let exact = Rational(exactly: a)!
            #expect((x - exact).magnitude <= rho * exact.magnitude, "\(x) ~ \(a)")
            checked += 1
        }
        #expect(checked > 2500)
        // Doubles round-trip exactly through Rational.
        for _ in 0 ..< 1000 {
            let d = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF | 0x3000_0000_0000_0000)
            #expect(Rational(exactly: d)!.approximation == d || Rational(exactly: d)!.numerator.int64Value == nil)
        }
        #expect(Rational(exactly: 0x1p-1074)! == Rational(1, 1).power(1) / Rational(BigInt(1).shiftedLeft(by: 1074)))
    }

    @Test("display helpers round as documented")
    func display() {
        #expect(Rational(1, 20).decimalString(fractionDigits: 3) == "0.050")
        #expect(Rational(-2, 3).decimalString(fractionDigits: 2) == "-0.67")
        #expect(Rational(1, 400).scientificString() == "2.50e-3")
        #expect(Rational(999, 1).scientificString(significantDigits: 2) == "1.0e+3")
        #expect(Rational(7, 2).bitSize == 3 + 2 - 1)
        #expect(Rational(-1).bitSize == 1)
        #expect(Rational(3, 8).isDyadic && !Rational(1, 3).isDyadic)
    }
}

@Suite("Doubles to exact dyadic rationals")
struct NearestDyadicTests {
    @Test("equals round(v · 2^b) / 2^b (halves away from zero) wherever the product is a finite double")
    func agreesWithDoubleArithmetic() {
        var rng = SplitMix64(seed: 31)
        for _ in 0 ..< 5000 {
            let v = Double(bitPattern: rng.next() & 0x800F_FFFF_FFFF_FFFF | UInt64(rng.below(200) + 923) << 52)  // |v| in 2^[-100, 100)
            let bits = rng.below(120)
            let scaled = (v * Double(sign: .plus, exponent: bits, significand: 1)).rounded()
            let expected = Rational(BigInt(exactly: scaled)!, BigInt(1).shiftedLeft(by: bits))
            #expect(Rational(nearestDyadic: v, fractionalBits: bits) == expected, "\(v), \(bits)")
        }
        #expect(Rational(nearestDyadic: 0.5, fractionalBits: 0) == 1 && Rational(nearestDyadic: -0.5, fractionalBits: 0) == -1)
        #expect(Rational(nearestDyadic: 2.5, fractionalBits: 0) == 3 && Rational(nearestDyadic: 0.25, fractionalBits: 1) == Rational(1, 2))
        #expect(Rational(nearestDyadic: 0.1, fractionalBits: 0) == 0 && Rational(nearestDyadic: -0.0, fractionalBits: 5) == 0)
    }

    @Test("defined where v · 2^b overflows a double: 1e300 at 1000 bits is exactly 1e300 (it trapped)")
    func beyondDoubles() {
        let big = Rational(nearestDyadic: 1e300, fractionalBits: 1000)
        #expect(big == Rational(exactly: 1e300)!)
        let tiny = Rational(nearestDyadic: Double.leastNonzeroMagnitude, fractionalBits: 1074)
        #expect(tiny == Rational(exactly: Double.leastNonzeroMagnitude)!)
        // 2^-1074 at 1073 bits is exactly half a unit: rounded away from zero.
        #expect(Rational(nearestDyadic: Double.leastNonzeroMagnitude, fractionalBits: 1073) == Rational(1, BigInt(1).shiftedLeft(by: 1073)))
        #expect(Rational(nearestDyadic: Double.leastNonzeroMagnitude, fractionalBits: 1072) == 0)
        #expect(Rational(nearestDyadic: -Double.greatestFiniteMagnitude, fractionalBits: 64) == Rational(exactly: -Double.greatestFiniteMagnitude)!)
    }
}
