// MARK: - "k cuts separate every pair" as CNF, in DIMACS, byte for byte
//
// Variables x_1..x_m are the kept candidates in order (x_c true: cut c is used). One clause
// per differently labeled pair, in pair order: the OR of x_c over the kept cuts c separating
// it, in increasing c. Then Σ x_c <= k by Sinz's sequential counter (C. Sinz, "Towards an
// optimal CNF encoding of Boolean cardinality constraints", CP 2005, LT_seq), with counter
// variables s_(i,j) = m + (i − 1)k + j for 1 <= i <= m − 1, 1 <= j <= k (s_(i,j): at least
// j of x_1..x_i are true), and its clauses in this order:
//
//   (¬x_1 ∨ s_(1,1));  (¬s_(1,j)) for j = 2..k;
//   for i = 2..m−1: (¬x_i ∨ s_(i,1)), (¬s_(i−1,1) ∨ s_(i,1)),
//       for j = 2..k: (¬x_i ∨ ¬s_(i−1,j−1) ∨ s_(i,j)), (¬s_(i−1,j) ∨ s_(i,j));
//     then (¬x_i ∨ ¬s_(i−1,k));
//   (¬x_m ∨ ¬s_(m−1,k)).
//
// That is (m − 1)k counter variables and 2mk + m − 3k − 1 clauses (Sinz, section 3). For
// k = 0 the constraint is the m unit clauses (¬x_c); for k >= m it is empty. Why this
// encoding: unit propagation on it is arc-consistent (a (k+1)-th true x_c is refuted at
// once), it is linear in m·k, and it is short enough to re-derive independently (the
// checker does); a totalizer (Bailleux and Boufkhad, CP 2003) is also arc-consistent but
// builds a tree of unary adders that is longer to specify exactly.
//
// The text is canonical: a header line `p cnf V C`, then one clause per line, literals
// separated by one space and ended by ` 0`, each line ended by LF; no comments.

/// A cover formula: its DIMACS bytes and sizes.
public struct CoverFormula: Sendable {
    public let k: Int
    public let variables: Int
    public let clauses: Int
    public let bytes: [UInt8]
}

extension SeparationInstance {
    /// The formula "at most k kept cuts separate every pair".
    public func coverFormula(k: Int) -> CoverFormula {
        precondition(k >= 0, "k is a count")
        let m = kept.count
        var clauses: [[Int]] = []
        clauses.reserveCapacity(pairs.count + 2 * m * max(k, 1) + m)
        for p in 0 ..< pairs.count {
            var clause: [Int] = []
            for (v, c) in kept.enumerated() where separated[c][p] { clause.append(v + 1) }
            clauses.append(clause)
        }
        var variables = m
        if k == 0 {
            for v in stride(from: 1, through: m, by: 1) { clauses.append([-v]) }
        } else if k < m {
            func s(_ i: Int, _ j: Int) -> Int { m + (i - 1) * k + j }
            variables = m + (m - 1) * k
            clauses.append([-1, s(1, 1)])
            for j in stride(from: 2, through: k, by: 1) { clauses.append([-s(1, j)]) }
            for i in stride(from: 2, through: m - 1, by: 1) {
                clauses.append([-i, s(i, 1)])
                clauses.append([-s(i - 1, 1), s(i, 1)])
                for j in stride(from: 2, through: k, by: 1) {
                    clauses.append([-i, -s(i - 1, j - 1), s(i, j)])
                    clauses.append([-s(i - 1, j), s(i, j)])
                }
                clauses.append([-i, -s(i - 1, k)])
            }
            clauses.append([-m, -s(m - 1, k)])
        }
        var bytes = Array("p cnf \(variables) \(clauses.count)\n".utf8)
        for clause in clauses {
            for literal in clause {
                appendDecimal(literal, to: &bytes)
                bytes.append(0x20)
            }
            bytes.append(0x30)  // "0"
            bytes.append(0x0A)
        }
        return CoverFormula(k: k, variables: variables, clauses: clauses.count, bytes: bytes)
    }

    /// The kept cuts whose variables are true in a model (`true` at index v − 1 for x_v).
    public func cuts(inModel model: [Bool]) -> [Int] {
        kept.enumerated().filter { $0.offset < model.count && model[$0.offset] }.map(\.element)
    }
}

/// Appends the decimal text of `value` (with a leading `-` when negative).
func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
    if value < 0 { bytes.append(0x2D) }
    var digits: [UInt8] = []
    var rest = value.magnitude
    repeat {
        digits.append(UInt8(0x30 + rest % 10))
        rest /= 10
    } while rest > 0
    bytes.append(contentsOf: digits.reversed())
}
