import ExactArithmetic
import Testing
import TestSupport
@testable import ThresholdNetworks

/// A one-neuron network with the given weights and bias.
func singleNeuron(_ weights: [Rational], bias: Rational) -> Network {
    Network(inputDimension: weights.count, outputBits: 1,
            layers: [Layer(name: "n", neurons: [Neuron(dense: weights, bias: bias)])])
}

@Suite("Exact evaluation where float64 goes wrong")
struct ExactEvaluationTests {
    @Test("-0.1 - 0.2 + 0.3 is exactly 0, so the neuron fires; float64 gets -5.55e-17 and would not fire")
    func decimalCancellation() throws {
        let net = singleNeuron([-1, -1], bias: try Rational(parsing: "0.3"))
        let x = [try Rational(parsing: "0.1"), try Rational(parsing: "0.2")]
        #expect(-0.1 - 0.2 + 0.3 < 0)  // float64's answer: negative, output 0
        #expect(evaluate(net, x).signs == [.zero])
        #expect(evaluate(net, x).label == 1)
    }

    @Test("1/3 + 1/3 - 2/3 = 0 fires (float64 agrees here), and (1/3)0.3 + (1/3)0.3 - 1/5 = 0 fires (float64 says -2.8e-17)")
    func rationalCancellation() throws {
        let thirds = singleNeuron([Rational(1, 3), Rational(1, 3)], bias: Rational(-2, 3))
        #expect(evaluate(thirds, [1, 1]).signs == [.zero])
        #expect(evaluate(thirds, [1, 1]).label == 1)
        let mixed = singleNeuron([Rational(1, 3), Rational(1, 3)], bias: Rational(-1, 5))
        let x = [try Rational(parsing: "0.3"), try Rational(parsing: "0.3")]
        let third: Double = 1.0 / 3
        let floatSum: Double = third * 0.3 + third * 0.3 - 0.2
        #expect(floatSum < 0)  // float64: negative, output 0
        #expect(evaluate(mixed, x).signs == [.zero])
        #expect(evaluate(mixed, x).label == 1)
    }

    @Test("weights 10^30 + 1 and -10^30 differ by 1: exact sum 0 fires; float64 gets -1 and would not")
    func hugeIntegerWeights() {
        let p = Rational(BigInt.powerOfTen(30))
        let net = singleNeuron([p + 1, -p], bias: -1)
        #expect(1e30 + 1 - 1e30 - 1 < 0)  // float64: the +1 is lost
        #expect(evaluate(net, [1, 1]).signs == [.zero])
        #expect(evaluate(net, [1, 1]).label == 1)
        let below = singleNeuron([p + 1, -p], bias: -2)
        #expect(evaluate(below, [1, 1]).label == 0)
    }

    @Test("1e20 + 1 - 1e20 - 1 = 0 fires; float64 absorbs the 1 and would not fire")
    func absorption() throws {
        let net = singleNeuron([1, 1, -1], bias: -1)
        let x = try ["1e20", "1", "1e20"].map { try Rational(parsing: $0) }
        #expect(1e20 + 1 - 1e20 - 1 < 0)  // float64's answer
        #expect(evaluate(net, x).signs == [.zero])
        #expect(evaluate(net, x).label == 1)
    }

    @Test("exactness carries through hidden layers with rational weights")
    func hiddenLayers() {
        // Hidden: h0 = 1[x - 1/3 >= 0], h1 = 1[-x + 1/3 >= 0]; output 1[(1/7)h0 + (1/7)h1 - 2/7 >= 0] = h0 AND h1.
        let net = Network(inputDimension: 1, outputBits: 1, layers: [
            Layer(name: "h", neurons: [Neuron(dense: [1], bias: Rational(-1, 3)), Neuron(dense: [-1], bias: Rational(1, 3))]),
            Layer(name: "o", neurons: [Neuron(dense: [Rational(1, 7), Rational(1, 7)], bias: Rational(-2, 7))]),
        ])
        #expect(evaluate(net, [Rational(1, 3)]).label == 1)  // exactly on both hyperplanes
        #expect(evaluate(net, [Rational(1, 3) + Rational(1, BigInt.powerOfTen(40))]).label == 0)
    }
}

