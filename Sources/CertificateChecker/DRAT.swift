// MARK: - DRAT proofs of unsatisfiability, checked forward
//
// A DRAT proof (Wetzler, Heule and Hunt, "DRAT-trim: Efficient checking and trimming using
// expressive clausal proofs", SAT 2014) is a list of clause additions ("lemmas") and deletions
// ("d" lines) that must end in the empty clause. This checker reads the formula (DIMACS) and
// the proof (text DRAT), and checks every lemma in order against the clauses present at that
// point:
//
// - RUP: assert the negation of every literal of the lemma and unit-propagate; a conflict
//   means the lemma follows from the clauses by resolution (reverse unit propagation).
// - otherwise RAT on the lemma's first literal p (its pivot): for every present clause D
//   containing ¬p, the resolvent lemma ∪ (D \ {¬p}) must be RUP (or a tautology). Adding a
//   RAT clause keeps a satisfiable set satisfiable (Järvisalo, Heule and Biere, IJCAR 2012).
//
// The proof refutes the formula when its empty clause is reached and is RUP (propagation of
// the present clauses alone conflicts). Soundness: each RUP lemma is implied by the present
// clauses, each RAT lemma preserves their satisfiability, and deleting a clause preserves it
// too; so a satisfiable formula could never reach the empty clause.
//
// Deletions are honoured, with two exceptions that only ever keep *more* clauses (so the
// argument above still holds, now for a superset of the proof's clauses): the deletion of a
// clause that is currently unit (the reason of a top-level assignment, unit clauses included)
// is ignored, as drat-trim does by default, because undoing top-level propagation would be
// needed otherwise; and the deletion of a clause that is not present is ignored. Both are counted.
//
// Propagation uses two watched literals per clause of length >= 2 (Moskewicz et al., "Chaff",
// DAC 2001); unit clauses are assigned at the top level and never watched. Top-level
// assignments persist between checks; a check's own assignments are undone after it.
//
// Limits (checked before any allocation they govern): the proof file at most 1 GiB, the
// formula's variables at most 2^24, and variables in the proof at most the formula's plus
// 2^16 (extension variables). Text DRAT only: tokens separated by blanks (space, tab, CR, LF),
// each clause ended by `0`, a deletion starting with the token `d`; no comments.

/// Why a proof does not refute a formula, with the proof's line (1-based) when it concerns one.
public struct DRATError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case malformedFormula, malformedProof, invalid }
    public let kind: Kind
    public let line: Int?
    public let message: String
    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}

/// What a successful check saw.
public struct DRATStatistics: Sendable {
    public var lemmas = 0
    public var ratLemmas = 0
    public var deletions = 0
    public var ignoredUnitDeletions = 0
    public var ignoredMissingDeletions = 0
}

public enum DRAT {
    public static let maximumProofBytes = 1 << 30
    public static let maximumFormulaVariables = 1 << 24
    public static let maximumExtensionVariables = 1 << 16

    /// Checks that `proof` refutes `formula`; throws why not.
    public static func check(formula: UnsafeBufferPointer<UInt8>, proof: UnsafeBufferPointer<UInt8>) throws(DRATError) -> DRATStatistics {
        guard proof.count <= maximumProofBytes else {
            throw DRATError(kind: .malformedProof, line: nil, message: "the proof has \(proof.count) bytes, more than the limit of 1 GiB")
        }
        let (variables, clauses) = try readFormula(formula)
        let steps = try readProof(proof, variableLimit: variables + maximumExtensionVariables)
        var checker = Checker(variables: max(variables, steps.largestVariable))
        for clause in clauses { checker.add(clause) }
        var statistics = DRATStatistics()
        for step in steps.items {
            let literals = Array(steps.literals[step.start ..< step.end])
            if step.deletion {
                statistics.deletions += 1
                switch checker.delete(literals) {
                case .deleted: break
                case .unit: statistics.ignoredUnitDeletions += 1
                case .missing: statistics.ignoredMissingDeletions += 1
                }
                continue
            }
            statistics.lemmas += 1
            if literals.isEmpty {
                guard checker.refuted else {
                    throw DRATError(kind: .invalid, line: step.line, message: "the empty clause does not follow by unit propagation")
                }
                return statistics
            }
            if !checker.implies(literals) {
                guard checker.hasResolutionAsymmetricTautology(literals) else {
                    throw DRATError(kind: .invalid, line: step.line, message: "the lemma is neither RUP nor RAT on its first literal \(literals[0])")
                }
                statistics.ratLemmas += 1
            }
            checker.add(literals)
        }
        throw DRATError(kind: .invalid, line: nil, message: "the proof ends without deriving the empty clause")
    }

