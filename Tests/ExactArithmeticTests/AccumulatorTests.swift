import Testing
import TestSupport
@testable import ExactArithmetic

/// Σ w_j x_j in exact rationals: the plain reference.
func dot(_ w: [Rational], _ x: [Rational]) -> Rational {
    var sum = Rational(0)
    for (a, b) in zip(w, x) { sum += a * b }
    return sum
}

@Suite("IntegerAccumulator and DotProductFilter")
struct AccumulatorTests {
    @Test("the 128-bit accumulator spills to GMP exactly and agrees with plain BigInt sums")
    func accumulatorMatchesBigInt() {
        var rng = SplitMix64(seed: 30)
        for round in 0 ..< 300 {
            var accumulator = IntegerAccumulator()
            var reference = BigInt(0)
            for _ in 0 ..< Int(rng.next() % 50) + 1 {
                let a: BigInt, b: BigInt
                switch round % 3 {
                case 0:  // products near 2^126 force repeated spills
                    a = rng.next() % 2 == 0 ? BigInt(Int64.max) : BigInt(Int64.min)
                    b = rng.next() % 2 == 0 ? BigInt(Int64.max - Int64(rng.next() % 3)) : BigInt(Int64.min)
                case 1:
                    a = BigInt(Int64(bitPattern: rng.next()))
                    b = BigInt(Int64(bitPattern: rng.next()))
                default:  // mixed with big operands
                    a = randomBigInt(&rng, maxBits: 200)
                    b = randomBigInt(&rng, maxBits: 200)
                }
                accumulator.add(a, times: b)
                reference += a * b
                if rng.next() % 4 == 0 {
                    let c = randomBigInt(&rng, maxBits: 100)
                    accumulator.add(c)
                    reference += c
                }
            }
            #expect(accumulator.value == reference)
            #expect(accumulator.sign == reference.sign)
        }
    }

    @Test("the filter never decides a sign wrongly, on random and on exactly cancelling forms")
    func filterIsSound() throws {
        var rng = SplitMix64(seed: 31)
        var decided = 0, declined = 0
        for round in 0 ..< 4000 {
            let d = Int(rng.next() % 40) + 1
            // Dyadic weights with 32 fractional bits and decimal inputs, as in the construction.
            let w = (0 ..< d).map { _ in Rational(BigInt(Int64(bitPattern: rng.next()) >> 28), BigInt(1).shiftedLeft(by: 32)) }
            var x = (0 ..< d).map { _ in Rational(BigInt(Int64(bitPattern: rng.next()) >> 10), BigInt.powerOfTen(17)) }
            var b = Rational(BigInt(Int64(bitPattern: rng.next()) >> 30), BigInt(1).shiftedLeft(by: 32))
            switch round % 4 {
            case 0:  // make w·x + b exactly zero
                b = -dot(w, x)
            case 1:  // exactly ±10^-30 from zero
                let tiny = Rational(1) / Rational(BigInt.powerOfTen(30))
                b = rng.next() % 2 == 0 ? tiny - dot(w, x) : -tiny - dot(w, x)
            case 2:  // cancellation in the inputs: a large and an opposite large coordinate
                x[0] = Rational(BigInt.powerOfTen(20))
                if d > 1 { x[1] = -x[0] * w[0] / (w[1].isZero ? 1 : w[1]) }
            default:
                break
            }
            let exact = (dot(w, x) + b).sign
            let filter = DotProductFilter(dimension: d)
            let wh = w.map { $0.approximation! }, xh = x.map { $0.approximation! }, bh = b.approximation!
            guard wh.allSatisfy(DotProductFilter.accepts), xh.allSatisfy(DotProductFilter.accepts),
                  DotProductFilter.accepts(bh) else { continue }
            var s = bh
            for j in 0 ..< d { s += wh[j] * xh[j] }
            let bound = filter.bound(weightNorm: wh.reduce(0) { $0 + abs($1) },
                                     inputMaxAbs: xh.reduce(0) { max($0, abs($1)) }, biasMagnitude: abs(bh))
            if let sign = DotProductFilter.decide(s, bound: bound) {
                #expect(sign == exact, "round \(round): filter said \(sign), exact \(exact)")
                decided += 1
            } else {
                declined += 1
            }
        }
        // Rounds 0-2 (mod 4) cancel exactly or to within 1e-20 relative: the filter must decline
        // them; the generic rounds it should decide.
        #expect(decided > 900)
        #expect(declined > 2900)
    }

    @Test("1e20 + 1 - 1e20: float64 loses the 1, the filter declines, exact arithmetic keeps it")
    func absorption() throws {
        let w: [Rational] = [1, 1, -1]
        let x = try ["1e20", "1", "1e20"].map { try Rational(parsing: $0) }
        let exact = dot(w, x)
        #expect(exact == 1)
        let s = 1e20 + 1.0 - 1e20
        #expect(s == 0)  // what float64 answers
        let bound = DotProductFilter(dimension: 3).bound(weightNorm: 3, inputMaxAbs: 1e20, biasMagnitude: 0)
        #expect(DotProductFilter.decide(s, bound: bound) == nil)
    }
}
