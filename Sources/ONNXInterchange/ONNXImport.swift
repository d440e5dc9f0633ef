import ExactArithmetic
import Foundation
import SwiftProtobuf
import TextFormats
import ThresholdNetworks

// MARK: - ONNX -> memcert.network
//
// The graph must be one chain from its single input to its single output of layers
//
//     affine            Gemm(h, W, C)  |  MatMul(h, W) [Add(·, B)]
//     [normalise]       BatchNormalization, folded exactly or refused with the reason
//     threshold         Sign  |  GreaterOrEqual / Greater / Less / LessOrEqual against a constant,
//                       optionally followed by Cast
//
// with every weight a constant (an initializer or a Constant node), read exactly. Each layer
// becomes one memcert layer whose comparison keeps the operator's behaviour at z = 0 exactly
// (docs/formats.md, section 4): GreaterOrEqual is ">=", Greater is ">", Less and LessOrEqual are
// ">" and ">=" of the negated form, and Sign is "sign", whose outputs s in {-1, +1} become bits
// o = (s + 1)/2 by rewriting the next layer: w·s + b = (2w)·o + (b - Σw). The last layer's
// outputs o_j are the label bits, label = Σ o_j 2^j. Anything else is refused (exit 2), naming
// the node.

/// What an import did, for the report.
public struct ONNXImportReport: Sendable {
    public struct LayerSummary: Sendable {
        public var nodes: [String]
        public var inputs: Int
        public var outputs: Int
        public var comparison: Comparison
        public var foldedBatchNormalization: Bool
    }
    public var layers: [LayerSummary] = []
    public var opset: Int64 = 0
    public var producer: String = ""
}

public enum ONNXImport {
    /// Converts the ONNX model `bytes` (a serialized ModelProto) into an exact threshold network.
    public static func network(_ bytes: Data, file: String) throws(InputError) -> (Network, ONNXImportReport) {
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: bytes)
        } catch {
            throw InputError(file: file, message: "not an ONNX model (the protocol buffer does not decode: \(error))")
        }
        var importer = Importer(file: file, graph: model.graph)
        var report = ONNXImportReport()
        report.opset = model.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }?.version ?? 0
        report.producer = model.producerName + (model.producerVersion.isEmpty ? "" : " " + model.producerVersion)
        let network = try importer.run(&report)
        return (network, report)
    }
}

struct Importer {
    let file: String
    let graph: Onnx_GraphProto
    var constants: [String: ExactTensor] = [:]
    /// Constant nodes' outputs (their nodes are not part of the chain).
    var constantNodes: Set<Int> = []

    init(file: String, graph: Onnx_GraphProto) {
        self.file = file
        self.graph = graph
    }

    func fail(_ node: Onnx_NodeProto?, _ message: String) -> InputError {
        guard let node else { return InputError(file: file, message: message) }
        return InputError(file: file, message: "node '\(node.name.isEmpty ? "(unnamed)" : node.name)' (\(node.opType)): \(message)")
    }

