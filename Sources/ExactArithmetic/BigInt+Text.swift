internal import CGMP

// MARK: - Decimal text

extension BigInt: CustomStringConvertible, LosslessStringConvertible {
    /// The decimal representation, with a leading `-` for negative values.
    public var description: String {
        switch representation {
        case .small(let value):
            return String(value)
        case .large(let storage):
            return storage.withReadPointer { z in
                let capacity = cgmp_decimal_capacity(z)
                return String(unsafeUninitializedCapacity: capacity) { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { chars in
                        _ = cgmp_get_str10(chars.baseAddress!, z)
                        return chars.firstIndex(of: 0) ?? capacity
                    }
                }
            }
        }
    }

    /// Parses an optional sign followed by decimal digits; nil on anything else.
    public init?(_ text: String) {
        var copy = text
        let parsed: BigInt? = copy.withUTF8 { bytes in
            guard !bytes.isEmpty else { return nil }
            var start = 0
            var negative = false
            if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
                negative = bytes[0] == UInt8(ascii: "-")
                start = 1
            }
            let digits = UnsafeBufferPointer(rebasing: bytes[start...])
            guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return BigInt(decimalDigits: digits, negative: negative)
        }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Builds an integer from ASCII decimal digits (already validated).
    ///
    /// Up to 18 digits are accumulated in a machine word; longer strings go
    /// through GMP's `mpz_set_str`.
    init(decimalDigits digits: UnsafeBufferPointer<UInt8>, negative: Bool) {
        var first = 0
        while first < digits.count - 1 && digits[first] == UInt8(ascii: "0") { first += 1 }
        let significant = UnsafeBufferPointer(rebasing: digits[first...])
        if significant.count <= 18 {
            var value: Int64 = 0
            for byte in significant { value = value * 10 + Int64(byte &- 48) }
            self.init(negative ? -value : value)
            return
        }
        var text = [CChar](repeating: 0, count: significant.count + 2)
        var index = 0
        if negative { text[0] = CChar(UInt8(ascii: "-")); index = 1 }
        for byte in significant { text[index] = CChar(bitPattern: byte); index += 1 }
        self = BigInt.computing { z in
            let status = cgmp_set_str10(z, text)
            precondition(status == 0, "validated digits rejected by GMP")
        }
    }
}

extension BigInt {
    /// Builds a non-negative integer from ASCII hexadecimal digits (already validated), through GMP.
    init(hexDigits digits: UnsafeBufferPointer<UInt8>) {
        var text = [CChar](repeating: 0, count: digits.count + 1)
        for (i, byte) in digits.enumerated() { text[i] = CChar(bitPattern: byte) }
        self = BigInt.computing { z in
            let status = cgmp_set_str(z, text, 16)
            precondition(status == 0, "validated hex digits rejected by GMP")
        }
    }
}

// MARK: - Floating point

extension BigInt {
    /// The exact integer value of a finite, integral double; nil otherwise.
    public init?(exactly value: Double) {
        guard value.isFinite, value == value.rounded(.towardZero) else { return nil }
        if let small = Int64(exactly: value) {
            self.init(small)
            return
        }
        // |value| >= 2^63: significand times a power of two.
        let significand = BigInt(Int64(value.significandBitPattern | (1 << 52)))
        let shifted = significand.shiftedLeft(by: Int(value.exponent) - 52)
        self = value < 0 ? -shifted : shifted
    }

    /// `(m, e)` with |self| ~ m * 2^e, 0.5 <= m < 1, m truncated toward zero
    /// (relative error below 2^-52); `(0, 0)` for zero.
    func truncatedMantissaExponent() -> (mantissa: Double, exponent: Int) {
        switch representation {
        case .small(let value):
            if value == 0 { return (0, 0) }
            let m = value.magnitude
            let bits = 64 - m.leadingZeroBitCount
            // Truncate to 53 significant bits so the result is exact in a double.
            let kept = bits > 53 ? m >> UInt64(bits - 53) : m
            let mantissa = Double(kept) / Double(sign: .plus, exponent: min(bits, 53), significand: 1)
            return (mantissa, bits)
        case .large(let storage):
            var exponent = 0
            let mantissa = storage.withReadPointer { z in cgmp_get_d_2exp(&exponent, z) }
            return (abs(mantissa), exponent)
        }
    }
}
