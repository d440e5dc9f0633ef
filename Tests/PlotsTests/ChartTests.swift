import Foundation
#if canImport(FoundationXML)
import FoundationXML  // XMLParser on Linux (libxml2, which swift-build itself links)
#endif
import Testing
@testable import Plots

/// Elements and attributes of an SVG document, read with Foundation's XMLParser
/// (an XML parser independent of the code that wrote it).
final class SVGElements: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []
    private var current = ""

    static func parse(_ text: String) -> SVGElements? {
        let reader = SVGElements()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = reader
        return parser.parse() ? reader : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes))
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" || name == "title" { texts.append(current) }
        current = ""
    }

    func with(_ key: String, _ value: String) -> [[String: String]] {
        elements.filter { $0.attributes[key] == value }.map(\.attributes)
    }

    func classed(_ word: String) -> [[String: String]] {
        elements.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(word)) }.map(\.attributes)
    }
}

@Suite("Charts as SVG")
struct ChartTests {
    func sample(title: String = "Neurons against n") -> Chart {
        let xs = [1000.0, 4000, 16_000, 64_000]
        return Chart(
            title: title, subtitle: "d = 32",
            xAxis: Axis("n", scale: .logarithmic), yAxis: Axis("neurons", scale: .logarithmic),
            series: [
                Series("rajput2021", role: .measured, points: xs.map { DataPoint(x: $0, y: 30 * $0.squareRoot(), low: 28 * $0.squareRoot(), high: 33 * $0.squareRoot()) }),
                Series("baum1988", role: .measured, points: xs.map { DataPoint(x: $0, y: $0 / 16) }),
                Series("lower bound", role: .bound, points: xs.map { DataPoint(x: $0, y: $0.squareRoot() / 4) }),
                Series("√n", role: .reference, points: xs.map { DataPoint(x: $0, y: $0.squareRoot()) }),
                Series("empty", role: .measured, points: []),
            ],
            notes: ["a note that is long enough to be wrapped onto more than one line of the chart's small print, "
                    + "because it goes on and on and on about the markers, the bars and the bounds and what they mean"])
    }

    @Test("well-formed XML with axes, tick labels, one group per series, legend entries and a title")
    func structure() throws {
        let text = try sample().svg()
        let svg = try #require(SVGElements.parse(text))
        #expect(svg.elements.first?.name == "svg")
        #expect(svg.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(svg.with("id", "x-axis").first?["data-scale"] == "logarithmic")
        #expect(svg.with("id", "y-axis").count == 1)
        #expect(svg.classed("tick-label").count >= 6)
        #expect(svg.classed("axis-label").count == 2)
        #expect(svg.texts.contains("1,000") && svg.texts.contains("10,000"))
        for name in ["rajput2021", "baum1988", "lower bound", "√n"] {
            #expect(svg.classed("series").filter { $0["data-series"] == name }.count == 1, "series \(name)")
            #expect(svg.classed("legend-entry").filter { $0["data-series"] == name }.count == 1, "legend \(name)")
        }
        // An empty series is neither drawn nor listed.
        #expect(svg.classed("legend-entry").count == 4)
        #expect(svg.classed("series").allSatisfy { $0["data-series"] != "empty" })
        #expect(svg.classed("reference").count == 1 && svg.classed("bound").count == 1 && svg.classed("measured").count == 2)
        #expect(svg.classed("bars").count == 1)  // only rajput2021 has ranges
        #expect(svg.with("id", "title").count == 1 && svg.texts.contains("Neurons against n"))
        #expect(svg.classed("note").count >= 2)  // wrapped
        // Measured series have markers: 4 points each.
        #expect(text.components(separatedBy: "<circle").count - 1 >= 4)
    }

    @Test("the same chart gives the same bytes")
    func deterministic() throws {
        #expect(try sample().svgBytes() == sample().svgBytes())
    }

    @Test("text is escaped: a title with XML's special characters stays well-formed")
    func escaping() throws {
        let text = try sample(title: "a < b & \"c\" > 'd'").svg()
        let svg = try #require(SVGElements.parse(text))
        #expect(svg.texts.contains("a < b & \"c\" > 'd'"))
    }

    @Test("zero or negative values on a logarithmic axis are refused; on a linear one they are drawn")
    func nonPositive() throws {
        var chart = sample()
        chart.series[1].points[0].y = 0
        #expect(throws: PlotError.nonPositiveOnLogarithmicAxis(series: "baum1988", axis: "y", value: 0)) { try chart.svg() }
        chart.yAxis.scale = .linear
        chart.series[1].points[0].y = -5
        #expect(SVGElements.parse(try chart.svg()) != nil)
        chart.series[1].points[0].y = .nan
        #expect(throws: PlotError.notFinite(series: "baum1988", axis: "y")) { try chart.svg() }
        let empty = Chart(title: "t", xAxis: Axis("x", scale: .linear), yAxis: Axis("y", scale: .linear))
        #expect(throws: PlotError.noData) { try empty.svg() }
    }

    @Test("one point: an axis around it, a marker and no line")
    func onePoint() throws {
        let chart = Chart(title: "one", xAxis: Axis("x", scale: .logarithmic), yAxis: Axis("y", scale: .logarithmic),
                          series: [Series("only", role: .measured, points: [DataPoint(x: 100, y: 7)])])
        let svg = try #require(SVGElements.parse(try chart.svg()))
        #expect(svg.classed("line").isEmpty)
        #expect(svg.elements.contains { $0.name == "circle" })
        #expect(svg.classed("tick-label").count >= 4)
    }

    @Test("the legend goes to a free corner, or outside when every corner has data")
    func legendPlacement() throws {
        // A rising diagonal leaves the top-left corner free; a falling one covers it and leaves the top right.
        let rising = Chart(title: "t", xAxis: Axis("x", scale: .linear), yAxis: Axis("y", scale: .linear),
                           series: [Series("up", role: .measured, points: (0 ... 20).map { DataPoint(x: Double($0), y: Double($0)) })])
        let a = try #require(SVGElements.parse(try rising.svg()))
        #expect(a.with("id", "legend").first?["data-placement"] == "top-left")
        let falling = Chart(title: "t", xAxis: Axis("x", scale: .linear), yAxis: Axis("y", scale: .linear),
                            series: [Series("down", role: .measured, points: (0 ... 20).map { DataPoint(x: Double($0), y: Double(20 - $0)) })])
        let b = try #require(SVGElements.parse(try falling.svg()))
        #expect(b.with("id", "legend").first?["data-placement"] == "top-right")
        // A grid of points everywhere: outside, and the document widens.
        var everywhere: [DataPoint] = []
        for i in 0 ... 20 { for j in 0 ... 20 { everywhere.append(DataPoint(x: Double(i), y: Double(j))) } }
        let full = Chart(title: "t", xAxis: Axis("x", scale: .linear), yAxis: Axis("y", scale: .linear),
                         series: [Series("all", role: .measured, points: everywhere)], width: 600)
        let c = try #require(SVGElements.parse(try full.svg()))
        #expect(c.with("id", "legend").first?["data-placement"] == "outside")
        #expect(Double(c.elements.first?.attributes["width"] ?? "0") ?? 0 > 600)
    }
}
