// MARK: - Exact numbers of grammar N (docs/formats.md, section 2)
//
//   number   := sign? ( decimal | fraction | hexfloat )
//   decimal  := digits ( "." digits? )? exponent?  |  "." digits exponent?      |exponent| <= 5000
//   fraction := digits "/" digits                                              denominator nonzero
//   hexfloat := ("0x"|"0X") ( hexdigits ("." hexdigits?)? | "." hexdigits ) ("p"|"P") sign? digits
//                                                                              |binary exponent| <= 16500
// Every value is exact. Values whose reduced numerator and denominator fit in
// Int64 stay in machine words (no allocation); anything larger goes to GMP.

/// A reduced rational: gcd(|num|, den) = 1, den >= 1.
enum Fraction: Sendable {
    case small(num: Int64, den: Int64)
    case big(Q)

    /// Normalises a GMP value: small when both parts fit in Int64.
    init(_ q: Q) {
        if let p = q.numerator.int64, let d = q.denominator.int64 { self = .small(num: p, den: d) } else { self = .big(q) }
    }

    var q: Q {
        switch self {
        case .small(let p, let d): return Q(Z(p), Z(d))
        case .big(let q): return q
        }
    }
    var isZero: Bool {
        switch self {
        case .small(let p, _): return p == 0
        case .big(let q): return q.isZero
        }
    }
}

/// Why text is not a number of grammar N; `offset` is relative to the text.
struct NumberError: Error {
    let message: String
    let offset: Int
}

/// gcd of two words (binary algorithm); gcd(0, b) = b.
@inline(__always)
func gcd64(_ a: UInt64, _ b: UInt64) -> UInt64 {
    if a == 0 { return b }
    if b == 0 { return a }
    var u = a, v = b
    let shift = (u | v).trailingZeroBitCount
    u >>= UInt64(u.trailingZeroBitCount)
    repeat {
        v >>= UInt64(v.trailingZeroBitCount)
        if u > v { swap(&u, &v) }
        v -= u
    } while v != 0
    return u << UInt64(shift)
}

