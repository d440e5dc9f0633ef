import Crypto
import DataSets
import ExactArithmetic
import WorkSharing

/// Row keys (docs/formats.md, "Row keys"): the SHA-256 of a row's canonical coordinate
/// text `c_1,c_2,...,c_d`, each c_k the canonical form of section 5 (`-3/4`, `7`, `0`),
/// without the label and without a line end.
///
/// Equal points have equal keys. Keys only choose which rows to compare: where the data is
/// read (streamed verify/certify, the checker), rows with equal keys are read again and
/// compared exactly; only `certify --combine`, which reads no data, takes equal keys as equal
/// points, and `memcert check ROOT` confirms that exactly. The checker computes the same keys
/// with its own code.
public enum RowKeys {
    /// Bytes per key.
    public static let size = 32

    /// The keys of every point of `points`, `size` bytes each, in order; computed on all cores.
    ///
    /// - Complexity: O(n · d) digit writing and hashing; no allocation per point for word points.
    public static func keys(of points: RationalPoints) -> [UInt8] {
        var keys = [UInt8](repeating: 0, count: points.count * size)
        keys.withUnsafeMutableBufferPointer { buffer in
            let out = SharedBuffer(buffer)
            Parallel.forEachChunk(count: points.count, chunkSize: 1024) { range in
                var text: [UInt8] = []
                text.reserveCapacity(points.dimension * 24)
                for i in range {
                    text.removeAll(keepingCapacity: true)
                    canonicalText(of: i, in: points, into: &text)
                    let digest = SHA256.hash(data: text)
                    var k = i * size
                    for byte in digest {
                        out[k] = byte
                        k += 1
                    }
                }
            }
        }
        return keys
    }

    /// Appends the canonical text of point i (`c_1,...,c_d`) to `text`.
    public static func canonicalText(of i: Int, in points: RationalPoints, into text: inout [UInt8]) {
        let done: Void? = points.withWordPoint(i) { numerators, denominator in
            for j in 0 ..< numerators.count {
                if j > 0 { text.append(UInt8(ascii: ",")) }
                let x = numerators[j]
                // x / D in lowest terms: divide both by g = gcd(|x|, D) (g = D when x = 0, giving 0/1).
                var a = x.magnitude, b = UInt64(denominator)
                while b != 0 { (a, b) = (b, a % b) }
                let g = a
                if x < 0 { text.append(UInt8(ascii: "-")) }
                appendDecimal(x.magnitude / g, to: &text)
                let q = UInt64(denominator) / g
                if q != 1 {
                    text.append(UInt8(ascii: "/"))
                    appendDecimal(q, to: &text)
                }
            }
        }
        if done == nil {
            for j in 0 ..< points.dimension {
                if j > 0 { text.append(UInt8(ascii: ",")) }
                text.append(contentsOf: points.coordinate(i, j).description.utf8)
            }
        }
    }

    /// Appends the decimal digits of `value`.
    static func appendDecimal(_ value: UInt64, to text: inout [UInt8]) {
        if value == 0 {
            text.append(UInt8(ascii: "0"))
            return
        }
        let start = text.count
        var v = value
        while v > 0 {
            text.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        }
        text[start...].reverse()
    }

    /// The SHA-256 of `bytes` as raw bytes (for digests of row lists and byte ranges kept incrementally).
    public struct Hasher {
        private var state = SHA256()
        public init() {}
        public mutating func update(_ bytes: UnsafeRawBufferPointer) { state.update(bufferPointer: bytes) }
        /// The digest as 64 lowercase hex digits.
        public func hex() -> String {
            state.finalize().map { byte in
                let hex = String(byte, radix: 16)
                return hex.count == 1 ? "0" + hex : hex
            }.joined()
        }
    }
}
