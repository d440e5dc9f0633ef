import ExactArithmetic

/// A layer reading bits, prepared for exact evaluation.
///
/// Each neuron's weights and bias are scaled to integers by the lcm L of their
/// denominators (the sign of the pre-activation is unchanged since L > 0).
/// When every scaled weight fits in a word and Σ|W'| + |B'| < 2^62, no
/// partial sum can overflow and the neuron is evaluated in `Int64` without
/// checks; otherwise with `BigInt`.
///
/// The layer's comparison is applied to the scaled integer sum Z = L z: `>=` fires at
/// Z >= 0; `>` and `sign` at Z > 0, which for integers is Z - 1 >= 0; and `sign` reports
/// a neuron with Z = 0 as a tie.
///
/// Three exact shortcuts keep the cost near the work that matters:
/// - Neurons with identical scaled weight rows (differing only in bias) form
///   a group whose linear form is computed once per point.
/// - A gate is an input that must be 1 for a neuron to fire: its bias plus
///   all its other positive weights is negative. A group whose gate input is
///   0 outputs 0 without being evaluated. Up to two gates are kept.
/// - Per point, the pre-activations are either pulled (each live group sums
///   its weights over the inputs that are 1) or pushed (each input that is 1
///   adds its outgoing weights), whichever touches fewer weights.
final class BinaryLayerKernel: Sendable {
    let width: Int
    let comparison: Comparison
    let inputWidth: Int
    let groupCount: Int
    // Rows of the groups (CSR).
    let rowStart: [Int]
    let columns: [Int32]
    let values: [Int64]
    // Columns (CSC): for each input, the groups it feeds.
    let columnStart: [Int]
    let columnGroups: [Int32]
    let columnValues: [Int64]
    /// For each input, the first group of its column when the column's groups are
    /// consecutive (so pushing it is a contiguous, vectorizable add), else -1.
    let columnRunStart: [Int32]
    // Members of each group: neuron index and scaled bias.
    let memberStart: [Int]
    let memberNeuron: [Int32]
    let memberBias: [Int64]
    // Gates per group (-1: none).
    let gateA: [Int32]
    let gateB: [Int32]
    // Cost model: weights of ungated groups; per input, weights of groups gated by it.
    let ungatedWeights: Int
    let gatedWeightsBehind: [Int]
    /// Per neuron: its group (or -1 for a BigInt neuron), its scaled bias, and its scale L.
    let neuronGroup: [Int32]
    let neuronBias: [BigInt]
    let neuronScale: [BigInt]
    // Neurons evaluated with BigInt.
    let bigNeurons: [(neuron: Int, columns: [Int], weights: [BigInt], bias: BigInt)]

