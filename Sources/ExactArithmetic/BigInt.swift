internal import CGMP

/// An arbitrary-precision signed integer with value semantics.
///
/// Values that fit in `Int64` are stored inline and computed with checked
/// machine arithmetic; anything larger lives in a GMP integer owned by a
/// copy-on-write storage object. The representation is normalised: a value is
/// stored in GMP only when it does not fit in `Int64`, so equality and hashing
/// never depend on how a value was computed.
public struct BigInt: Sendable {
    @usableFromInline
    enum Representation: Sendable {
        case small(Int64)
        case large(GMPStorage)
    }

    @usableFromInline
    var representation: Representation

    @inlinable
    init(representation: Representation) { self.representation = representation }

    // MARK: - Construction

    /// Zero.
    @inlinable
    public init() { representation = .small(0) }

    @inlinable
    public init(_ value: Int64) { representation = .small(value) }

    @inlinable
    public init(_ value: Int) { representation = .small(Int64(value)) }

    /// An exact conversion from a 128-bit integer.
    public init(_ value: Int128) {
        if let small = Int64(exactly: value) {
            representation = .small(small)
        } else {
            let magnitude = value.magnitude
            let storage = GMPStorage()
            storage.withWritePointer {
                cgmp_set_u128($0, UInt64(truncatingIfNeeded: magnitude >> 64),
                              UInt64(truncatingIfNeeded: magnitude), value < 0 ? 1 : 0)
            }
            representation = .large(storage)
        }
    }

    /// An exact conversion from an unsigned 64-bit integer.
    public init(_ value: UInt64) {
        self.init(Int128(value))
    }

    /// Takes ownership of a GMP result and normalises it.
    init(normalizing storage: GMPStorage) {
        let fits = storage.withReadPointer { cgmp_fits_slong($0) != 0 }
        if fits {
            representation = .small(Int64(storage.withReadPointer { cgmp_get_si($0) }))
        } else {
            representation = .large(storage)
        }
    }

    // MARK: - Inspection

    /// The value as `Int64`, or nil when it does not fit.
    @inlinable
    public var int64Value: Int64? {
        if case .small(let value) = representation { return value }
        return nil
    }

    /// The value as `Int`, or nil when it does not fit.
    @inlinable
    public var intValue: Int? {
        if case .small(let value) = representation { return Int(exactly: value) }
        return nil
    }

    /// The value as `Int128`, or nil when it does not fit.
    public var int128Value: Int128? {
        switch representation {
        case .small(let value):
            return Int128(value)
        case .large(let storage):
            return storage.withReadPointer { z -> Int128? in
                guard cgmp_limb_count(z) <= 2 else { return nil }
                let magnitude = (UInt128(cgmp_limb1(z)) << 64) | UInt128(cgmp_limb0(z))
                if cgmp_sgn(z) < 0 {
                    if magnitude == UInt128(1) << 127 { return Int128.min }
                    guard let m = Int128(exactly: magnitude) else { return nil }
                    return -m
                }
                return Int128(exactly: magnitude)
            }
        }
    }

    /// The sign of the value.
    @inlinable
    public var sign: Sign {
        switch representation {
        case .small(let value): return Sign(of: value)
        case .large(let storage): return BigInt.largeSign(storage)
        }
    }

    @usableFromInline
    static func largeSign(_ storage: GMPStorage) -> Sign {
        let s = storage.withReadPointer { cgmp_sgn($0) }
        return s < 0 ? .negative : (s == 0 ? .zero : .positive)
    }

    /// True when the value is zero.
    @inlinable
    public var isZero: Bool {
        if case .small(let value) = representation { return value == 0 }
        return false
    }

    /// True when the value is stored inline (fits in `Int64`).
    @inlinable
    public var isSmall: Bool {
        if case .small = representation { return true }
        return false
    }

    // MARK: - GMP access

    /// Runs `body` with a read-only GMP view of the value. Inline values get a
    /// stack-allocated read-only `mpz_t` over one limb (GMP's `mpz_roinit_n`),
    /// so no heap allocation happens.
    func withMPZ<R>(_ body: (UnsafePointer<__mpz_struct>) throws -> R) rethrows -> R {
        switch representation {
        case .large(let storage):
            return try storage.withReadPointer(body)
        case .small(let value):
            var limb = mp_limb_t(value.magnitude)
            let size = value < 0 ? -1 : (value == 0 ? 0 : 1)
            var view = __mpz_struct(_mp_alloc: 0, _mp_size: Int32(size), _mp_d: nil)
            return try withUnsafeMutablePointer(to: &limb) { limbPointer in
                view._mp_d = limbPointer
                return try withUnsafePointer(to: &view) { try body($0) }
            }
        }
    }

    /// Computes a fresh GMP result from `body` and normalises it.
    static func computing(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> BigInt {
        let storage = GMPStorage()
        storage.withWritePointer(body)
        return BigInt(normalizing: storage)
    }
}

// MARK: - Literals, equality, hashing, order

extension BigInt: ExpressibleByIntegerLiteral {
    @inlinable
    public init(integerLiteral value: Int64) { representation = .small(value) }
}

extension BigInt: Equatable {
    @inlinable
    public static func == (lhs: BigInt, rhs: BigInt) -> Bool {
        switch (lhs.representation, rhs.representation) {
        case (.small(let a), .small(let b)): return a == b
        case (.large(let a), .large(let b)): return a === b || BigInt.largeCompare(a, b) == 0
        default: return false  // normalised: a large value never equals a small one
        }
    }

    @usableFromInline
    static func largeCompare(_ a: GMPStorage, _ b: GMPStorage) -> Int32 {
        a.withReadPointer { pa in b.withReadPointer { pb in cgmp_cmp(pa, pb) } }
    }
}

extension BigInt: Hashable {
    public func hash(into hasher: inout Hasher) {
        switch representation {
        case .small(let value):
            hasher.combine(value)
        case .large(let storage):
            storage.withReadPointer { z in
                hasher.combine(cgmp_sgn(z))
                hasher.combine(cgmp_limb_count(z))
                hasher.combine(cgmp_limb0(z))
                hasher.combine(cgmp_limb1(z))
            }
        }
    }
}

extension BigInt: Comparable {
    @inlinable
    public static func < (lhs: BigInt, rhs: BigInt) -> Bool {
        if case .small(let a) = lhs.representation, case .small(let b) = rhs.representation {
            return a < b
        }
        return compareSlow(lhs, rhs) < 0
    }

    /// Three-way comparison: negative, zero or positive as lhs <, =, > rhs.
    @inlinable
    public static func compare(_ lhs: BigInt, _ rhs: BigInt) -> Int {
        if case .small(let a) = lhs.representation, case .small(let b) = rhs.representation {
            return a < b ? -1 : (a == b ? 0 : 1)
        }
        return compareSlow(lhs, rhs)
    }

    @usableFromInline
    static func compareSlow(_ lhs: BigInt, _ rhs: BigInt) -> Int {
        let c = lhs.withMPZ { a in rhs.withMPZ { b in cgmp_cmp(a, b) } }
        return c < 0 ? -1 : (c == 0 ? 0 : 1)
    }
}
