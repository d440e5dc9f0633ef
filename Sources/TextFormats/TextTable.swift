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
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                line += rightAligned.contains(c) ? pad + cell : cell + (c + 1 < row.count ? pad : "")
                if c + 1 < row.count { line += "  " }
            }
            return line
        }.joined(separator: "\n")
    }
}