@Suite("Compiled evaluator against a brute-force rational evaluator")
struct EvaluatorPropertyTests {
    @Test("random networks and points, with planted exact zeros and every comparison, agree on every sign, label and tie")
    func agreesWithReference() {
        var rng = SplitMix64(seed: 100)
        var planted = 0, ties = 0
        for round in 0 ..< 300 {
            let d = rng.below(6) + 1
            let depth = rng.below(4) + 1
            let outputBits = rng.below(3) + 1
            let points = (0 ..< 8).map { _ in (0 ..< d).map { _ in randomRational(&rng, sizeClass: rng.below(5)) } }
            var layers: [Layer] = []
            var width = d
            for l in 0 ..< depth {
                let n = l == depth - 1 ? outputBits : rng.below(6) + 1
                var neurons: [Neuron] = []
                for _ in 0 ..< n {
                    let sizeClass = l == 0 ? rng.below(5) : (rng.below(3) == 0 ? rng.below(5) : 0)
                    var dense = (0 ..< width).map { _ in rng.below(4) == 0 ? Rational() : randomRational(&rng, sizeClass: sizeClass) }
                    if round % 7 == 0 && l > 0 { dense = dense.map { $0 * Rational(BigInt.powerOfTen(25)) } }  // force BigInt neurons
                    var bias = randomRational(&rng, sizeClass: sizeClass)
                    if l == 0 && rng.below(2) == 0 {
                        // Plant an exact zero: the hyperplane passes through one of the points.
                        let p = points[rng.below(points.count)]
                        bias = Rational()
                        for j in 0 ..< width { bias -= dense[j] * p[j] }
                        planted += 1
                    }
                    neurons.append(Neuron(dense: dense, bias: bias))
                }
                let comparison = round < 100 ? Comparison.atLeast : Comparison.allCases[rng.below(3)]
                layers.append(Layer(name: "l\(l)", neurons: neurons, comparison: comparison))
                width = n
            }
            let net = Network(inputDimension: d, outputBits: outputBits, layers: layers)
            #expect(net.structuralProblem == nil)
            var stored = RationalPoints(dimension: d)
            for p in points { stored.append(p) }
            var evaluator = CompiledNetwork(net).makeEvaluator()
            for (i, p) in points.enumerated() {
                evaluator.evaluate(point: i, in: stored)
                let reference = referenceOutputs(net, p)
                #expect(evaluator.firstLayerSigns == reference.signs, "round \(round) point \(i)")
                #expect(evaluator.tie?.layer == reference.tie?.layer && evaluator.tie?.neuron == reference.tie?.neuron,
                        "round \(round) point \(i)")
                if reference.tie == nil { #expect(evaluator.label == reference.label, "round \(round) point \(i)") } else { ties += 1 }
            }
        }
        #expect(planted > 100)
        #expect(ties > 20)
    }

    @Test("comparisons at an exact zero: >= fires, > does not, sign ties; in layer 0 and in later layers")
    func comparisonsAtZero() {
        for comparison in Comparison.allCases {
            // Layer 0: z = x - 1/3 at x = 1/3; a later layer: z = h - 1 at h = 1.
            let first = Network(inputDimension: 1, outputBits: 1, layers: [
                Layer(name: "z", neurons: [Neuron(dense: [1], bias: Rational(-1, 3))], comparison: comparison)])
            var points = RationalPoints(dimension: 1)
            points.append([Rational(1, 3)])
            var evaluator = CompiledNetwork(first).makeEvaluator()
            evaluator.evaluate(point: 0, in: points)
            #expect(evaluator.label == (comparison == .atLeast ? 1 : 0))
            #expect((evaluator.tie != nil) == (comparison == .sign))
            let later = Network(inputDimension: 1, outputBits: 1, layers: [
                Layer(name: "h", neurons: [Neuron(dense: [1], bias: 0)]),
                Layer(name: "z", neurons: [Neuron(dense: [1], bias: -1)], comparison: comparison)])
            var second = CompiledNetwork(later).makeEvaluator()
            second.evaluate(point: 0, in: points)
            #expect(second.label == (comparison == .atLeast ? 1 : 0))
            #expect(second.tie?.layer == (comparison == .sign ? 1 : nil))
        }
    }

