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
            first layer with exact dyadic weights (stage A), integer keys of the first layer's codes \
            (B: --compression), the keys in blocks of about √N with a position thermometer (C), and one \
            memorizing neuron per block and label bit (D). Every stage checks its promise exactly; \
            the whole network is verified exactly before it is written, atomically. Stage A draws for \
            the data scaled exactly to radius <= 1, so any scale works. \
            Caps (exit 2 with the reason): stage A at 4·10^11 multiply-adds, --width theory at k0 <= 200000 \
            and about 10 minutes for δ, baum1988 and indicator at 3·10^11 estimated operations, and every \
            size within the memory budget (MEMCERT_MEMORY_LIMIT lowers it). DATA - reads stdin; -o - writes \
            the network to stdout and the report to stderr; an output that is an input is refused.

            --compression auto (the default) builds the network with gf2, with hash and with none, \
            and keeps the one with the fewest neurons; on equal neurons the fewest nonzero weights, \
            then the fewest weight bits in total. The output names the choice and every candidate.
            """
    )

    @Argument(help: "The data set: CSV (coordinates, then the label; - for stdin), NumPy .npy (labels in the last column, or --labels) or .npz (arrays X and y).")
    var data: String
    @OptionGroup(title: "NumPy data") var dataOptions: DataOptions
    @Option(name: [.short, .customLong("output")], help: "The network file to write (- for stdout; the report then goes to stderr).") var output: String
    @Option(help: "Construction method.") var method: ConstructionMethod = .rajput2021
    @Option(help: "Seed of every random choice.") var seed: UInt64 = 1
    @Option(help: "rajput2021: fractional bits (1 to 1000) of stage A's values, drawn for the data scaled to radius <= 1.") var precision = 32
    @Option(help: "rajput2021: the first layer's width.") var width: ConstructionOptions.Width = .adaptive
    @Option(help: "rajput2021: how the codes become integer keys (stage B).")
    var compression: ConstructionOptions.Compression = .auto
    @Flag(help: "Print a stable JSON object instead of the table (see the README).") var json = false

    func run() throws {
        try reportingErrors {
            var options = ConstructionOptions()
            options.precision = precision
            options.width = width
            options.compression = compression
            // The output is checked (not an input, a writable place) before any work.
            let destination = try OutputFiles.prepare([output], inputs: [data] + dataOptions.inputs)[0]!
            let set = try DataSet.read(path: data, options: dataOptions)
            let result = try method.construction.construct(set, options: options, seed: seed)
            try destination.commit(result.network.jsonBytes())
            if json {
                printJSON(result.json(data: shown(data), output: shown(output, output: true)))
            } else {
                report(result.humanText(data: shown(data), output: shown(output, output: true)))
            }
            return ExitStatus.success
        }
    }
}
