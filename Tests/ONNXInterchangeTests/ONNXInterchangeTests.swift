import ExactArithmetic
import Foundation
import TestSupport
import Testing
import TextFormats
import ThresholdNetworks
@testable import ONNXInterchange

// ONNX models built here with the generated protocol-buffer types: the import's exact algebra
// (Sign rewriting, comparisons mirrored, BatchNormalization folded or refused) checked against a
// direct rational evaluation of the graph's operators, refusals naming the node, export and
// re-import, and seeded fuzzing of the reader on the committed fixtures.

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/onnx")

// MARK: - Building models

func tensor(_ name: String, _ dims: [Int], _ values: [Float]) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dataType = ONNXType.float
    t.dims = dims.map { Int64($0) }
    t.floatData = values
    return t
}

func node(_ op: String, _ inputs: [String], _ output: String, name: String? = nil, ints: [String: Int64] = [:], floats: [String: Float] = [:]) -> Onnx_NodeProto {
    var n = Onnx_NodeProto()
    n.opType = op
    n.name = name ?? output
    n.input = inputs
    n.output = [output]
    for (key, value) in ints.sorted(by: { $0.key < $1.key }) {
        var a = Onnx_AttributeProto()
        a.name = key
        a.type = .int
        a.i = value
        n.attribute.append(a)
    }
    for (key, value) in floats.sorted(by: { $0.key < $1.key }) {
        var a = Onnx_AttributeProto()
        a.name = key
        a.type = .float
        a.f = value
        n.attribute.append(a)
    }
    return n
}

func model(_ nodes: [Onnx_NodeProto], _ initializers: [Onnx_TensorProto], input: String = "X", output: String = "Y") throws -> Data {
    var graph = Onnx_GraphProto()
    graph.node = nodes
    graph.initializer = initializers
    var x = Onnx_ValueInfoProto()
    x.name = input
    var y = Onnx_ValueInfoProto()
    y.name = output
    graph.input = [x]
    graph.output = [y]
    var m = Onnx_ModelProto()
    m.graph = graph
    return try m.serializedBytes()
}

func importing(_ bytes: Data) throws(InputError) -> Network { try ONNXImport.network(bytes, file: "m.onnx").0 }

func importError(_ bytes: Data) -> InputError? {
    do { _ = try importing(bytes) } catch { return error }
    return nil
}

/// The network's output on `x`, or nil at a tie, evaluated here from the JSON-level model (not the library's evaluator).
func output(_ network: Network, _ x: [Rational]) -> UInt64? {
    var h = x
    for layer in network.layers {
        var next: [Rational] = []
        for neuron in layer.neurons {
            var z = neuron.bias
            for (k, i) in neuron.indices.enumerated() { z += neuron.weights[k] * h[i] }
            guard let o = layer.comparison.output(z.sign) else { return nil }
            next.append(Rational(Int(o)))
        }
        h = next
    }
    return h.enumerated().reduce(0) { $0 | ($1.element.isZero ? 0 : 1 << UInt64($1.offset)) }
}

