import CGMP

// MARK: - Arbitrary-precision integers (the checker's own GMP wrapper)
//
// A `Z` is immutable: every operation makes a new GMP integer, so values can be
// shared between threads without locks. The hot loops of the checker run on
// machine words and come here only when a proven bound says words might overflow.

/// Owns one GMP integer; C pointers to it exist only inside `with` closures.
final class ZStorage: @unchecked Sendable {
    private let handle: UnsafeMutablePointer<__mpz_struct>
    init() {
        handle = .allocate(capacity: 1)
        cgmp_init(handle)
    }
    deinit {
        cgmp_clear(handle)
        handle.deallocate()
    }
    func with<R>(_ body: (UnsafeMutablePointer<__mpz_struct>) throws -> R) rethrows -> R { try body(handle) }
}

/// An exact integer.
struct Z: Sendable, CustomStringConvertible {
    let storage: ZStorage

    /// A new integer set by `body` (which receives the fresh, zero-initialised handle).
    init(building body: (UnsafeMutablePointer<__mpz_struct>) -> Void) {
        storage = ZStorage()
        storage.with(body)
    }
    init(_ value: Int64) { self.init(building: { cgmp_set_si($0, Int(value)) }) }
    init(_ value: Int) { self.init(Int64(value)) }
    init(_ value: Int128) {
        let m = value.magnitude
        self.init(building: { cgmp_set_u128($0, UInt64(truncatingIfNeeded: m >> 64), UInt64(truncatingIfNeeded: m), value < 0 ? 1 : 0) })
    }

    /// Parses ASCII digits in `base` (10 or 16); the caller has checked the digits.
    init(digits: UnsafeBufferPointer<UInt8>, base: Int32) {
        var text = [CChar](repeating: 0, count: digits.count + 1)
        for i in 0 ..< digits.count { text[i] = CChar(bitPattern: digits[i]) }
        self.init(building: { p in
            let status = text.withUnsafeBufferPointer { cgmp_set_str(p, $0.baseAddress, base) }
            precondition(status == 0, "digits were checked before conversion")
        })
    }

    func with<R>(_ body: (UnsafePointer<__mpz_struct>) throws -> R) rethrows -> R {
        try storage.with { try body(UnsafePointer($0)) }
    }

    private static func binary(_ a: Z, _ b: Z, _ op: (UnsafeMutablePointer<__mpz_struct>, UnsafePointer<__mpz_struct>, UnsafePointer<__mpz_struct>) -> Void) -> Z {
        a.with { pa in b.with { pb in Z(building: { op($0, pa, pb) }) } }
    }

    static func + (a: Z, b: Z) -> Z { binary(a, b) { cgmp_add($0, $1, $2) } }
    static func - (a: Z, b: Z) -> Z { binary(a, b) { cgmp_sub($0, $1, $2) } }
    static func * (a: Z, b: Z) -> Z { binary(a, b) { cgmp_mul($0, $1, $2) } }
    static prefix func - (a: Z) -> Z { a.with { p in Z(building: { cgmp_neg($0, p) }) } }
    var magnitude: Z { with { p in Z(building: { cgmp_abs($0, p) }) } }
    static func gcd(_ a: Z, _ b: Z) -> Z { binary(a, b) { cgmp_gcd($0, $1, $2) } }
    /// a / b when b divides a exactly (checked by the callers' construction).
    func dividedExactly(by b: Z) -> Z { Z.binary(self, b) { cgmp_divexact($0, $1, $2) } }
    func shiftedLeft(by bits: Int) -> Z { with { p in Z(building: { cgmp_mul_2exp($0, p, UInt(bits)) }) } }
    func power(_ e: Int) -> Z { with { p in Z(building: { cgmp_pow_ui($0, p, UInt(e)) }) } }
    func isMultiple(of b: Z) -> Bool { with { pa in b.with { pb in cgmp_divisible(pa, pb) != 0 } } }

    /// -1, 0 or 1.
    var signum: Int { with { Int(cgmp_sgn($0)) } }
    var isZero: Bool { signum == 0 }
    /// Bits of |self| (0 for 0).
    var bitLength: Int { with { Int(cgmp_bit_length($0)) } }
    /// The value when it fits in Int64.
    var int64: Int64? { with { cgmp_fits_slong($0) != 0 ? Int64(cgmp_get_si($0)) : nil } }

    static func compare(_ a: Z, _ b: Z) -> Int { a.with { pa in b.with { pb in Int(cgmp_cmp(pa, pb)).signum() } } }
    static func == (a: Z, b: Z) -> Bool { compare(a, b) == 0 }
    static func < (a: Z, b: Z) -> Bool { compare(a, b) < 0 }

    var description: String {
        with { p in
            var buffer = [CChar](repeating: 0, count: cgmp_decimal_capacity(p))
            _ = buffer.withUnsafeMutableBufferPointer { cgmp_get_str10($0.baseAddress, p) }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// The GMP library's version string.
    static var gmpVersion: String { String(cString: cgmp_version()) }
}
