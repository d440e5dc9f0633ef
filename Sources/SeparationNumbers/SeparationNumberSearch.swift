import DataSets
import ExactArithmetic
import SeparationGeometry
import TextFormats
import ThresholdNetworks

/// What a SAT solver said about a cover formula. Nothing it says is trusted: a model is
/// re-checked as a cover and its hyperplanes exactly on the data, and a refutation counts
/// only when memcert's own DRAT checker accepts the proof.
public enum SolverAnswer: Sendable {
    /// x_v for v = 1...variables (index v − 1).
    case satisfiable(model: [Bool])
    /// The DRAT proof (text) of unsatisfiability.
    case unsatisfiable(proof: [UInt8])
    /// No answer (a time limit, or the solver failed): why.
    case unknown(reason: String)
}

/// A geometric lower bound that may already meet the greedy cover (no SAT call needed).
public struct GeometricBound: Sendable {
    /// `circle`, `moment-curve` (docs/formats.md, section 5.2), or `labels`: at least one
    /// hyperplane when two labels occur, none otherwise.
    public var argument: String
    public var firstLayerNeurons: Int
    /// The bound's witness, with the keys of its lower-bound certificate entry (none for `labels`).
    public var witness: JSONValue

    public init(argument: String, firstLayerNeurons: Int, witness: JSONValue) {
        self.argument = argument
        self.firstLayerNeurons = firstLayerNeurons
        self.witness = witness
    }
}

/// Limits of the search.
public struct SearchLimits: Sendable {
    /// Cardinality encodings are built only for k <= maxK.
    public var maxK: Int
    /// Seconds per solver call, and for the whole search.
    public var secondsPerCall: Double
    public var totalSeconds: Double

    public init(maxK: Int = .max, secondsPerCall: Double = 60, totalSeconds: Double = 300) {
        self.maxK = maxK
        self.secondsPerCall = secondsPerCall
        self.totalSeconds = totalSeconds
    }
}

/// One solver call.
public struct SolverCall: Sendable {
    public var k: Int
    public var variables: Int
    public var clauses: Int
    /// "sat", "unsat" or "unknown".
    public var result: String
    public var seconds: Double
    public var proofBytes: Int?
}

/// The exact separation number of a labeled set, or the best bounds within the limits.
public struct SeparationNumberResult: Sendable {
    public enum Proof: Sendable {
        /// The formula at k = minimum − 1 is unsatisfiable: its DRAT proof, checked.
        case drat(formula: CoverFormula, proof: [UInt8])
        /// A geometric lower bound equals the witness's size.
        case bound(GeometricBound)
    }

    public var instance: SeparationInstance
    public var classCount: Int
    /// The greedy cover's size (the first upper bound).
    public var greedy: Int
    /// The least number of hyperplanes separating every differently labeled pair; nil when undecided.
    public var minimum: Int? { lowerBound == upperBound ? upperBound : nil }
    public var lowerBound: Int
    public var upperBound: Int
    /// Candidate indices of the best cover found (`upperBound` of them), and its hyperplanes, checked exactly.
    public var witness: [Int]
    public var layer: Layer
    public var proof: Proof?
    /// The proven lower bound's source when undecided: why the search stopped.
    public var undecided: String?
    public var calls: [SolverCall]
    public var seconds: Double
}

