import ArgumentParser
import DataSets
import ExactArithmetic
import TextFormats

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write reproducible labeled data sets with exact rational coordinates.",
        discussion: """
            The same parameters and seed always give the same bytes. Sizes are checked against the memory \
            budget before anything is allocated (MEMCERT_MEMORY_LIMIT lowers it); -o - writes to stdout.
            """,
        subcommands: [Sphere.self, Circle.self, MomentCurve.self]
    )

    struct Common: ParsableArguments {
        @Option(help: "How points get their labels.")
        var labels: LabelScheme = .random

        @Option(help: "Seed of every random choice.")
        var seed: UInt64 = 1

        @Option(name: [.short, .customLong("output")], help: "The CSV file to write (atomically; - for stdout).")
        var output: String
    }

    struct Sphere: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Points exactly on the unit sphere S^(d-1), pairwise at least δ apart (checked exactly).",
            discussion: """
                Each point is a random direction rounded through inverse stereographic projection of a \
                dyadic point, so its coordinates are rationals with ‖x‖ = 1 exactly. --layout uniform keeps \
                random points that are at least δ from all kept ones; --layout pairs makes every second point \
                a partner between δ and 1.25 δ from the one before, so the data's minimum distance is close to δ. \
                Requests that cannot fit (cap packing) or would take unreasonably long are refused with the reason.
                """
        )
        @Option(help: "Number of points.") var n: Int
        @Option(help: "Dimension d (the sphere is S^(d-1)).") var dim: Int
        @Option(help: "Minimum pairwise distance δ, read exactly (0.05, 1/20).") var delta: String
        @Option(help: "How points are placed.") var layout: SphereLayout = .uniform
        @OptionGroup var common: Common

        func run() throws {
            try reportingErrors {
                let destination = try OutputFiles.prepare([common.output], inputs: [])[0]!
                let request = SphereRequest(count: n, dimension: dim, delta: try exactValue(delta, option: "--delta"),
                                            labels: common.labels, seed: common.seed, layout: layout)
                let data = try Generators.sphere(request)
                let command = "memcert generate sphere --n \(n) --dim \(dim) --delta \(delta) --layout \(layout) "
                    + "--labels \(common.labels) --seed \(common.seed)"
                try destination.commit(data.csvBytes(comments: [
                    command,
                    "\(n) points exactly on the unit sphere in dimension \(dim); every two are at least \(delta) apart (checked exactly)",
                ]))
                report("wrote \(common.output): \(n) points exactly on S^\(dim - 1), pairwise distance >= \(delta) "
                      + "(checked exactly), layout \(layout), labels \(common.labels), seed \(common.seed)")
                return ExitStatus.success
            }
        }
    }

    struct Circle: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "n points exactly on the unit circle, in counterclockwise cyclic order, nearly evenly spaced."
        )
        @Option(help: "Number of points.") var n: Int
        @OptionGroup var common: Common

        func run() throws {
            try reportingErrors {
                let destination = try OutputFiles.prepare([common.output], inputs: [])[0]!
                let data = try Generators.circle(n: n, labels: common.labels, seed: common.seed)
                try destination.commit(data.csvBytes(comments: [
                    "memcert generate circle --n \(n) --labels \(common.labels) --seed \(common.seed)",
                    "\(n) points exactly on the unit circle, in counterclockwise cyclic order",
                ]))
                report("wrote \(common.output): \(n) points exactly on the unit circle in cyclic order, labels \(common.labels)")
                return ExitStatus.success
            }
        }
    }

    struct MomentCurve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "moment-curve",
            abstract: "n points on the moment curve t -> (t, t^2, ..., t^D) at t = -1 + 2i/(n-1), in t order."
        )
        @Option(help: "Number of points.") var n: Int
        @Option(help: "Dimension D.") var dim: Int
        @OptionGroup var common: Common

        func run() throws {
            try reportingErrors {
                let destination = try OutputFiles.prepare([common.output], inputs: [])[0]!
                let data = try Generators.momentCurve(n: n, dimension: dim, labels: common.labels, seed: common.seed)
                try destination.commit(data.csvBytes(comments: [
                    "memcert generate moment-curve --n \(n) --dim \(dim) --labels \(common.labels) --seed \(common.seed)",
                    "\(n) points on t -> (t, t^2, ..., t^\(dim)) at t = -1 + 2i/(n-1), in t order",
                ]))
                report("wrote \(common.output): \(n) points on the moment curve in dimension \(dim), labels \(common.labels)")
                return ExitStatus.success
            }
        }
    }
}
