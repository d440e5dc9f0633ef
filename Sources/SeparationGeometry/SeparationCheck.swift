import DataSets
import ExactArithmetic
import TextFormats
import ThresholdNetworks

/// What a set of hyperplanes does to a labeled data set: the exact code of
/// every point (bit t is 1[w_t·x + b_t >= 0], so a point on a hyperplane counts
/// as the 1 side), the occupied cells, and the pairs left together.
///
/// A first layer can begin a memorizing network only if every two points with
/// different labels get different codes: layers after the first see only the
/// codes (docs/ARCHITECTURE.md, "Separation and lower bounds").
public struct SeparationCheck: Sendable {
    /// A pair of points with equal codes.
    public struct Pair: Sendable, Equatable {
        public var first: Int, second: Int
        public var firstLine: Int, secondLine: Int
        public var firstLabel: Int, secondLabel: Int
    }

    public var pointCount: Int
    public var hyperplanes: Int
    public var codes: PackedCodes
    /// Number of distinct codes.
    public var occupiedCells: Int
    /// Pairs of points with equal codes, and those among them with different labels.
    public var unseparatedPairs: BigInt
    public var unseparatedDifferentlyLabeledPairs: BigInt
    /// The first differently labeled pairs left together, in data order of their later point.
    public var examples: [Pair]

    /// True when every differently labeled pair is separated (and, for a `sign` layer,
    /// no point lies on a hyperplane: such a point has no code at all).
    public var validFirstLayer: Bool { unseparatedDifferentlyLabeledPairs.isZero && codes.ties == 0 }

    /// Codes the data under `layer` (reading the input) and counts cells and pairs.
    ///
    /// - Complexity: O(n·k·d) for the codes (filtered, on all cores) plus hashing.
    public init(data: DataSet, layer: Layer, exampleLimit: Int = 10) {
        pointCount = data.count
        hyperplanes = layer.neurons.count
        codes = PackedCodes(layer: layer, points: data.points)
        // Cells: code -> (first point, count, count per label).
        struct Cell {
            var first: Int
            var size: Int
            var perLabel: [Int: Int]
        }
        var cells: [ArraySlice<UInt64>: Cell] = [:]
        var examples: [Pair] = []
        for i in 0 ..< data.count {
            let code = codes.code(i)
            if var cell = cells[code] {
                cell.size += 1
                cell.perLabel[data.labels[i], default: 0] += 1
                if examples.count < exampleLimit && data.labels[cell.first] != data.labels[i] {
                    let j = cell.first
                    examples.append(Pair(first: j, second: i, firstLine: data.lines[j], secondLine: data.lines[i],
                                         firstLabel: data.labels[j], secondLabel: data.labels[i]))
                }
                cells[code] = cell
            } else {
                cells[code] = Cell(first: i, size: 1, perLabel: [data.labels[i]: 1])
            }
        }
        occupiedCells = cells.count
        var together = BigInt(0), mixed = BigInt(0)
        for cell in cells.values {
            let all = BigInt(cell.size) * BigInt(cell.size - 1) / 2
            var same = BigInt(0)
            for c in cell.perLabel.values { same += BigInt(c) * BigInt(c - 1) / 2 }
            together += all
            mixed += all - same
        }
        unseparatedPairs = together
        unseparatedDifferentlyLabeledPairs = mixed
        self.examples = examples
    }
}

