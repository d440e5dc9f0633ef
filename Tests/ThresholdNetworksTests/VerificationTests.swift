import DataSets
import ExactArithmetic
import Testing
import TestSupport
import TextFormats
@testable import ThresholdNetworks

@Suite("Verification")
struct VerificationTests {
    /// Output bit 0 = 1[x >= 1/2], bit 1 = 1[y >= 1/2]: label = bit0 + 2 bit1.
    let quadrants = Network(inputDimension: 2, outputBits: 2, layers: [
        Layer(name: "out", neurons: [Neuron(dense: [1, 0], bias: Rational(-1, 2)), Neuron(dense: [0, 1], bias: Rational(-1, 2))]),
    ])

    @Test("multi-class labels decode as Σ o_j 2^j; mismatches are listed in data order with lines")
    func multiClass() throws {
        let good = try parseCSV("0,0,0\n1,0,1\n0,1,2\n1,1,3\n0.5,0.5,3\n")
        let report = try Verifier.verify(quadrants, on: good)
        #expect(report.memorized && report.pointCount == 5 && report.mismatchCount == 0)
        let bad = try parseCSV("0,0,0\n1,0,2\n# x\n0,1,2\n0.49,0.5,3\n")
        let r2 = try Verifier.verify(quadrants, on: bad)
        #expect(!r2.memorized && r2.mismatchCount == 2)
        #expect(r2.mismatches == [.init(index: 1, line: 2, expected: 2, output: 1, tie: nil), .init(index: 3, line: 5, expected: 3, output: 2, tie: nil)])
    }

    @Test("many points verified in parallel agree with one-at-a-time evaluation")
    func parallelAgrees() throws {
        var rng = SplitMix64(seed: 400)
        var text = ""
        var expectedMismatches = 0
        for i in 0 ..< 20_000 {
            let x = Rational(i - 10_000, 10_000), y = Rational(Int(rng.next() % 2001) - 1000, 1000)
            let truth = (x >= Rational(1, 2) ? 1 : 0) + (y >= Rational(1, 2) ? 2 : 0)
            let label = rng.below(10) == 0 ? (truth + 1) % 4 : truth
            if label != truth { expectedMismatches += 1 }
            text += "\(x),\(y),\(label)\n"
        }
        let data = try parseCSV(text)
        let report = try Verifier.verify(quadrants, on: data, mismatchLimit: 5)
        var reference = 0
        var evaluator = CompiledNetwork(quadrants).makeEvaluator()
        for i in 0 ..< data.count {
            evaluator.evaluate(point: i, in: data.points)
            if evaluator.label != UInt64(data.labels[i]) { reference += 1 }
        }
        #expect(report.mismatchCount == reference)
        #expect(reference == expectedMismatches && reference > 1000)
        #expect(report.mismatches.count == 5)
        #expect(report.mismatches.map(\.index) == report.mismatches.map(\.index).sorted())
    }

    @Test("a dimension mismatch is bad input naming the data file")
    func dimensionMismatch() throws {
        let data = try parseCSV("1,2,3,0\n")
        #expect(throws: InputError.self) { try Verifier.verify(quadrants, on: data) }
    }
}
