import ArgumentParser
import Constructions
import DataSets
import ExactArithmetic
import Sweeps
import TextFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "A scaling study in one command: sphere data for every n, δ and seed, every method built and verified exactly, lower bounds, slopes and plots.",
        discussion: """
            For every δ, n and seed it generates the data exactly as `memcert generate sphere --n N --dim D --delta X \
            --layout L --labels S --seed SEED` does, builds each method and verifies it exactly, and computes the \
            certified lower bounds of `memcert lower-bound`. Into --folder it writes sweep.csv (one row per method, n, \
            δ and seed; a method that does not apply gets a row with verified = false and the reason), \
            neurons-vs-n.svg (log-log, at the smallest δ, with √n, 2⌈n/d⌉ and n and the certified lower bound) and, \
            with two or more δ, first-layer-vs-inverse-delta.svg (at the largest n, with ⌈2π ln n/δ⌉ and the circle \
            bound). It prints the least-squares slope of log neurons against log n per method and δ (--json: one \
            memcert.sweep/1 object, schema in docs/schemas/sweep.schema.json). Everything is checked before any work, \
            with the reason (exit 2): the sizes and δ, what the generator would refuse, the memory budget, a sweep \
            estimated to take longer than --max-minutes, and the folder and each file it will hold (by the output \
            rules of every command: files replaced atomically, links written through).
            """
    )

    @Option(name: .customLong("n"), help: ArgumentHelp("Sizes, comma-separated (1000,4000,16000).", valueName: "n,n,..."),
            transform: { try ListOption.integers($0, option: "--n") })
    var sizes: ListOption<Int>

    @Option(help: "Dimension d (points on S^(d-1)).") var dim: Int

    @Option(help: ArgumentHelp("δ values, comma-separated, each read exactly (0.4,0.2,0.1 or 1/20).", valueName: "δ,δ,..."),
            transform: { try ListOption.rationals($0, option: "--delta") })
    var delta: ListOption<Rational>

    @Option(help: "How points are placed (pairs, the default here, makes the data's minimum distance close to δ).")
    var layout: SphereLayout = .pairs

    @Option(help: "How points get their labels.") var labels: LabelScheme = .random

    @Option(help: ArgumentHelp("Methods, comma-separated: rajput2021, baum1988, indicator (default: all).", valueName: "m,m,..."),
            transform: { try ListOption.methods($0, option: "--methods") })
    var methods = ListOption(values: ConstructionMethod.allCases)

    @Option(help: ArgumentHelp("Seeds, comma-separated (each seeds the data and the randomized methods).", valueName: "s,s,..."),
            transform: { try ListOption.seeds($0, option: "--seeds") })
    var seeds = ListOption<UInt64>(values: [1])

    @Option(help: "Folder for sweep.csv and the plots (created when missing).") var folder = "memcert-sweep"

    @Option(help: "Refuse sweeps whose rough work estimate exceeds this many minutes.") var maxMinutes = 120

    @Flag(help: "Print a stable JSON object (memcert.sweep/1) instead of the tables.") var json = false

    func validate() throws {
        guard sizes.values.allSatisfy({ $0 >= 2 }) else { throw ValidationError("--n: every size must be at least 2") }
        guard delta.values.allSatisfy({ $0.sign == .positive }) else { throw ValidationError("--delta: every δ must be positive") }
        guard maxMinutes >= 1 else { throw ValidationError("--max-minutes must be at least 1") }
        for (name, count, distinct) in [("--n", sizes.values.count, Set(sizes.values).count),
                                         ("--delta", delta.values.count, Set(delta.values).count),
                                         ("--methods", methods.values.count, Set(methods.values).count),
                                         ("--seeds", seeds.values.count, Set(seeds.values).count)] where distinct != count {
            throw ValidationError("\(name) lists a value twice")
        }
    }

    func run() throws {
        try reportingErrors {
            let start = ContinuousClock.now
            let plan = SweepPlan(sizes: sizes.values, dimension: dim, deltas: delta.values, layout: layout, labels: labels,
                                 methods: methods.values, seeds: seeds.values, maximumMinutes: maxMinutes)
            let terminal = isatty(2) != 0
            var base = Substring(folder)  // "out/" names out: its files are out/sweep.csv, not out//sweep.csv
            while base.count > 1 && base.hasSuffix("/") { base = base.dropLast() }
            let paths = SweepResult.files(for: plan).map { (base == "/" ? "" : base) + "/" + $0 }
            var destinations: [OutputFile?] = []
            let result = try Sweep.run(plan, planned: { estimate in
                // After the plan's checks, before any work: the folder is made and every file in it is
                // checked (a folder, socket or block device in the way is refused; temporary files are
                // created next to each target now, so an unwritable folder is reported at once).
                try OutputFiles.makeFolder(folder)
                destinations = try OutputFiles.prepare(paths, inputs: [])
                guard !json else { return }
                report("sweep     \(plan.methods.count) methods × \(plan.sizes.count) sizes × \(plan.deltas.count) δ × "
                       + "\(plan.seeds.count) seeds = \(plan.cases.count * plan.methods.count) networks; sphere data in "
                       + "d = \(dim), \(layout.rawValue) layout, \(labels) labels; estimated about \(WorkEstimate.duration(estimate.seconds))")
                fflush(nil)  // the plan line before the long work, also when stdout is a pipe
            }, progress: { progress in
                guard terminal else { return }
                writeStandardError("\r\u{1B}[K" + SweepCommand.progressLine(progress))
            })
            if terminal { writeStandardError("\r\u{1B}[K") }

            let plots: [(file: String, bytes: [UInt8])]
            do {
                plots = try result.plots()
            } catch {
                throw InternalError("drawing the plots: \(error)")
            }
            guard destinations.count == paths.count, plots.map(\.file) == SweepResult.files(for: plan).dropFirst().map({ $0 }) else {
                throw InternalError("sweep: the plots drawn are not the files planned")
            }
            try destinations[0]!.commit(result.csvBytes())
            for (k, plot) in plots.enumerated() { try destinations[k + 1]!.commit(plot.bytes) }
            var notes = result.notes
            let stale = folder + "/" + SweepResult.firstLayerPlotFile
            if plan.deltas.count == 1 && FileBytes.exists(stale) {
                notes.append("\(stale) is from an earlier run (this sweep has one δ); it was left as it was")
            }
            if json {
                printJSON(result.json(folder: folder, files: paths))
            } else {
                let smallest = SweepPlan.text(plan.deltas[plan.deltas.count - 1])
                report("")
                report("neurons at δ = \(smallest), mean over seeds; lower bound: any network memorizing every labeling")
                report(result.sizeTable())
                report("")
                report("log-log slope of neurons against n (least squares over all seeds; √n has slope 0.5, 2⌈n/d⌉ and n slope 1):")
                report(result.slopeTable())
                if !result.circleBounds.isEmpty {
                    report("")
                    report("circle bound (other data: alternating points on a circle, pairwise >= δ apart, checked exactly):")
                    for c in result.circleBounds {
                        report("  δ = \(SweepPlan.text(c.delta)): \(c.points) points, first layer >= \(c.firstLayerNeurons)")
                    }
                }
                report("")
                for note in notes { report("note      \(note)") }
                for error in result.internalErrors { report("INTERNAL  \(error)") }
                report("wrote     \(paths[0]) (\(result.rows.count) rows, \(result.rows.filter(\.verified).count) verified networks)")
                for path in paths.dropFirst() { report("          \(path)") }
                report("done in \((start.duration(to: .now) / .seconds(1)).roundedText(digits: 1)) s")
            }
            if !result.internalErrors.isEmpty {
                printError("internal error: \(result.internalErrors.count) network(s) failed exact verification; their rows say so")
                return ExitStatus.internalError
            }
            return ExitStatus.success
        }
    }

    /// "[5/32] n = 4000, δ = 0.1, seed 1: baum1988".
    static func progressLine(_ p: SweepProgress) -> String {
        guard let c = p.sweepCase else {
            if case .circleBound(let delta) = p.step { return "circle bound at δ = \(SweepPlan.text(delta))" }
            return ""
        }
        let step: String = switch p.step {
        case .generating: "generating"
        case .measuringDistance: "minimum distance"
        case .boundingBelow: "lower bounds"
        case .building(let method): "building and verifying \(method.rawValue)"
        case .circleBound: "circle bound"
        }
        return "[\(p.caseIndex + 1)/\(p.caseCount)] n = \(c.n), δ = \(SweepPlan.text(c.delta)), seed \(c.seed): \(step)"
    }
}