    mutating func run(_ report: inout ONNXImportReport) throws(InputError) -> Network {
        for tensor in graph.initializer {
            constants[tensor.name] = try ExactTensor(tensor, file: file, what: "initializer '\(tensor.name)'")
        }
        for (k, node) in graph.node.enumerated() where node.opType == "Constant" {
            guard node.output.count == 1, let value = node.attribute.first(where: { $0.name == "value" }), node.attribute.count == 1, value.hasT else {
                throw fail(node, "only Constant nodes with one tensor 'value' are supported")
            }
            constants[node.output[0]] = try ExactTensor(value.t, file: file, what: "Constant node '\(node.name)'")
            constantNodes.insert(k)
        }
        let inputs = graph.input.filter { constants[$0.name] == nil }
        guard inputs.count == 1 else {
            throw fail(nil, "the graph must have exactly one input that is not an initializer (the points), it has \(inputs.count): "
                + inputs.map(\.name).joined(separator: ", "))
        }
        guard graph.output.count == 1 else { throw fail(nil, "the graph must have exactly one output (the label bits), it has \(graph.output.count)") }
        var declaredDimension: Int?
        let shape = inputs[0].type.tensorType.shape
        if inputs[0].type.tensorType.hasShape {
            guard shape.dim.count == 2 else { throw fail(nil, "the input '\(inputs[0].name)' must have shape [N, d], it has \(shape.dim.count) dimensions") }
            if case .dimValue(let d)? = shape.dim[1].value {
                guard d >= 1 && d <= 100_000_000 else { throw fail(nil, "the input '\(inputs[0].name)' has dimension \(d)") }
                declaredDimension = Int(d)
            }
        }
        // The chain: consumers of each tensor among the non-constant nodes.
        var consumers: [String: [Int]] = [:]
        for (k, node) in graph.node.enumerated() where !constantNodes.contains(k) {
            for name in Set(node.input) where !name.isEmpty { consumers[name, default: []].append(k) }
        }
        current = inputs[0].name
        var visited = Set<Int>()
        func next() throws(InputError) -> Onnx_NodeProto? {
            guard let list = consumers[current] else { return nil }
            guard list.count == 1 else {
                throw fail(graph.node[list[1]], "the tensor '\(current)' feeds \(list.count) nodes ("
                    + list.map { "'\(graph.node[$0].name)'" }.joined(separator: ", ") + "): the graph is not a chain")
            }
            guard visited.insert(list[0]).inserted else { throw fail(graph.node[list[0]], "the graph has a cycle") }
            return graph.node[list[0]]
        }
        var layers: [Layer] = []
        var width = declaredDimension
        var previousSign = false
        while var node = try next() {
            // Affine part.
            var (weights, bias, nodes) = try affine(node, inputWidth: width)
            if let w = width, weights.count != w { throw fail(node, "reads \(weights.count) inputs, the layer before has \(w) outputs") }
            if width == nil { width = weights.count }
            let outputs = bias.count
            current = node.output[0]
            if previousSign {
                // s = 2o - 1: w·s + b = (2w)·o + (b - Σw), per neuron (column).
                for j in 0 ..< outputs {
                    var sum = Rational()
                    for i in 0 ..< weights.count {
                        sum += weights[i][j]
                        weights[i][j] = weights[i][j] * 2
                    }
                    bias[j] -= sum
                }
            }
            if node.opType == "MatMul", let add = try next() {
                guard add.opType == "Add" || add.opType == "BatchNormalization" || isThreshold(add.opType) else {
                    throw fail(add, "unsupported operator after MatMul (expected Add, BatchNormalization or a threshold)")
                }
                if add.opType == "Add" {
                    let b = try constantOperand(add, of: current, length: outputs, what: "the bias")
                    for j in 0 ..< outputs { bias[j] += b.values.count == 1 ? b.values[0] : b.values[j] }
                    nodes.append(add.name)
                    current = add.output[0]
                    guard let following = try next() else { throw fail(add, "the chain ends without a threshold") }
                    node = following
                } else {
                    node = add
                }
            } else {
                guard let following = try next() else { throw fail(node, "the chain ends without a threshold") }
                node = following
            }
            // Optional BatchNormalization.
            var normalisation: (scale: ExactTensor, offset: ExactTensor, mean: ExactTensor, variance: ExactTensor, epsilon: Rational, node: Onnx_NodeProto)?
            if node.opType == "BatchNormalization" {
                normalisation = try batchNormalization(node, outputs: outputs)
                nodes.append(node.name)
                current = node.output[0]
                guard let following = try next() else { throw fail(node, "the chain ends without a threshold") }
                node = following
            }
            // Threshold.
            guard isThreshold(node.opType) else {
                throw fail(node, "unsupported operator here (memcert imports Gemm, MatMul, Add, BatchNormalization, Sign, GreaterOrEqual, "
                    + "Greater, Less, LessOrEqual and Cast, in chains of affine layers each followed by a threshold)")
            }
            nodes.append(node.name)
            var comparison: Comparison
            var negate = false
            var threshold = [Rational](repeating: Rational(), count: outputs)
            if node.opType == "Sign" {
                guard node.input.count == 1, node.input[0] == current, node.output.count == 1 else { throw fail(node, "Sign takes one input") }
                comparison = .sign
            } else {
                guard node.input.count == 2, node.output.count == 1 else { throw fail(node, "a comparison takes two inputs") }
                let constantFirst = node.input[1] == current && node.input[0] != current
                guard node.input[0] == current || constantFirst else { throw fail(node, "does not read the layer's output") }
                let c = try constantOperand(node, of: current, length: outputs, what: "the threshold")
                threshold = (0 ..< outputs).map { c.values.count == 1 ? c.values[0] : c.values[$0] }
                // z op c, or c op z (the same as z op' c with the operator mirrored).
                var op = node.opType
                if constantFirst {
                    op = ["Greater": "Less", "Less": "Greater", "GreaterOrEqual": "LessOrEqual", "LessOrEqual": "GreaterOrEqual"][op]!
                }
                switch op {
                case "GreaterOrEqual": comparison = .atLeast
                case "Greater": comparison = .greater
                case "LessOrEqual": comparison = .atLeast; negate = true  // c - z >= 0
                default: comparison = .greater; negate = true  // Less: c - z > 0
                }
            }
            current = node.output[0]
            // The neurons: y = (affine z) after normalisation, compared with the threshold.
            var neurons: [Neuron] = []
            var folded = false
            for j in 0 ..< outputs {
                var w = (0 ..< weights.count).map { weights[$0][j] }
                var b = bias[j] - threshold[j]  // z - c, compared with 0 (before normalisation)
                if let bn = normalisation {
                    // y = γ (z - μ) / s + β with s = sqrt(v + ε) > 0; y ⋛ c  ⟺  γ (z - μ) ⋛ (c - β) s.
                    folded = true
                    let gamma = bn.scale.values[j], beta = bn.offset.values[bn.offset.count == 1 ? 0 : j]
                    let mu = bn.mean.values[j], v = bn.variance.values[j] + bn.epsilon
                    let r = threshold[j] - beta
                    guard v.sign == .positive else {
                        throw fail(bn.node, "channel \(j): variance + epsilon = \(v) is not positive, so its square root is not a number")
                    }
                    if gamma.isZero {
                        // y = β constant: y ⋛ c is decided by the sign of -r = β - c alone (s > 0).
                        w = w.map { _ in Rational() }
                        b = Rational(-r.sign.rawValueForImport)
                    } else {
                        var offset = Rational()  // (c - β) s / γ
                        if !r.isZero {
                            guard let s = v.exactSquareRoot else {
                                throw fail(bn.node, "channel \(j): sqrt(variance + epsilon) = sqrt(\(v)) is irrational and the threshold's offset "
                                    + "c - B = \(r) is not 0, so the comparison cannot be folded into a rational bias exactly")
                            }
                            offset = r * s / gamma
                        }
                        // γ (z - μ) ⋛ (c - β) s  ⟺  z - μ - offset ⋛ 0 when γ > 0, and its negation when γ < 0.
                        b = bias[j] - mu - offset
                        if gamma.sign == .negative {
                            w = w.map { -$0 }
                            b = -b
                        }
                    }
                }
                if negate {
                    w = w.map { -$0 }
                    b = -b
                }
                neurons.append(Neuron(dense: w, bias: b))
            }
            layers.append(Layer(name: nodes.joined(separator: "+"), neurons: neurons, comparison: comparison))
            report.layers.append(.init(nodes: nodes, inputs: weights.count, outputs: outputs, comparison: comparison, foldedBatchNormalization: folded))
            previousSign = comparison == .sign
            width = outputs
            // Optional Cast of a comparison's booleans.
            if let cast = try peekCast() {
                guard comparison != .sign else { throw fail(cast, "Cast after Sign is not supported (Sign's outputs are already numbers)") }
                guard cast.input.count == 1, cast.output.count == 1 else { throw fail(cast, "Cast takes one input and gives one output") }
                guard cast.attribute.allSatisfy({ ["to", "saturate"].contains($0.name) }), let attribute = cast.attribute.first(where: { $0.name == "to" }),
                      [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13].contains(try intAttribute(cast, attribute)) else {
                    throw fail(cast, "Cast must have the attribute 'to', a number or bool type")
                }
                _ = try next()
                current = cast.output[0]
                report.layers[report.layers.count - 1].nodes.append(cast.name)
            }
        }
        guard !layers.isEmpty else { throw fail(nil, "the input '\(inputs[0].name)' feeds no node") }
        guard current == graph.output[0].name else {
            throw fail(nil, "the chain ends at '\(current)', but the graph's output is '\(graph.output[0].name)'")
        }
        if let stray = graph.node.indices.first(where: { !constantNodes.contains($0) && !visited.contains($0) }) {
            throw fail(graph.node[stray], "is not part of the chain from the input to the output")
        }
        let bits = layers.last!.neurons.count
        guard bits <= Network.maximumOutputBits else {
            throw fail(nil, "the last layer has \(bits) outputs; labels have at most \(Network.maximumOutputBits) bits")
        }
        guard let inputDimension = layers.first.map({ _ in report.layers[0].inputs }), inputDimension >= 1 else {
            throw fail(nil, "the first layer reads no input")
        }
        let network = Network(inputDimension: inputDimension, outputBits: bits, layers: layers,
                              provenance: .object([.init("importedFrom", .string("onnx"))]))
        if let problem = network.structuralProblem { throw fail(nil, problem) }
        return network
    }

