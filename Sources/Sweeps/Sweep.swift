import Constructions
import DataSets
import ExactArithmetic
import SeparationGeometry
import TextFormats
import ThresholdNetworks

/// A scaling study (`memcert sweep`): for every (n, δ, seed) of a plan, sphere
/// data from the generator of `memcert generate sphere`, every method built
/// through the `Construction` protocol and verified exactly, and the certified
/// lower bounds; then least-squares slopes and the charts. It writes nothing: it
/// returns the rows, and the CSV and SVG bytes on request.
public enum Sweep {
    /// Runs `plan`. The plan is checked first (`SweepPlan.check`): a bad plan throws
    /// `RequestError` before any work; a good one's estimate goes to `planned` (which may
    /// throw to stop, e.g. when the output folder cannot be made). Then
    /// `progress` is called before each step.
    ///
    /// A method that does not apply to a data set (the construction throws
    /// `RequestError`, e.g. indicator when δ could not be computed) gets a row with
    /// `verified` false and the reason; so does every method of a case whose data
    /// the generator gave up on (bounds 0). A construction whose network fails exact
    /// verification is a bug: its row says so, the sweep goes on, and
    /// `internalErrors` counts it.
    public static func run(_ plan: SweepPlan, planned: (WorkEstimate) throws -> Void = { _ in },
                           progress: (SweepProgress) -> Void = { _ in }) throws -> SweepResult {
        try planned(try plan.check())
        let cases = plan.cases
        var rows: [SweepRow] = []
        var internalErrors: [String] = []
        for (index, item) in cases.enumerated() {
            func report(_ step: SweepProgress.Step) {
                progress(SweepProgress(caseIndex: index, caseCount: cases.count, sweepCase: item, step: step))
            }
            report(.generating)
            let data: DataSet
            do {
                data = try Generators.sphere(SphereRequest(count: item.n, dimension: plan.dimension, delta: item.delta,
                                                           labels: plan.labels, seed: item.seed, layout: plan.layout))
            } catch {
                // The plan's check passed, but random placement can still give up for one seed: keep
                // the other cases, and say why this one has no networks.
                for method in plan.methods {
                    rows.append(SweepRow(method: method, n: item.n, dimension: plan.dimension, delta: item.delta,
                                         measuredDelta: nil, seed: item.seed, layout: plan.layout, labels: plan.labels,
                                         counts: nil, lowerBound: 0, firstLayerBoundAllLabelings: 0, neuronsBoundAllLabelings: 0,
                                         seconds: 0, verified: false, reason: "no data: " + error.message))
                }
                continue
            }
            report(.measuringDistance)
            var options = ConstructionOptions()
            let minimumDistance = data.minimumDistance(workBudget: Sweep.minimumDistanceBudget(points: data.count))
            options.minimumDistance = minimumDistance
            report(.boundingBelow)
            let bounds = LowerBoundReport(data: data, neurons: data.count)
            let distinctCodes = bounds.bounds.first { $0.argument == "distinct-codes" }?.firstLayerNeurons ?? 0
            let counting = CountingBound.minimumNeurons(points: data.count, dimension: data.dimension)
            let base = SweepRow(method: .rajput2021, n: item.n, dimension: plan.dimension, delta: item.delta,
                                measuredDelta: minimumDistance.deltaDecimal(), seed: item.seed, layout: plan.layout,
                                labels: plan.labels, counts: nil, lowerBound: bounds.best,
                                firstLayerBoundAllLabelings: distinctCodes,
                                neuronsBoundAllLabelings: max(bounds.best, distinctCodes, counting),
                                seconds: 0, verified: false, reason: nil)
            for method in plan.methods {
                report(.building(method))
                var row = base
                row.method = method
                let start = ContinuousClock.now
                do {
                    let result = try method.construction.construct(data, options: options, seed: item.seed)
                    row.counts = result.network.counts
                    row.verified = result.verification.memorized
                } catch let error as RequestError {
                    row.reason = "does not apply: " + error.message
                } catch let error as InternalError {
                    row.reason = "internal error: " + error.description
                    internalErrors.append("\(method.rawValue) at n = \(item.n), δ = \(SweepPlan.text(item.delta)), seed \(item.seed): \(error)")
                }
                row.seconds = start.duration(to: .now) / .seconds(1)
                rows.append(row)
            }
        }
        var circle: [CircleBound] = []
        if plan.deltas.count >= 2 {
            for delta in plan.deltas {
                progress(SweepProgress(caseIndex: cases.count, caseCount: cases.count, sweepCase: nil, step: .circleBound(delta)))
                if let bound = CircleBound(delta: delta) { circle.append(bound) }
            }
        }
        return SweepResult(plan: plan, rows: rows, circleBounds: circle, internalErrors: internalErrors)
    }
}

