import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks
import WorkSharing

extension RandomStream {
    /// Stage C's position key: candidate half-spaces and the key's weights.
    static let positionKeys: UInt64 = 6
}

/// Stage C's position key (docs/ARCHITECTURE.md, "Theorem 1, stage by stage"):
/// p = Σ_i ω_i y_i over a few 0/1 *position carriers* y_i, functions of the carriers
/// z (the code bits, or the GF(2) bits) that stage C1 computes in one threshold neuron
/// each. p must give two differently labeled classes of one block different values;
/// classes of one label may share a value (they then share a position, and its label).
///
/// The carriers are chosen greedily (`chooseCarriers`) until every differently labeled
/// pair of a block differs on one of them. The weights ω_i are uniform in [1, 2^b): for
/// two classes that differ on the carriers, fix every ω but one where they differ; they
/// collide for at most one value of it, so with probability at most 1/(2^b - 1). With
/// b = ⌈log2 P⌉ + 2 for the P pairs inside blocks a draw fails with probability at most
/// about 1/4; draws are repeated (b growing by one every 8) until the check, exact, passes.
struct PositionKey {
    /// A position carrier, one neuron of C1.
    enum Carrier: Sendable, Equatable {
        /// z_r itself (C1 copies it).
        case bit(Int)
        /// 1[Σ_{r ∈ plus} z_r - Σ_{r ∈ minus} z_r - threshold >= 0], plus and minus as bit masks.
        case halfspace(plus: [UInt64], minus: [UInt64], threshold: Int)
    }

    /// The carriers y_i.
    let carriers: [Carrier]
    /// ω_i for each carrier.
    let weights: [UInt64]
    /// b: every ω_i is below 2^b.
    let weightBits: Int
    /// p of each class.
    let values: [UInt64]
    /// Σ ω_i + 1: above every p.
    let bound: UInt64

    /// - Parameters:
    ///   - order: the classes in key order; `blocks` are ranges of it.
    ///   - values: each class's carrier values z; `count` of them.
    ///   - labels: each class's label.
    /// - Throws: `InternalError` when two differently labeled classes of one block agree
    ///   on every z (the key stage promised distinct keys), or when 32 draws fail.
    init(order: [Int], blocks: [Range<Int>], values: PackedCodes, labels: [Int], count: Int,
         seed: UInt64) throws(InternalError) {
        var rng = SeededRandom(seed: seed, stream: RandomStream.positionKeys)
        let (carriers, columns) = try PositionKey.chooseCarriers(order: order, blocks: blocks, values: values, labels: labels,
                                                                 count: count, rng: &rng)
        self.carriers = carriers
        let n = labels.count
        let pairs = blocks.reduce(0) { $0 + $1.count * ($1.count - 1) / 2 }
        let base = (pairs <= 1 ? 0 : Int.bitWidth - (pairs - 1).leadingZeroBitCount) + 2
        guard base + 3 + Int.bitWidth - carriers.count.leadingZeroBitCount <= 63 else {
            throw InternalError("stage C: the position key would not fit 63 bits")
        }
        for attempt in 0 ..< 32 {
            let b = base + attempt / 8
            let weights = carriers.map { _ in 1 + rng.next() % ((1 << UInt64(b)) - 1) }
            var p = [UInt64](repeating: 0, count: n)
            for (i, column) in columns.enumerated() {
                for c in 0 ..< n where (column[c / 64] >> UInt64(c % 64)) & 1 == 1 { p[c] += weights[i] }
            }
            if PositionKey.separates(p, order: order, blocks: blocks, labels: labels) {
                self.weights = weights
                weightBits = b
                self.values = p
                bound = weights.reduce(1, +)
                return
            }
        }
        throw InternalError("stage C: 32 random position keys all merged two differently labeled classes of a block")
    }

    /// True when, inside every block, classes with equal p have equal labels.
    static func separates(_ p: [UInt64], order: [Int], blocks: [Range<Int>], labels: [Int]) -> Bool {
        for range in blocks {
            let sorted = order[range].sorted { (p[$0], labels[$0]) < (p[$1], labels[$1]) }
            for (a, b) in zip(sorted, sorted.dropFirst()) where p[a] == p[b] && labels[a] != labels[b] { return false }
        }
        return true
    }

