extension VerificationReport {
    /// A report assembled from parts (the streaming reader adds up its blocks).
    public init(points pointCount: Int, dimension: Int, classCount: Int, mergedDuplicates: Int, mismatchCount: Int,
                tieCount: Int, mismatches: [Mismatch], counts: NetworkCounts, widths: [Int], exactDecisions: Int, decisions: Int) {
        self.pointCount = pointCount
        self.dimension = dimension
        self.classCount = classCount
        self.mergedDuplicates = mergedDuplicates
        self.mismatchCount = mismatchCount
        self.tieCount = tieCount
        self.mismatches = mismatches
        self.counts = counts
        self.widths = widths
        self.exactDecisions = exactDecisions
        self.decisions = decisions
    }
}

extension VerificationReport.Mismatch {
    /// A mismatch known by its line only.
    public init(line: Int, expected: Int, output: UInt64, tie: VerificationReport.Tie?) {
        self.tie = tie
        self.index = 0
        self.line = line
        self.expected = expected
        self.output = output
    }
}
