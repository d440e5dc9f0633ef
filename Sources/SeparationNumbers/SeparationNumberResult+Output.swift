import ExactArithmetic
import TextFormats
import ThresholdNetworks

extension SeparationNumberResult {
    /// "drat", "bound", or nil when undecided.
    public var provenBy: String? {
        switch proof {
        case .drat: "drat"
        case .bound: "bound"
        case nil: nil
        }
    }

    /// The witness's hyperplanes as JSON: each `{"weights": [d rationals], "bias": rational}`.
    public var witnessJSON: JSONValue {
        .array(layer.neurons.map { neuron in
            var dense = [Rational](repeating: Rational(), count: instance.dimension)
            for (i, w) in zip(neuron.indices, neuron.weights) { dense[i] = w }
            var h = JSONObjectBuilder()
            h.add("weights", .array(dense.map { .rational($0) }))
            h.add("bias", .rational(neuron.bias))
            return h.value
        })
    }

    /// The `encoding` object: the cardinality encoding, k, sizes, and the CNF's SHA-256.
    public func encodingJSON(formula: CoverFormula, sha256: String) -> JSONValue {
        var e = JSONObjectBuilder()
        e.add("cardinality", .string("sequential-counter"))
        e.add("k", .integer(formula.k))
        e.add("cuts", .integer(instance.kept.count))
        e.add("variables", .integer(formula.variables))
        e.add("clauses", .integer(formula.clauses))
        e.add("cnfSha256", .string(sha256))
        return e.value
    }

    /// The bound object: `argument`, `firstLayerNeurons`, and the witness's keys.
    static func boundJSON(_ bound: GeometricBound) -> JSONValue {
        var b = JSONObjectBuilder()
        b.add("argument", .string(bound.argument))
        b.add("firstLayerNeurons", .integer(bound.firstLayerNeurons))
        if case .object(let members) = bound.witness { for m in members { b.add(m.key, m.value) } }
        return b.value
    }

    public var boundJSON: JSONValue? {
        if case .bound(let b) = proof { return SeparationNumberResult.boundJSON(b) }
        return nil
    }

    /// The stable `--json` object of `memcert separation-number` (docs/schemas/separation-number.schema.json).
    public func json(data: String, sha256: ([UInt8]) -> String) -> JSONValue {
        var o = JSONObjectBuilder()
        o.add("format", .string("memcert.separation-number/1"))
        o.add("data", .string(data))
        o.add("n", .integer(instance.pointCount))
        o.add("d", .integer(instance.dimension))
        o.add("classes", .integer(classCount))
        o.add("pairs", .integer(instance.pairs.count))
        o.add("candidates", .integer(instance.candidates.count))
        o.add("undominated", .integer(instance.kept.count))
        o.add("greedy", .integer(greedy))
        o.add("minimum", minimum.map { .integer($0) } ?? .null)
        o.add("lowerBound", .integer(lowerBound))
        o.add("upperBound", .integer(upperBound))
        o.add("witness", witnessJSON)
        o.add("provenBy", provenBy.map { .string($0) } ?? .null)
        o.add("bound", boundJSON ?? .null)
        if case .drat(let formula, _) = proof {
            o.add("encoding", encodingJSON(formula: formula, sha256: sha256(formula.bytes)))
        } else {
            o.add("encoding", .null)
        }
        o.add("undecided", undecided.map { .string($0) } ?? .null)
        o.add("calls", .array(calls.map { c in
            var e = JSONObjectBuilder()
            e.add("k", .integer(c.k))
            e.add("variables", .integer(c.variables))
            e.add("clauses", .integer(c.clauses))
            e.add("result", .string(c.result))
            e.add("seconds", .number(c.seconds.roundedText(digits: 3)))
            e.add("proofBytes", c.proofBytes.map { .integer($0) } ?? .null)
            return e.value
        }))
        o.add("seconds", .number(seconds.roundedText(digits: 3)))
        return o.value
    }

    /// Human output: the counts, the answer with its proof, the witness, the solver calls.
    public func humanText(data: String) -> String {
        var lines = ["data        \(data): n = \(instance.pointCount) points in d = \(instance.dimension), \(classCount) classes, "
                     + "\(instance.pairs.count) differently labeled pairs",
                     "candidates  \(instance.candidates.count) cuts a hyperplane can make (exact), "
                     + "\(instance.kept.count) not dominated; greedy cover: \(greedy)"]
        for c in calls {
            let proof = c.proofBytes.map { ", proof \($0) bytes, checked" } ?? ""
            lines.append("sat k = \(c.k)".padded(to: 12) + "\(c.result) (\(c.variables) variables, \(c.clauses) clauses, "
                         + "\(c.seconds.roundedText(digits: 2)) s\(proof))")
        }
        if let minimum {
            let why: String
            switch proof {
            case .drat(let formula, _): why = "no \(formula.k) hyperplanes suffice: CaDiCaL's DRAT proof, checked by memcert"
            case .bound(let b) where b.argument == "labels": why = minimum == 0 ? "all labels are equal" : "two labels occur"
            case .bound(let b): why = "the \(b.argument) lower bound (checked exactly) meets the witness"
            case nil: why = ""
            }
            lines.append("minimum     \(minimum) hyperplanes separate every differently labeled pair (\(why))")
        } else {
            lines.append("undecided   between \(lowerBound) and \(upperBound): \(undecided ?? "")")
        }
        for (t, neuron) in layer.neurons.enumerated() {
            var dense = [Rational](repeating: Rational(), count: instance.dimension)
            for (i, w) in zip(neuron.indices, neuron.weights) { dense[i] = w }
            lines.append("  h\(t)".padded(to: 12) + "w = (\(dense.map(\.description).joined(separator: ", "))), b = \(neuron.bias)")
        }
        return lines.joined(separator: "\n")
    }
}
