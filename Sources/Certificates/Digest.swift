import Crypto
import TextFormats

/// SHA-256 of a file's bytes, as lowercase hex (FIPS 180-4, via swift-crypto).
public enum FileDigest {
    public static func sha256(path: String) throws(InputError) -> String {
        let file = try MappedFile(path: path)
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(file.bytes))
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
