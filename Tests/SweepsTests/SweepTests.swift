import Constructions
import DataSets
import ExactArithmetic
import Foundation
import Plots
import Testing
@testable import Sweeps

@Suite("Sweeps")
struct SweepTests {
    @Test("the log-log fit recovers exact power laws and matches a direct computation")
    func fit() throws {
        let exact = try #require(LogLogFit([(10, 3 * 10.0.squareRoot()), (100, 30), (1000, 3 * 1000.0.squareRoot())]))
        #expect(abs(exact.slope - 0.5) < 1e-12 && abs(exact.intercept - log(3)) < 1e-12)
        let points: [(x: Double, y: Double)] = [(1000, 220), (1000, 260), (4000, 500), (16_000, 990), (64_000, 2100)]
        let fit = try #require(LogLogFit(points))
        // Direct: slope = (m Σuv - Σu Σv) / (m Σu² - (Σu)²).
        let u = points.map { log($0.x) }, v = points.map { log($0.y) }, m = Double(points.count)
        let suv = zip(u, v).map(*).reduce(0, +), su = u.reduce(0, +), sv = v.reduce(0, +), suu = u.map { $0 * $0 }.reduce(0, +)
        #expect(abs(fit.slope - (m * suv - su * sv) / (m * suu - su * su)) < 1e-9)
        #expect(fit.points == 5 && fit.distinctX == 4)
        #expect(LogLogFit([(10, 1), (10, 2)]) == nil)
        #expect(LogLogFit([(10, 1)]) == nil)
        #expect(LogLogFit([(10, 1), (100, 0)]) == nil)
        #expect(LogLogFit([(0, 1), (100, 2)]) == nil)
    }

    @Test("δ prints as a decimal when it terminates, else exactly as p/q")
    func deltaText() throws {
        #expect(SweepPlan.text(try Rational(parsing: "1/20")) == "0.05")
        #expect(SweepPlan.text(try Rational(parsing: "0.125")) == "0.125")
        #expect(SweepPlan.text(Rational(2)) == "2")
        #expect(SweepPlan.text(try Rational(parsing: "1/3")) == "1/3")
    }