/// A comma-separated option value: "1000,4000,16000".
struct ListOption<Element: Sendable & Hashable>: Sendable {
    var values: [Element]

    /// Splits on commas; every item is trimmed and must be nonempty.
    static func items(_ text: String, option: String) throws -> [String] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmed(of: " \t") }
        guard !items.isEmpty, items.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError("\(option) '\(text)': expected values separated by commas, none empty")
        }
        return items
    }
}

extension ListOption where Element == Int {
    static func integers(_ text: String, option: String) throws -> ListOption {
        ListOption(values: try items(text, option: option).map { item in
            guard let value = Int(item) else { throw ValidationError("\(option): '\(item)' is not an integer") }
            return value
        })
    }
}

extension ListOption where Element == UInt64 {
    static func seeds(_ text: String, option: String) throws -> ListOption {
        ListOption(values: try items(text, option: option).map { item in
            guard let value = UInt64(item) else { throw ValidationError("\(option): '\(item)' is not a seed (an integer from 0 to 2^64 - 1)") }
            return value
        })
    }
}

extension ListOption where Element == Rational {
    static func rationals(_ text: String, option: String) throws -> ListOption {
        ListOption(values: try items(text, option: option).map { try exactValue($0, option: option) })
    }
}

extension ListOption where Element == ConstructionMethod {
    static func methods(_ text: String, option: String) throws -> ListOption {
        ListOption(values: try items(text, option: option).map { item in
            guard let method = ConstructionMethod(rawValue: item) else {
                throw ValidationError("\(option): '\(item)' is not a method; the methods are "
                                      + ConstructionMethod.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return method
        })
    }
}

/// Writes `text` to stderr as it is (no newline), for a progress line that redraws itself.
private func writeStandardError(_ text: String) {
    var copy = text
    copy.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

extension Substring {
    /// The substring without leading and trailing characters of `set`.
    fileprivate func trimmed(of set: String) -> String {
        var s = self
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