    /// A float attribute's exact value; another type, NaN or an infinity is refused.
    func floatAttribute(_ node: Onnx_NodeProto, _ attribute: Onnx_AttributeProto) throws(InputError) -> Rational {
        guard attribute.type == .float || (attribute.type == .undefined && attribute.hasF) else {
            throw fail(node, "the attribute '\(attribute.name)' must be a float")
        }
        guard let value = Rational(exactly: Double(attribute.f)) else { throw fail(node, "the attribute '\(attribute.name)' is \(attribute.f)") }
        return value
    }

    /// An integer attribute's value; another type is refused.
    func intAttribute(_ node: Onnx_NodeProto, _ attribute: Onnx_AttributeProto) throws(InputError) -> Int64 {
        guard attribute.type == .int || (attribute.type == .undefined && attribute.hasI) else {
            throw fail(node, "the attribute '\(attribute.name)' must be an integer")
        }
        return attribute.i
    }

    func isThreshold(_ op: String) -> Bool {
        ["Sign", "GreaterOrEqual", "Greater", "Less", "LessOrEqual"].contains(op)
    }

    /// The Cast node reading `current`, if that is what comes next.
    func peekCast() throws(InputError) -> Onnx_NodeProto? {
        for (k, node) in graph.node.enumerated() where !constantNodes.contains(k) && node.input.contains(current) {
            return node.opType == "Cast" ? node : nil
        }
        return nil
    }