@Suite("ONNX import and export")
struct ONNXInterchangeTests {
    @Test("Sign chains: the ±1 outputs become bits by rewriting the next layer, exactly as the graph computes; ties stay ties")
    func signRewriting() throws {
        var rng = SplitMix64(seed: 1401)
        let w0 = (0 ..< 6).map { _ in Float(Int(rng.below(17)) - 8) / 4 }, b0: [Float] = [0.5, -0.25, 0]
        let w1 = (0 ..< 6).map { _ in Float(Int(rng.below(9)) - 4) / 2 }, b1: [Float] = [0.25, -0.5]
        let bytes = try model([node("Gemm", ["X", "W0", "B0"], "z0", ints: ["transB": 1]), node("Sign", ["z0"], "s0"),
                               node("MatMul", ["s0", "W1"], "m1"), node("Add", ["m1", "B1"], "z1"), node("Sign", ["z1"], "Y")],
                              [tensor("W0", [3, 2], w0), tensor("B0", [3], b0), tensor("W1", [3, 2], w1), tensor("B1", [2], b1)])
        let network = try importing(bytes)
        #expect(network.layers.map(\.comparison) == [.sign, .sign] && network.inputDimension == 2 && network.outputBits == 2)
        let sign = { (z: Rational) in Rational(z.sign == .positive ? 1 : z.sign == .negative ? -1 : 0) }
        var ties = 0
        for _ in 0 ..< 400 {
            let x = (0 ..< 2).map { _ in Rational(Int(rng.below(9)) - 4, 2) }
            // The graph itself: Gemm (transB), Sign, MatMul, Add, Sign; the bits are the last Sign's +1s.
            let s0 = (0 ..< 3).map { t in sign((0 ..< 2).reduce(Rational(exactly: Double(b0[t]))!) { $0 + Rational(exactly: Double(w0[t * 2 + $1]))! * x[$1] }) }
            let s1 = (0 ..< 2).map { t in sign((0 ..< 3).reduce(Rational(exactly: Double(b1[t]))!) { $0 + Rational(exactly: Double(w1[$1 * 2 + t]))! * s0[$1] }) }
            let tie = (s0 + s1).contains { $0.isZero }
            let expected: UInt64? = tie ? nil : s1.enumerated().reduce(0) { $0 | ($1.element == Rational(1) ? 1 << UInt64($1.offset) : 0) }
            #expect(output(network, x) == expected, "\(x)")
            ties += tie ? 1 : 0
        }
        #expect(ties > 0)
    }

    @Test("comparisons with the constant on either side, per-neuron thresholds, and Cast: >=, > and their mirrors")
    func comparisons() throws {
        for (op, constantFirst) in [("GreaterOrEqual", false), ("Greater", false), ("Less", false), ("LessOrEqual", false),
                                    ("GreaterOrEqual", true), ("Greater", true), ("Less", true), ("LessOrEqual", true)] {
            let inputs = constantFirst ? ["T", "z"] : ["z", "T"]
            let bytes = try model([node("Gemm", ["X", "W"], "z"), node(op, inputs, "b"), node("Cast", ["b"], "Y", ints: ["to": 1])],
                                  [tensor("W", [1, 2], [1, -1]), tensor("T", [2], [0.5, -0.5])])
            let network = try importing(bytes)
            for xv in stride(from: -2, through: 2, by: 1) {
                let x = [Rational(xv, 2)]
                let z = [x[0], -x[0]], t = [Rational(1, 2), Rational(-1, 2)]
                let holds = (0 ..< 2).map { j -> Bool in
                    let (a, b) = constantFirst ? (t[j], z[j]) : (z[j], t[j])
                    switch op {
                    case "GreaterOrEqual": return a >= b
                    case "Greater": return a > b
                    case "Less": return a < b
                    default: return a <= b
                    }
                }
                let expected = UInt64(holds[0] ? 1 : 0) | UInt64(holds[1] ? 2 : 0)
                #expect(output(network, x) == expected, "\(op) constantFirst \(constantFirst) x \(x)")
            }
        }
    }

