import ThresholdNetworks

/// A 0/1-valued linear form over the previous layer's outputs: Σ w_i h_i.
struct BitForm: Sendable {
    var terms: [(index: Int, weight: Int)]

    static let zero = BitForm(terms: [])
    static func bit(_ index: Int) -> BitForm { BitForm(terms: [(index, 1)]) }

    /// A neuron computing 1[self + other + bias >= 0].
    static func neuron(_ forms: [BitForm], bias: Int) -> Neuron {
        var merged: [Int: Int] = [:]
        for form in forms { for (i, w) in form.terms { merged[i, default: 0] += w } }
        let sorted = merged.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        return Neuron(terms: sorted.map { ($0.key, $0.value) }, bias: bias)
    }
}