    var current = ""

    /// The layer's weights W[i][j] (input i, neuron j), its bias, and its node names.
    func affine(_ node: Onnx_NodeProto, inputWidth: Int?) throws(InputError) -> ([[Rational]], [Rational], [String]) {
        switch node.opType {
        case "MatMul":
            guard node.input.count == 2, node.output.count == 1 else { throw fail(node, "MatMul takes two inputs") }
            guard node.input[0] == current else { throw fail(node, "the layer's input must be MatMul's first operand (x W)") }
            let w = try constant(node, node.input[1], "the weights")
            guard w.dims.count == 2 else { throw fail(node, "the weights '\(w.name)' must be a matrix [inputs, outputs], their shape is \(w.dims)") }
            return (matrix(w, transposed: false), [Rational](repeating: Rational(), count: w.dims[1]), [node.name])
        case "Gemm":
            guard (2 ... 3).contains(node.input.count), node.output.count == 1 else { throw fail(node, "Gemm takes two or three inputs") }
            guard node.input[0] == current else { throw fail(node, "the layer's input must be Gemm's first operand A") }
            var alpha = Rational(1), beta = Rational(1), transB = false
            for attribute in node.attribute {
                switch attribute.name {
                case "alpha": alpha = try floatAttribute(node, attribute)
                case "beta": beta = try floatAttribute(node, attribute)
                case "transA": if try intAttribute(node, attribute) != 0 { throw fail(node, "transA = 1 is not supported (the points must be rows of A)") }
                case "transB": transB = try intAttribute(node, attribute) != 0
                default: throw fail(node, "unknown attribute '\(attribute.name)'")
                }
            }
            let w = try constant(node, node.input[1], "the weights")
            guard w.dims.count == 2 else { throw fail(node, "the weights '\(w.name)' must be a matrix, their shape is \(w.dims)") }
            var weights = matrix(w, transposed: transB)
            let outputs = transB ? w.dims[0] : w.dims[1]
            for i in weights.indices { weights[i] = weights[i].map { $0 * alpha } }
            var bias = [Rational](repeating: Rational(), count: outputs)
            if node.input.count == 3 && !node.input[2].isEmpty {
                let c = try constant(node, node.input[2], "the bias C")
                guard c.count == outputs || c.count == 1, c.dims.count <= 2, c.dims.last ?? 1 == c.count || c.count == 1 else {
                    throw fail(node, "the bias C has shape \(c.dims); it must broadcast over [N, \(outputs)] along its last axis")
                }
                bias = (0 ..< outputs).map { (c.count == 1 ? c.values[0] : c.values[$0]) * beta }
            }
            return (weights, bias, [node.name])
        default:
            throw fail(node, "unsupported operator here (a layer starts with Gemm or MatMul)")
        }
    }

