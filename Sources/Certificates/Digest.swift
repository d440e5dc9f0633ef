import Crypto

/// SHA-256 of bytes, as 64 lowercase hex digits (FIPS 180-4, via swift-crypto).
///
/// Certificates name each file by the digest of the very bytes that were
/// parsed: the command line reads a file once, parses those bytes and digests
/// them, so the claims and the digest cannot come from two different reads.
public enum ContentDigest {
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    public static func sha256(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        sha256(UnsafeRawBufferPointer(bytes))
    }

    public static func sha256(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { sha256($0) }
    }
}
