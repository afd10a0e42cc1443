import FeedCrypto

/// SHA-256 through the system's libcrypto (`FeedCrypto`), as lowercase hex. Entry keys, alert ids, story ids
/// and settings hashes are built from it and stored in users' states: IdentityTests pins values that
/// wave 1's own implementation produced, so a change of library can never change an id.
enum Digest {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The first `length` hex digits (at most 64) of the digest of `text`'s UTF-8.
    static func hex(_ text: String, length: Int = 64) -> String {
        let digest = Hashing.digest(Array(text.utf8))
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out.prefix(length), as: UTF8.self)
    }
}