    // MARK: - Choosing the carriers

    /// Half-space candidates drawn per choice.
    static let halfspaceCandidates = 16
    /// The classes in mixed groups that candidates are scored on, at most (at least one group).
    static let scoringClasses = 1 << 14

    /// The carriers, chosen greedily, and each one's value on every class (a bit set over
    /// the classes).
    ///
    /// While some block holds two differently labeled classes that agree on every carrier
    /// chosen so far (a *mixed group*), choose the candidate that splits the most pairs
    /// inside mixed groups (the first groups holding up to 2^14 classes, for speed), and
    /// split all the groups by it. Candidates: every z_r, and 16
    /// random half-spaces Σ ±z_r >= θ (each r's sign uniform, θ the best for that sign
    /// vector, found by a sweep). A half-space splits a pair of nearby codes (few z_r
    /// differ) far more often than one z_r does: a random z_r must be one where they
    /// differ, while the half-space only needs θ between the two sums. Ties go to z_r,
    /// the lowest r first, then to the half-space drawn first.
    ///
    /// - Complexity: per choice O(A · k/64 · 16 + A · ones + G · k) for A classes in G
    ///   mixed groups, on all cores; A shrinks quickly.
    /// - Throws: `InternalError` when a mixed group agrees on every z (then two
    ///   differently labeled classes would share a key, which the key stage rules out).
    static func chooseCarriers(order: [Int], blocks: [Range<Int>], values: PackedCodes, labels: [Int], count: Int,
                               rng: inout SeededRandom) throws(InternalError) -> (carriers: [Carrier], columns: [[UInt64]]) {
        let perClass = values.stride, words = values.words
        let n = labels.count
        var members = order
        func mixed(_ run: Range<Int>) -> Bool {
            let first = labels[members[run.lowerBound]]
            return members[run].contains { labels[$0] != first }
        }
        var runs = blocks.filter { $0.count >= 2 && mixed($0) }
        var chosen: [Carrier] = []
        var columns: [[UInt64]] = []
        // The masks of the z that exist (the last word may be partial).
        let valid = (0 ..< perClass).map { w in
            let bits = min(64, count - 64 * w)
            return bits >= 64 ? UInt64.max : bits <= 0 ? 0 : (UInt64(1) << UInt64(bits)) - 1
        }
        while !runs.isEmpty {
            // Score on the first mixed groups holding `scoringClasses` classes (all of them once
            // few are left): early on every balanced candidate splits about half the pairs.
            var scored = 0, groupCount = 0
            while groupCount < runs.count && (groupCount == 0 || scored + runs[groupCount].count <= scoringClasses) {
                scored += runs[groupCount].count
                groupCount += 1
            }
            let snapshot = members, groups = Array(runs[..<groupCount])
            // Raw z_r: ones per group, score Σ ones · zeros.
            let partial = Parallel.mapChunks(count: groups.count) { range -> [Int] in
                var score = [Int](repeating: 0, count: count)
                var ones = [Int](repeating: 0, count: count)
                for g in range {
                    let run = groups[g]
                    for i in run {
                        for w in 0 ..< perClass {
                            var word = words[snapshot[i] * perClass + w]
                            while word != 0 {
                                ones[w * 64 + word.trailingZeroBitCount] += 1
                                word &= word - 1
                            }
                        }
                    }
                    for t in 0 ..< count where ones[t] != 0 {
                        score[t] += ones[t] * (run.count - ones[t])
                        ones[t] = 0
                    }
                }
                return score
            }
            var best = Carrier.bit(0), bestScore = 0
            for t in 0 ..< count {
                let total = partial.reduce(0) { $0 + $1[t] }
                if total > bestScore { best = .bit(t); bestScore = total }
            }
            // Random half-spaces, each with its best threshold.
            let signs: [[UInt64]] = (0 ..< halfspaceCandidates).map { _ in (0 ..< perClass).map { w in rng.next() & valid[w] } }
            let swept = Parallel.mapChunks(count: signs.count, chunkSize: 1) { range -> [(score: Int, threshold: Int)] in
                range.map { h in
                    bestThreshold(groups: groups, members: snapshot, words: words, perClass: perClass,
                                  plus: signs[h], minus: zip(signs[h], valid).map { ~$0 & $1 }, count: count)
                }
            }.flatMap { $0 }
            for (h, s) in swept.enumerated() where s.score > bestScore {
                best = .halfspace(plus: signs[h], minus: zip(signs[h], valid).map { ~$0 & $1 }, threshold: s.threshold)
                bestScore = s.score
            }
            guard bestScore > 0 else { throw InternalError("stage C: two differently labeled classes agree on every carrier") }
            chosen.append(best)
            let column = PositionKey.column(best, classes: n, words: words, perClass: perClass)
            columns.append(column)
            func value(_ c: Int) -> Bool { (column[c / 64] >> UInt64(c % 64)) & 1 == 1 }
            var next: [Range<Int>] = []
            var ones: [Int] = []
            for run in runs {
                ones.removeAll(keepingCapacity: true)
                var zeros = run.lowerBound
                for i in run {
                    let c = members[i]
                    if !value(c) { members[zeros] = c; zeros += 1 } else { ones.append(c) }
                }
                for (offset, c) in ones.enumerated() { members[zeros + offset] = c }
                for part in [run.lowerBound ..< zeros, zeros ..< run.upperBound] where part.count >= 2 && mixed(part) {
                    next.append(part)
                }
            }
            runs = next
        }
        return (chosen, columns)
    }