    /// Throws when `proof` is no text DRAT at all (too large, a token that is no literal, an
    /// unfinished clause), before any check: a malformed file rather than a wrong proof.
    public static func validateSyntax(_ proof: UnsafeBufferPointer<UInt8>) throws(DRATError) {
        guard proof.count <= maximumProofBytes else {
            throw DRATError(kind: .malformedProof, line: nil, message: "the proof has \(proof.count) bytes, more than the limit of 1 GiB")
        }
        _ = try readProof(proof, variableLimit: maximumFormulaVariables + maximumExtensionVariables)
    }

    // MARK: Reading

    /// Whitespace-separated tokens with their lines.
    struct Tokens {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0, line = 1
        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }

        /// The next token's bytes and line, or nil at the end.
        mutating func next() -> (Range<Int>, Int)? {
            while offset < bytes.count, Tokens.isBlank(bytes[offset]) {
                if bytes[offset] == 0x0A { line += 1 }
                offset += 1
            }
            guard offset < bytes.count else { return nil }
            let start = offset
            while offset < bytes.count, !Tokens.isBlank(bytes[offset]) { offset += 1 }
            return (start ..< offset, line)
        }

        /// The token as an integer in [−limit, limit] (an optional '-', then 1 to 10 digits), or nil.
        func integer(_ range: Range<Int>, limit: Int) -> Int? {
            var i = range.lowerBound
            let negative = bytes[i] == 0x2D
            if negative { i += 1 }
            guard i < range.upperBound, range.upperBound - i <= 10 else { return nil }
            var value = 0
            while i < range.upperBound {
                let digit = Int(bytes[i]) - 0x30
                guard digit >= 0 && digit <= 9 else { return nil }
                value = value * 10 + digit
                i += 1
            }
            guard value <= limit, !(negative && value == 0) else { return nil }
            return negative ? -value : value
        }

