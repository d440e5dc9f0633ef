@testable import ExactArithmetic
import TestSupport


/// Integers at and around the machine-word edges the fast paths must handle.
let edgeValues: [BigInt] = {
    var result: [BigInt] = []
    for bits in [0, 1, 31, 32, 52, 53, 62, 63, 64, 65, 126, 127, 128, 200] {
        let p = BigInt(1).shiftedLeft(by: bits)
        for delta: BigInt in [-1, 0, 1] {
            result.append(p + delta)
            result.append(-(p + delta))
        }
    }
    result.append(BigInt(Int64.max))
    result.append(BigInt(Int64.min))
    return result
}()

/// A random integer with up to `maxBits` bits, biased toward edge sizes.
func randomBigInt(_ rng: inout SplitMix64, maxBits: Int = 300) -> BigInt {
    switch rng.next() % 4 {
    case 0:
        return edgeValues[Int(rng.next() % UInt64(edgeValues.count))]
    case 1:
        return BigInt(Int64(bitPattern: rng.next()) >> Int64(rng.next() % 64))
    default:
        let bits = Int(rng.next() % UInt64(maxBits)) + 1
        var value = BigInt(0)
        var remaining = bits
        while remaining > 0 {
            let take = min(remaining, 60)
            value = value.shiftedLeft(by: take) + BigInt(Int64(rng.next() >> UInt64(64 - take)))
            remaining -= take
        }
        return rng.next() % 2 == 0 ? value : -value
    }
}

/// A schoolbook decimal big-integer (base 10^9 limbs), independent of GMP,
/// used as a second algorithm to check BigInt on numbers with thousands of digits.
struct DecimalReference: Equatable {
    var negative: Bool
    var limbs: [UInt64]  // little-endian, base 10^9, no trailing zero limbs

    static let base: UInt64 = 1_000_000_000

    init(_ text: String) {
        var digits = Substring(text)
        negative = digits.hasPrefix("-")
        if negative || digits.hasPrefix("+") { digits = digits.dropFirst() }
        limbs = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -9, limitedBy: digits.startIndex) ?? digits.startIndex
            limbs.append(UInt64(digits[start ..< end])!)
            end = start
        }
        trim()
    }

    init(negative: Bool, limbs: [UInt64]) {
        self.negative = negative
        self.limbs = limbs
        trim()
    }

    mutating func trim() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        if limbs.isEmpty { negative = false }
    }

    var text: String {
        guard let last = limbs.last else { return "0" }
        var s = (negative ? "-" : "") + String(last)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            s += String(repeating: "0", count: 9 - part.count) + part
        }
        return s
    }

    static func compareMagnitude(_ a: [UInt64], _ b: [UInt64]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return 0
    }

    static func addMagnitude(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var result: [UInt64] = []
        var carry: UInt64 = 0
        for i in 0 ..< max(a.count, b.count) {
            let s = (i < a.count ? a[i] : 0) + (i < b.count ? b[i] : 0) + carry
            result.append(s % base)
            carry = s / base
        }
        if carry > 0 { result.append(carry) }
        return result
    }

    /// a - b for |a| >= |b|.
    static func subtractMagnitude(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var result: [UInt64] = []
        var borrow: Int64 = 0
        for i in 0 ..< a.count {
            var s = Int64(a[i]) - (i < b.count ? Int64(b[i]) : 0) - borrow
            borrow = 0
            if s < 0 { s += Int64(base); borrow = 1 }
            result.append(UInt64(s))
        }
        return result
    }

    static func + (a: DecimalReference, b: DecimalReference) -> DecimalReference {
        if a.negative == b.negative { return DecimalReference(negative: a.negative, limbs: addMagnitude(a.limbs, b.limbs)) }
        if compareMagnitude(a.limbs, b.limbs) >= 0 {
            return DecimalReference(negative: a.negative, limbs: subtractMagnitude(a.limbs, b.limbs))
        }
        return DecimalReference(negative: b.negative, limbs: subtractMagnitude(b.limbs, a.limbs))
    }

    static prefix func - (a: DecimalReference) -> DecimalReference {
        DecimalReference(negative: !a.negative, limbs: a.limbs)
    }

    static func * (a: DecimalReference, b: DecimalReference) -> DecimalReference {
        if a.limbs.isEmpty || b.limbs.isEmpty { return DecimalReference("0") }
        var result = [UInt64](repeating: 0, count: a.limbs.count + b.limbs.count + 1)
        for i in 0 ..< a.limbs.count {
            var carry: UInt64 = 0
            for j in 0 ..< b.limbs.count {
                let t = result[i + j] + a.limbs[i] * b.limbs[j] + carry
                result[i + j] = t % base
                carry = t / base
            }
            var k = i + b.limbs.count
            while carry > 0 {
                let t = result[k] + carry
                result[k] = t % base
                carry = t / base
                k += 1
            }
        }
        return DecimalReference(negative: a.negative != b.negative, limbs: result)
    }
}

/// A random decimal string with `digits` digits (no leading zero), maybe negative.
func randomDecimalText(_ rng: inout SplitMix64, digits: Int) -> String {
    var s = rng.next() % 2 == 0 ? "-" : ""
    s.append(Character(String(rng.next() % 9 + 1)))
    for _ in 1 ..< digits { s.append(Character(String(rng.next() % 10))) }
    return s
}
