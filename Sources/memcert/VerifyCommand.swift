import ArgumentParser
import DataSets
import TextFormats
import ThresholdNetworks

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Decide exactly whether a network memorizes a labeled data set.",
        discussion: """
            Evaluates the network on every point with exact arithmetic (a floating-point \
            filter with a proven error bound decides the clear cases; everything else is exact) \
            and compares the output Σ o_j 2^j with the label.
            CSV and .npy files above 64 MiB are read in blocks (--reading), in memory O(network + block); \
            --shard I/K reads one contiguous part only: a byte range aligned to line starts of CSV, \
            a row range of .npy read by seeking (docs/formats.md, section 3.1). NumPy archives (.npz) \
            and --labels are read whole.
            Exit status: 0 every point memorized; 1 some point is not (the first ones are listed \
            with their line numbers); 2 bad input.
            """
    )

    @Argument(help: "The network file (memcert.network/1 or /2 JSON).")
    var network: String

    @Argument(help: "The data set: CSV (coordinates, then the label), NumPy .npy (labels in the last column, or --labels) or .npz (arrays X and y).")
    var data: String
    @OptionGroup(title: "NumPy data") var dataOptions: DataOptions

    @Flag(help: "Print a stable JSON object instead of the summary (see the README).")
    var json = false

    @Option(help: "How many mismatches to list at most.")
    var mismatches = 100

    @OptionGroup var streaming: StreamingOptions

    func validate() throws {
        guard mismatches >= 0 else { throw ValidationError("--mismatches must be >= 0") }
        try streaming.validate(with: dataOptions)
    }

    func run() throws {
        try reportingErrors {
            if try streaming.streams(data: data, options: dataOptions) {
                return try StreamingVerify.run(network: network, data: data, shard: streaming.shard, json: json,
                                               mismatchLimit: mismatches, blockBytes: streaming.blockSize)
            }
            let net = try Network.read(path: network)
            let set = try DataSet.read(path: data, options: dataOptions)
            let report = try Verifier.verify(net, on: set, mismatchLimit: mismatches)
            if json {
                printJSON(report.json)
            } else {
                print(report.humanText(network: shown(network), data: shown(data)))
            }
            return report.memorized ? ExitStatus.success : ExitStatus.claimFalse
        }
    }
}
