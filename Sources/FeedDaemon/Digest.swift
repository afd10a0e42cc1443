import FeedCore
import FeedCrypto

/// SHA-256 through the system's libcrypto (`FeedCrypto`), as lowercase hex. Entry keys, alert ids, story ids
/// and settings hashes are built from it and stored in users' states: IdentityTests pins values that
/// wave 1's own implementation produced, so a change of library can never change an id.
enum Digest {
    /// The first `length` hex digits (at most 64) of the digest of `text`'s UTF-8.
    static func hex(_ text: String, length: Int = 64) -> String {
        String(Hex.encode(Hashing.digest(Array(text.utf8))).prefix(length))
    }
}
