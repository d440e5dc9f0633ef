/// A set of indices 0..<count as bits in 64-bit words (bit i of word i / 64 is index i).
///
/// Used for cuts (which points lie on one side) and for sets of pairs (which
/// differently labeled pairs a cut separates). Equal sets have equal words, so
/// the type is Hashable by value.
public struct BitSet: Hashable, Sendable {
    @usableFromInline var storage: [UInt64]
    public var words: [UInt64] { storage }
    public let count: Int

    /// The empty set over `count` indices.
    public init(count: Int) {
        precondition(count >= 0, "negative size")
        self.count = count
        storage = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    @inlinable
    public subscript(i: Int) -> Bool {
        get { storage[i >> 6] >> UInt64(i & 63) & 1 == 1 }
        set {
            let bit: UInt64 = 1 << UInt64(i & 63)
            if newValue { storage[i >> 6] |= bit } else { storage[i >> 6] &= ~bit }
        }
    }

    /// The number of indices in the set.
    public var cardinality: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// The complement within 0..<count.
    public var complement: BitSet {
        var result = self
        for w in result.storage.indices { result.storage[w] = ~result.storage[w] }
        if count & 63 != 0 { result.storage[result.storage.count - 1] &= (1 << UInt64(count & 63)) - 1 }
        return result
    }

    /// True when every index of `self` is in `other`.
    public func isSubset(of other: BitSet) -> Bool {
        for w in words.indices where words[w] & ~other.words[w] != 0 { return false }
        return true
    }

    /// |self ∩ other|.
    public func intersectionCount(_ other: BitSet) -> Int {
        var total = 0
        for w in words.indices { total += (words[w] & other.words[w]).nonzeroBitCount }
        return total
    }

    /// self \ other, in place.
    public mutating func subtract(_ other: BitSet) {
        for w in storage.indices { storage[w] &= ~other.storage[w] }
    }

    /// The indices in the set, increasing.
    public var indices: [Int] {
        var result: [Int] = []
        for (w, word) in words.enumerated() {
            var rest = word
            while rest != 0 {
                result.append(w * 64 + rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
        return result
    }

    /// Lexicographic order of the bit strings b_0 b_1 ... b_(count-1), index 0 first, 0 before 1
    /// (docs/formats.md, section 5.3: the order of the candidate cuts).
    public static func lexicographicallyPrecedes(_ a: BitSet, _ b: BitSet) -> Bool {
        for w in a.words.indices where a.words[w] != b.words[w] {
            let first = (a.words[w] ^ b.words[w]).trailingZeroBitCount
            return a.words[w] >> UInt64(first) & 1 == 0
        }
        return false
    }
}