extension Sweep {
    /// Work allowed to a data set's exact minimum-distance search (in the search's
    /// estimated nanoseconds): none up to `unlimitedDistanceSearch` points, so that δ
    /// (and with it indicator, which needs it) is always measured and the rows do not
    /// depend on the machine's load; beyond, about two minutes, far above the default
    /// of `construct`. In the worst case (a grid that cannot prune: uniform points in
    /// high dimension, or δ large against their spread) the search compares all n²/2
    /// pairs, about 4 minutes at 200000 points; the work estimate counts that.
    static func minimumDistanceBudget(points n: Int) -> Int {
        n <= unlimitedDistanceSearch ? .max : 120_000_000_000
    }

    public static let unlimitedDistanceSearch = 200_000
}

/// Where a sweep is, for progress lines.
public struct SweepProgress: Sendable {
    public enum Step: Sendable {
        case generating
        case measuringDistance
        case boundingBelow
        case building(ConstructionMethod)
        case circleBound(Rational)
    }

    /// 0-based; equal to `caseCount` after the last case.
    public var caseIndex: Int
    public var caseCount: Int
    /// The case, or nil for work after the cases.
    public var sweepCase: SweepCase?
    public var step: Step
}

/// One (method, n, δ, seed) of a sweep.
public struct SweepRow: Sendable {
    public var method: ConstructionMethod
    public var n: Int
    public var dimension: Int
    /// The requested δ: every two points are at least this far apart (checked exactly by the generator).
    public var delta: Rational
    /// The data's exact minimum distance, as a decimal rounded down, or nil when computing it was skipped.
    public var measuredDelta: String?
    public var seed: UInt64
    public var layout: SphereLayout
    public var labels: LabelScheme
    /// The network's counts, when the method applies.
    public var counts: NetworkCounts?
    /// The certified first-layer lower bound for this labeled data (`lower-bound`'s `best`).
    public var lowerBound: Int
    /// First-layer width any network memorizing every labeling of these points needs (distinct codes).
    public var firstLayerBoundAllLabelings: Int
    /// Neurons any network memorizing every labeling of these points needs: the largest of the
    /// bounds above and the counting bound on neurons (`CountingBound.minimumNeurons`).
    public var neuronsBoundAllLabelings: Int
    /// Wall time of the build and its exact verification.
    public var seconds: Double
    /// True when the network was built and verified exactly to memorize the data.
    public var verified: Bool
    /// Why there is no verified network, when there is none.
    public var reason: String?
}

/// What a sweep found.
public struct SweepResult: Sendable {
    public var plan: SweepPlan
    /// In the order of `plan.cases`, then of `plan.methods`.
    public var rows: [SweepRow]
    /// The circle bound per δ (computed when the plan has two or more δ).
    public var circleBounds: [CircleBound]
    /// Constructions whose networks failed exact verification (bugs), one line each.
    public var internalErrors: [String]

    /// The least-squares slope of log(neurons) against log(n), per method and δ, over
    /// every seed's verified rows (nil fit when fewer than two sizes have one), with
    /// how many rows and distinct sizes there were.
    public var slopes: [(method: ConstructionMethod, delta: Rational, fit: LogLogFit?, points: Int, sizes: Int)] {
        plan.methods.flatMap { method in
            plan.deltas.map { delta in
                let points = rows.filter { $0.method == method && $0.delta == delta && $0.verified }
                    .compactMap { row in row.counts.map { (Double(row.n), Double($0.neurons)) } }
                return (method, delta, LogLogFit(points), points.count, Set(points.map(\.0)).count)
            }
        }
    }
}
