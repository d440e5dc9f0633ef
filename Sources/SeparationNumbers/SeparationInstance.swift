import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks

/// The covering problem behind a labeled set's separation number: which cuts (sides of a
/// hyperplane) separate which differently labeled pairs (docs/formats.md, section 5.3).
///
/// - `pairs`: the differently labeled pairs (i, j), i < j, in lexicographic order.
/// - `candidates`: every cut a hyperplane can make (SeparableCuts.swift) that separates at
///   least one pair, each written as the side *not* containing point 0, in lexicographic
///   order of their bit strings (point 0 first).
/// - `kept`: the candidates left after dropping dominated ones (below): the variables of the CNF.
///
/// Dominance (sound reduction). Let S(c) be the pairs cut c separates. Candidate c is dropped
/// when some candidate c' has S(c) ⊊ S(c'), or S(c') = S(c) and c' comes first. Any cover using
/// c stays a cover of the same size when c is replaced by a kept c' with S(c') ⊇ S(c) (one
/// exists: a maximal S above S(c), by its first candidate), so the least cover from the kept
/// candidates is the least cover from all of them.
public struct SeparationInstance: Sendable {
    public let pointCount: Int
    public let dimension: Int
    public let pairs: [(Int, Int)]
    /// All candidate cuts (canonical, sorted) and the pairs each separates.
    public let candidates: [BitSet]
    let separated: [BitSet]
    let recipes: [CutRecipe]
    /// Indices into `candidates` of the kept (undominated) cuts, increasing.
    public let kept: [Int]
    /// The data as integer points X = D·x over one common denominator D > 0.
    let integerPoints: [[BigInt]]
    let scale: BigInt

    /// The dimensions this works in.
    public static let dimensions = 1 ... 3

    /// - Precondition: `data.dimension` is 1, 2 or 3 (the caller says why not otherwise).
    /// - Complexity: O(n^(d+1)) for the cuts, O(C·P) for the pairs they separate, and
    ///   O(C²·P/64) for dominance, with C candidates and P pairs.
    public init(data: DataSet) {
        let n = data.count, d = data.dimension
        precondition(SeparationInstance.dimensions.contains(d), "separation numbers are derived for d <= 3")
        pointCount = n
        dimension = d
        var pairs: [(Int, Int)] = []
        for i in 0 ..< n { for j in i + 1 ..< n where data.labels[i] != data.labels[j] { pairs.append((i, j)) } }
        self.pairs = pairs

        // Integer coordinates over one common denominator: an affine bijection, so it keeps every cut.
        var all: [Rational] = []
        for i in 0 ..< n { all += data.points.point(i) }
        let scale = Rational.commonDenominator(of: all)
        self.scale = scale
        let points = (0 ..< n).map { i in data.points.point(i).map { $0.scaled(by: scale) } }
        integerPoints = points

        // Distinct canonical cuts, the first recipe of each.
        var first: [BitSet: Int] = [:]
        var cuts: [BitSet] = [], recipes: [CutRecipe] = []
        for pattern in SeparableCuts.patterns(points, dimension: d) {
            let cut = n > 0 && pattern.positive[0] ? pattern.positive.complement : pattern.positive
            if first[cut] == nil {
                first[cut] = cuts.count
                cuts.append(cut)
                recipes.append(pattern.recipe)
            }
        }
        // Keep those separating some pair, in canonical order.
        func separatedPairs(_ cut: BitSet) -> BitSet {
            var s = BitSet(count: pairs.count)
            for (p, (i, j)) in pairs.enumerated() where cut[i] != cut[j] { s[p] = true }
            return s
        }
        var order: [(cut: BitSet, pairs: BitSet, recipe: CutRecipe)] = []
        for (c, cut) in cuts.enumerated() {
            let s = separatedPairs(cut)
            if !s.isEmpty { order.append((cut, s, recipes[c])) }
        }
        order.sort { BitSet.lexicographicallyPrecedes($0.cut, $1.cut) }
        candidates = order.map(\.cut)
        separated = order.map(\.pairs)
        self.recipes = order.map(\.recipe)
        kept = SeparationInstance.undominated(separated)
    }

    /// The candidates not dominated (see the type's documentation), increasing.
    static func undominated(_ sets: [BitSet]) -> [Int] {
        var firstWithSet: [BitSet: Int] = [:]
        var unique: [Int] = []
        for (c, s) in sets.enumerated() where firstWithSet[s] == nil {
            firstWithSet[s] = c
            unique.append(c)
        }
        let sizes = sets.map(\.cardinality)
        // Only a strictly larger set can strictly contain another.
        let bySize = unique.sorted { sizes[$0] > sizes[$1] }
        var result: [Int] = []
        for c in unique {
            var dominated = false
            for other in bySize {
                if sizes[other] <= sizes[c] { break }
                if sets[c].isSubset(of: sets[other]) {
                    dominated = true
                    break
                }
            }
            if !dominated { result.append(c) }
        }
        return result
    }

    /// The pairs candidate `c` separates.
    public func separatedPairs(_ c: Int) -> BitSet { separated[c] }

    // MARK: - Greedy cover

    /// A cover by the greedy rule: repeatedly the kept candidate separating the most pairs
    /// not yet separated (the first in order on ties). Returns candidate indices.
    ///
    /// - Complexity: O(k·C·P/64) for a cover of k cuts.
    public func greedyCover() -> [Int] {
        var open = BitSet(count: pairs.count).complement
        var chosen: [Int] = []
        while !open.isEmpty {
            var best = -1, bestCount = 0
            for c in kept {
                let count = separated[c].intersectionCount(open)
                if count > bestCount {
                    best = c
                    bestCount = count
                }
            }
            precondition(best >= 0, "every differently labeled pair is separated by some cut")
            chosen.append(best)
            open.subtract(separated[best])
        }
        return chosen
    }

    /// True when the candidates `chosen` separate every pair.
    public func covers(_ chosen: [Int]) -> Bool {
        var open = BitSet(count: pairs.count).complement
        for c in chosen { open.subtract(separated[c]) }
        return open.isEmpty
    }

    // MARK: - Hyperplanes

    /// A first-layer neuron making cut `c`: 1[w·x + b >= 0] with no data point on its
    /// hyperplane, built exactly (SeparableCuts+Realisation.swift).
    public func neuron(_ c: Int) -> Neuron {
        let (w, b) = SeparableCuts.realise(recipes[c], points: integerPoints, dimension: dimension)
        // F(X) with X = D·x: the weights on x are D·w. Then scaled by a positive number to
        // coprime integers (the same signs everywhere, so the same cut).
        let values = w.map { $0 * Rational(scale) } + [b]
        let common = Rational.commonDenominator(of: values)
        var integers = values.map { $0.scaled(by: common) }
        var g = BigInt(0)
        for v in integers where !v.isZero { g = g.isZero ? v.magnitude : BigInt.gcd(g, v.magnitude) }
        if !g.isZero { integers = integers.map { $0.exactQuotient(dividingBy: g) } }
        return Neuron(dense: integers.dropLast().map { Rational($0) }, bias: Rational(integers.last!))
    }

    /// The first layer of neurons for `chosen`, in that order.
    public func layer(_ chosen: [Int]) -> Layer {
        Layer(name: "separating-hyperplanes", neurons: chosen.map(neuron))
    }
}