public enum SeparationNumberSearch {
    /// Finds the separation number: a greedy cover, then k = (cover size) − 1, − 2, ... by
    /// SAT, each model giving a smaller cover, until a formula is unsatisfiable (its proof
    /// checked by `checkProof`, which returns why it fails, or nil) or a geometric bound meets
    /// the cover. `solve` runs the solver with a time limit in seconds; `progress` hears a line
    /// before each solver call and each proof check (for long searches).
    ///
    /// - Throws: `InternalError` when the solver's model is no cover, a witness's hyperplanes do
    ///   not separate the data exactly, or the solver's proof fails the check.
    public static func run(data: DataSet, instance: SeparationInstance, bound: GeometricBound?, limits: SearchLimits,
                           solve: (CoverFormula, Double) throws -> SolverAnswer,
                           checkProof: (CoverFormula, [UInt8]) -> String?,
                           progress: (String) -> Void = { _ in }) throws -> SeparationNumberResult {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Double {
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let mixed = !instance.pairs.isEmpty
        let labelsBound = GeometricBound(argument: "labels", firstLayerNeurons: mixed ? 1 : 0, witness: .object([]))
        let best = bound.flatMap { $0.firstLayerNeurons > labelsBound.firstLayerNeurons ? $0 : nil } ?? labelsBound
        // k_hi: the greedy cover, its hyperplanes built and checked exactly before the search starts.
        var witness = instance.greedyCover()
        let greedy = witness.count
        _ = try checkedLayer(data: data, instance: instance, cuts: witness)
        var lower = best.firstLayerNeurons, upper = greedy
        var proof: SeparationNumberResult.Proof?
        var undecided: String?
        var calls: [SolverCall] = []
        guard lower <= upper else { throw InternalError("the \(best.argument) bound \(lower) exceeds a cover of \(upper) cuts") }

        var k = min(upper - 1, limits.maxK)
        while lower < upper {
            if k < upper - 1 && k < lower {  // --max-k below a proven bound: nothing more to try
                undecided = "--max-k \(limits.maxK) is below the lower bound \(lower)"
                break
            }
            let remaining = limits.totalSeconds - elapsed()
            if remaining <= 0 {
                undecided = "the total time limit (\(limits.totalSeconds) s) was reached"
                break
            }
            let formula = instance.coverFormula(k: k)
            progress("k = \(k): asking CaDiCaL (\(formula.clauses) clauses; cover of \(upper) found, at least \(lower) needed)")
            let callStart = elapsed()
            let answer = try solve(formula, min(limits.secondsPerCall, remaining))
            var call = SolverCall(k: k, variables: formula.variables, clauses: formula.clauses, result: "unknown",
                                  seconds: 0, proofBytes: nil)
            defer { calls.append(call) }
            switch answer {
            case .satisfiable(let model):
                call.seconds = elapsed() - callStart
                call.result = "sat"
                let cuts = instance.cuts(inModel: model)
                guard cuts.count <= k, instance.covers(cuts) else {
                    throw InternalError("the solver's model for k = \(k) is no cover of at most \(k) cuts")
                }
                witness = cuts
                upper = cuts.count
                k = min(upper - 1, limits.maxK)
            case .unsatisfiable(let bytes):
                call.seconds = elapsed() - callStart
                call.result = "unsat"
                call.proofBytes = bytes.count
                progress("k = \(k): unsatisfiable; checking the \(bytes.count)-byte DRAT proof")
                if let failure = checkProof(formula, bytes) {
                    throw InternalError("the solver's proof that no \(k) cuts suffice fails memcert's DRAT check: \(failure)")
                }
                lower = k + 1
                if lower == upper {
                    proof = .drat(formula: formula, proof: bytes)
                } else {
                    undecided = "--max-k \(limits.maxK) stops the search: at least \(lower) proven, a cover of \(upper) found"
                }
            case .unknown(let reason):
                call.seconds = elapsed() - callStart
                undecided = "the solver gave no answer for k = \(k): \(reason)"
            }
            if undecided != nil || proof != nil { break }
        }
        if lower == upper && proof == nil { proof = .bound(best.firstLayerNeurons == upper ? best : labelsBound) }

        let layer = try checkedLayer(data: data, instance: instance, cuts: witness)
        return SeparationNumberResult(instance: instance, classCount: data.classCount, greedy: greedy, lowerBound: lower,
                                      upperBound: upper, witness: witness, layer: layer, proof: proof, undecided: undecided,
                                      calls: calls, seconds: elapsed())
    }

    /// The hyperplanes of the candidate cuts `cuts`, exact, checked by `SeparationCheck` (the
    /// code behind `memcert separation`): every differently labeled pair gets different codes, no
    /// point lies on a hyperplane, and hyperplane t makes exactly cut `cuts[t]`.
    ///
    /// - Throws: `InternalError` when any of that fails (a bug: each hyperplane is built for its cut).
    static func checkedLayer(data: DataSet, instance: SeparationInstance, cuts: [Int]) throws -> Layer {
        let layer = instance.layer(cuts)
        guard !layer.neurons.isEmpty else {
            guard instance.pairs.isEmpty else { throw InternalError("no hyperplane, but two labels occur") }
            return layer
        }
        let check = SeparationCheck(data: data, layer: layer)
        guard check.validFirstLayer, check.codes.pointsOnHyperplanes == 0 else {
            throw InternalError("the hyperplanes of \(cuts.count) cuts leave a differently labeled pair together")
        }
        for (t, c) in cuts.enumerated() {
            let cut = instance.candidates[c]
            for i in 0 ..< data.count where (check.codes.bit(t, of: i) != check.codes.bit(t, of: 0)) != cut[i] {
                throw InternalError("hyperplane \(t) does not make the cut it was built for")
            }
        }
        return layer
    }
}
