/// Eight bytes at a time: masks with the high bit set in each byte of a word that meets a test, exact
/// per byte (no carry crosses from one byte into the next). Used where every byte of a document or a
/// text is looked at: the UTF-8 and control scan, and JSON escaping.
enum ByteWord {
    static let high: UInt64 = 0x8080_8080_8080_8080
    static let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// The bytes of `w` that are zero.
    @inline(__always)
    static func zeroBytes(_ w: UInt64) -> UInt64 { ~((w & low) &+ low | w) & high }

    /// The bytes of `w` equal to `byte`.
    @inline(__always)
    static func equal(_ w: UInt64, _ byte: UInt64) -> UInt64 { zeroBytes(w ^ (byte &* 0x0101_0101_0101_0101)) }

    /// The bytes of `w` below 0x20 (any high bit allowed).
    @inline(__always)
    static func controls(_ w: UInt64) -> UInt64 { zeroBytes(w & 0xE0E0_E0E0_E0E0_E0E0) }
}