    @Test("gated neurons (AND-like) and thermometer-like neurons evaluate exactly on all inputs")
    func gates() {
        // Later-layer neurons over 4 bits, every input combination, compared with the reference.
        let first = Layer(name: "bits", neurons: (0 ..< 4).map { j in
            Neuron(indices: [j], weights: [1], bias: Rational(-1, 2))
        })
        let second = Layer(name: "gated", neurons: [
            Neuron(terms: [(0, 1), (1, 1), (2, -1)], bias: -2),  // needs inputs 0 and 1, input 2 off
            Neuron(terms: [(0, 5), (1, -2), (2, -2), (3, 1)], bias: -5),  // gate on input 0
            Neuron(terms: [(1, 3), (3, 3)], bias: -3),  // OR, no gate
        ])
        let out = Layer(name: "out", neurons: [Neuron(terms: [(0, 1), (1, 2), (2, 4)], bias: -3)])
        let net = Network(inputDimension: 4, outputBits: 1, layers: [first, second, out])
        let compiled = CompiledNetwork(net)
        #expect(compiled.later[0].gateA == [0, 0, -1])
        #expect(compiled.later[0].gateB == [1, -1, -1])
        for mask in 0 ..< 16 {
            let x = (0 ..< 4).map { Rational((mask >> $0) & 1) }
            #expect(evaluate(net, x).label == referenceOutputs(net, x).label, "mask \(mask)")
        }
    }
}

@Suite("Counts")
struct CountTests {
    @Test("neurons, nonzero weights and biases, depth and bit sizes")
    func counts() {
        let net = Network(inputDimension: 2, outputBits: 1, layers: [
            Layer(name: "a", neurons: [
                Neuron(indices: [0, 1], weights: [Rational(3, 8), 0], bias: 0),
                Neuron(indices: [1], weights: [Rational(-1000)], bias: Rational(1, 2)),
            ]),
            Layer(name: "b", neurons: [Neuron(indices: [0, 1], weights: [1, 1], bias: -1)]),
        ])
        let c = net.counts
        #expect(c.neurons == 3)
        #expect(c.weights == 4)  // the explicit zero is not an edge
        #expect(c.biases == 2)
        #expect(c.depth == 2)
        #expect(c.largestWeightBits == 10)  // 1000 < 2^10
        #expect(c.totalWeightBits == 5 + 10 + 1 + 1)
        #expect(c.largestBiasBits == 2)  // 1/2: 1 + 2 - 1
        #expect(c.firstLayerWidth == 2)
    }
}

