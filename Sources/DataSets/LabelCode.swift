/// Labels as output bits: a network's output bits o_0, ..., o_{m-1} encode the
/// label Σ_j o_j 2^j (docs/ARCHITECTURE.md, "Threshold networks and their sizes").
///
/// This is the single source of the label limit: the data reader refuses labels
/// above `maximumLabel`, and the network model and codec refuse networks with more
/// than `maximumBits` output bits, so every label fits a machine word with room to spare.
public enum LabelCode {
    /// The most output bits a network may have: 62.
    public static let maximumBits = 62
    /// The largest label a data set may hold: 2^62 - 1.
    public static let maximumLabel = (1 << maximumBits) - 1

    /// Bits needed for labels 0...largest (1 for binary labels).
    public static func bitsNeeded(forLargestLabel largest: Int) -> Int {
        max(1, Int.bitWidth - largest.leadingZeroBitCount)
    }

    /// Bit j of `label`.
    @inlinable
    public static func bit(_ j: Int, of label: Int) -> Int { (label >> j) & 1 }
}
