import ThresholdNetworks

/// Stage D (docs/ARCHITECTURE.md, "Theorem 1, stage by stage", with the change
/// noted below): one memorizing neuron per block and label bit, then one OR per
/// output bit, reading stage C's position thermometer and block indicators.
///
/// Layers:
/// - D `memorize`: M_ji = 1[K e_j + F(1) + Σ_{l>=2} (F(l) - F(l-1)) q_l - K - 1 >= 0]
///   with F(l) bit i of the label at position l of block j and K = F(1) + #(steps
///   where F rises). For e_j = 1 the sum telescopes to F(p) - 1; for e_j = 0 it is
///   negative whatever the q's. The paper's realisation puts weight 1 on e_j with
///   bias -2; K makes the gate visible from the weights alone (no other input can
///   make M fire without e_j), which any verifier can use to skip other blocks.
/// - output: o_i = 1[Σ_j M_ji - 1 >= 0].
struct MemorizeStage {
    var layers: [Layer] = []

    /// - Parameters:
    ///   - blocks: stage C, with the label at each position of each block.
    ///   - outputBits: label bits.
    init(blocks stageC: BlockStage, outputBits: Int) {
        let eCopy = stageC.indicatorCopies
        // One neuron per block and label bit that is 1 somewhere in the block.
        var d: [Neuron] = []
        var feeds = [[Int]](repeating: [], count: outputBits)
        for (j, members) in stageC.positionLabels.enumerated() {
            for i in 0 ..< outputBits {
                let f = members.map { ($0 >> i) & 1 }
                guard f.contains(1) else { continue }
                var terms: [(Int, Int)] = []
                var rises = 0
                for l in 1 ..< f.count where f[l] != f[l - 1] {
                    terms.append((l - 1, f[l] - f[l - 1]))  // q_{l+1} is neuron l - 1 of C3
                    if f[l] > f[l - 1] { rises += 1 }
                }
                let k = f[0] + rises
                terms.append((eCopy + j, k))
                terms.sort { $0.0 < $1.0 }
                feeds[i].append(d.count)
                d.append(Neuron(terms: terms, bias: f[0] - k - 1))
            }
        }
        if d.isEmpty {
            // Every label is 0: one neuron that never fires keeps the layer non-empty.
            d.append(Neuron(terms: [], bias: -1))
        }
        layers.append(Layer(name: "memorize", neurons: d))
        layers.append(Layer(name: "output", neurons: (0 ..< outputBits).map { i in
            Neuron(terms: feeds[i].map { ($0, 1) }, bias: -1)
        }))
    }
}
