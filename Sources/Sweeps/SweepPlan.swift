import Constructions
import DataSets
import ExactArithmetic
import TextFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a scaling study covers: every (n, δ, seed) case of sphere data, each
/// built with every method.
///
/// Sizes are kept increasing and δ decreasing (1/δ increasing), as the plots
/// read them; methods and seeds in the order given.
public struct SweepPlan: Sendable {
    public var sizes: [Int]
    public var dimension: Int
    public var deltas: [Rational]
    public var layout: SphereLayout
    public var labels: LabelScheme
    public var methods: [ConstructionMethod]
    public var seeds: [UInt64]
    /// The most wall time the work estimate may reach, in minutes.
    public var maximumMinutes: Int

    /// Caps that keep a sweep to what a plot can show and one machine can do.
    public static let maximumListLength = 32
    public static let maximumCases = 2000
    public static let maximumPoints = 10_000_000
    /// n · d of one data set (its coordinates; about 40 bytes each in memory while generating).
    public static let maximumCoordinates = 200_000_000

    public init(sizes: [Int], dimension: Int, deltas: [Rational], layout: SphereLayout = .pairs, labels: LabelScheme = .random,
                methods: [ConstructionMethod] = ConstructionMethod.allCases, seeds: [UInt64] = [1], maximumMinutes: Int = 120) {
        self.sizes = sizes.sorted()
        self.dimension = dimension
        self.deltas = deltas.sorted(by: >)
        self.layout = layout
        self.labels = labels
        self.methods = methods
        self.seeds = seeds
        self.maximumMinutes = maximumMinutes
    }

    /// The cases in the order they run: δ from largest to smallest, then n
    /// increasing, then seeds as given.
    public var cases: [SweepCase] {
        deltas.flatMap { delta in sizes.flatMap { n in seeds.map { SweepCase(n: n, delta: delta, seed: $0) } } }
    }

    /// Checks the plan before any work: list lengths and duplicates, sizes, and
    /// every data set against the generator's own refusals (the cap-packing bound,
    /// a neighbour search that would take too long), then the work estimate.
    ///
    /// Throws `RequestError` with the reason. Returns the estimate.
    public func check() throws(RequestError) -> WorkEstimate {
        for (name, count) in [("--n", sizes.count), ("--delta", deltas.count), ("--methods", methods.count), ("--seeds", seeds.count)] {
            guard count >= 1 else { throw RequestError("\(name) needs at least one value") }
            guard count <= SweepPlan.maximumListLength else {
                throw RequestError("\(name) lists \(count) values; at most \(SweepPlan.maximumListLength) are allowed")
            }
        }
        guard Set(sizes).count == sizes.count else { throw RequestError("--n lists a size twice") }
        guard Set(deltas).count == deltas.count else { throw RequestError("--delta lists a value twice") }
        guard Set(methods).count == methods.count else { throw RequestError("--methods lists a method twice") }
        guard Set(seeds).count == seeds.count else { throw RequestError("--seeds lists a seed twice") }
        guard dimension >= 2 && dimension <= 4096 else { throw RequestError("--dim must be between 2 and 4096") }
        for n in sizes {
            guard n >= 2 && n <= SweepPlan.maximumPoints else {
                throw RequestError("--n \(n): sizes must be between 2 and \(SweepPlan.maximumPoints)")
            }
            guard n * dimension <= SweepPlan.maximumCoordinates else {  // both checked above: no overflow
                throw RequestError("--n \(n) in --dim \(dimension) is \(n) × \(dimension) coordinates; "
                                   + "a sweep's data sets may have at most \(SweepPlan.maximumCoordinates)")
            }
        }
        let caseCount = sizes.count * deltas.count * seeds.count  // each <= 32: no overflow
        guard caseCount <= SweepPlan.maximumCases else {
            throw RequestError("\(caseCount) cases (sizes × δ × seeds); at most \(SweepPlan.maximumCases) are allowed")
        }
        for delta in deltas {
            let shown = SweepPlan.shortText(delta)
            guard delta.sign == .positive && delta <= Rational(2) else {
                throw RequestError("--delta \(shown): δ must be in (0, 2], the distances between points of the unit sphere")
            }
            guard delta >= SweepPlan.smallestDelta else {
                throw RequestError("--delta \(shown): sweep needs δ >= 1/10000 (its circle bound uses about 2π/δ points)")
            }
            guard SweepPlan.text(delta).utf8.count <= SweepPlan.maximumDeltaText else {
                throw RequestError("--delta \(shown): δ must be written in at most \(SweepPlan.maximumDeltaText) characters "
                                   + "as a decimal or p/q (it labels rows, plots and ticks)")
            }
            // The largest n is the hardest request for the generator at this δ.
            let request = SphereRequest(count: sizes[sizes.count - 1], dimension: dimension, delta: delta, labels: labels,
                                        seed: seeds[0], layout: layout)
            do {
                try Generators.checkSphere(request)
            } catch {
                throw RequestError("n = \(request.count), δ = \(SweepPlan.text(delta)): \(error.message)")
            }
        }
        let estimate = WorkEstimate(self)
        guard estimate.seconds <= Double(maximumMinutes) * 60 else {
            throw RequestError("the sweep would take about \(WorkEstimate.duration(estimate.seconds)) by a rough estimate "
                               + "(more than --max-minutes \(maximumMinutes)); its heaviest step, \(estimate.heaviest), takes about "
                               + "\(WorkEstimate.duration(estimate.heaviestSeconds)) per seed. Use fewer or smaller sizes, fewer δ "
                               + "or seeds, leave out a method, or raise --max-minutes")
        }
        return estimate
    }

