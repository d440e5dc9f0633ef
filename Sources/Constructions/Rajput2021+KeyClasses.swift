import ExactArithmetic
import TextFormats
import ThresholdNetworks

/// Between stages A and B: the key classes, points with equal first-layer codes.
/// Stage A left no two differently labeled points with one code, so each class
/// has one label; later stages see only the classes.
struct KeyClasses {
    /// One code per class, in order of first appearance in the data.
    let codes: PackedCodes
    /// Each class's label.
    let labels: [Int]
    /// Code bits (the first layer's width k).
    let bitCount: Int

    /// N, the number of classes.
    var count: Int { labels.count }

    /// Groups the points by code; throws `InternalError` when a code holds two labels
    /// (stage A broke its promise).
    init(codes: PackedCodes, labels pointLabels: [Int], bitCount: Int) throws(InternalError) {
        var classIndex: [ArraySlice<UInt64>: Int] = [:]
        var classCodes: [UInt64] = []
        var classLabels: [Int] = []
        for i in 0 ..< pointLabels.count {
            let code = codes[i * codes.stride ..< (i + 1) * codes.stride]
            if let c = classIndex[code] {
                guard classLabels[c] == pointLabels[i] else {
                    throw InternalError("stage A left two differently labeled points with one code")
                }
            } else {
                classIndex[code] = classLabels.count
                classCodes.append(contentsOf: code)
                classLabels.append(pointLabels[i])
            }
        }
        self.codes = PackedCodes(words: classCodes, stride: codes.stride)
        labels = classLabels
        self.bitCount = bitCount
    }

    /// Class c's code read as the integer Σ_t 2^t c_t: its key when stage B is skipped.
    /// The packed words are that integer's little-endian words (bits past k are 0).
    ///
    /// - Complexity: O(k/64).
    func uncompressedKey(_ c: Int) -> BigInt {
        codes.words[c * codes.stride ..< (c + 1) * codes.stride].withUnsafeBufferPointer {
            BigInt(magnitudeWords: $0, negative: false)
        }
    }
}
