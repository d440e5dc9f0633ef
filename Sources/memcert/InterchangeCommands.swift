import ArgumentParser
import DataSets
import ExactArithmetic
import Foundation
import NumPyArchives
import ONNXInterchange
import TextFormats
import ThresholdNetworks
import WorkSharing

// MARK: - memcert import onnx / export onnx

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Convert a network from another format into memcert.network.",
        subcommands: [ImportONNX.self])
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Convert a memcert.network into another format.",
        subcommands: [ExportONNX.self])
}

struct ImportONNX: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnx",
        abstract: "Import an ONNX model of affine layers and thresholds as an exact threshold network.",
        discussion: """
            The graph must be one chain from its input [N, d] to its output of layers: Gemm, or MatMul \
            (optionally followed by Add); optionally BatchNormalization (folded exactly, or refused with \
            the reason); then a threshold: Sign, or GreaterOrEqual / Greater / Less / LessOrEqual against \
            a constant, optionally followed by Cast. Weights are read exactly (float16/32/64, integers). \
            Each layer keeps its operator's behaviour at exactly 0 (docs/formats.md, section 4: ">=", \
            ">", or "sign", where Sign(0) = 0 is a tie that verify reports). Sign's ±1 outputs become \
            bits by rewriting the next layer exactly. The last layer's outputs are the label bits, \
            label = Σ o_j 2^j. Any other operator, a graph that is not a chain, or a shape that does \
            not match: exit 2, naming the node.
            """)

    @Argument(help: "The ONNX model (.onnx).") var model: String
    @Option(name: [.short, .customLong("output")], help: "The network file to write (memcert.network/1 or /2; - for stdout, the report then goes to stderr).") var output: String

    func run() throws {
        try reportingErrors {
            // The output is checked (not the model, a writable place) before any work.
            let destination = try OutputFiles.prepare([output], inputs: [model])[0]!
            let file = try MappedFile(path: model)
            let (network, imported) = try ONNXImport.network(Data(buffer: file.bytes), file: file.name)
            try destination.commit(network.jsonBytes())
            report("imported \(file.name) (opset \(imported.opset)\(imported.producer.isEmpty ? "" : ", from \(imported.producer)")): "
                + "\(network.layers.count) layers, \(network.inputDimension) inputs, \(network.outputBits) output bits")
            for (l, layer) in imported.layers.enumerated() {
                report("  layer \(l): \(layer.inputs) -> \(layer.outputs), comparison \(layer.comparison.rawValue)"
                    + (layer.foldedBatchNormalization ? ", BatchNormalization folded exactly" : "") + "  (\(layer.nodes.joined(separator: ", ")))")
            }
            report("wrote \(shown(output, output: true)) (\(network.formatIdentifier))")
            return ExitStatus.success
        }
    }
}

struct ExportONNX: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnx",
        abstract: "Export a threshold network as an ONNX model in float64.",
        discussion: """
            Writes, per layer, MatMul, Add, GreaterOrEqual (Greater for a ">" layer) and Cast, in float64 \
            (opset 13): input X [N, d], output bits [N, outputBits] (label = Σ bits_j 2^j). A weight or \
            bias that float64 cannot hold exactly is refused (exit 2, naming it) unless --round, which \
            takes the nearest float64 and reports how many values changed. Layers comparing with "sign" \
            are refused. A float runtime sums in floating point, so near a threshold its outputs may \
            differ from memcert's exact ones.
            """)

    @Argument(help: "The network file (memcert.network/1 or /2).") var network: String
    @Option(name: [.short, .customLong("output")], help: "The ONNX model to write (- for stdout, the report then goes to stderr).") var output: String
    @Flag(help: "Round weights that float64 cannot hold to the nearest float64 (and report how many).") var round = false

    func run() throws {
        try reportingErrors {
            let destination = try OutputFiles.prepare([output], inputs: [network])[0]!
            let net = try Network.read(path: network)
            let (bytes, exported) = try ONNXExport.model(net, file: shown(network), round: round)
            try destination.commit([UInt8](bytes))
            report("wrote \(shown(output, output: true)): \(exported.layers) layers in float64 (MatMul, Add, GreaterOrEqual/Greater, Cast), opset 13"
                + (round ? "; \(exported.rounded) weights and biases rounded to the nearest float64" : "; every weight exact"))
            return ExitStatus.success
        }
    }
}