    init(_ layer: Layer, inputWidth: Int) {
        width = layer.neurons.count
        comparison = layer.comparison
        self.inputWidth = inputWidth
        let limit = BigInt(1).shiftedLeft(by: 62)
        struct Row: Hashable {
            var columns: [Int32]
            var values: [Int64]
        }
        var groupOf: [Row: Int] = [:]
        var groupRows: [Row] = []
        var groupMembers: [[(Int32, Int64)]] = []
        var big: [(neuron: Int, columns: [Int], weights: [BigInt], bias: BigInt)] = []
        var neuronGroup = [Int32](repeating: -1, count: layer.neurons.count)
        var neuronBias: [BigInt] = [], neuronScale: [BigInt] = []
        for (t, neuron) in layer.neurons.enumerated() {
            let l = Rational.commonDenominator(of: neuron.weights + [neuron.bias])
            neuronScale.append(l)
            neuronBias.append(neuron.bias.scaled(by: l))
            var w: [BigInt] = [], cols: [Int] = []
            for (k, value) in neuron.weights.enumerated() where !value.isZero {
                w.append(value.scaled(by: l))
                cols.append(neuron.indices[k])
            }
            let b = neuron.bias.scaled(by: l)
            var total = b.magnitude
            for v in w { total += v.magnitude }
            if total >= limit {
                big.append((t, cols, w, b))
                continue
            }
            let row = Row(columns: cols.map { Int32($0) }, values: w.map { $0.int64Value! })
            if let g = groupOf[row] {
                groupMembers[g].append((Int32(t), b.int64Value!))
                neuronGroup[t] = Int32(g)
            } else {
                neuronGroup[t] = Int32(groupRows.count)
                groupOf[row] = groupRows.count
                groupRows.append(row)
                groupMembers.append([(Int32(t), b.int64Value!)])
            }
        }
        groupCount = groupRows.count
        var rowStart = [0], columns: [Int32] = [], values: [Int64] = []
        var memberStart = [0], memberNeuron: [Int32] = [], memberBias: [Int64] = []
        var gateA: [Int32] = [], gateB: [Int32] = []
        var ungated = 0
        var gatedBehind = [Int](repeating: 0, count: inputWidth)
        var columnCounts = [Int](repeating: 0, count: inputWidth)
        for (g, row) in groupRows.enumerated() {
            columns.append(contentsOf: row.columns)
            values.append(contentsOf: row.values)
            rowStart.append(columns.count)
            for (t, b) in groupMembers[g] {
                memberNeuron.append(t)
                memberBias.append(b)
            }
            memberStart.append(memberNeuron.count)
            for c in row.columns { columnCounts[Int(c)] += 1 }
            // Gates hold for every member when they hold for the largest bias. A closed gate means
            // Z < 0 strictly, so the output is 0 and there is no tie, whatever the comparison.
            let maxBias = groupMembers[g].map(\.1).max()!
            var positiveSum = maxBias
            for v in row.values where v > 0 { positiveSum += v }
            let gates = zip(row.columns, row.values).filter { $0.1 > 0 && positiveSum - $0.1 < 0 }.map(\.0)
            gateA.append(gates.first ?? -1)
            gateB.append(gates.count > 1 ? gates.last! : -1)
            if let first = gates.first { gatedBehind[Int(first)] += row.values.count } else { ungated += row.values.count }
        }
        var columnStart = [0]
        for c in 0 ..< inputWidth { columnStart.append(columnStart[c] + columnCounts[c]) }
        var fill = columnStart
        var columnGroups = [Int32](repeating: 0, count: columns.count)
        var columnValues = [Int64](repeating: 0, count: columns.count)
        for g in 0 ..< groupRows.count {
            for k in rowStart[g] ..< rowStart[g + 1] {
                let c = Int(columns[k])
                columnGroups[fill[c]] = Int32(g)
                columnValues[fill[c]] = values[k]
                fill[c] += 1
            }
        }
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
        self.columnStart = columnStart
        self.columnGroups = columnGroups
        self.columnValues = columnValues
        columnRunStart = (0 ..< inputWidth).map { c in
            let range = columnStart[c] ..< columnStart[c + 1]
            guard let first = range.first else { return -1 }
            for k in range where columnGroups[k] != columnGroups[first] + Int32(k - first) { return -1 }
            return columnGroups[first]
        }
        self.memberStart = memberStart
        self.memberNeuron = memberNeuron
        self.memberBias = memberBias
        self.gateA = gateA
        self.gateB = gateB
        ungatedWeights = ungated
        gatedWeightsBehind = gatedBehind
        bigNeurons = big
        self.neuronGroup = neuronGroup
        self.neuronBias = neuronBias
        self.neuronScale = neuronScale
    }

    enum Strategy { case automatic, push, pull }

    /// Computes the outputs from `input` (0/1 words) whose ones are listed in
    /// `active`; `sums` is scratch with one slot per group. `strategy` exists
    /// for tests, which check that both ways agree. Returns the least neuron of a
    /// `sign` layer whose pre-activation is exactly 0 (its output is set to 0), or -1.
    @discardableResult
    func evaluate(_ input: UnsafeBufferPointer<Int64>, active: UnsafeBufferPointer<Int32>,
                  sums: UnsafeMutableBufferPointer<Int64>, into output: UnsafeMutableBufferPointer<Int64>,
                  strategy: Strategy = .automatic) -> Int32 {
        // Z > 0 is Z - 1 >= 0 for the integer Z; no overflow, since |Z| < 2^62.
        let strict: Int64 = comparison == .atLeast ? 0 : 1
        let signs = comparison == .sign
        var tie = Int32.max
        // Cost of each strategy, in weights touched.
        var pushCost = 0, pullCost = ungatedWeights
        columnStart.withUnsafeBufferPointer { starts in
            gatedWeightsBehind.withUnsafeBufferPointer { behind in
                let s = starts.baseAddress!, b = behind.baseAddress!
                for i in active {
                    pushCost &+= s[Int(i) + 1] &- s[Int(i)]
                    pullCost &+= b[Int(i)]
                }
            }
        }
        if strategy == .push || (strategy == .automatic && pushCost < pullCost) {
            push(active, sums: sums)
        } else {
            pull(input, sums: sums)
        }
        memberStart.withUnsafeBufferPointer { mstart in
        memberNeuron.withUnsafeBufferPointer { neurons in
        memberBias.withUnsafeBufferPointer { biases in
        gateA.withUnsafeBufferPointer { ga in
        gateB.withUnsafeBufferPointer { gb in
            let ms = mstart.baseAddress!, nb = neurons.baseAddress!, bb = biases.baseAddress!
            let gap = ga.baseAddress!, gbp = gb.baseAddress!
            let inp = input.baseAddress!, out = output.baseAddress!, sp = sums.baseAddress!
            for g in 0 ..< groupCount {
                let a = Int(gap[g]), b = Int(gbp[g])
                let closed = (a >= 0 && inp[a] == 0) || (b >= 0 && inp[b] == 0)
                let lo = ms[g], hi = ms[g + 1]
                if closed {
                    for k in lo ..< hi { out[Int(nb[k])] = 0 }
                } else {
                    let sum = sp[g]
                    for k in lo ..< hi { out[Int(nb[k])] = sum &+ bb[k] &- strict >= 0 ? 1 : 0 }
                    if signs {
                        for k in lo ..< hi where sum &+ bb[k] == 0 { tie = Swift.min(tie, nb[k]) }
                    }
                }
            }
        } } } } }
        for neuron in bigNeurons {
            var total = IntegerAccumulator()
            total.add(neuron.bias)
            for (k, c) in neuron.columns.enumerated() where input[c] != 0 { total.add(neuron.weights[k]) }
            if let bit = comparison.output(total.sign) { output[neuron.neuron] = bit } else {
                output[neuron.neuron] = 0
                tie = Swift.min(tie, Int32(neuron.neuron))
            }
        }
        return tie == .max ? -1 : tie
    }

