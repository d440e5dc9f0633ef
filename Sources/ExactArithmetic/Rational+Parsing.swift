// MARK: - Exact parsing
//
// Grammar N (docs/formats.md, section 2), no whitespace inside:
//   number   := sign? ( decimal | fraction | hexfloat )
//   decimal  := digits ( "." digits? )? exponent?  |  "." digits exponent?
//   exponent := ("e" | "E") sign? digits            (|exponent| <= 5000)
//   fraction := digits "/" digits                    (denominator nonzero)
//   hexfloat := ("0x" | "0X") ( hexdigits ("." hexdigits?)? | "." hexdigits ) binexp
//   binexp   := ("p" | "P") sign? digits             (required; |exponent| <= 16500)
// Every value is read exactly: 0.1 is 1/10, 0x1.8p-1 is 3/4, never a binary approximation.

extension Rational {
    /// The largest decimal exponent accepted, so that a short literal such as
    /// `1e-999999999` cannot demand gigabytes of memory (about 2 KB at most).
    public static let maximumDecimalExponent = 5000
    /// The largest binary exponent of a hexadecimal float (about 2 KB at most).
    public static let maximumBinaryExponent = 16500

    /// Parses `text` exactly (see the grammar above).
    public init(parsing text: some StringProtocol) throws(NumberParseError) {
        var copy = String(text)
        let result = copy.withUTF8 { bytes in
            Result { () throws(NumberParseError) in try Rational.parse(bytes) }
        }
        self = try result.get()
    }

