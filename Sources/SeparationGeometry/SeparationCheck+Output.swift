import DataSets
import ExactArithmetic
import TextFormats

extension SeparationCheck {
    /// The stable `--json` object of `memcert separation`.
    public var json: JSONValue {
        var o = JSONObjectBuilder()
        o.add("format", .string("memcert.separation/1"))
        o.add("n", .integer(pointCount))
        o.add("hyperplanes", .integer(hyperplanes))
        o.add("occupiedCells", .integer(occupiedCells))
        o.add("pointsOnHyperplanes", .integer(codes.pointsOnHyperplanes))
        o.add("unseparatedPairs", .number(unseparatedPairs.description))
        o.add("unseparatedDifferentlyLabeledPairs", .number(unseparatedDifferentlyLabeledPairs.description))
        o.add("examples", .array(examples.map { p in
            .object([.init("lines", .array([.integer(p.firstLine), .integer(p.secondLine)])),
                     .init("labels", .array([.integer(p.firstLabel), .integer(p.secondLabel)]))])
        }))
        o.add("validFirstLayer", .bool(validFirstLayer))
        return o.value
    }

    /// The human summary.
    public func humanText(data: String, hyperplanesFile: String) -> String {
        var lines: [String] = []
        lines.append("data         \(data): n = \(pointCount) points")
        lines.append("hyperplanes  \(hyperplanesFile): k = \(hyperplanes) (first layer)")
        lines.append("cells        \(occupiedCells) occupied of at most \(hyperplanes >= 62 ? "2^\(hyperplanes)" : String(UInt64(1) << UInt64(hyperplanes)))")
        lines.append("on a plane   \(codes.pointsOnHyperplanes) points lie exactly on some hyperplane "
            + (codes.ties > 0 ? "(the layer compares with sign: these points have no code, a tie)" : "(coded by the layer's comparison)"))
        lines.append("together     \(unseparatedPairs) pairs share a code; \(unseparatedDifferentlyLabeledPairs) of them have different labels")
        for p in examples {
            lines.append("             lines \(p.firstLine) and \(p.secondLine) (labels \(p.firstLabel), \(p.secondLabel)) share a code")
        }
        lines.append(validFirstLayer
            ? "verdict      a valid first layer: every differently labeled pair is separated"
            : codes.ties > 0 ? "verdict      NOT a valid first layer for memorization: \(codes.ties) points tie under its sign comparison"
            : "verdict      NOT a valid first layer for memorization: some differently labeled points share a code")
        return lines.joined(separator: "\n")
    }

    /// CSV of every point's code: line, label, then the bits (hyperplane 1 first).
    public func codesCSV(data: DataSet) -> [UInt8] {
        var out = Array("line,label,code\n".utf8)
        for i in 0 ..< data.count {
            out.append(contentsOf: "\(data.lines[i]),\(data.labels[i]),".utf8)
            for t in 0 ..< hyperplanes { out.append(codes.bit(t, of: i) ? UInt8(ascii: "1") : UInt8(ascii: "0")) }
            out.append(0x0A)
        }
        return out
    }
}
