import FeedCore
import FeedCrypto
import Testing

/// The system's libcrypto through `FeedCrypto` gives the standard's answers: ids, settings hashes and
/// WebSub signatures depend on it (IdentityTests pins ids made before the library changed).
@Suite("Hashing through libcrypto")
struct HashingTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    @Test("SHA-256 and SHA-1 of FIPS 180 vectors, the empty input included")
    func digests() {
        #expect(Self.hex(Hashing.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.hex(Hashing.digest([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.hex(Hashing.digest(Array("abc".utf8), .sha1)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Hashing.digest(Array("abc".utf8), .sha512).count == 64)
    }

    @Test("HMAC of RFC 4231 and RFC 2202 vectors, an empty key and an empty message")
    func hmacs() {
        let key = Array("Jefe".utf8)
        let data = Array("what do ya want for nothing?".utf8)
        #expect(
            Self.hex(Hashing.hmac(.sha256, key: key, data: data))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            Self.hex(Hashing.hmac(.sha384, key: key, data: data))
                == "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649")
        #expect(Self.hex(Hashing.hmac(.sha1, key: key, data: data)) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        // HMAC-SHA256 with an empty key and message (a well-known value).
        #expect(
            Self.hex(Hashing.hmac(.sha256, key: [], data: []))
                == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
        #expect(Hex.constantTimeEqual([1, 2, 3], [1, 2, 3]) && !Hex.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!Hex.constantTimeEqual([1, 2], [1, 2, 3]))
    }

    @Test("hex both ways: either case in, lower case out; odd, foreign or too long input is refused")
    func hex() {
        #expect(Hex.encode([0x00, 0xAB, 0x7f]) == "00ab7f")
        #expect(Hex.decode("00AB7f", maxBytes: 3) == [0x00, 0xAB, 0x7F])
        for bad in ["", "0", "0g", "00ab7f00"] { #expect(Hex.decode(bad, maxBytes: 3) == nil, "\(bad)") }
    }
}