    /// Parses ASCII bytes exactly; no heap allocation when numerator and
    /// denominator have at most 18 significant digits.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(NumberParseError) -> Rational {
        let n = bytes.count
        guard n > 0 else { throw NumberParseError(.empty, at: 0) }
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            i = 1
        }
        if i + 1 < n && bytes[i] == UInt8(ascii: "0") && (bytes[i + 1] | 0x20) == UInt8(ascii: "x") {
            return try parseHexFloat(bytes, from: i + 2, negative: negative)
        }
        if i < n, !isDigit(bytes[i]), bytes[i] != UInt8(ascii: ".") {
            try rejectSpecial(bytes, from: i)
        }

        let integerStart = i
        while i < n && isDigit(bytes[i]) { i += 1 }
        let integerEnd = i
        var fractionStart = i, fractionEnd = i
        var sawPoint = false
        if i < n && bytes[i] == UInt8(ascii: ".") {
            sawPoint = true
            i += 1
            fractionStart = i
            while i < n && isDigit(bytes[i]) { i += 1 }
            fractionEnd = i
        }
        if integerEnd == integerStart && fractionEnd == fractionStart {
            throw NumberParseError(i < n ? .unexpectedCharacter(Character(UnicodeScalar(bytes[i]))) : .missingDigits,
                                   at: i)
        }

        var exponent = 0
        var sawExponent = false
        if i < n && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            sawExponent = true
            i += 1
            var exponentNegative = false
            if i < n && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            let exponentStart = i
            while i < n && isDigit(bytes[i]) {
                if exponent <= maximumDecimalExponent { exponent = exponent * 10 + Int(bytes[i] &- 48) }
                i += 1
            }
            if i == exponentStart { throw NumberParseError(.missingDigits, at: i) }
            if exponent > maximumDecimalExponent { throw NumberParseError(.exponentOutOfRange, at: exponentStart) }
            if exponentNegative { exponent = -exponent }
        }

        if i < n && bytes[i] == UInt8(ascii: "/") {
            if sawPoint || sawExponent { throw NumberParseError(.fractionOfNonIntegers, at: i) }
            let slash = i
            i += 1
            let denominatorStart = i
            while i < n && isDigit(bytes[i]) { i += 1 }
            if i == denominatorStart {
                throw NumberParseError(i < n ? .unexpectedCharacter(Character(UnicodeScalar(bytes[i]))) : .missingDigits,
                                       at: i)
            }
            if i < n { throw NumberParseError(.unexpectedCharacter(Character(UnicodeScalar(bytes[i]))), at: i) }
            let numerator = BigInt(decimalDigits: UnsafeBufferPointer(rebasing: bytes[integerStart..<integerEnd]),
                                   negative: negative)
            let denominator = BigInt(decimalDigits: UnsafeBufferPointer(rebasing: bytes[denominatorStart..<i]),
                                     negative: false)
            if denominator.isZero { throw NumberParseError(.zeroDenominator, at: slash + 1) }
            return Rational(numerator, denominator)
        }
        if i < n { throw NumberParseError(.unexpectedCharacter(Character(UnicodeScalar(bytes[i]))), at: i) }

        return decimalValue(bytes, integerStart ..< integerEnd, fractionStart ..< fractionEnd,
                            exponent: exponent, negative: negative)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 }

    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 || (byte | 0x20) &- 97 < 6 }

    /// hexdigits ("." hexdigits?)? | "." hexdigits, then the required binary exponent:
    /// the value is (all hex digits as one integer) × 2^(exponent − 4 · digits after the point).
    static func parseHexFloat(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, negative: Bool) throws(NumberParseError) -> Rational {
        let n = bytes.count
        var i = start
        var digits: [UInt8] = []
        var fractionDigits = 0
        var sawPoint = false
        while i < n {
            if isHexDigit(bytes[i]) {
                digits.append(bytes[i])
                if sawPoint { fractionDigits += 1 }
            } else if bytes[i] == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            i += 1
        }
        if digits.isEmpty { throw NumberParseError(.missingDigits, at: i) }
        guard i < n, (bytes[i] | 0x20) == UInt8(ascii: "p") else { throw NumberParseError(.missingBinaryExponent, at: i) }
        i += 1
        var exponentNegative = false
        if i < n && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
            exponentNegative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        let exponentStart = i
        var exponent = 0
        while i < n && isDigit(bytes[i]) {
            if exponent <= maximumBinaryExponent { exponent = exponent * 10 + Int(bytes[i] &- 48) }
            i += 1
        }
        if i == exponentStart { throw NumberParseError(.missingDigits, at: i) }
        if exponent > maximumBinaryExponent { throw NumberParseError(.binaryExponentOutOfRange, at: exponentStart) }
        if i < n { throw NumberParseError(.unexpectedCharacter(Character(UnicodeScalar(bytes[i]))), at: i) }
        let significant = Array(digits.drop { $0 == UInt8(ascii: "0") })
        if significant.isEmpty { return Rational() }
        var mantissa = significant.withUnsafeBufferPointer { BigInt(hexDigits: $0) }
        if negative { mantissa = -mantissa }
        let shift = (exponentNegative ? -exponent : exponent) - 4 * fractionDigits
        return shift >= 0 ? Rational(mantissa.shiftedLeft(by: shift)) : Rational(mantissa, BigInt(1).shiftedLeft(by: -shift))
    }

    /// Throws the precise error for `nan`, `inf`, `infinity` (any case) or a stray character.
    static func rejectSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(NumberParseError) {
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self).lowercased()
        if word == "nan" { throw NumberParseError(.notANumber, at: start) }
        if word == "inf" || word == "infinity" { throw NumberParseError(.infinite, at: start) }
        throw NumberParseError(.unexpectedCharacter(Character(UnicodeScalar(bytes[start]))), at: start)
    }

    /// The value (integer digits . fraction digits) * 10^exponent.
    static func decimalValue(_ bytes: UnsafeBufferPointer<UInt8>, _ integerDigits: Range<Int>,
                             _ fractionDigits: Range<Int>, exponent: Int, negative: Bool) -> Rational {
        // Significant digits: integer and fraction digits without leading zeros.
        var firstSignificant = integerDigits.lowerBound
        while firstSignificant < integerDigits.upperBound && bytes[firstSignificant] == UInt8(ascii: "0") {
            firstSignificant += 1
        }
        let scale = exponent - fractionDigits.count  // value = mantissa * 10^scale
        var significantCount = integerDigits.upperBound - firstSignificant
        if firstSignificant == integerDigits.upperBound {
            var f = fractionDigits.lowerBound
            while f < fractionDigits.upperBound && bytes[f] == UInt8(ascii: "0") { f += 1 }
            significantCount = fractionDigits.upperBound - f
            firstSignificant = f
        } else {
            significantCount += fractionDigits.count
        }
        if significantCount == 0 { return Rational() }

        if significantCount <= 18 {
            var mantissa: Int64 = 0
            for index in firstSignificant ..< max(firstSignificant, integerDigits.upperBound) { mantissa = mantissa * 10 + Int64(bytes[index] &- 48) }
            for index in max(firstSignificant, fractionDigits.lowerBound) ..< fractionDigits.upperBound {
                mantissa = mantissa * 10 + Int64(bytes[index] &- 48)
            }
            if scale >= 0 {
                if scale <= 18 {
                    let (product, overflow) = mantissa.multipliedReportingOverflow(by: WordArithmetic.powersOfTen[scale])
                    if !overflow { return Rational(canonicalNumerator: BigInt(negative ? -product : product), denominator: 1) }
                }
                let value = BigInt(mantissa) * BigInt.powerOfTen(scale)
                return Rational(canonicalNumerator: negative ? -value : value, denominator: 1)
            }
            let k = -scale
            if k <= 18 {
                // mantissa / 10^k: cancel the common factors 2 and 5 only.
                var m = mantissa
                let twos = min(m.trailingZeroBitCount, k)
                m >>= Int64(twos)
                var fives = 0
                while fives < k && m % 5 == 0 { m /= 5; fives += 1 }
                var denominator: Int64 = 1 << Int64(k - twos)
                for _ in 0 ..< (k - fives) { denominator *= 5 }
                return Rational(canonicalNumerator: BigInt(negative ? -m : m), denominator: BigInt(denominator))
            }
            return Rational(BigInt(negative ? -mantissa : mantissa), BigInt.powerOfTen(k))
        }

        // Long mantissa: gather its digits for GMP.
        var digits = [UInt8]()
        digits.reserveCapacity(significantCount)
        for index in firstSignificant ..< max(firstSignificant, integerDigits.upperBound) { digits.append(bytes[index]) }
        for index in max(firstSignificant, fractionDigits.lowerBound) ..< fractionDigits.upperBound { digits.append(bytes[index]) }
        let mantissa = digits.withUnsafeBufferPointer { BigInt(decimalDigits: $0, negative: negative) }
        if scale >= 0 { return Rational(mantissa * BigInt.powerOfTen(scale)) }
        return Rational(mantissa, BigInt.powerOfTen(-scale))
    }
}
