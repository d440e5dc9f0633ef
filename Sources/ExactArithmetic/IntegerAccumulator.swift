internal import CGMP

/// An exact running sum of products, for dot products and linear forms.
///
/// Products of two `Int64` values are formed exactly in `Int128` and summed
/// there with overflow detection; when the 128-bit sum would overflow, it is
/// spilled into a GMP integer (`mpz_add`) and accumulation continues in 128
/// bits. Operands that do not fit in `Int64` go straight to GMP's fused
/// `mpz_addmul`. The result is exact in every case.
///
/// - Complexity: O(1) per machine-word term; GMP cost only on spills and big operands.
public struct IntegerAccumulator {
    @usableFromInline var partial: Int128 = 0
    @usableFromInline var spilled: BigInt = 0

    @inlinable
    public init() {}

    /// Adds `a * b`.
    @inlinable
    public mutating func add(_ a: Int64, times b: Int64) {
        let product = Int128(a) * Int128(b)  // |product| <= 2^126: never overflows
        let (sum, overflow) = partial.addingReportingOverflow(product)
        if overflow {
            spill()
            partial = product
        } else {
            partial = sum
        }
    }

    /// Adds `a`.
    @inlinable
    public mutating func add(_ a: Int64) {
        let (sum, overflow) = partial.addingReportingOverflow(Int128(a))
        if overflow {
            spill()
            partial = Int128(a)
        } else {
            partial = sum
        }
    }

    /// Adds `a * b` for arbitrary integers.
    @inlinable
    public mutating func add(_ a: BigInt, times b: BigInt) {
        if case .small(let x) = a.representation, case .small(let y) = b.representation {
            add(x, times: y)
        } else {
            addProductSlow(a, b)
        }
    }

    /// Adds `a`.
    public mutating func add(_ a: BigInt) {
        if case .small(let x) = a.representation { add(x) } else { spilled += a }
    }

    @usableFromInline
    mutating func spill() {
        spilled += BigInt(partial)
        partial = 0
    }

    @usableFromInline
    mutating func addProductSlow(_ a: BigInt, _ b: BigInt) {
        // spilled += a * b with GMP's fused multiply-add, in place when unique.
        var storage: GMPStorage
        if case .large(let existing) = spilled.representation {
            spilled = 0  // drop our reference so uniqueness can be observed
            storage = existing
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        } else {
            storage = GMPStorage()
            if case .small(let value) = spilled.representation, value != 0 {
                storage.withWritePointer { cgmp_set_si($0, Int(value)) }
            }
        }
        a.withMPZ { pa in b.withMPZ { pb in storage.withWritePointer { cgmp_addmul($0, pa, pb) } } }
        spilled = BigInt(normalizing: storage)
    }

    /// The exact sum.
    public var value: BigInt { spilled + BigInt(partial) }

    /// The sign of the exact sum.
    @inlinable
    public var sign: Sign {
        if spilled.isZero { return Sign(of: partial) }
        return value.sign
    }

    /// Resets the sum to zero.
    @inlinable
    public mutating func reset() {
        partial = 0
        spilled = 0
    }
}
