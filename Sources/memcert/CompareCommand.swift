import ArgumentParser
import Constructions
import DataSets
import ExactArithmetic
import SeparationGeometry
import SeparationNumbers
import TextFormats

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Build every method on the same data, verify each exactly, and compare their sizes with the lower bounds.",
        discussion: """
            Methods: rajput2021 (Rajput et al. 2021), baum1988 (one hidden layer, exact hyperplanes through \
            groups of d points), indicator (one neuron per point, for data on a sphere centred at 0), and \
            vershynin2020 (its published bound only, not constructed). Methods that do not apply get a row \
            saying why. Each network is written to the folder. Build time includes exact verification. \
            Each method's work is estimated first: above its cap (see construct --help) its row says why. \
            Each method's first layer is shown against the exact separation number (the least first-layer \
            width of any memorizing network) when the data is small enough for it (see memcert lower-bound).
            """
    )

    @Argument(help: "The data set: CSV (coordinates, then the label; - for stdin), NumPy .npy (labels in the last column, or --labels) or .npz (arrays X and y).")
    var data: String
    @OptionGroup(title: "NumPy data") var dataOptions: DataOptions
    @Option(help: "Seed for the randomized methods.") var seed: UInt64 = 1
    @Option(help: "Folder for the networks built.") var folder = "memcert-compare"
    @Flag(help: "Print a stable JSON object.") var json = false

    func run() throws {
        try reportingErrors {
            // Every output is checked (not the data, no two the same file) and the folder made before any work.
            try OutputFiles.makeFolder(folder)
            let methods = ConstructionMethod.allCases
            let paths = methods.map { folder + "/\($0.rawValue).json" }
            let destinations = try OutputFiles.prepare(paths, inputs: [data] + dataOptions.inputs)
            let set = try DataSet.read(path: data, options: dataOptions)
            let comparison = try Comparison.run(set, seed: seed)
            var files: [ConstructionMethod: String] = [:]
            for row in comparison.rows {
                guard let result = row.result, let k = methods.firstIndex(of: row.method) else { continue }
                try destinations[k]!.commit(result.network.jsonBytes())
                files[row.method] = paths[k]
            }
            for destination in destinations { destination?.discard() }  // methods that did not apply
            let bounds = LowerBoundReport(data: set, neurons: set.count)
            let (byNeurons, byWeights) = comparison.smallest
            let exact = try SeparationNumberSupport.embedded(set, report: bounds)
            let firstLayers = comparison.rows.compactMap { row in row.counts.map { (row.method.rawValue, $0.firstLayerWidth) } }
            if json {
                var o = JSONObjectBuilder()
                o.add("format", .string("memcert.compare/1"))
                o.add("data", .string(shown(data)))
                o.add("n", .integer(set.count))
                o.add("d", .integer(set.dimension))
                o.add("classes", .integer(set.classCount))
                o.add("separation", comparison.minimumDistance.json)
                o.add("methods", comparison.methodsJSON(files: files))
                var v = JSONObjectBuilder()
                v.add("formula", .string(Comparison.vershyninFormula))
                v.add("neurons", comparison.vershynin.map { .string($0.neurons) } ?? .null)
                v.add("weights", comparison.vershynin.map { .string($0.weights) } ?? .null)
                v.add("reason", comparison.vershyninReason.map { .string($0) } ?? .null)
                o.add("vershynin2020", v.value)
                o.add("lowerBounds", bounds.json()["bounds"] ?? .null)
                o.add("bestFirstLayerLowerBound", .integer(bounds.best))
                o.add("smallestByNeurons", byNeurons.map { .string($0.rawValue) } ?? .null)
                o.add("smallestByWeights", byWeights.map { .string($0.rawValue) } ?? .null)
                o.add("separationNumber", SeparationNumberSupport.json(exact))
                o.add("firstLayers", .array(firstLayers.map { method, width in
                    var f = JSONObjectBuilder()
                    f.add("method", .string(method))
                    f.add("firstLayerWidth", .integer(width))
                    f.add("aboveSeparationNumber", exact.minimum.map { .integer(width - $0) } ?? .null)
                    return f.value
                }))
                printJSON(o.value)
            } else {
                report("data   \(shown(data)): n = \(set.count) points in d = \(set.dimension), \(set.classCount) classes; \(comparison.minimumDistance.summary)")
                report("")
                report(comparison.table())
                report("")
                report("certified lower bounds (memcert lower-bound):")
                for b in bounds.bounds {
                    let value = b.firstLayerNeurons.map { "first layer >= \($0)" } ?? b.weights.map { "weights >= \($0)" } ?? ""
                    report("  \(b.argument): \(value)\(b.allLabelings ? " (networks memorizing every labeling)" : "")")
                }
                report("  best for this labeling: first layer >= \(bounds.best)")
                report("  " + SeparationNumberSupport.line(exact).drop { $0 != " " }.drop { $0 == " " })
                if let minimum = exact.minimum {
                    report("")
                    report("first layers against the separation number \(minimum):")
                    for (method, width) in firstLayers {
                        let ratio = minimum > 0 ? " = \(Rational(width, minimum).decimalString(fractionDigits: 2)) × \(minimum)" : ""
                        report("  \(method): \(width)\(ratio) (\(width - minimum) above the least)")
                    }
                }
                report("")
                report("smallest by neurons: \(byNeurons?.rawValue ?? "none"); by weights: \(byWeights?.rawValue ?? "none"); networks in \(folder)/")
            }
            return ExitStatus.success
        }
    }
}
