import ArgumentParser
import Constructions
import DataSets
import TextFormats
import ThresholdNetworks

struct ConstructCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "construct",
        abstract: "Build a threshold network that memorizes a data set, verify it exactly, and write it.",
        discussion: """
            rajput2021 (the default) is the construction of Rajput et al. (NeurIPS 2021): a Gaussian \
            first layer with exact dyadic weights (stage A), GF(2) compression built from threshold \
            gates (B), integer keys in blocks of ⌈√N⌉ with a position thermometer (C), and one \
            memorizing neuron per block and label bit (D). Every stage checks its promise exactly; \
            the whole network is verified exactly before it is written, atomically.
            """
    )

    @Argument(help: "The data set: CSV (coordinates, then the label), NumPy .npy (labels in the last column, or --labels) or .npz (arrays X and y).")
    var data: String
    @OptionGroup(title: "NumPy data") var dataOptions: DataOptions
    @Option(name: [.short, .customLong("output")], help: "The network file to write.") var output: String
    @Option(help: "Construction method.") var method: ConstructionMethod = .rajput2021
    @Option(help: "Seed of every random choice.") var seed: UInt64 = 1
    @Option(help: "rajput2021: fractional bits of the first layer's dyadic weights.") var precision = 32
    @Option(help: "rajput2021: the first layer's width.") var width: ConstructionOptions.Width = .adaptive
    @Option(help: "rajput2021: stage B, compressing the codes.") var compression: ConstructionOptions.Compression = .gf2
    @Flag(help: "Print a stable JSON object instead of the table (see the README).") var json = false

    func run() throws {
        try reportingErrors {
            var options = ConstructionOptions()
            options.precision = precision
            options.width = width
            options.compression = compression
            let set = try DataSet.read(path: data, options: dataOptions)
            let result = try method.construction.construct(set, options: options, seed: seed)
            try result.network.write(to: output)
            if json {
                printJSON(result.json(data: data, output: output))
            } else {
                print(result.humanText(data: data, output: output))
            }
            return ExitStatus.success
        }
    }
}