        func text(_ range: Range<Int>) -> String { excerpt(bytes[range]) }
    }

    /// DIMACS: `p cnf V C` (after optional `c` comment lines), then C clauses ended by 0.
    static func readFormula(_ bytes: UnsafeBufferPointer<UInt8>) throws(DRATError) -> (Int, [[Int]]) {
        func fail(_ message: String, _ line: Int?) -> DRATError { DRATError(kind: .malformedFormula, line: line, message: message) }
        var tokens = Tokens(bytes)
        var header: [Int] = []
        while let (range, line) = tokens.next() {
            if bytes[range.lowerBound] == 0x63 {  // a comment: skip to the end of the line
                while tokens.offset < bytes.count && bytes[tokens.offset] != 0x0A { tokens.offset += 1 }
                continue
            }
            guard tokens.text(range) == "p", let (cnf, _) = tokens.next(), tokens.text(cnf) == "cnf" else { throw fail("expected the header p cnf V C", line) }
            for _ in 0 ..< 2 {
                guard let (r, _) = tokens.next(), let value = tokens.integer(r, limit: maximumFormulaVariables * 64), value >= 0 else {
                    throw fail("the header needs two counts (at most 2^24 variables)", line)
                }
                header.append(value)
            }
            break
        }
        guard header.count == 2, header[0] <= maximumFormulaVariables else { throw fail("no header p cnf V C (V at most 2^24)", nil) }
        var clauses: [[Int]] = [], clause: [Int] = []
        while let (range, line) = tokens.next() {
            guard let literal = tokens.integer(range, limit: header[0]) else {
                throw fail("'\(tokens.text(range))' is no literal of the \(header[0]) variables", line)
            }
            if literal == 0 {
                clauses.append(clause)
                clause = []
            } else {
                clause.append(literal)
            }
        }
        guard clause.isEmpty else { throw fail("the last clause is not ended by 0", nil) }
        guard clauses.count == header[1] else { throw fail("the header announces \(header[1]) clauses, the formula has \(clauses.count)", nil) }
        return (header[0], clauses)
    }

    struct Step {
        var deletion: Bool
        var start: Int, end: Int
        var line: Int
    }

    /// Text DRAT: lemmas and `d` deletions, each ended by 0.
    static func readProof(_ bytes: UnsafeBufferPointer<UInt8>, variableLimit: Int) throws(DRATError)
        -> (items: [Step], literals: [Int], largestVariable: Int) {
        var tokens = Tokens(bytes)
        var items: [Step] = [], literals: [Int] = []
        var step: Step?  // the clause being read
        var largest = 0
        while let (range, line) = tokens.next() {
            var current = step ?? Step(deletion: false, start: literals.count, end: literals.count, line: line)
            if range.count == 1 && bytes[range.lowerBound] == 0x64 && step == nil {  // "d" opens a deletion
                current.deletion = true
                step = current
                continue
            }
            guard let literal = tokens.integer(range, limit: variableLimit) else {
                throw DRATError(kind: .malformedProof, line: line,
                                message: "'\(tokens.text(range))' is no literal (at most \(variableLimit) variables: the formula's plus 2^16)")
            }
            if literal == 0 {
                current.end = literals.count
                items.append(current)
                step = nil
            } else {
                literals.append(literal)
                largest = max(largest, abs(literal))
                step = current
            }
        }
        if let step { throw DRATError(kind: .malformedProof, line: step.line, message: "the last clause is not ended by 0 (a truncated proof?)") }
        return (items, literals, largest)
    }

    // MARK: The clause database and unit propagation

    struct Checker {
        /// Literal codes: 2v for v, 2v + 1 for ¬v; negation flips bit 0.
        static func code(_ literal: Int) -> Int { literal > 0 ? 2 * literal : 2 * -literal + 1 }

        var arena: [Int32] = []          // the literals (codes) of every clause
        var start: [Int] = [], length: [Int] = []
        var alive: [Bool] = []
        var watches: [[Int32]]            // per literal code: clauses watching it
        var value: [Int8]                 // per literal code: 1 true, −1 false, 0 unassigned
        var reason: [Int32]               // per variable: the clause that forced it at the top level, or −1
        var trail: [Int] = []
        var head = 0                      // the trail's first literal not yet propagated
        var refuted = false               // top-level propagation has reached a conflict
        var byContent: [UInt64: [Int32]] = [:]  // clauses by a hash of their literal set, for deletions
        var mark: [Bool]

        init(variables: Int) {
            watches = [[Int32]](repeating: [], count: 2 * variables + 2)
            value = [Int8](repeating: 0, count: 2 * variables + 2)
            reason = [Int32](repeating: -1, count: variables + 1)
            mark = [Bool](repeating: false, count: 2 * variables + 2)
        }

        /// The clause's codes without repeats, or nil for a tautology.
        mutating func normalized(_ literals: [Int]) -> [Int]? {
            var result: [Int] = []
            var tautology = false
            for l in literals {
                let c = Checker.code(l)
                if mark[c ^ 1] { tautology = true }
                if !mark[c] {
                    mark[c] = true
                    result.append(c)
                }
            }
            for c in result { mark[c] = false }
            return tautology ? nil : result
        }

        static func hash(_ codes: some Sequence<Int>) -> UInt64 {
            var sum: UInt64 = 0, xor: UInt64 = 0
            for c in codes {
                var x = UInt64(c) &* 0x9E37_79B9_7F4A_7C15  // order-independent: a sum and a xor of mixed codes
                x ^= x >> 29
                sum &+= x
                xor ^= x &* 0xBF58_476D_1CE4_E5B9
            }
            return sum ^ (xor << 1 | xor >> 63)
        }

        mutating func assign(_ literal: Int, reason clause: Int32) {
            value[literal] = 1
            value[literal ^ 1] = -1
            reason[literal >> 1] = clause
            trail.append(literal)
        }

        /// Adds a clause (tautologies are left out) and propagates at the top level.
        mutating func add(_ literals: [Int]) {
            guard var codes = normalized(literals) else { return }
            let id = Int32(start.count)
            // Non-false literals first, so the watches are two of them when there are two.
            codes.sort { value[$0] >= 0 && value[$1] < 0 }
            start.append(arena.count)
            length.append(codes.count)
            alive.append(true)
            arena.append(contentsOf: codes.map { Int32($0) })
            byContent[Checker.hash(codes), default: []].append(id)
            guard !refuted else { return }
            if codes.isEmpty || value[codes[0]] < 0 {
                refuted = true  // every literal false at the top level
                return
            }
            if codes.count >= 2 {
                watches[codes[0]].append(id)
                watches[codes[1]].append(id)
            }
            if (codes.count == 1 || value[codes[1]] < 0) && value[codes[0]] == 0 {
                assign(codes[0], reason: id)
                if propagate() { refuted = true }
            }
        }

        enum Deletion { case deleted, unit, missing }

        mutating func delete(_ literals: [Int]) -> Deletion {
            guard let codes = normalized(literals) else { return .missing }
            let key = Checker.hash(codes)
            for c in codes { mark[c] = true }
            defer { for c in codes { mark[c] = false } }
            guard let index = byContent[key]?.firstIndex(where: { id in
                length[Int(id)] == codes.count && (0 ..< codes.count).allSatisfy { mark[Int(arena[start[Int(id)] + $0])] }
            }) else { return .missing }
            let id = byContent[key]![index]
            let first = start[Int(id)]
            for k in 0 ..< codes.count where reason[Int(arena[first + k]) >> 1] == id && value[Int(arena[first + k])] > 0 {
                return .unit
            }
            if codes.count == 1 { return .unit }
            byContent[key]!.remove(at: index)
            alive[Int(id)] = false  // its watches are dropped lazily
            return .deleted
        }

        /// Propagates the trail from `head`; true on a conflict.
        ///
        /// The two-watched-literal scheme: the literal `falsified` just became false; each clause
        /// watching it keeps it as its second watch when its first watch is true, else moves the
        /// watch to a literal that is not false, else is unit (its first watch is assigned) or in
        /// conflict (its first watch is false too). A clause whose watch moved leaves this list.
        ///
        /// The hot loop of the checker, so it runs on the arrays moved out of `self` into locals,
        /// through unsafe buffers (no copy-on-write check per access; every index is a literal
        /// code below `2 · variables + 2` or a position inside a clause's own range of `arena`).
        mutating func propagate() -> Bool {
            var arena: [Int32] = [], value: [Int8] = [], reason: [Int32] = [], trail: [Int] = [], watches: [[Int32]] = []
            swap(&arena, &self.arena)
            swap(&value, &self.value)
            swap(&reason, &self.reason)
            swap(&trail, &self.trail)
            swap(&watches, &self.watches)
            var head = self.head
            defer {
                swap(&arena, &self.arena)
                swap(&value, &self.value)
                swap(&reason, &self.reason)
                swap(&trail, &self.trail)
                swap(&watches, &self.watches)
                self.head = head
            }
            let start = self.start, length = self.length, alive = self.alive
            var conflict = false
            arena.withUnsafeMutableBufferPointer { a in
                value.withUnsafeMutableBufferPointer { v in
                    reason.withUnsafeMutableBufferPointer { r in
                        while head < trail.count && !conflict {
                            let falsified = trail[head] ^ 1
                            head += 1
                            var list: [Int32] = []
                            swap(&list, &watches[falsified])
                            var kept = 0
                            list.withUnsafeMutableBufferPointer { l in
                                for i in 0 ..< l.count {
                                    let id = Int(l[i])
                                    guard alive[id] else { continue }  // deleted: its watch is dropped here
                                    let first = start[id], count = length[id]
                                    if Int(a[first]) == falsified { a.swapAt(first, first + 1) }  // the falsified watch goes second
                                    let other = Int(a[first])
                                    if conflict || v[other] > 0 {
                                        l[kept] = Int32(id)
                                        kept += 1
                                        continue
                                    }
                                    var k = 2
                                    while k < count && v[Int(a[first + k])] < 0 { k += 1 }
                                    if k < count {
                                        a.swapAt(first + 1, first + k)
                                        watches[Int(a[first + 1])].append(Int32(id))
                                        continue
                                    }
                                    l[kept] = Int32(id)
                                    kept += 1
                                    if v[other] < 0 {
                                        conflict = true
                                    } else {  // unit: assign the first watch
                                        v[other] = 1
                                        v[other ^ 1] = -1
                                        r[other >> 1] = Int32(id)
                                        trail.append(other)
                                    }
                                }
                            }
                            list.removeSubrange(kept...)
                            swap(&list, &watches[falsified])
                        }
                    }
                }
            }
            return conflict
        }

        /// Undoes every assignment after the first `size` of the trail.
        /// (Each variable is on the trail at most once, so the order of undoing does not matter;
        /// the arrays are moved out of `self` for the loop, as in `propagate`.)
        mutating func backtrack(to size: Int) {
            guard trail.count > size else {
                head = size
                return
            }
            var value: [Int8] = [], reason: [Int32] = []
            swap(&value, &self.value)
            swap(&reason, &self.reason)
            value.withUnsafeMutableBufferPointer { v in
                reason.withUnsafeMutableBufferPointer { r in
                    for literal in trail[size...] {
                        v[literal] = 0
                        v[literal ^ 1] = 0
                        r[literal >> 1] = -1
                    }
                }
            }
            swap(&value, &self.value)
            swap(&reason, &self.reason)
            trail.removeSubrange(size...)
            head = size
        }

        /// RUP: asserting the negation of every literal and propagating conflicts.
        mutating func implies(_ literals: [Int]) -> Bool {
            if refuted { return true }
            let size = trail.count
            defer { backtrack(to: size) }
            for l in literals {
                let c = Checker.code(l)
                if value[c] > 0 { return true }  // the lemma's negation contradicts the top level
                if value[c] == 0 { assign(c ^ 1, reason: -1) }
            }
            return propagate()
        }

        /// RAT on the first literal: every resolvent with a present clause containing its negation is RUP.
        mutating func hasResolutionAsymmetricTautology(_ literals: [Int]) -> Bool {
            let pivot = Checker.code(literals[0])
            for id in 0 ..< start.count where alive[id] {
                let clause = (0 ..< length[id]).map { Int(arena[start[id] + $0]) }
                guard clause.contains(pivot ^ 1) else { continue }
                let resolvent = literals + clause.filter { $0 != pivot ^ 1 }.map { $0 & 1 == 0 ? $0 >> 1 : -($0 >> 1) }
                guard normalized(resolvent) != nil else { continue }  // a tautology
                if !implies(resolvent) { return false }
            }
            return true
        }
    }
}