// MARK: - memcert convert

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write a data set in another format: CSV, NumPy .npy or .npz (by the output's extension).",
        discussion: """
            CSV: exact decimals where the denominator is 2^a 5^b, p/q otherwise, so every value is kept \
            exactly. .npy: one float64 array [n, d + 1], the label in the last column. .npz: X (float64, \
            [n, d]) and y (int64, [n]). A coordinate float64 cannot hold exactly is refused (exit 2, naming \
            it) unless --round (nearest float64, ties to even; the count of changed values is reported). \
            Repeated rows are merged, as when reading.
            """)

    @Argument(help: "The data set: CSV, NumPy .npy or .npz.") var data: String
    @OptionGroup(title: "NumPy data") var dataOptions: DataOptions
    @Option(name: [.short, .customLong("output")], help: "The file to write: .csv, .npy or .npz (by its name; - writes CSV to stdout, the report then goes to stderr).") var output: String
    @Flag(help: "Round coordinates that float64 cannot hold to the nearest float64 (NumPy outputs).") var round = false

    func run() throws {
        try reportingErrors {
            // The output is checked (not an input, a writable place) before any work.
            let destination = try OutputFiles.prepare([output], inputs: [data] + dataOptions.inputs)[0]!
            let set = try DataSet.read(path: data, options: dataOptions)
            let kind = DataFileKind(path: output)
            var note = ""
            switch kind {
            case .csv:
                try destination.commit(set.exactDecimalCSV())
                note = "exact values"
            case .npy, .npz:
                // The doubles, their bytes and the file's bytes, before they are allocated.
                try MemoryBudget.require(MemoryBudget.product(set.count, set.dimension + 1, 8, 3),
                                         for: "writing \(set.count) points of \(set.dimension) coordinates in float64")
                guard let (values, changed, first) = set.float64Coordinates() else {
                    throw InputError(file: shown(data), message: "a coordinate lies beyond the largest float64")
                }
                if let first, !round {
                    throw InputError(file: shown(data), message: "the point on line \(set.lines[first.point]) has coordinate \(first.coordinate + 1) = "
                        + "\(set.points.coordinate(first.point, first.coordinate)), which float64 cannot hold (\(changed) such values); "
                        + "convert with --round for the nearest float64")
                }
                if let large = set.labels.first(where: { $0 > 1 << 53 }), kind == .npy {
                    throw InputError(file: shown(data), message: "the label \(large) is above 2^53: float64 cannot hold it in the last column; write .npz (int64 labels)")
                }
                let n = set.count, d = set.dimension
                if kind == .npy {
                    var rows = [Double]()
                    rows.reserveCapacity(n * (d + 1))
                    for i in 0 ..< n {
                        rows.append(contentsOf: values[i * d ..< (i + 1) * d])
                        rows.append(Double(set.labels[i]))
                    }
                    try destination.commit(NumPyWriter.file(descr: "<f8", shape: [n, d + 1], elements: NumPyWriter.float64Bytes(rows)))
                } else {
                    let x = NumPyWriter.file(descr: "<f8", shape: [n, d], elements: NumPyWriter.float64Bytes(values))
                    let y = NumPyWriter.file(descr: "<i8", shape: [n], elements: NumPyWriter.int64Bytes(set.labels))
                    try destination.commit(try NumPyArchive.archive([("X", x), ("y", y)]))
                }
                note = round ? "\(changed) of \(n * d) coordinates rounded to the nearest float64" : "every coordinate exact in float64"
            }
            report("wrote \(shown(output, output: true)): \(set.count) points in d = \(set.dimension)"
                + (set.mergedDuplicates > 0 ? " (\(set.mergedDuplicates) repeated rows merged)" : "") + "; \(note)")
            return ExitStatus.success
        }
    }
}

extension DataSet {
    /// CSV with every value exact: a terminating decimal when the denominator is 2^a 5^b, else p/q.
    func exactDecimalCSV() -> [UInt8] {
        var out = Array((((1 ... max(1, dimension)).prefix(dimension).map { "x\($0)" }) + ["label"]).joined(separator: ",").utf8)
        out.append(0x0A)
        for i in 0 ..< count {
            for j in 0 ..< dimension {
                out.append(contentsOf: points.coordinate(i, j).exactDecimal.utf8)
                out.append(UInt8(ascii: ","))
            }
            out.append(contentsOf: String(labels[i]).utf8)
            out.append(0x0A)
        }
        return out
    }
}

extension Rational {
    /// The value as a terminating decimal when its reduced denominator is 2^a 5^b ("-0.375",
    /// "12"), else "p/q": with k = max(a, b), p/q = p (10^k / q) / 10^k.
    var exactDecimal: String {
        let twos = denominator.trailingZeroBitCount
        var q = denominator.shiftedRightTruncating(by: twos), fives = 0
        while q.isMultiple(of: 5) { q = q / 5; fives += 1 }
        guard q == 1 else { return description }
        let k = Swift.max(twos, fives)
        if k == 0 { return description }
        let scaled = numerator.magnitude * (BigInt.powerOfTen(k) / denominator)
        var digits = scaled.description
        if digits.count <= k { digits = String(repeating: "0", count: k - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -k)
        return (sign == .negative ? "-" : "") + digits[..<point] + "." + digits[point...]
    }
}