    /// |pre-activation| of neuron t on `input`, exactly: |Σ W'_k h_k + B'| / L.
    func margin(of t: Int, input: UnsafeBufferPointer<Int64>) -> Rational {
        let g = Int(neuronGroup[t])
        var sum = IntegerAccumulator()
        if g >= 0 {
            for k in rowStart[g] ..< rowStart[g + 1] where input[Int(columns[k])] != 0 { sum.add(values[k]) }
        } else {
            let neuron = bigNeurons.first { $0.neuron == t }!
            for (k, c) in neuron.columns.enumerated() where input[c] != 0 { sum.add(neuron.weights[k]) }
        }
        sum.add(neuronBias[t])
        return Rational(sum.value.magnitude, neuronScale[t])
    }

    /// Sums of live groups by rows; groups with a closed gate are left unset (their outputs are 0).
    private func pull(_ input: UnsafeBufferPointer<Int64>, sums: UnsafeMutableBufferPointer<Int64>) {
        rowStart.withUnsafeBufferPointer { starts in
        columns.withUnsafeBufferPointer { cols in
        values.withUnsafeBufferPointer { vals in
        gateA.withUnsafeBufferPointer { ga in
        gateB.withUnsafeBufferPointer { gb in
            let st = starts.baseAddress!, cp = cols.baseAddress!, vp = vals.baseAddress!
            let gap = ga.baseAddress!, gbp = gb.baseAddress!, inp = input.baseAddress!, sp = sums.baseAddress!
            for g in 0 ..< groupCount {
                let a = Int(gap[g]), b = Int(gbp[g])
                if (a >= 0 && inp[a] == 0) || (b >= 0 && inp[b] == 0) { continue }
                var sum: Int64 = 0
                for k in st[g] ..< st[g + 1] { sum &+= vp[k] &* inp[Int(cp[k])] }
                sp[g] = sum
            }
        } } } } }
    }

    /// Sums of all groups by columns of the active inputs.
    private func push(_ active: UnsafeBufferPointer<Int32>, sums: UnsafeMutableBufferPointer<Int64>) {
        for g in 0 ..< groupCount { sums[g] = 0 }
        columnStart.withUnsafeBufferPointer { starts in
        columnGroups.withUnsafeBufferPointer { groups in
        columnValues.withUnsafeBufferPointer { vals in
        columnRunStart.withUnsafeBufferPointer { runs in
            for i in active {
                let lo = starts[Int(i)], hi = starts[Int(i) + 1]
                let run = Int(runs[Int(i)])
                if run >= 0 {
                    let target = sums.baseAddress! + run, source = vals.baseAddress! + lo
                    for k in 0 ..< hi - lo { target[k] &+= source[k] }
                } else {
                    let gp = groups.baseAddress!, vp = vals.baseAddress!, sp = sums.baseAddress!
                    for k in lo ..< hi { sp[Int(gp[k])] &+= vp[k] }
                }
            }
        } } } }
    }
}
