import FeedCore
import FeedCrypto

/// The `X-Hub-Signature` of a WebSub content distribution: `method=hex`, an HMAC of the body under the
/// subscription's secret, with sha1, sha256, sha384 or sha512 (the W3C recommendation's methods).
/// Compared in constant time; anything else (no header, another method, bad hex) is invalid.
@_spi(Fuzzing) public enum WebSubSignature {
    @_spi(Fuzzing) public static func isValid(_ header: String?, body: [UInt8], secret: String) -> Bool {
        guard let header, let equals = header.firstIndex(of: "=") else { return false }
        let method = header[..<equals].lowercased()
        guard let given = Hex.decode(header[header.index(after: equals)...], maxBytes: 128) else { return false }
        let algorithm: Hashing.Algorithm
        switch method {
        case "sha1": algorithm = .sha1
        case "sha256": algorithm = .sha256
        case "sha384": algorithm = .sha384
        case "sha512": algorithm = .sha512
        default: return false
        }
        return Hex.constantTimeEqual(given, Hashing.hmac(algorithm, key: Array(secret.utf8), data: body))
    }
}
