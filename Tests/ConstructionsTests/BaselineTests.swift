import DataSets
import ExactArithmetic
import Testing
import TextFormats
import ThresholdNetworks
@testable import Constructions

@Suite("Baseline constructions")
struct BaselineTests {
    @Test("indicator and baum1988 memorize sphere data in d = 2, 3, 10, 50 (checked by brute force)",
          arguments: [(2, 60), (3, 80), (10, 120), (50, 100)])
    func memorize(d: Int, n: Int) throws {
        let data = try Generators.sphere(SphereRequest(count: n, dimension: d, delta: Rational(1, 20), labels: .classes(3),
                                                       seed: UInt64(d)))
        let indicator = try Indicator().construct(data)
        #expect(bruteForceMemorizes(indicator.network, data))
        let baum = try Baum1988().construct(data)
        #expect(bruteForceMemorizes(baum.network, data))
        #expect(baum.network.layers.count == 2)
    }

    @Test("baum1988 in general position uses exactly 2⌈n1/d⌉ hidden neurons per label bit")
    func generalPosition() throws {
        for (d, n) in [(2, 41), (3, 70), (10, 200), (50, 300)] {
            let data = try Generators.sphere(SphereRequest(count: n, dimension: d, delta: Rational(1, 50), labels: .classes(4), seed: 7))
            let result = try Baum1988().construct(data)
            var expected = 0
            for bit in 0 ..< data.outputBitsNeeded {
                let ones = data.labels.filter { LabelCode.bit(bit, of: $0) == 1 }.count
                expected += 2 * ((ones + d - 1) / d)
            }
            #expect(result.network.layers[0].neurons.count == expected, "d = \(d)")
            #expect(result.quantities.first { $0.key == "splitGroups" }?.value == .integer(0))
        }
    }

    @Test("a degenerate input (d + 1 points on one hyperplane, mixed labels) still memorizes, with split groups reported")
    func degenerate() throws {
        // In d = 3: four points on the plane z = 0 (labels 1, 1, 1, 0) and two off it.
        let rows: [[Rational]] = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1], [1, 2, 3]]
        var points = RationalPoints(dimension: 3)
        for r in rows { points.append(r) }
        let data = DataSet(points: points, labels: [1, 1, 1, 0, 1, 0], lines: Array(1 ... 6))
        let result = try Baum1988().construct(data)
        #expect(bruteForceMemorizes(result.network, data))
        guard case .number(let splits)? = result.quantities.first(where: { $0.key == "splitGroups" })?.value else {
            Issue.record("no split count")
            return
        }
        #expect(Int(splits)! >= 1)
        // Collinear points force splits too: three label-1 points on a line in d = 3.
        var line = RationalPoints(dimension: 3)
        for t in 0 ..< 5 { line.append([Rational(t), Rational(2 * t), Rational(3 * t)]) }
        let lineData = DataSet(points: line, labels: [1, 1, 1, 0, 1], lines: Array(1 ... 5))
        #expect(bruteForceMemorizes(try Baum1988().construct(lineData).network, lineData))
    }

    @Test("indicator refuses data that is not on a sphere centred at 0, saying why")
    func indicatorApplies() throws {
        var points = RationalPoints(dimension: 2)
        points.append([1, 0])
        points.append([0, 2])
        let data = DataSet(points: points, labels: [0, 1])
        #expect(throws: RequestError.self) { try Indicator().construct(data) }
        let comparison = try Comparison.run(data, seed: 1)
        let row = comparison.rows.first { $0.method == .indicator }!
        #expect(row.counts == nil && row.reason?.contains("sphere") == true)
        let built = comparison.rows.filter { $0.counts != nil }
        #expect(!built.isEmpty && built.allSatisfy { $0.verified })
    }
}

@Suite("One interface for every construction")
struct ConstructionInterfaceTests {
    @Test("every method builds through the protocol from the same inputs, names itself, and is verified", arguments: ConstructionMethod.allCases)
    func everyMethod(_ method: ConstructionMethod) throws {
        let data = try Generators.sphere(SphereRequest(count: 90, dimension: 4, delta: Rational(1, 20), labels: .classes(3), seed: 21))
        let construction = method.construction
        #expect(construction.method == method)
        #expect(ConstructionMethod(rawValue: method.rawValue) == method)
        let result = try construction.construct(data, options: ConstructionOptions(), seed: 5)
        #expect(result.method == method)
        #expect(result.verification.memorized && result.verification.pointCount == 90)
        #expect(bruteForceMemorizes(result.network, data))
        // The stages account for every layer, and the last phase timed is the verification.
        #expect(result.stages.reduce(0) { $0 + $1.counts.depth } == result.network.layers.count)
        #expect(result.seconds.last?.0 == "verification")
        // Same inputs, same bytes.
        #expect(try construction.construct(data, options: ConstructionOptions(), seed: 5).network.jsonBytes() == result.network.jsonBytes())
    }
}