    @Test("plans are checked before any work: lists, sizes, the generator's refusals and the estimate")
    func planChecks() throws {
        func plan(_ sizes: [Int], d: Int = 8, deltas: [String] = ["0.2"], methods: [ConstructionMethod] = ConstructionMethod.allCases,
                  seeds: [UInt64] = [1], minutes: Int = 120) throws -> SweepPlan {
            SweepPlan(sizes: sizes, dimension: d, deltas: try deltas.map { try Rational(parsing: $0) }, methods: methods, seeds: seeds,
                      maximumMinutes: minutes)
        }
        func refusal(_ p: SweepPlan) -> String? {
            do { _ = try p.check(); return nil } catch { return error.message }
        }
        #expect(refusal(try plan([64, 128])) == nil)
        #expect(refusal(try plan([64, 64]))?.contains("twice") == true)
        #expect(refusal(try plan([1]))?.contains("between 2") == true)
        #expect(refusal(try plan([64], d: 1))?.contains("--dim") == true)
        #expect(refusal(try plan([64], deltas: ["3"]))?.contains("(0, 2]") == true)
        #expect(refusal(try plan([64], deltas: ["1/100000"]))?.contains("1/10000") == true)
        // Huge or long exact values: refused in a message of bounded length.
        for long in ["1e-5000", "1e5000", "0." + String(repeating: "3", count: 3000), "3/10" + String(repeating: "0", count: 39) + "1"] {
            let message = try #require(refusal(try plan([64], deltas: [long])), "\(long.prefix(20))")
            #expect(message.utf8.count < 200, "\(message)")
        }
        #expect(refusal(try plan([64], deltas: ["0." + String(repeating: "3", count: 50)]))?.contains("at most 40 characters") == true)
        #expect(refusal(try plan([5_000_000], d: 64))?.contains("coordinates") == true)
        // The generator's cap-packing refusal, named with the case.
        let packing = refusal(try plan([1000], d: 2, deltas: ["0.5"]))
        #expect(packing?.contains("n = 1000, δ = 0.5") == true && packing?.contains("infeasible") == true)
        // The estimate: indicator is quadratic in n.
        let long = refusal(try plan([1_000_000], d: 32, deltas: ["0.1"], methods: [.indicator], minutes: 60))
        #expect(long?.contains("--max-minutes 60") == true && long?.contains("indicator at n = 1000000") == true)
        #expect(refusal(try plan([1_000_000], d: 32, deltas: ["0.1"], methods: [.rajput2021], minutes: 60)) == nil)
        // Sorted: sizes increasing, δ decreasing; cases δ-major.
        let sorted = try plan([256, 64], deltas: ["0.1", "0.4"], seeds: [2, 1])
        #expect(sorted.sizes == [64, 256] && sorted.deltas.map(SweepPlan.text) == ["0.4", "0.1"])
        #expect(sorted.cases.map { "\($0.n)/\(SweepPlan.text($0.delta))/\($0.seed)" }
            == ["64/0.4/2", "64/0.4/1", "256/0.4/2", "256/0.4/1", "64/0.1/2", "64/0.1/1", "256/0.1/2", "256/0.1/1"])
    }

    @Test("the circle bound: the most alternating points at distance δ, checked exactly, need half as many neurons",
          arguments: ["0.05", "0.1", "0.2", "0.3", "1", "2"])
    func circle(deltaText: String) throws {
        let delta = try Rational(parsing: deltaText)
        let c = try #require(CircleBound(delta: delta))
        let approx = delta.approximation!
        #expect(c.points % 2 == 0 && c.points >= 2)
        #expect(c.firstLayerNeurons == c.points / 2)
        #expect(Double(c.points) <= Double.pi / asin(approx / 2) + 1e-9)  // no more fit on the circle
        #expect(Double(c.points) >= Double.pi / asin(min(1, approx / 2)) - 4)
        let measured = try Rational(parsing: c.measuredDelta)
        #expect(measured * measured >= delta * delta || c.measuredDelta.count >= 8)  // rounded down to 6 decimals
    }

    @Test("a small sweep: one row per method, n, δ and seed; every network verified; slopes from the rows; plots parse")
    func smallSweep() throws {
        let plan = SweepPlan(sizes: [32, 16], dimension: 4, deltas: [try Rational(parsing: "0.4"), try Rational(parsing: "0.3")],
                             seeds: [3])
        var steps = 0
        let result = try Sweep.run(plan, progress: { _ in steps += 1 })
        #expect(result.rows.count == 3 * 2 * 2)
        #expect(steps == 2 * 2 * (3 + 3) + 2)  // per case: generate, distance, bounds, 3 methods; then 2 circle bounds
        #expect(result.rows.map(\.n) == [16, 16, 16, 32, 32, 32, 16, 16, 16, 32, 32, 32])
        #expect(result.rows.allSatisfy { $0.verified && $0.reason == nil && ($0.counts?.neurons ?? 0) > 0 })
        #expect(result.rows.allSatisfy { ($0.counts?.firstLayerWidth ?? 0) >= $0.lowerBound })
        #expect(result.rows.allSatisfy { $0.neuronsBoundAllLabelings >= $0.firstLayerBoundAllLabelings })
        for entry in result.slopes {
            let rows = result.rows.filter { $0.method == entry.method && $0.delta == entry.delta }
            let expected = LogLogFit(rows.map { (Double($0.n), Double($0.counts!.neurons)) })
            #expect(entry.fit == expected)
        }
        let csv = String(decoding: result.csvBytes(), as: UTF8.self).split(separator: "\n")
        #expect(csv.count == 13 && csv[0] == Substring(SweepResult.csvColumns.joined(separator: ",")))
        let plots = try result.plots()
        #expect(plots.map(\.file) == ["neurons-vs-n.svg", "first-layer-vs-inverse-delta.svg"])
        #expect(SweepResult.files(for: plan) == ["sweep.csv"] + plots.map(\.file))
        #expect(result.circleBounds.map(\.firstLayerNeurons) == [CircleBound(delta: plan.deltas[0])!.firstLayerNeurons,
                                                                 CircleBound(delta: plan.deltas[1])!.firstLayerNeurons])
    }
}