    static let smallestDelta = Rational(1, 10_000)
    static let maximumDeltaText = 40

    /// δ for messages: `text(value)`, or its first characters and its length when longer
    /// than `maximumDeltaText` (a value such as 1e-5000 would fill the screen).
    static func shortText(_ value: Rational) -> String {
        // A numerator or denominator of thousands of digits: avoid writing all of them as decimals.
        let plain = value.description
        guard plain.utf8.count <= 2 * maximumDeltaText else {
            return String(plain.prefix(24)) + "… (\(plain.utf8.count) characters as p/q)"
        }
        let text = text(value)
        return text.utf8.count <= maximumDeltaText ? text : String(text.prefix(24)) + "… (\(text.utf8.count) characters)"
    }

    /// δ as text: a terminating decimal when it is one ("0.05"), p/q otherwise ("1/3").
    public static func text(_ value: Rational) -> String {
        var d = value.denominator
        let two = BigInt(2), five = BigInt(5)
        var digits = 0
        while d.quotientAndRemainder(dividingBy: two).remainder.isZero { d = d.quotientAndRemainder(dividingBy: two).quotient; digits += 1 }
        var fives = 0
        while d.quotientAndRemainder(dividingBy: five).remainder.isZero { d = d.quotientAndRemainder(dividingBy: five).quotient; fives += 1 }
        guard d == BigInt(1), max(digits, fives) <= 40 else { return value.description }
        return value.decimalString(fractionDigits: max(digits, fives))
    }
}

/// One data set of a sweep.
public struct SweepCase: Sendable, Equatable {
    public var n: Int
    public var delta: Rational
    public var seed: UInt64
}

/// A rough estimate of a sweep's wall time on two cores, from the README's
/// measured sizes (release build): only to refuse absurd sweeps, never a decision
/// a result rests on.
public struct WorkEstimate: Sendable {
    public var seconds: Double
    /// The most expensive single step, e.g. "indicator at n = 64000".
    public var heaviest: String
    public var heaviestSeconds: Double

    init(_ plan: SweepPlan) {
        var total = 0.0, heaviest = "", heaviestSeconds = 0.0
        let d = Double(plan.dimension)
        let bits: Double = switch plan.labels {
        case .classes(let c): Double(max(1, Int(log2(Double(c)).rounded(.up))))
        default: 1
        }
        for delta in plan.deltas {
            let inverseDelta = 1 / max(delta.approximation ?? 1e-5, 1e-5)
            for size in plan.sizes {
                let n = Double(size)
                var steps: [(String, Double)] = [
                    ("generating n = \(size)", 2e-6 * n * d),
                    // All pairs up to 12000 points; beyond, a grid search that may have to compare all
                    // pairs (about 6 ns a pair on two cores) when it cannot prune, capped by its budget.
                    ("the minimum distance at n = \(size)", n <= 12_000 ? n * n / 2 * d * 1e-9
                        : size <= Sweep.unlimitedDistanceSearch ? 3e-9 * n * n : 120),
                ]
                for method in plan.methods {
                    let cost: Double = switch method {
                    case .rajput2021: n * (0.2e-6 * d + 0.03e-6 * 2 * Double.pi * log(n) * inverseDelta)
                    case .baum1988: bits * (4e-8 * n * d * d + 1.6e-9 * n * n)
                    case .indicator: bits * 1.5e-10 * n * n * d
                    }
                    steps.append(("\(method.rawValue) at n = \(size)", cost))
                }
                for (name, cost) in steps {
                    total += cost * Double(plan.seeds.count)
                    if cost > heaviestSeconds { heaviestSeconds = cost; heaviest = name }
                }
            }
        }
        seconds = total
        self.heaviest = heaviest
        self.heaviestSeconds = heaviestSeconds
    }

    /// "40 s", "12 min", "3.5 h".
    public static func duration(_ seconds: Double) -> String {
        if seconds < 90 { return "\(max(1, Int(seconds.rounded()))) s" }
        if seconds < 5400 { return "\(Int((seconds / 60).rounded())) min" }
        return "\((seconds / 3600).roundedText(digits: 1)) h"
    }
}
