internal import CGMP

// MARK: - Exchange with other big-integer libraries
//
// A library with its own integer type (FLINT's fmpz) reads and writes memcert's
// integers through their magnitude as little-endian 64-bit words and a sign, so no
// other module needs GMP's types.

extension BigInt {
    /// Calls `body` with |self| as little-endian 64-bit words (none for zero) and the sign.
    ///
    /// The words are valid only inside `body`.
    ///
    /// - Complexity: O(1); no copy.
    public func withMagnitudeWords<R>(_ body: (UnsafeBufferPointer<UInt64>, Sign) throws -> R) rethrows -> R {
        switch representation {
        case .small(let value):
            var word = value.magnitude
            return try withUnsafePointer(to: &word) { pointer in
                try body(UnsafeBufferPointer(start: pointer, count: value == 0 ? 0 : 1), Sign(of: value))
            }
        case .large(let storage):
            return try storage.withReadPointer { z in
                // GMP's limbs are 64-bit words on every platform memcert builds for.
                precondition(MemoryLayout<mp_limb_t>.size == 8, "GMP limbs are not 64 bits")
                let count = Int(cgmp_limb_count(z))
                let sign: Sign = cgmp_sgn(z) < 0 ? .negative : .positive
                return try z.pointee._mp_d.withMemoryRebound(to: UInt64.self, capacity: count) { limbs in
                    try body(UnsafeBufferPointer(start: limbs, count: count), sign)
                }
            }
        }
    }

    /// The integer ±Σ_k words[k] · 2^(64k) (negative when `negative` and the words are not all zero).
    ///
    /// - Complexity: O(words.count).
    public init(magnitudeWords words: UnsafeBufferPointer<UInt64>, negative: Bool) {
        var length = words.count
        while length > 0 && words[length - 1] == 0 { length -= 1 }
        if length == 0 {
            self.init()
        } else if length == 1, words[0] <= UInt64(Int64.max) {
            self.init(negative ? -Int64(words[0]) : Int64(words[0]))
        } else {
            let storage = GMPStorage()
            storage.withWritePointer { z in
                // mpz_import: `length` words of 8 bytes, least significant first, native byte order.
                __gmpz_import(z, length, -1, 8, 0, 0, words.baseAddress!)
                if negative { cgmp_neg(z, z) }
            }
            self.init(normalizing: storage)
        }
    }
}
