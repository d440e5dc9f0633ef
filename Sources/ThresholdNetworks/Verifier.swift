import DataSets
import ExactArithmetic
import TextFormats
import WorkSharing

/// The outcome of checking, exactly, whether a network memorizes a data set.
public struct VerificationReport: Sendable {
    /// A neuron of a `sign` layer whose pre-activation is exactly 0 at a point: the
    /// network has no output there (`Comparison.sign`).
    public struct Tie: Sendable, Equatable {
        public var layer: Int
        public var neuron: Int
    }

    /// A point whose network output differs from its label, or where the network has
    /// no output (a tie, with `output` meaningless).
    public struct Mismatch: Sendable, Equatable {
        public var index: Int
        public var line: Int
        public var expected: Int
        public var output: UInt64
        public var tie: Tie?
    }

    public var pointCount: Int
    public var dimension: Int
    public var classCount: Int
    public var mergedDuplicates: Int
    public var mismatchCount: Int
    /// Of the mismatches, the points where a `sign` layer ties.
    public var tieCount: Int
    /// The first mismatches in data order (at most the limit asked for).
    public var mismatches: [Mismatch]
    public var counts: NetworkCounts
    public var widths: [Int]
    /// Layer-0 signs left by the floating-point filter to exact arithmetic, of all decided.
    public var exactDecisions: Int
    public var decisions: Int

    /// True when every point gets its label.
    public var memorized: Bool { mismatchCount == 0 }
}

/// Exact verification of memorization.
public enum Verifier {
    /// Evaluates `network` exactly on every point of `data`, on all cores. A point where a
    /// neuron of a `sign` layer has pre-activation exactly 0 is a failure (a tie), never
    /// resolved.
    ///
    /// Throws an `InputError` naming the data file when the dimensions differ.
    public static func verify(_ network: Network, on data: DataSet, mismatchLimit: Int = 100)
        throws(InputError) -> VerificationReport {
        guard network.inputDimension == data.dimension else {
            throw InputError(file: data.source, line: data.lines.first, column: 1,
                             message: "the network reads \(network.inputDimension) inputs but the data has \(data.dimension) coordinates per point")
        }
        return verify(CompiledNetwork(network), counts: network.counts, widths: network.widths, on: data,
                      mismatchLimit: mismatchLimit)
    }

    /// Evaluates an already compiled network on every point of `data` (the dimensions must agree),
    /// on all cores; the streaming reader calls it once per block with one compiled network.
    public static func verify(_ compiled: CompiledNetwork, counts: NetworkCounts, widths: [Int], on data: DataSet,
                              mismatchLimit: Int = 100, progressThreshold: Int = 20_000) -> VerificationReport {
        precondition(compiled.inputDimension == data.dimension, "dimension mismatch")
        let progress = ProgressMeter("verifying", total: data.count, threshold: progressThreshold)
        let points = data.points, labels = data.labels
        let parts = Parallel.mapChunks(count: data.count, chunkSize: 512) { range in
            var evaluator = compiled.makeEvaluator()
            var found: [VerificationReport.Mismatch] = []
            var count = 0, ties = 0
            for i in range {
                evaluator.evaluate(point: i, in: points)
                let output = evaluator.label
                let tie = evaluator.tie.map { VerificationReport.Tie(layer: $0.layer, neuron: $0.neuron) }
                if output != UInt64(labels[i]) || tie != nil {
                    count += 1
                    if tie != nil { ties += 1 }
                    if found.count < mismatchLimit {
                        found.append(.init(index: i, line: 0, expected: labels[i], output: output, tie: tie))
                    }
                }
            }
            progress.advance(by: range.count)
            return (found, count, evaluator.exactDecisions, evaluator.decisions, ties)
        }
        progress.finish()
        var mismatches: [VerificationReport.Mismatch] = []
        for part in parts {
            for var m in part.0 where mismatches.count < mismatchLimit {
                m.line = data.lines[m.index]
                mismatches.append(m)
            }
        }
        return VerificationReport(
            pointCount: data.count, dimension: data.dimension, classCount: data.classCount,
            mergedDuplicates: data.mergedDuplicates, mismatchCount: parts.reduce(0) { $0 + $1.1 },
            tieCount: parts.reduce(0) { $0 + $1.4 },
            mismatches: mismatches, counts: counts, widths: widths,
            exactDecisions: parts.reduce(0) { $0 + $1.2 }, decisions: parts.reduce(0) { $0 + $1.3 })
    }
}

// MARK: - Output

extension VerificationReport {
    /// The stable `--json` object (documented in the README).
    public var json: JSONValue {
        var o = JSONObjectBuilder()
        o.add("format", .string("memcert.verify/1"))
        o.add("memorized", .bool(memorized))
        o.add("n", .integer(pointCount))
        o.add("d", .integer(dimension))
        o.add("classes", .integer(classCount))
        o.add("mergedDuplicates", .integer(mergedDuplicates))
        o.add("mismatchCount", .integer(mismatchCount))
        o.add("tieCount", .integer(tieCount))
        o.add("mismatches", .array(mismatches.map { m in
            .object([.init("line", .integer(m.line)), .init("expected", .integer(m.expected)),
                     .init("output", m.tie == nil ? .integer(m.output) : .null),
                     .init("tie", m.tie.map { .object([.init("layer", .integer($0.layer)), .init("neuron", .integer($0.neuron))]) } ?? .null)])
        }))
        o.add("network", counts.json(widths: widths))
        o.add("exactDecisions", .integer(exactDecisions))
        o.add("firstLayerDecisions", .integer(decisions))
        return o.value
    }

    /// The human summary: what was checked and the verdict.
    public func humanText(network: String, data: String, listLimit: Int = 10) -> String {
        var lines: [String] = []
        lines.append("network  \(network): \(counts.summary)")
        var dataLine = "data     \(data): n = \(pointCount) points in d = \(dimension), \(classCount) class\(classCount == 1 ? "" : "es")"
        if mergedDuplicates > 0 { dataLine += " (\(mergedDuplicates) repeated row\(mergedDuplicates == 1 ? "" : "s") merged)" }
        lines.append(dataLine)
        let filterNote = "exact arithmetic; \(exactDecisions) of \(decisions) first-layer signs needed the exact path"
        if memorized {
            lines.append("result   memorized: all \(pointCount) points get their labels (\(filterNote))")
        } else {
            let tieNote = tieCount == 0 ? "" : ", \(tieCount) of them ties"
            lines.append("result   NOT memorized: \(mismatchCount) of \(pointCount) points get a different output\(tieNote) (\(filterNote))")
            for m in mismatches.prefix(listLimit) {
                if let tie = m.tie {
                    lines.append("         line \(m.line): expected \(m.expected), TIE: layer \(tie.layer) neuron \(tie.neuron) (a sign layer) "
                        + "has pre-activation exactly 0, where Sign outputs 0, no bit; the network has no output here")
                } else {
                    lines.append("         line \(m.line): expected \(m.expected), network outputs \(m.output)")
                }
            }
            if mismatchCount > min(listLimit, mismatches.count) {
                lines.append("         ... and \(mismatchCount - min(listLimit, mismatches.count)) more")
            }
        }
        return lines.joined(separator: "\n")
    }
}