enum ExactNumber {
    static let maximumDecimalExponent = 5000
    static let maximumBinaryExponent = 16500
    /// 10^k for k = 0...18.
    static let powersOfTen: [Int64] = (0 ... 18).map { k in (0 ..< k).reduce(Int64(1)) { p, _ in p * 10 } }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30 ... 0x39: return Int(b - 0x30)
        case 0x41 ... 0x46: return Int(b - 0x37)
        case 0x61 ... 0x66: return Int(b - 0x57)
        default: return nil
        }
    }

    /// Parses all of `text` as a number of grammar N.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) throws(NumberError) -> Fraction {
        let n = text.count
        guard n > 0 else { throw NumberError(message: "empty where a number was expected", offset: 0) }
        var i = 0
        var negative = false
        if text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: "-") {
            negative = text[0] == UInt8(ascii: "-")
            i = 1
        }
        if i + 1 < n && text[i] == UInt8(ascii: "0") && (text[i + 1] | 0x20) == UInt8(ascii: "x") {
            return try hexFloat(text, from: i + 2, negative: negative)
        }
        let integerStart = i
        while i < n && isDigit(text[i]) { i += 1 }
        let integerEnd = i
        if i < n && text[i] == UInt8(ascii: "/") {
            return try fraction(text, integerStart ..< integerEnd, slash: i, negative: negative)
        }
        var fractionStart = i, fractionEnd = i
        if i < n && text[i] == UInt8(ascii: ".") {
            i += 1
            fractionStart = i
            while i < n && isDigit(text[i]) { i += 1 }
            fractionEnd = i
        }
        if integerEnd == integerStart && fractionEnd == fractionStart { throw special(text, at: integerStart) }
        var exponent = 0
        if i < n && (text[i] | 0x20) == UInt8(ascii: "e") {
            exponent = try self.exponent(text, from: i + 1, limit: maximumDecimalExponent, end: &i)
        }
        if i < n { throw NumberError(message: "unexpected '\(excerpt([text[i]]))' in a number", offset: i) }
        return decimal(text, integerStart ..< integerEnd, fractionStart ..< fractionEnd, exponent: exponent, negative: negative)
    }

    /// The error for a text that is no number at all: NaN and infinities get their own message.
    static func special(_ text: UnsafeBufferPointer<UInt8>, at start: Int) -> NumberError {
        let word = String(decoding: UnsafeBufferPointer(rebasing: text[start...]), as: UTF8.self).lowercased()
        if word == "nan" { return NumberError(message: "NaN is not a number: every value must be finite and exact", offset: start) }
        if word == "inf" || word == "infinity" { return NumberError(message: "infinity is not allowed: every value must be finite", offset: start) }
        if start < text.count { return NumberError(message: "unexpected '\(excerpt([text[start]]))' in a number", offset: start) }
        return NumberError(message: "a number needs digits", offset: start)
    }

    /// The signed exponent after "e" or "p" at `from`, at most `limit` in magnitude; `end` is set past it.
    static func exponent(_ text: UnsafeBufferPointer<UInt8>, from: Int, limit: Int, end: inout Int) throws(NumberError) -> Int {
        var i = from
        var negative = false
        if i < text.count && (text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-")) {
            negative = text[i] == UInt8(ascii: "-")
            i += 1
        }
        let digitsStart = i
        var value = 0
        while i < text.count && isDigit(text[i]) {
            value = min(value * 10 + Int(text[i] &- 0x30), limit + 1)
            i += 1
        }
        if i == digitsStart { throw NumberError(message: "an exponent needs digits", offset: i) }
        if value > limit { throw NumberError(message: "exponent out of range (|exponent| at most \(limit))", offset: digitsStart) }
        end = i
        return negative ? -value : value
    }

    /// digits "/" digits.
    static func fraction(_ text: UnsafeBufferPointer<UInt8>, _ numerator: Range<Int>, slash: Int, negative: Bool) throws(NumberError) -> Fraction {
        if numerator.isEmpty { throw NumberError(message: "a fraction p/q needs digits before '/'", offset: slash) }
        var i = slash + 1
        while i < text.count && isDigit(text[i]) { i += 1 }
        let denominator = slash + 1 ..< i
        if denominator.isEmpty { throw NumberError(message: "a fraction p/q needs digits after '/'", offset: slash + 1) }
        if i < text.count { throw NumberError(message: "unexpected '\(excerpt([text[i]]))' in a fraction (p/q takes digits only)", offset: i) }
        let p = digitsValue(text, numerator), q = digitsValue(text, denominator)
        if q.isZero { throw NumberError(message: "zero denominator", offset: slash + 1) }
        return divide(p, q, negative: negative)
    }

    /// The value of decimal digits: a word when at most 18 significant digits, else GMP.
    static func digitsValue(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Fraction {
        var first = range.lowerBound
        while first < range.upperBound && text[first] == UInt8(ascii: "0") { first += 1 }
        if range.upperBound - first <= 18 {
            var v: Int64 = 0
            for k in first ..< range.upperBound { v = v * 10 + Int64(text[k] &- 0x30) }
            return .small(num: v, den: 1)
        }
        return .big(Q(Z(digits: UnsafeBufferPointer(rebasing: text[first ..< range.upperBound]), base: 10)))
    }

    /// ±p / q for integers p >= 0, q > 0, reduced.
    static func divide(_ p: Fraction, _ q: Fraction, negative: Bool) -> Fraction {
        if case .small(let a, 1) = p, case .small(let b, 1) = q {
            let g = Int64(gcd64(UInt64(a), UInt64(b)))
            return .small(num: negative ? -(a / g) : a / g, den: b / g)
        }
        let value = Q(p.q.numerator, q.q.numerator)
        return Fraction(negative ? Q(-value.numerator, value.denominator) : value)
    }

    /// (integer digits . fraction digits) × 10^exponent.
    static func decimal(_ text: UnsafeBufferPointer<UInt8>, _ integerDigits: Range<Int>, _ fractionDigits: Range<Int>,
                        exponent: Int, negative: Bool) -> Fraction {
        // Significant digits: skip leading zeros of the integer part, then of the fraction part when the integer part is 0.
        var digits: [Range<Int>] = [integerDigits, fractionDigits]
        var first = integerDigits.lowerBound
        while first < integerDigits.upperBound && text[first] == UInt8(ascii: "0") { first += 1 }
        digits[0] = first ..< integerDigits.upperBound
        if digits[0].isEmpty {
            var f = fractionDigits.lowerBound
            while f < fractionDigits.upperBound && text[f] == UInt8(ascii: "0") { f += 1 }
            digits[1] = f ..< fractionDigits.upperBound
        }
        let count = digits[0].count + digits[1].count
        if count == 0 { return .small(num: 0, den: 1) }
        let scale = exponent - fractionDigits.count  // value = mantissa × 10^scale
        if count <= 18 && scale >= -18 && scale <= 18 {
            var m: Int64 = 0
            for r in digits { for k in r { m = m * 10 + Int64(text[k] &- 0x30) } }
            if scale >= 0 {
                let (product, overflow) = m.multipliedReportingOverflow(by: powersOfTen[scale])
                if !overflow { return .small(num: negative ? -product : product, den: 1) }
            } else {
                let den = powersOfTen[-scale]
                let g = Int64(gcd64(UInt64(m), UInt64(den)))
                return .small(num: negative ? -(m / g) : m / g, den: den / g)
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for r in digits { bytes.append(contentsOf: text[r]) }
        var mantissa = bytes.withUnsafeBufferPointer { Z(digits: $0, base: 10) }
        if negative { mantissa = -mantissa }
        let power = Z(10).power(abs(scale))
        return Fraction(scale >= 0 ? Q(mantissa * power) : Q(mantissa, power))
    }

    /// Hexadecimal digits with an optional point, then the required binary exponent.
    static func hexFloat(_ text: UnsafeBufferPointer<UInt8>, from start: Int, negative: Bool) throws(NumberError) -> Fraction {
        var i = start
        var digits: [UInt8] = []
        var fractionCount = 0
        var sawDigit = false, sawPoint = false
        while i < text.count {
            if hexValue(text[i]) != nil {
                sawDigit = true
                if sawPoint { fractionCount += 1 }
                digits.append(text[i])
            } else if text[i] == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            i += 1
        }
        if !sawDigit { throw NumberError(message: "a hexadecimal number needs hex digits", offset: i) }
        guard i < text.count, (text[i] | 0x20) == UInt8(ascii: "p") else {
            throw NumberError(message: "a hexadecimal number needs a binary exponent (p followed by digits)", offset: i)
        }
        let e = try exponent(text, from: i + 1, limit: maximumBinaryExponent, end: &i)
        if i < text.count { throw NumberError(message: "unexpected '\(excerpt([text[i]]))' in a number", offset: i) }
        // The mantissa is the integer of all hex digits; leading zeros do not change it.
        let significant = Array(digits.drop { $0 == UInt8(ascii: "0") })
        if significant.isEmpty { return .small(num: 0, den: 1) }
        let shift = e - 4 * fractionCount  // value = mantissa × 2^shift
        var mantissa = significant.withUnsafeBufferPointer { Z(digits: $0, base: 16) }
        if negative { mantissa = -mantissa }
        if shift >= 0 { return Fraction(Q(mantissa.shiftedLeft(by: shift))) }
        return Fraction(Q(mantissa, Z(1).shiftedLeft(by: -shift)))
    }
}
