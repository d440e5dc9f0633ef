import Testing
@testable import CertificateChecker

// MARK: - The DRAT checker on small hand-made formulas and proofs
//
// F is every clause over variables 1, 2, 3 (unsatisfiable: each assignment falsifies one) plus
// (¬1 ∨ 4 ∨ 5), whose fresh variables keep the unit lemma (1) from being RAT on its own: the
// resolvent (1 ∨ 4 ∨ 5) does not follow by unit propagation. The proof P derives (1 ∨ 2), then
// (1), then (2), then the empty clause, each step by reverse unit propagation (RUP).

private let threeVariableClauses: [String] = {
    var clauses: [String] = []
    for mask in 0 ..< 8 {
        clauses.append((1 ... 3).map { v in mask >> (v - 1) & 1 == 0 ? "\(v)" : "-\(v)" }.joined(separator: " ") + " 0")
    }
    return clauses
}()

private let formulaF = "p cnf 5 9\n" + threeVariableClauses.joined(separator: "\n") + "\n-1 4 5 0\n"
private let proofP = "1 2 0\n1 0\n2 0\n0\n"

private func checkDRAT(_ formula: String, _ proof: String) -> Result<DRATStatistics, DRATError> {
    let f = Array(formula.utf8), p = Array(proof.utf8)
    return f.withUnsafeBufferPointer { cnf in
        p.withUnsafeBufferPointer { drat in Result { () throws(DRATError) in try DRAT.check(formula: cnf, proof: drat) } }
    }
}

@Suite("DRAT checker")
struct DRATTests {
    @Test("a valid RUP proof is accepted")
    func accepts() throws {
        let statistics = try checkDRAT(formulaF, proofP).get()
        #expect(statistics.lemmas == 4)
        #expect(statistics.ratLemmas == 0)
    }

    @Test("a proof with one lemma left out is rejected at the lemma that needed it")
    func leftOutLemma() {
        let failure = checkDRAT(formulaF, "1 0\n2 0\n0\n").failure
        #expect(failure?.kind == .invalid)
        #expect(failure?.line == 1)
    }

    @Test("a lemma deleted before it is used is no longer there")
    func deletedLemma() {
        let failure = checkDRAT(formulaF, "1 2 0\nd 1 2 0\n1 0\n2 0\n0\n").failure
        #expect(failure?.kind == .invalid)
        #expect(failure?.line == 3)
        // Deleting another clause that is not needed changes nothing.
        #expect(checkDRAT(formulaF, "1 2 0\nd -1 4 5 0\n1 0\n2 0\n0\n").value != nil)
    }

    @Test("a lemma that is neither RUP nor RAT is rejected, naming its line")
    func nonRUPLemma() {
        let failure = checkDRAT(formulaF, "1 2 0\n-4 0\n1 0\n2 0\n0\n").failure
        #expect(failure?.kind == .invalid)
        #expect(failure?.line == 2)
        #expect(failure?.description.contains("neither RUP nor RAT") == true)
    }

    @Test("a RAT lemma is accepted on its first literal (it keeps satisfiability), and only there")
    func ratLemma() throws {
        let wider = formulaF.replacingOccurrences(of: "p cnf 5 9", with: "p cnf 6 9")
        // (4 ∨ 6), 6 fresh: not RUP, but no clause holds ¬4, so it is RAT on its first literal 4.
        let statistics = try checkDRAT(wider, "4 6 0\n" + proofP).get()
        #expect(statistics.ratLemmas == 1)
        // (¬4 ∨ 6): not RUP, and on its first literal ¬4 the resolvent with (¬1 ∨ 4 ∨ 5),
        // (¬4 ∨ 6 ∨ ¬1 ∨ 5), is not RUP either; the checker does not try the pivot 6.
        #expect(checkDRAT(wider, "-4 6 0\n" + proofP).failure?.line == 1)
    }

    @Test("a proof of one formula does not refute another (satisfiable) one")
    func differentFormula() {
        // F without the clause (¬1 ∨ ¬2 ∨ ¬3) is satisfied by 1 = 2 = 3 = true.
        let weaker = "p cnf 5 8\n" + threeVariableClauses.dropLast().joined(separator: "\n") + "\n-1 4 5 0\n"
        let failure = checkDRAT(weaker, proofP).failure
        #expect(failure?.kind == .invalid)
        #expect(failure?.description.contains("empty clause") == true)
        // And a proof that stops before the empty clause proves nothing.
        #expect(checkDRAT(formulaF, "1 2 0\n1 0\n2 0\n").failure?.description.contains("ends without") == true)
    }

    @Test("malformed formulas and proofs are told apart from wrong ones")
    func malformed() {
        #expect(checkDRAT("p cnf 5 10\n" + threeVariableClauses.joined(separator: "\n") + "\n-1 4 5 0\n", proofP).failure?.kind == .malformedFormula)
        #expect(checkDRAT("1 2 0\n", proofP).failure?.kind == .malformedFormula)
        #expect(checkDRAT(formulaF, "1 2 0\n1 x 0\n").failure?.kind == .malformedProof)
        #expect(checkDRAT(formulaF, "1 2 0\n1").failure?.kind == .malformedProof)
        #expect(checkDRAT(formulaF, "1 2 0\n99999999999 0\n").failure?.kind == .malformedProof)
        #expect(checkDRAT(formulaF, "1 2 0\n-0 0\n").failure?.kind == .malformedProof)
    }
}
