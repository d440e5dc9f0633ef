import ArgumentParser
import DataSets
import SeparationGeometry
import TextFormats
import WorkSharing
import ThresholdNetworks

struct SeparationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "separation",
        abstract: "Check exactly which labeled pairs a set of hyperplanes separates.",
        discussion: """
            The hyperplanes are the first layer of a network file. Each point's code is exact \
            (bit t = 1[w_t·x + b_t >= 0]; a point on a hyperplane counts as the 1 side). Reports the \
            occupied cells, the pairs left together and the differently labeled ones among them, and \
            whether the hyperplanes can be the first layer of a memorizing network. \
            Exit status: 0 a valid first layer; 1 some differently labeled pair is left together; 2 bad input.
            """
    )

    @Argument(help: "The data set: CSV (coordinates, then the label; - for stdin), NumPy .npy (labels in the last column, or --labels) or .npz (arrays X and y).")
    var data: String
    @OptionGroup(title: "NumPy data") var dataOptions: DataOptions
    @Option(help: "A network file whose first layer is the hyperplanes.") var hyperplanes: String
    @Option(help: "Also write every point's code to this CSV file (line, label, bits; - for stdout).") var codes: String?
    @Flag(help: "Print a stable JSON object.") var json = false

    func run() throws {
        try reportingErrors {
            let destination = try OutputFiles.prepare([codes], inputs: [data, hyperplanes] + dataOptions.inputs)[0]
            let network = try Network.read(path: hyperplanes)
            let set = try DataSet.read(path: data, options: dataOptions)
            guard network.inputDimension == set.dimension else {
                throw InputError(file: set.source, line: set.lines.first, column: 1,
                                 message: "the data have \(set.dimension) coordinates but the hyperplanes of \(hyperplanes) "
                                    + "read \(network.inputDimension)")
            }
            let width = network.layers[0].neurons.count
            try MemoryBudget.require(MemoryBudget.product(set.count, (width + 63) / 64, 8),
                                     for: "the codes of \(set.count) points under \(width) hyperplanes")
            if destination != nil {
                try MemoryBudget.require(MemoryBudget.product(set.count, width + 24), for: "the --codes file")
            }
            let check = SeparationCheck(data: set, layer: network.layers[0])
            try destination?.commit(check.codesCSV(data: set))
            if json { printJSON(check.json) } else { report(check.humanText(data: shown(data), hyperplanesFile: shown(hyperplanes))) }
            return check.validFirstLayer ? ExitStatus.success : ExitStatus.claimFalse
        }
    }
}
