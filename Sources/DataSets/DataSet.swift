import ExactArithmetic

/// A labeled data set: n distinct points of Q^d with labels in {0, ..., C-1}.
///
/// Equal points with equal labels are one point (merged on reading); equal
/// points with different labels cannot be memorized and are rejected.
public struct DataSet: Sendable {
    public var points: RationalPoints
    public var labels: [Int]
    /// The source line of each point (1-based), or 0 for generated points.
    public var lines: [Int]
    /// How many input rows repeated an earlier point with the same label.
    public var mergedDuplicates: Int
    /// Where the data came from (a path), for messages.
    public var source: String

    public init(points: RationalPoints, labels: [Int], lines: [Int]? = nil, mergedDuplicates: Int = 0,
                source: String = "<memory>") {
        precondition(points.count == labels.count, "one label per point")
        self.points = points
        self.labels = labels
        self.lines = lines ?? [Int](repeating: 0, count: labels.count)
        self.mergedDuplicates = mergedDuplicates
        self.source = source
    }

    /// n.
    public var count: Int { labels.count }
    /// d.
    public var dimension: Int { points.dimension }
    /// C = largest label + 1.
    public var classCount: Int { (labels.max() ?? -1) + 1 }
    /// The number of different labels that occur.
    public var distinctLabelCount: Int { Set(labels).count }

    /// Output bits needed to write every label as Σ o_j 2^j (at least 1).
    public var outputBitsNeeded: Int { LabelCode.bitsNeeded(forLargestLabel: labels.max() ?? 0) }
}