    @Test("BatchNormalization: folded exactly when sqrt(var + eps) is rational or the offset is 0; refused with the reason otherwise")
    func batchNormalization() throws {
        func bn(variance: [Float], gamma: [Float], beta: [Float], threshold: Float, epsilon: Float = 0) throws -> Data {
            try model([node("MatMul", ["X", "W"], "z"), node("BatchNormalization", ["z", "g", "b", "m", "v"], "y", name: "bn", floats: ["epsilon": epsilon]),
                       node("GreaterOrEqual", ["y", "c"], "o"), node("Cast", ["o"], "Y", ints: ["to": 1])],
                      [tensor("W", [1, 3], [1, 1, 1]), tensor("g", [3], gamma), tensor("b", [3], beta), tensor("m", [3], [0.5, -0.25, 1]),
                       tensor("v", [3], variance), tensor("c", [], [0.75])].map { var t = $0; if t.name == "c" { t.floatData = [threshold] }; return t })
        }
        // sqrt(9/16) = 3/4, sqrt(4) = 2, sqrt(1/4) = 1/2; gamma negative, zero and positive.
        let gamma: [Float] = [-1.5, 0, 2], beta: [Float] = [0.25, 1, -0.5], variance: [Float] = [0.5625, 4, 0.25]
        let network = try importing(try bn(variance: variance, gamma: gamma, beta: beta, threshold: 0.75))
        for k in -12 ... 12 {
            let x = Rational(k, 4)
            var bits: UInt64 = 0
            for j in 0 ..< 3 {
                let s = [Rational(3, 4), Rational(2), Rational(1, 2)][j]
                let mean = [Rational(1, 2), Rational(-1, 4), Rational(1)][j]
                let y = Rational(exactly: Double(gamma[j]))! * (x - mean) / s + Rational(exactly: Double(beta[j]))!
                if y >= Rational(3, 4) { bits |= 1 << UInt64(j) }
            }
            #expect(output(network, [x]) == bits, "x = \(x)")
        }
        // sqrt(2) with a nonzero offset c - beta: refused, naming the node, the channel and why.
        let irrational = importError(try bn(variance: [0.5625, 4, 2], gamma: gamma, beta: beta, threshold: 0.75))
        #expect(irrational?.message.contains("node 'bn' (BatchNormalization): channel 2: sqrt(variance + epsilon) = sqrt(2) is irrational") == true,
                "\(String(describing: irrational))")
        // The same with c = beta on that channel: the square root cancels, so it folds.
        #expect(importError(try bn(variance: [0.5625, 4, 2], gamma: gamma, beta: [0.25, 1, 0.75], threshold: 0.75)) == nil)
        // A zero gamma needs no square root at all (the channel is the constant beta).
        #expect(importError(try bn(variance: [0.5625, 3, 0.25], gamma: gamma, beta: beta, threshold: 0.75)) == nil)
        // var + eps <= 0: refused.
        #expect(importError(try bn(variance: [0, 4, 0.25], gamma: gamma, beta: beta, threshold: 0.75))?.message.contains("not positive") == true)
    }

    @Test("refusals name the node: unsupported operators, non-chains, shapes, non-constant weights, attributes, NaN weights")
    func refusals() throws {
        let w = tensor("W", [2, 1], [1, 1])
        let cases: [([Onnx_NodeProto], [Onnx_TensorProto], String)] = [
            ([node("MatMul", ["X", "W"], "z"), node("Relu", ["z"], "Y", name: "act")], [w], "node 'act' (Relu): unsupported operator after MatMul"),
            ([node("Gemm", ["X", "W"], "z"), node("Tanh", ["z"], "Y", name: "t")], [w], "node 't' (Tanh): unsupported operator here"),
            ([node("Conv", ["X", "W"], "z", name: "conv"), node("Sign", ["z"], "Y")], [w], "node 'conv' (Conv): unsupported operator here (a layer starts with Gemm or MatMul)"),
            ([node("MatMul", ["X", "V"], "z", name: "mm"), node("Sign", ["z"], "Y")], [w], "node 'mm' (MatMul): the weights 'V' is not a constant"),
            ([node("MatMul", ["X", "W"], "z"), node("Sign", ["z"], "s"), node("MatMul", ["s", "W"], "z2", name: "second"), node("Sign", ["z2"], "Y")], [w],
             "node 'second' (MatMul): reads 2 inputs, the layer before has 1 outputs"),
            ([node("Gemm", ["X", "W"], "z", name: "g", ints: ["transA": 1]), node("Sign", ["z"], "Y")], [w], "node 'g' (Gemm): transA = 1"),
            ([node("Gemm", ["X", "W"], "z", name: "g", ints: ["alpha": 2]), node("Sign", ["z"], "Y")], [w], "the attribute 'alpha' must be a float"),
            ([node("Gemm", ["X", "W"], "z", name: "g", floats: ["alpha": .nan]), node("Sign", ["z"], "Y")], [w], "the attribute 'alpha' is nan"),
            ([node("MatMul", ["X", "W"], "z"), node("Sign", ["z"], "Y"), node("Sign", ["z"], "Q", name: "side")], [w], "feeds 2 nodes"),
            ([node("MatMul", ["X", "W"], "z")], [w], "the chain ends without a threshold"),
            ([node("MatMul", ["X", "W"], "z"), node("Sign", ["z"], "s"), node("Cast", ["s"], "Y", name: "c", ints: ["to": 1])], [w], "Cast after Sign"),
            ([node("MatMul", ["X", "W"], "z"), node("Sign", ["z"], "Y")], [tensor("W", [2, 1], [1, .nan])], "initializer 'W': element 1 is NaN or an infinity"),
            ([node("MatMul", ["X", "W"], "z"), node("Sign", ["z"], "Y")], [tensor("W", [2, 2], [1, 1])], "holds 2 values, its shape [2, 2] needs 4"),
            ([node("MatMul", ["X", "W"], "z"), node("Greater", ["z", "c"], "Y", name: "gt")], [w, tensor("c", [3], [0, 0, 0])], "node 'gt' (Greater): the threshold 'c' has shape [3]"),
            ([node("MatMul", ["X", "W"], "z"), node("Sign", ["z"], "T")], [w], "the chain ends at 'T', but the graph's output is 'Y'"),
        ]
        for (nodes, initializers, fragment) in cases {
            let error = importError(try model(nodes, initializers))
            #expect(error?.file == "m.onnx" && error?.message.contains(fragment) == true, "\(fragment): \(String(describing: error))")
        }
        #expect(importError(Data([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]))?.message.contains("not an ONNX model") == true)
    }

    @Test("export then import gives the same network (>= and > layers), and a weight float64 cannot hold is refused or rounded")
    func exportAndReimport() throws {
        var rng = SplitMix64(seed: 1402)
        let layers = [
            Layer(name: "a", neurons: (0 ..< 4).map { _ in Neuron(dense: (0 ..< 3).map { _ in Rational(Int(rng.below(41)) - 20, 8) }, bias: Rational(Int(rng.below(9)) - 4, 2)) },
                  comparison: .atLeast),
            Layer(name: "b", neurons: (0 ..< 2).map { _ in Neuron(dense: (0 ..< 4).map { _ in Rational(Int(rng.below(5)) - 2) }, bias: Rational(Int(rng.below(5)) - 2, 4)) },
                  comparison: .greater),
        ]
        let network = Network(inputDimension: 3, outputBits: 2, layers: layers)
        let (bytes, report) = try ONNXExport.model(network, file: "n.json", round: false)
        #expect(report.rounded == 0 && report.layers == 2)
        let back = try importing(bytes)
        #expect(back.layers.map(\.comparison) == [.atLeast, .greater])
        for (a, b) in zip(back.layers, network.layers) { #expect(a.neurons == b.neurons) }
        let third = Network(inputDimension: 1, outputBits: 1, layers: [Layer(name: "t", neurons: [Neuron(dense: [Rational(1, 3)], bias: Rational(0))])])
        #expect(throws: InputError.self) { try ONNXExport.model(third, file: "n.json", round: false) }
        #expect(try ONNXExport.model(third, file: "n.json", round: true).1.rounded == 1)
        let sign = Network(inputDimension: 1, outputBits: 1, layers: [Layer(name: "s", neurons: [Neuron(dense: [Rational(1)], bias: Rational(0))], comparison: .sign)])
        #expect(throws: InputError.self) { try ONNXExport.model(sign, file: "n.json", round: false) }
    }

    @Test("fuzz (seeded): mutated fixture models import or give an InputError naming the file, never a trap")
    func fuzz() throws {
        var rng = SplitMix64(seed: 14_0001)
        let names = ["gemm_sign", "gemm_ge_cast", "matmul_bn_less", "tie_sign", "tie_greater", "relu", "branching", "bn_irrational"]
        let seeds = try names.map { try Data(contentsOf: fixtures.appendingPathComponent("\($0).onnx")) }
        var imported = 0, refused = 0
        for round in 0 ..< 10000 {
            var bytes = [UInt8](seeds[round % seeds.count])
            for _ in 0 ... rng.below(3) {
                switch rng.below(4) {
                case 0: bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes[rng.below(bytes.count)] ^= 1 << UInt8(rng.below(8))
                case 2: bytes.removeLast(rng.below(min(bytes.count - 1, 30)))
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(bytes.count + 1))
                }
            }
            do {
                let network = try importing(Data(bytes))
                #expect(network.structuralProblem == nil)
                imported += 1
            } catch {
                #expect(error.file == "m.onnx" && !error.message.isEmpty)
                refused += 1
            }
        }
        #expect(imported > 200 && refused > 2000, "imported \(imported), refused \(refused)")
    }

    @Test("fuzz (seeded): random graphs of the supported and other operators, random wiring and shapes, never trap")
    func graphFuzz() throws {
        var rng = SplitMix64(seed: 14_0002)
        let ops = ["Gemm", "MatMul", "Add", "BatchNormalization", "Sign", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Cast", "Relu", "Constant"]
        let names = ["X", "Y", "z0", "z1", "z2", "z3", "W", "B", "c", "g", ""]
        var imported = 0
        for _ in 0 ..< 4000 {
            var nodes: [Onnx_NodeProto] = []
            for k in 0 ..< 1 + rng.below(6) {
                var n = node(ops[rng.below(ops.count)], (0 ..< rng.below(6)).map { _ in names[rng.below(names.count)] },
                             k == 0 ? "z0" : names[rng.below(names.count)])
                if rng.below(3) == 0 { n.output.append(names[rng.below(names.count)]) }
                if rng.below(4) == 0 { n.output = [] }
                if rng.below(3) == 0 {
                    var a = Onnx_AttributeProto()
                    a.name = ["to", "transB", "alpha", "epsilon", "value", "transA"][rng.below(6)]
                    a.type = rng.below(2) == 0 ? .int : .float
                    a.i = Int64(rng.below(20)) - 2
                    a.f = Float(rng.below(5)) - 1
                    if a.name == "value" { a.type = .tensor; a.t = tensor("v", [rng.below(3)], (0 ..< rng.below(4)).map { Float($0) }) }
                    n.attribute.append(a)
                }
                nodes.append(n)
            }
            // A chain that imports now and then: X -> MatMul -> Sign -> Y, with random extras.
            let planted = rng.below(4) == 0
            if planted { nodes = [node("MatMul", ["X", "W"], "z0"), node("Sign", ["z0"], "Y")] + nodes.prefix(rng.below(2)) }
            var initializers = ["W", "B", "c", "g"].filter { _ in rng.below(4) != 0 }.map { name -> Onnx_TensorProto in
                let dims = (0 ..< rng.below(4)).map { _ in rng.below(4) }
                let count = rng.below(3) == 0 ? rng.below(10) : dims.reduce(1, *)
                return tensor(name, dims, (0 ..< count).map { _ in [0, 1, -1, 0.5, .nan, .infinity][rng.below(6)] })
            }
            if planted { initializers = initializers.filter { $0.name != "W" } + [tensor("W", [2, 1 + rng.below(2)], [1, -1, 0.5, 2].dropLast(rng.below(2) * 2))] }
            let bytes = try model(nodes, initializers)
            do {
                let network = try importing(bytes)
                #expect(network.structuralProblem == nil)
                imported += 1
            } catch {
                #expect(error.file == "m.onnx" && !error.message.isEmpty)
            }
        }
        #expect(imported > 20, "imported \(imported)")
    }
}
