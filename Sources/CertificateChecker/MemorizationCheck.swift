// MARK: - Memorization claims (docs/formats.md, sections 5.1 and 6)

enum MemorizationCheck {
    static func check(_ claims: MemorizationClaims, _ net: NetworkModel, _ data: LabeledPoints, _ checks: inout [String]) throws(ClaimFailure) {
        func expect(_ name: String, _ claimed: Int, _ actual: Int) throws(ClaimFailure) {
            if claimed != actual { throw ClaimFailure("claims.\(name)", "the certificate says \(claimed), the files give \(actual)") }
            checks.append("claims.\(name)")
        }
        func expect(_ name: String, _ claimed: String?, _ actual: String?) throws(ClaimFailure) {
            if claimed != actual {
                throw ClaimFailure("claims.\(name)", "the certificate says \(claimed ?? "null"), the files give \(actual ?? "null")")
            }
            checks.append("claims.\(name)")
        }
        try counts(claims, net, n: data.count, d: data.dimension, classes: Int(data.labels.max()! + 1),
                   mergedDuplicates: data.mergedDuplicates, &checks)
        let progress = Progress("evaluating \(data.count) points", total: data.count)
        let evaluation = Evaluator.run(net, data, progress: progress)
        progress.finish()
        if let (point, output, tie) = evaluation.mismatch {
            if let (layer, neuron) = tie {
                throw ClaimFailure("claims.memorized", "the point on line \(data.lines[point]) is a tie: neuron \(neuron) of layer \(layer) "
                    + "(comparison sign) has pre-activation exactly 0, so the network has no output there")
            }
            throw ClaimFailure("claims.memorized", "the point on line \(data.lines[point]) gets output \(output), its label is \(data.labels[point])")
        }
        checks.append("claims.memorized")
        let margins = evaluation.margins.map { $0.q!.description }
        if margins != claims.minimumMargins {
            throw ClaimFailure("claims.minimumMargins", "the certificate says \(list(claims.minimumMargins)), the files give \(list(margins))")
        }
        checks.append("claims.minimumMargins")

        if data.count <= CertificateChecker.minimumDistanceLimit {
            let r2 = MinimumDistance.radiusSquared(data)
            try expect("radiusSquared", claims.radiusSquared, r2.description)
            var delta2: String?
            if data.count >= 2 {
                let pairs = Progress("comparing all pairs for δ²", total: data.count * (data.count - 1) / 2)
                delta2 = (MinimumDistance.minimumSquaredDistance(data, progress: pairs) / r2).description
                pairs.finish()
            }
            try expect("deltaSquared", claims.deltaSquared, delta2)
        }
    }

    /// The counted claims in the order of section 6 — `n`, `d`, `classes`, `mergedDuplicates`, then the
    /// network's five counts — each appended to `checks` when it holds; then the first two conditions
    /// of `claims.memorized` (it is claimed, and the network reads d inputs). Shared by the
    /// whole-file and the streamed check, which compute the data's counts differently.
    static func counts(_ claims: MemorizationClaims, _ net: NetworkModel, n: Int, d: Int, classes: Int, mergedDuplicates: Int,
                       _ checks: inout [String]) throws(ClaimFailure) {
        func expect(_ name: String, _ claimed: Int, _ actual: Int) throws(ClaimFailure) {
            if claimed != actual { throw ClaimFailure("claims.\(name)", "the certificate says \(claimed), the files give \(actual)") }
            checks.append("claims.\(name)")
        }
        try expect("n", claims.n, n)
        try expect("d", claims.d, d)
        try expect("classes", claims.classes, classes)
        try expect("mergedDuplicates", claims.mergedDuplicates, mergedDuplicates)
        try expect("neurons", claims.neurons, net.neurons)
        try expect("weights", claims.weights, net.weights)
        try expect("biases", claims.biases, net.biases)
        try expect("depth", claims.depth, net.layers.count)
        try expect("largestWeightBits", claims.largestWeightBits, net.largestWeightBits)
        guard claims.memorized else { throw ClaimFailure("claims.memorized", "the certificate says false; a memorization certificate claims true") }
        guard net.inputDimension == d else {
            throw ClaimFailure("claims.memorized", "the network reads \(net.inputDimension) inputs, the data has \(d) coordinates")
        }
    }

    /// A list for messages, shortened when long.
    static func list(_ values: [String]) -> String {
        let shown = values.prefix(12).map { $0.count > 60 ? String($0.prefix(60)) + "..." : $0 }
        return "[" + shown.joined(separator: ", ") + (values.count > 12 ? ", ... (\(values.count) in all)" : "") + "]"
    }
}