@Suite("Binary layer strategies")
struct BinaryLayerStrategyTests {
    @Test("push and pull evaluation, shared rows and gates agree with the reference on random layers, for every comparison")
    func pushPullAgree() {
        var rng = SplitMix64(seed: 101)
        var ties = 0
        for round in 0 ..< 300 {
            let comparison = Comparison.allCases[round % 3]
            let inputWidth = rng.below(30) + 1
            let width = rng.below(30) + 1
            var neurons: [Neuron] = []
            let shared = (0 ..< inputWidth).map { _ in rng.below(3) == 0 ? Rational() : Rational(rng.below(9) - 4) }
            for _ in 0 ..< width {
                let dense: [Rational]
                if rng.below(3) == 0 {
                    dense = shared  // rows shared by several neurons, different biases
                } else if rng.below(5) == 0 {
                    dense = (0 ..< inputWidth).map { _ in Rational(BigInt.powerOfTen(20) * BigInt(rng.below(5) - 2)) }  // BigInt neurons
                } else {
                    dense = (0 ..< inputWidth).map { _ in rng.below(2) == 0 ? Rational() : Rational(rng.below(9) - 4, rng.below(3) + 1) }
                }
                neurons.append(Neuron(dense: dense, bias: Rational(rng.below(13) - 9, rng.below(2) + 1)))
            }
            let kernel = BinaryLayerKernel(Layer(name: "l", neurons: neurons, comparison: comparison), inputWidth: inputWidth)
            for _ in 0 ..< 10 {
                let bits = (0 ..< inputWidth).map { _ in Int64(rng.below(round % 2 == 0 ? 2 : 8) == 0 ? 1 : 0) }
                let active = bits.enumerated().filter { $0.element != 0 }.map { Int32($0.offset) }
                var expected: [Int64] = []
                var expectedTie: Int32 = -1
                for (t, neuron) in neurons.enumerated() {
                    var z = neuron.bias
                    for (k, j) in neuron.indices.enumerated() { z += neuron.weights[k] * Rational(Int(bits[j])) }
                    expected.append(z.sign == .positive || (z.isZero && comparison == .atLeast) ? 1 : 0)
                    if z.isZero && comparison == .sign && expectedTie < 0 { expectedTie = Int32(t) }
                }
                if expectedTie >= 0 { ties += 1 }
                for strategy in [BinaryLayerKernel.Strategy.push, .pull, .automatic] {
                    var output = [Int64](repeating: -1, count: width)
                    var sums = [Int64](repeating: 0, count: max(1, kernel.groupCount))
                    var tie: Int32 = -2
                    bits.withUnsafeBufferPointer { input in
                        active.withUnsafeBufferPointer { list in
                            sums.withUnsafeMutableBufferPointer { scratch in
                                output.withUnsafeMutableBufferPointer {
                                    tie = kernel.evaluate(input, active: list, sums: scratch, into: $0, strategy: strategy)
                                }
                            }
                        }
                    }
                    #expect(output == expected, "round \(round) \(strategy)")
                    #expect(tie == expectedTie, "round \(round) \(strategy)")
                }
            }
        }
        #expect(ties > 30)
    }
}

@Suite("Filter scaling")
struct FilterScalingTests {
    @Test("neurons with weights near 2^±700 are filtered after power-of-two scaling and still decided exactly")
    func hugeAndTinyWeights() {
        var rng = SplitMix64(seed: 102)
        for exponent in [700, -700, 0] {
            let scale = exponent >= 0 ? Rational(BigInt(1).shiftedLeft(by: exponent)) : Rational(1) / Rational(BigInt(1).shiftedLeft(by: -exponent))
            let neurons = (0 ..< 6).map { _ in
                Neuron(dense: (0 ..< 3).map { _ in Rational(rng.below(2001) - 1000, 7) * scale }, bias: Rational(rng.below(201) - 100) * scale)
            }
            let net = Network(inputDimension: 3, outputBits: 6, layers: [Layer(name: "h", neurons: neurons)])
            var points = RationalPoints(dimension: 3)
            var rows: [[Rational]] = []
            for _ in 0 ..< 50 {
                let p = (0 ..< 3).map { _ in Rational(rng.below(2001) - 1000, rng.below(50) + 1) }
                rows.append(p)
                points.append(p)
            }
            var evaluator = CompiledNetwork(net).makeEvaluator()
            for (i, p) in rows.enumerated() {
                evaluator.evaluate(point: i, in: points)
                #expect(evaluator.firstLayerSigns == referenceOutputs(net, p).signs)
            }
            #expect(evaluator.exactDecisions < evaluator.decisions / 10, "exponent \(exponent): the filter should decide most signs")
        }
    }
}

