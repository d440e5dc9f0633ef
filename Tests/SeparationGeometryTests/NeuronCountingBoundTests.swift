import Foundation
import Testing
import SeparationGeometry

@Suite("Counting bound on neurons")
struct NeuronCountingBoundTests {
    @Test("W(N) counts d + i - 1 weights and one bias for the i-th neuron")
    func maximumWeights() {
        for n in 0 ... 12 {
            for d in [0, 1, 2, 7, 32] {
                let direct = (1 ... max(1, n)).prefix(n).reduce(0) { $0 + d + ($1 - 1) + 1 }
                #expect(CountingBound.maximumWeights(neurons: n, dimension: d).intValue == direct)
            }
        }
    }

    /// The least N with 2 W(N) log2(e N) >= n, in floating point; nil when some N is
    /// too close to the boundary for doubles to decide.
    func reference(points n: Int, dimension d: Int) -> Int? {
        var neurons = 1
        while true {
            let w = Double(neurons * (d + 1) + neurons * (neurons - 1) / 2)
            let value = 2 * w * log2(M_E * Double(neurons))
            if abs(value - Double(n)) <= 1e-6 * Double(n) + 1e-3 { return nil }
            if value >= Double(n) { return neurons }
            neurons += 1
        }
    }

    @Test("matches an independent floating-point search away from the boundary", arguments: [1, 2, 3, 10, 100, 1000, 4096, 64_000, 1_000_000])
    func matchesReference(n: Int) {
        for d in [1, 2, 8, 32, 784] {
            guard let expected = reference(points: n, dimension: d) else { continue }
            #expect(CountingBound.minimumNeurons(points: n, dimension: d) == expected, "n = \(n), d = \(d)")
        }
    }

    @Test("edge cases and monotonicity: more points never need fewer neurons, more dimensions never more")
    func monotone() {
        #expect(CountingBound.minimumNeurons(points: 0, dimension: 5) == 0)
        #expect(CountingBound.minimumNeurons(points: 1, dimension: 0) == 1)
        var last = 0
        for n in stride(from: 1, through: 5000, by: 97) {
            let k = CountingBound.minimumNeurons(points: n, dimension: 16)
            #expect(k >= last)
            last = k
            #expect(CountingBound.minimumNeurons(points: n, dimension: 64) <= k)
        }
        // It grows like √(n / log n) in fixed dimension: 64000 points in d = 32 need 66.
        #expect(CountingBound.minimumNeurons(points: 64_000, dimension: 32) == 66)
    }
}
