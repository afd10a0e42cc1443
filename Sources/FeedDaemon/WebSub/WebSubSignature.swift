import FeedCrypto

/// The `X-Hub-Signature` of a WebSub content distribution: `method=hex`, an HMAC of the body under the
/// subscription's secret, with sha1, sha256, sha384 or sha512 (the W3C recommendation's methods).
/// Compared in constant time; anything else (no header, another method, bad hex) is invalid.
@_spi(Fuzzing) public enum WebSubSignature {
    @_spi(Fuzzing) public static func isValid(_ header: String?, body: [UInt8], secret: String) -> Bool {
        guard let header, let equals = header.firstIndex(of: "=") else { return false }
        let method = header[..<equals].lowercased()
        guard let given = hexBytes(header[header.index(after: equals)...]) else { return false }
        let algorithm: Hashing.Algorithm
        switch method {
        case "sha1": algorithm = .sha1
        case "sha256": algorithm = .sha256
        case "sha384": algorithm = .sha384
        case "sha512": algorithm = .sha512
        default: return false
        }
        return Hashing.constantTimeEqual(given, Hashing.hmac(algorithm, key: Array(secret.utf8), data: body))
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count % 2 == 0, digits.count <= 256 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = nibble(digits[i]), let low = nibble(digits[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }
}