@Suite("Sparse first layers")
struct SparseFirstLayerTests {
    @Test("random supports (empty, partial and full columns; widths not a multiple of 4) agree with the reference, signs and margins")
    func sparseAgreesWithReference() {
        var rng = SplitMix64(seed: 2024)
        for round in 0 ..< 200 {
            let d = rng.below(40) + 1
            let width = rng.below(13) + 1
            let points = (0 ..< 6).map { _ in (0 ..< d).map { _ in rng.below(3) == 0 ? Rational() : randomRational(&rng, sizeClass: rng.below(5)) } }
            var neurons: [Neuron] = []
            for _ in 0 ..< width {
                // Supports from empty to full; some neurons read every input, some none.
                let density = [0, 1, 3, 10, 10][rng.below(5)]
                var dense = (0 ..< d).map { _ in rng.below(10) < density ? randomRational(&rng, sizeClass: rng.below(5)) : Rational() }
                var bias = randomRational(&rng, sizeClass: rng.below(5))
                if rng.below(3) == 0 {  // an exact zero at some point
                    let p = points[rng.below(points.count)]
                    bias = Rational()
                    for j in 0 ..< d { bias -= dense[j] * p[j] }
                }
                if round % 5 == 0 { dense = dense.map { $0 * Rational(BigInt.powerOfTen(30)) } }  // BigInt neurons
                neurons.append(Neuron(dense: dense, bias: bias))
            }
            let net = Network(inputDimension: d, outputBits: 1,
                              layers: [Layer(name: "sparse", neurons: neurons),
                                       Layer(name: "out", neurons: [Neuron(terms: [(0, 1)], bias: -1)])])
            var stored = RationalPoints(dimension: d)
            for p in points { stored.append(p) }
            let compiled = CompiledNetwork(net)
            var evaluator = compiled.makeEvaluator()
            for (i, p) in points.enumerated() {
                evaluator.evaluate(point: i, in: stored)
                #expect(evaluator.firstLayerSigns == referenceOutputs(net, p).signs, "round \(round) point \(i)")
            }
            // Least margins from the sparse exact terms, against the plain minimum of |w·x + b|.
            var least: Rational?
            for p in points {
                for neuron in neurons {
                    var z = neuron.bias
                    for (k, j) in neuron.indices.enumerated() { z += neuron.weights[k] * p[j] }
                    if least == nil || z.magnitude < least! { least = z.magnitude }
                }
            }
            #expect(compiled.minimumMargins(on: stored)[0] == least!, "round \(round)")
        }
    }

    @Test("memory follows the nonzero weights: 8000 neurons of 2 weights on d = 200,000 store 16,000 terms, not 1.6·10^9")
    func memoryProportionalToNonzeros() {
        var rng = SplitMix64(seed: 7)
        let d = 200_000, width = 8000
        let neurons = (0 ..< width).map { _ in
            let a = rng.below(d - 1)
            return Neuron(indices: [a, a + 1], weights: [1, -1], bias: Rational(1, 2))
        }
        let kernel = FirstLayerKernel(Layer(name: "wide", neurons: neurons), dimension: d)
        #expect(kernel.termIndex.count == 2 * width)
        #expect(kernel.termWord.count == 2 * width)
        #expect(kernel.entryWeights.count <= 2 * width)
        #expect(kernel.columnStart.count == d + 1)
        // A dense layer keeps one entry per (column, block): the dense loop.
        let dense = FirstLayerKernel(Layer(name: "dense", neurons: (0 ..< 6).map { _ in
            Neuron(dense: (0 ..< 5).map { _ in Rational(rng.below(9) + 1) }, bias: 0)
        }), dimension: 5)
        #expect(dense.entryWeights.count == 5 * 2 && dense.columnFull.allSatisfy { $0 })
    }
}
