import CertificateChecker
import DataSets
import SeparationGeometry
import SeparationNumbers
import TextFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - The separation number as the commands compute it

enum SeparationNumberSupport {
    /// The most points `separation-number` takes in each dimension: the candidate cuts grow like
    /// n^d and their dominance check like n^(2d), and the formulas with them.
    /// (d = 1: the pairs, up to n²/2, times the n + 1 cuts, as bit sets.)
    static let maximumPoints = [1: 400, 2: 150, 3: 40]
    /// The smaller sizes `lower-bound` and `compare` decide on their own, with their time limit.
    static let embeddedMaximumPoints = [1: 400, 2: 40, 3: 16]
    static let embeddedLimits = SearchLimits(maxK: .max, secondsPerCall: 20, totalSeconds: 30)

    /// Why the separation number is not computed for `data` under `caps`, or nil.
    static func notApplicable(_ data: DataSet, caps: [Int: Int]) -> String? {
        guard let cap = caps[data.dimension] else {
            return "derived only for d = 1, 2, 3 (the cuts of hyperplanes are listed exactly there); the data has d = \(data.dimension)"
        }
        guard data.count <= cap else {
            let more = maximumPoints[data.dimension].flatMap { $0 > cap ? " (memcert separation-number takes up to \($0))" : nil } ?? ""
            return "derived here for at most \(cap) points in d = \(data.dimension); the data has \(data.count)\(more)"
        }
        return nil
    }

    /// The strongest curve bound of `report` (circle or moment curve), for the search to stop early.
    static func geometricBound(_ report: LowerBoundReport) -> GeometricBound? {
        report.bounds.filter { ($0.argument == "circle" || $0.argument == "moment-curve") && $0.firstLayerNeurons != nil }
            .max { $0.firstLayerNeurons! < $1.firstLayerNeurons! }
            .map { GeometricBound(argument: $0.argument, firstLayerNeurons: $0.firstLayerNeurons!, witness: $0.witness) }
    }

    /// The separation number of `data` (its curve bounds from `report`), solved by CaDiCaL and
    /// proofs checked by memcert's DRAT checker.
    static func compute(_ data: DataSet, report: LowerBoundReport, limits: SearchLimits) throws -> SeparationNumberResult {
        let instance = SeparationInstance(data: data)
        let needsSolver = instance.pairs.count > 0
        if needsSolver { try CaDiCaL.check() }
        return try SeparationNumberSearch.run(
            data: data, instance: instance, bound: geometricBound(report), limits: limits,
            solve: { formula, seconds in try CaDiCaL.solve(formula, seconds: seconds) },
            checkProof: { formula, proof -> String? in
                formula.bytes.withUnsafeBufferPointer { cnf -> String? in
                    proof.withUnsafeBufferPointer { drat -> String? in
                        do {
                            _ = try DRAT.check(formula: cnf, proof: drat)
                            return nil
                        } catch let error as DRATError {
                            return error.description
                        } catch {
                            return "\(error)"
                        }
                    }
                }
            },
            progress: { line in if isatty(2) != 0 { printError("separation-number: " + line) } })
    }

    // MARK: - Inside lower-bound and compare

    /// The separation number as `lower-bound` and `compare` report it: computed when the data is
    /// small enough (`embeddedMaximumPoints`, `embeddedLimits`), else the reason it is not.
    enum Embedded {
        case computed(SeparationNumberResult)
        case notComputed(reason: String)

        /// The proven minimum, or nil.
        var minimum: Int? {
            if case .computed(let r) = self { return r.minimum }
            return nil
        }
    }

    /// Never throws for a missing solver or an undecided search: those become the reason.
    static func embedded(_ data: DataSet, report: LowerBoundReport) throws -> Embedded {
        if let reason = notApplicable(data, caps: embeddedMaximumPoints) { return .notComputed(reason: reason) }
        do {
            return .computed(try compute(data, report: report, limits: embeddedLimits))
        } catch let error as RequestError {  // no solver
            return .notComputed(reason: error.description)
        }
    }

    /// One line for the human reports, `exact     ...`.
    static func line(_ e: Embedded) -> String {
        let label = "exact".padded(to: 10)
        switch e {
        case .computed(let r):
            if let minimum = r.minimum {
                let how = r.provenBy == "drat" ? "no \(minimum - 1) suffice by a DRAT proof checked by memcert"
                    : "the \(r.boundJSON.flatMap(argument) ?? "labels") bound meets an exact witness"
                return label + "first layer >= \(minimum), and \(minimum) hyperplanes suffice: the separation number "
                    + "(\(how); memcert separation-number certifies it)"
            }
            return label + "separation number between \(r.lowerBound) and \(r.upperBound), undecided within 30 s (\(r.undecided ?? ""))"
        case .notComputed(let reason):
            return label + "separation number not computed: \(reason)"
        }
    }

    private static func argument(_ bound: JSONValue) -> String? {
        guard case .object(let members) = bound, let a = members.first(where: { $0.key == "argument" }),
              case .string(let s) = a.value else { return nil }
        return s
    }

    /// `{"computed", "minimum", "lowerBound", "upperBound", "provenBy", "candidates", "seconds", "reason"}`.
    static func json(_ e: Embedded) -> JSONValue {
        var o = JSONObjectBuilder()
        switch e {
        case .computed(let r):
            o.add("computed", .bool(true))
            o.add("minimum", r.minimum.map { .integer($0) } ?? .null)
            o.add("lowerBound", .integer(r.lowerBound))
            o.add("upperBound", .integer(r.upperBound))
            o.add("provenBy", r.provenBy.map { .string($0) } ?? .null)
            o.add("candidates", .integer(r.instance.candidates.count))
            o.add("seconds", .number(r.seconds.roundedText(digits: 3)))
            o.add("reason", r.undecided.map { .string($0) } ?? .null)
        case .notComputed(let reason):
            o.add("computed", .bool(false))
            for key in ["minimum", "lowerBound", "upperBound", "provenBy", "candidates", "seconds"] { o.add(key, .null) }
            o.add("reason", .string(reason))
        }
        return o.value
    }
}

extension JSONValue {
    /// This object with one more member at the end (a non-object is returned unchanged).
    func adding(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members.append(Member(key, value))
        return .object(members)
    }
}
