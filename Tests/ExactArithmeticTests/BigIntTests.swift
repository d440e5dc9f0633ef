import Testing
import TestSupport
@testable import ExactArithmetic

@Suite("BigInt")
struct BigIntTests {
    // MARK: - Against Int128, with the inline path and the plain GMP path

    @Test("ring operations agree with Int128 and with the GMP-only path near the word edges")
    func agreesWithInt128() {
        var rng = SplitMix64(seed: 1)
        var checked = 0
        let candidates = edgeValues.filter { $0.int128Value != nil }
        for _ in 0 ..< 4000 {
            let a = candidates[Int(rng.next() % UInt64(candidates.count))] + BigInt(Int64(rng.next() % 5) - 2)
            let b = rng.next() % 2 == 0
                ? candidates[Int(rng.next() % UInt64(candidates.count))]
                : BigInt(Int64(bitPattern: rng.next()) >> Int64(rng.next() % 64))
            guard let x = a.int128Value, let y = b.int128Value else { continue }
            let (s, so) = x.addingReportingOverflow(y)
            if !so { #expect((a + b).int128Value == s, "\(a) + \(b)") }
            let (d, dov) = x.subtractingReportingOverflow(y)
            if !dov { #expect((a - b).int128Value == d, "\(a) - \(b)") }
            let (p, po) = x.multipliedReportingOverflow(by: y)
            if !po { #expect((a * b).int128Value == p, "\(a) * \(b)") }
            if y != 0, !(x == .min && y == -1) {
                let (q, r) = a.quotientAndRemainder(dividingBy: b)
                #expect(q.int128Value == x / y && r.int128Value == x % y, "\(a) / \(b)")
            }
            #expect((a < b) == (x < y))
            #expect((a == b) == (x == y))
            // The GMP-only path gives the same results.
            #expect(a + b == BigInt.addSlow(a, b))
            #expect(a - b == BigInt.subtractSlow(a, b))
            #expect(a * b == BigInt.multiplySlow(a, b))
            #expect(-a == BigInt.negateSlow(a))
            #expect(BigInt.compare(a, b) == BigInt.compareSlow(a, b))
            checked += 1
        }
        #expect(checked > 3000)
    }

    @Test("results are normalised: values that fit Int64 are inline, others are not")
    func normalisation() {
        let big = BigInt(1).shiftedLeft(by: 70)
        #expect(!big.isSmall)
        let back = big - (big - 5)
        #expect(back.isSmall && back == 5)
        #expect(BigInt(Int64.max) + 1 == BigInt(Int128(Int64.max) + 1))
        #expect(!(BigInt(Int64.max) + 1).isSmall)
        #expect((BigInt(Int64.min) - 1).int128Value == Int128(Int64.min) - 1)
        #expect((-BigInt(Int64.min)).int128Value == -Int128(Int64.min))
        #expect(BigInt(Int64.min).quotientAndRemainder(dividingBy: -1).quotient.int128Value == -Int128(Int64.min))
        var set = Set<BigInt>()
        set.insert(big - big + 7)
        set.insert(7)
        #expect(set.count == 1)
    }

    // MARK: - Independent reference for big numbers

    @Test("thousands of digits: sums and products match a schoolbook decimal implementation")
    func schoolbookReference() {
        var rng = SplitMix64(seed: 2)
        for round in 0 ..< 40 {
            let da = round < 20 ? Int(rng.next() % 60) + 1 : Int(rng.next() % 3000) + 1
            let db = round < 20 ? Int(rng.next() % 60) + 1 : Int(rng.next() % 3000) + 1
            let ta = randomDecimalText(&rng, digits: da), tb = randomDecimalText(&rng, digits: db)
            let a = BigInt(ta)!, b = BigInt(tb)!
            let ra = DecimalReference(ta), rb = DecimalReference(tb)
            #expect(a.description == ra.text)
            #expect((a + b).description == (ra + rb).text)
            #expect((a - b).description == (ra + -rb).text)
            #expect((a * b).description == (ra * rb).text)
        }
    }

    @Test("identities on random integers up to 4000 bits")
    func identities() {
        var rng = SplitMix64(seed: 3)
        for round in 0 ..< 500 {
            let a = randomBigInt(&rng, maxBits: round < 400 ? 300 : 4000)
            let b = randomBigInt(&rng, maxBits: round < 400 ? 300 : 4000)
            let c = randomBigInt(&rng, maxBits: 200)
            #expect((a + b) - b == a)
            #expect(a * (b + c) == a * b + a * c)
            #expect(a - a == 0)
            if !b.isZero {
                let (q, r) = a.quotientAndRemainder(dividingBy: b)
                #expect(q * b + r == a)
                #expect(r.magnitude < b.magnitude)
                #expect(r.isZero || r.sign == a.sign)
                #expect((a * b).exactQuotient(dividingBy: b) == a)
                let (fq, fr) = a.flooredQuotientAndRemainder(dividingBy: b)
                #expect(fq * b + fr == a && (fr.isZero || fr.sign == b.sign))
            }
            let g = BigInt.gcd(a, b)
            #expect(g.sign != .negative)
            if !g.isZero {
                #expect(a.isMultiple(of: g) && b.isMultiple(of: g))
                #expect(BigInt.gcd(a.exactQuotient(dividingBy: g), b.exactQuotient(dividingBy: g)) == 1)
                #expect(g * BigInt.lcm(a, b) == (a * b).magnitude)
            }
            #expect(BigInt(a.description) == a)  // parse(print(x)) == x
            #expect(a.shiftedLeft(by: 67) == a * BigInt.power(2, 67))
            #expect(a.shiftedLeft(by: 67).shiftedRightTruncating(by: 67) == a)
        }
    }

    @Test("bit length, trailing zeros and square roots at the edges")
    func bits() {
        #expect(BigInt(0).bitLength == 0)
        #expect(BigInt(1).bitLength == 1)
        #expect(BigInt(-1).bitLength == 1)
        #expect(BigInt(Int64.min).bitLength == 64)
        #expect(BigInt(Int64.max).bitLength == 63)
        for bits in [1, 31, 53, 63, 64, 65, 127, 128, 1000] {
            let p = BigInt(1).shiftedLeft(by: bits)
            #expect(p.bitLength == bits + 1)
            #expect((p - 1).bitLength == bits)
            #expect(p.trailingZeroBitCount == bits)
            #expect((-p).bitLength == bits + 1)
            let r = p.integerSquareRoot
            #expect(r * r <= p && (r + 1) * (r + 1) > p)
        }
        for v: Int64 in [0, 1, 2, 3, 4, 15, 16, 17, Int64.max, 1 << 62, (1 << 62) - 1] {
            let r = BigInt(v).integerSquareRoot
            #expect(r * r <= BigInt(v) && (r + 1) * (r + 1) > BigInt(v))
        }
    }

    @Test("binomials follow Pascal's rule")
    func binomials() {
        for n in 1 ..< 60 {
            for k in 1 ..< n {
                #expect(BigInt.binomial(n, k) == BigInt.binomial(n - 1, k - 1) + BigInt.binomial(n - 1, k))
            }
        }
        #expect(BigInt.binomial(5, 7) == 0)
        #expect(BigInt.binomial(0, 0) == 1)
    }

    @Test("conversions from doubles and 128-bit words are exact")
    func conversions() {
        #expect(BigInt(exactly: 0x1p70) == BigInt(1).shiftedLeft(by: 70))
        #expect(BigInt(exactly: -0x1p63) == BigInt(Int64.min))
        #expect(BigInt(exactly: 1.5) == nil)
        #expect(BigInt(exactly: .infinity) == nil)
        #expect(BigInt(Int128.min).int128Value == Int128.min)
        #expect(BigInt(Int128.max).int128Value == Int128.max)
        #expect((BigInt(Int128.max) + 1).int128Value == nil)
        #expect(BigInt(UInt64.max) == BigInt(1).shiftedLeft(by: 64) - 1)
        #expect(BigInt("12x") == nil)
        #expect(BigInt("") == nil)
        #expect(BigInt("-0") == 0)
    }
}
