import TestSupport

// MARK: - Seeded mutations of .npy files, for the readers' differential fuzz tests

/// Mutates `bytes` once or twice, each time one of: a random byte set anywhere, one bit flipped in
/// the element bytes (past byte 64), up to 19 bytes cut from the end, a header byte (10..<66)
/// replaced by a character of the header grammar, or a space inserted into the header.
/// The random choices depend only on `rng`, so a seed reproduces a file.
func mutateNumPy(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
    let alphabet = Array("{}(),:' 0123456789TrueFalsdhpo<>|fiu".utf8)
    for _ in 0 ... rng.below(2) {
        switch rng.below(5) {
        case 0: bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next())
        case 1 where bytes.count > 64: bytes[64 + rng.below(bytes.count - 64)] ^= 1 << UInt8(rng.below(8))
        case 2: bytes.removeLast(rng.below(min(bytes.count - 1, 20)))
        case 3: bytes[min(10 + rng.below(56), bytes.count - 1)] = alphabet[rng.below(alphabet.count)]
        default: bytes.insert(0x20, at: min(10 + rng.below(56), bytes.count))
        }
    }
}
