/// Plain-text tables with padded columns, for human output.
public enum TextTable {
    /// Renders `rows` (the first is the header) with two spaces between
    /// columns; columns listed in `rightAligned` are padded on the left.
    public static func render(_ rows: [[String]], rightAligned: Set<Int> = [], indent: String = "") -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) } }
        return rows.map { row in
            var line = indent
            for (c, cell) in row.enumerated() {
                line += rightAligned.contains(c) ? cell.padded(to: widths[c], left: true)
                    : (c + 1 < row.count ? cell.padded(to: widths[c]) : cell)
                if c + 1 < row.count { line += "  " }
            }
            return line
        }.joined(separator: "\n")
    }
}

extension String {
    /// The string padded with spaces to at least `width` characters: on the right,
    /// or on the left when `left` is true. Longer strings are returned unchanged.
    public func padded(to width: Int, left: Bool = false) -> String {
        let pad = String(repeating: " ", count: Swift.max(0, width - count))
        return left ? pad + self : self + pad
    }
}

extension Double {
    /// The value rounded to `digits` decimal places (halves away from zero) and
    /// printed in Swift's shortest form: 2.3456 gives "2.35" for 2 digits, 2.0 gives
    /// "2.0". For reports of sizes and seconds, never for exact values.
    public func roundedText(digits: Int) -> String {
        var scale = 1.0
        for _ in 0 ..< digits { scale *= 10 }
        return String((self * scale).rounded() / scale)
    }
}
