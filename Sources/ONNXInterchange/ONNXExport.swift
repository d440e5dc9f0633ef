import ExactArithmetic
import Foundation
import SwiftProtobuf
import TextFormats
import ThresholdNetworks

// MARK: - memcert.network -> ONNX
//
// Each layer becomes MatMul(h, W) -> Add(·, B) -> GreaterOrEqual(·, 0) (Greater for a ">"
// layer) -> Cast(to double), all in float64: the input "X" is double [N, d] and the output
// "bits" is double [N, outputBits], the last layer's outputs o_j (label = Σ o_j 2^j). Every
// weight and bias must be a float64 exactly, or the export is refused naming the first that
// is not, unless `round` asks for the nearest float64 (ties to even), counted in the report.
// A float runtime then computes the sums in floating point: its outputs equal memcert's
// exact ones where no sum is rounded near its threshold. "sign" layers are refused: Sign(0)
// would output 0, which is no bit.

public struct ONNXExportReport: Sendable {
    /// Weights and biases that float64 could not hold and were rounded (0 without `round`).
    public var rounded = 0
    public var layers = 0
}

public enum ONNXExport {
    /// The serialized ModelProto of `network`; `file` names the network in errors.
    public static func model(_ network: Network, file: String, round: Bool) throws(InputError) -> (Data, ONNXExportReport) {
        var report = ONNXExportReport()
        func double(_ value: Rational, _ what: String) throws(InputError) -> Double {
            guard let (d, exact) = value.nearestDouble else {
                throw InputError(file: file, message: "\(what) = \(value) is beyond the largest float64")
            }
            if !exact {
                guard round else {
                    throw InputError(file: file, message: "\(what) = \(value) is not a float64; export with --round for the nearest float64")
                }
                report.rounded += 1
            }
            return d
        }
        var graph = Onnx_GraphProto()
        graph.name = "memcert"
        graph.input = [valueInfo("X", dims: [nil, network.inputDimension])]
        graph.output = [valueInfo("bits", dims: [nil, network.outputBits])]
        var width = network.inputDimension
        var current = "X"
        var zero = Onnx_TensorProto()
        zero.name = "zero"
        zero.dataType = ONNXType.double
        zero.doubleData = [0]
        graph.initializer.append(zero)
        for (l, layer) in network.layers.enumerated() {
            guard layer.comparison != .sign else {
                throw InputError(file: file, message: "layer \(l) compares with \"sign\": Sign(0) = 0 is no bit, so it has no exact "
                    + "ONNX form in this export (which writes GreaterOrEqual and Greater)")
            }
            let outputs = layer.neurons.count
            // MatMul needs the dense matrix; a protocol buffer holds at most 2 GiB.
            let (cells, overflow) = width.multipliedReportingOverflow(by: outputs)
            guard !overflow, cells <= (1 << 31) / 8 - (1 << 20) else {
                throw InputError(file: file, message: "layer \(l) is \(width) × \(outputs): as a dense float64 matrix it exceeds "
                    + "the 2 GiB an ONNX model (a protocol buffer) can hold")
            }
            var w = [Double](repeating: 0, count: cells)
            var b = [Double](repeating: 0, count: outputs)
            for (t, neuron) in layer.neurons.enumerated() {
                for (k, i) in neuron.indices.enumerated() {
                    w[i * outputs + t] = try double(neuron.weights[k], "layer \(l) neuron \(t) weight \(k) (input \(i))")
                }
                b[t] = try double(neuron.bias, "layer \(l) neuron \(t) bias")
            }
            graph.initializer.append(tensor("W\(l)", dims: [width, outputs], w))
            graph.initializer.append(tensor("B\(l)", dims: [outputs], b))
            graph.node.append(node("MatMul", "matmul\(l)", [current, "W\(l)"], "xw\(l)"))
            graph.node.append(node("Add", "add\(l)", ["xw\(l)", "B\(l)"], "z\(l)"))
            graph.node.append(node(layer.comparison == .greater ? "Greater" : "GreaterOrEqual", "threshold\(l)", ["z\(l)", "zero"], "fires\(l)"))
            let output = l == network.layers.count - 1 ? "bits" : "h\(l)"
            var cast = node("Cast", "cast\(l)", ["fires\(l)"], output)
            var to = Onnx_AttributeProto()
            to.name = "to"
            to.type = .int
            to.i = Int64(ONNXType.double)
            cast.attribute = [to]
            graph.node.append(cast)
            current = output
            width = outputs
        }
        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.producerName = "memcert"
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = 13
        model.opsetImport = [opset]
        model.graph = graph
        report.layers = network.layers.count
        do {
            return (try model.serializedBytes(), report)
        } catch {
            throw InputError(file: file, message: "cannot serialize the ONNX model: \(error)")
        }
    }

    static func tensor(_ name: String, dims: [Int], _ values: [Double]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = ONNXType.double
        t.dims = dims.map { Int64($0) }
        var raw = Data(capacity: values.count * 8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
        t.rawData = raw
        return t
    }

    static func node(_ op: String, _ name: String, _ inputs: [String], _ output: String) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = op
        n.name = name
        n.input = inputs
        n.output = [output]
        return n
    }

    static func valueInfo(_ name: String, dims: [Int?]) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        var type = Onnx_TypeProto()
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = ONNXType.double
        var shape = Onnx_TensorShapeProto()
        shape.dim = dims.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            if let d { dim.dimValue = Int64(d) } else { dim.dimParam = "N" }
            return dim
        }
        tensorType.shape = shape
        type.tensorType = tensorType
        info.type = type
        return info
    }
}