    /// Σ_{r ∈ plus} z_r - Σ_{r ∈ minus} z_r for class c.
    @inline(__always)
    static func sum(_ c: Int, words: [UInt64], perClass: Int, plus: [UInt64], minus: [UInt64]) -> Int {
        var f = 0
        for w in 0 ..< perClass {
            let word = words[c * perClass + w]
            f += (word & plus[w]).nonzeroBitCount - (word & minus[w]).nonzeroBitCount
        }
        return f
    }

    /// The threshold θ for which 1[f >= θ] splits the most pairs inside the groups, and
    /// that number: a sweep of θ upwards over the values of f (in -count...count), moving
    /// the classes with f = θ - 1 from the upper side to the lower one.
    static func bestThreshold(groups: [Range<Int>], members: [Int], words: [UInt64], perClass: Int, plus: [UInt64],
                              minus: [UInt64], count: Int) -> (score: Int, threshold: Int) {
        var byValue = [[Int32]](repeating: [], count: 2 * count + 1)  // group of each class, by f + count
        var above = [Int](repeating: 0, count: groups.count), below = [Int](repeating: 0, count: groups.count)
        for (g, run) in groups.enumerated() {
            above[g] = run.count
            for i in run {
                byValue[sum(members[i], words: words, perClass: perClass, plus: plus, minus: minus) + count].append(Int32(g))
            }
        }
        var score = 0, best = 0, threshold = -count
        for v in 0 ..< byValue.count {
            for g32 in byValue[v] {
                let g = Int(g32)
                score += (above[g] - 1) - below[g]
                above[g] -= 1
                below[g] += 1
            }
            if score > best {
                best = score
                threshold = v - count + 1  // f >= θ: the classes up to f = v are below
            }
        }
        return (best, threshold)
    }

    /// The value of `carrier` on every class, as a bit set, on all cores.
    static func column(_ carrier: Carrier, classes n: Int, words: [UInt64], perClass: Int) -> [UInt64] {
        Parallel.mapChunks(count: (n + 63) / 64, chunkSize: 256) { range -> [UInt64] in
            range.map { w in
                var word: UInt64 = 0
                for c in 64 * w ..< min(n, 64 * w + 64) {
                    let bit: Bool
                    switch carrier {
                    case .bit(let r): bit = (words[c * perClass + r / 64] >> UInt64(r % 64)) & 1 == 1
                    case .halfspace(let plus, let minus, let threshold):
                        bit = sum(c, words: words, perClass: perClass, plus: plus, minus: minus) >= threshold
                    }
                    if bit { word |= 1 << UInt64(c % 64) }
                }
                return word
            }
        }.flatMap { $0 }
    }
}