    /// W as [input][output] from a row-major [rows, columns] tensor (transposed: [outputs, inputs]).
    func matrix(_ t: ExactTensor, transposed: Bool) -> [[Rational]] {
        let rows = t.dims[0], columns = t.dims[1]
        if !transposed { return (0 ..< rows).map { i in Array(t.values[i * columns ..< (i + 1) * columns]) } }
        return (0 ..< columns).map { i in (0 ..< rows).map { j in t.values[j * columns + i] } }
    }

    func constant(_ node: Onnx_NodeProto, _ name: String, _ what: String) throws(InputError) -> ExactTensor {
        guard let t = constants[name] else { throw fail(node, "\(what) '\(name)' is not a constant (an initializer or a Constant node)") }
        return t
    }

    /// The other operand of a binary node reading `tensor`: a constant of 1 or `length` values
    /// (shape [], [1], [length] or [1, length]).
    func constantOperand(_ node: Onnx_NodeProto, of tensor: String, length: Int, what: String) throws(InputError) -> ExactTensor {
        guard node.input.count == 2, node.output.count == 1 else { throw fail(node, "takes two inputs") }
        let other = node.input[0] == tensor ? node.input[1] : node.input[0]
        let c = try constant(node, other, what)
        let fits = c.count == 1 && c.dims.count <= 2 || c.count == length && (c.dims == [length] || c.dims == [1, length])
        guard fits else { throw fail(node, "\(what) '\(other)' has shape \(c.dims); it must be a scalar or have \(length) values along the last axis") }
        return c
    }

    func batchNormalization(_ node: Onnx_NodeProto, outputs: Int) throws(InputError)
        -> (scale: ExactTensor, offset: ExactTensor, mean: ExactTensor, variance: ExactTensor, epsilon: Rational, node: Onnx_NodeProto) {
        guard node.input.count == 5, node.input[0] == current else { throw fail(node, "BatchNormalization takes X, scale, B, mean and var") }
        guard node.output.count == 1 else { throw fail(node, "BatchNormalization in training mode (more than one output) is not supported") }
        var epsilon = Rational(exactly: Double(Float(1e-5)))!
        for attribute in node.attribute {
            switch attribute.name {
            case "epsilon": epsilon = try floatAttribute(node, attribute)
            case "momentum": _ = try floatAttribute(node, attribute)
            case "training_mode": if try intAttribute(node, attribute) != 0 { throw fail(node, "training_mode = 1 is not supported") }
            default: throw fail(node, "unknown attribute '\(attribute.name)'")
            }
        }
        let parts = try (1 ... 4).map { (k) throws(InputError) in try constant(node, node.input[k], ["", "scale", "B", "mean", "var"][k]) }
        for (k, t) in parts.enumerated() where t.count != outputs {
            throw fail(node, "\(["scale", "B", "mean", "var"][k]) has \(t.count) values, the layer has \(outputs) outputs")
        }
        return (parts[0], parts[1], parts[2], parts[3], epsilon, node)
    }
}

extension Sign {
    /// -1, 0 or 1.
    var rawValueForImport: Int { self == .positive ? 1 : self == .negative ? -1 : 0 }
}

extension Rational {
    /// √v when it is rational (v = p/q in lowest terms with p and q perfect squares), else nil.
    var exactSquareRoot: Rational? {
        guard sign != .negative else { return nil }
        let p = numerator, q = denominator
        let rp = p.integerSquareRoot, rq = q.integerSquareRoot
        guard rp * rp == p && rq * rq == q else { return nil }
        return Rational(rp, rq)
    }
}
