// MARK: - Splitting bytes at line starts

/// Splits `bytes` into consecutive ranges of whole lines, each about `target` bytes long, for the
/// workers of a parallel parse.
///
/// Every range but the last ends just after an LF (0x0A); a line longer than `target` makes its
/// range longer. The ranges tile `0 ..< bytes.count` exactly, with no gap and no overlap; an empty
/// buffer gives no range.
///
/// - Precondition: `target > 0`.
/// - Complexity: O(number of ranges + bytes scanned past each target).
func lineAlignedRanges(_ bytes: UnsafeBufferPointer<UInt8>, target: Int) -> [Range<Int>] {
    precondition(target > 0, "lineAlignedRanges needs a positive target size")
    var ranges: [Range<Int>] = []
    var start = 0
    while start < bytes.count {
        var end = min(bytes.count, start + target)
        while end < bytes.count && bytes[end - 1] != UInt8(ascii: "\n") { end += 1 }
        ranges.append(start ..< end)
        start = end
    }
    return ranges
}
