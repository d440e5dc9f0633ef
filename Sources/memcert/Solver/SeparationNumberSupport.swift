import CertificateChecker
import DataSets
import SeparationGeometry
import SeparationNumbers
import TextFormats

// MARK: - The separation number as the commands compute it

enum SeparationNumberSupport {
    /// The most points `separation-number` takes in each dimension: the candidate cuts grow like
    /// n^d and their dominance check like n^(2d), and the formulas with them.
    static let maximumPoints = [1: 100_000, 2: 150, 3: 40]
    /// The smaller sizes `lower-bound` and `compare` decide on their own, with their time limit.
    static let embeddedMaximumPoints = [1: 100_000, 2: 40, 3: 16]
    static let embeddedLimits = SearchLimits(maxK: .max, secondsPerCall: 20, totalSeconds: 30)

    /// Why the separation number is not computed for `data` under `caps`, or nil.
    static func notApplicable(_ data: DataSet, caps: [Int: Int]) -> String? {
        guard let cap = caps[data.dimension] else {
            return "derived only for d = 1, 2, 3 (the cuts of hyperplanes are listed exactly there); the data has d = \(data.dimension)"
        }
        if data.count > cap { return "derived here for at most \(cap) points in d = \(data.dimension); the data has \(data.count) (use memcert separation-number with larger limits)" }
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
            })
    }
}
