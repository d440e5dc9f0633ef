import ArgumentParser
import TextFormats

/// `--shard I/K`: the I-th of K contiguous parts of a data file (1 <= I <= K).
///
/// For .npy data the parts are row ranges (`rows(of:)`, S11). For CSV they are byte ranges
/// aligned to line starts (docs/formats.md, "Shards"): with S
/// the file's size, part i (1-based) is [a(i - 1), a(i)), where a(0) = 0, a(K) = S and, for
/// 0 < j < K, a(j) is the least offset p >= ⌊j·S/K⌋ that starts a line (p = S, or the byte at
/// p - 1 is LF). Every line, with its rows, comments and blank lines, lies in exactly one part.
struct ShardSpec: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    /// The largest K accepted.
    static let maximumCount = 1_000_000

    var index: Int
    var count: Int

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 &- 0x30 < 10 } && $0.utf8.count <= 7 }),
              let i = Int(parts[0]), let k = Int(parts[1]), k >= 1, k <= ShardSpec.maximumCount, i >= 1, i <= k else { return nil }
        index = i
        count = k
    }

    var description: String { "\(index)/\(count)" }

    static var defaultCompletionKind: CompletionKind { .default }

    /// ⌊j·S/K⌋, without overflow.
    static func nominal(_ j: Int, of k: Int, size: Int) -> Int {
        let product = UInt64(j).multipliedFullWidth(by: UInt64(size))
        return Int(UInt64(k).dividingFullWidth(product).quotient)
    }

    /// a(j): the first line start at or after ⌊j·S/K⌋.
    static func boundary(_ j: Int, of k: Int, in input: DataInput) throws(InputError) -> Int {
        if j <= 0 { return 0 }
        if j >= k { return input.size }
        let p = nominal(j, of: k, size: input.size)
        if p == 0 { return 0 }
        // Look for the first LF at or after p - 1.
        var offset = p - 1
        while offset < input.size {
            let buffer = try input.bytes(at: offset, count: 1 << 16)
            if buffer.isEmpty { break }
            if let lf = buffer.firstIndex(of: 0x0A) { return offset + lf + 1 }
            offset += buffer.count
        }
        return input.size
    }

    /// This part's byte range in `input`.
    func range(in input: DataInput) throws(InputError) -> Range<Int> {
        try ShardSpec.boundary(index - 1, of: count, in: input) ..< ShardSpec.boundary(index, of: count, in: input)
    }
}

// MARK: - Rows of .npy data

extension ShardSpec {
    /// This part's rows of `n` (.npy data, S11): [⌊(I − 1)·n/K⌋, ⌊I·n/K⌋), empty when n < K
    /// leaves this part no row.
    ///
    /// - Complexity: O(1).
    func rows(of n: Int) -> Range<Int> {
        ShardSpec.nominal(index - 1, of: count, size: n) ..< ShardSpec.nominal(index, of: count, size: n)
    }
}
