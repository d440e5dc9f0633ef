import ArgumentParser
import DataSets
import SeparationGeometry
import TextFormats
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

    @Argument(help: "The data set: CSV (coordinates, then the label), NumPy .npy (labels in the last column, or --labels) or .npz (arrays X and y).")
    var data: String
    @OptionGroup(title: "NumPy data") var dataOptions: DataOptions
    @Option(help: "A network file whose first layer is the hyperplanes.") var hyperplanes: String
    @Option(help: "Also write every point's code to this CSV file (line, label, bits).") var codes: String?
    @Flag(help: "Print a stable JSON object.") var json = false

    func run() throws {
        try reportingErrors {
            let network = try Network.read(path: hyperplanes)
            let set = try DataSet.read(path: data, options: dataOptions)
            guard network.inputDimension == set.dimension else {
                throw InputError(file: hyperplanes, message: "the hyperplanes live in dimension \(network.inputDimension) but the data in \(set.dimension)")
            }
            let check = SeparationCheck(data: set, layer: network.layers[0])
            if let codes { try AtomicFile.write(check.codesCSV(data: set), to: codes) }
            if json { printJSON(check.json) } else { print(check.humanText(data: data, hyperplanesFile: hyperplanes)) }
            return check.validFirstLayer ? ExitStatus.success : ExitStatus.claimFalse
        }
    }
}
