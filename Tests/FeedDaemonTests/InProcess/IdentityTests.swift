import FeedCore
import Testing

@testable import FeedDaemon

/// Entry keys, alert ids and story ids are SHA-256 digests stored in users' states and spools: the hash
/// behind them must never change. These values were computed with the hand-written SHA-256 that
/// wave 1 shipped; they must still come out of the vetted library that replaced it (issue 13).
@Suite("Identity digests")
struct IdentityTests {
    @Test(
        "SHA-256 known answers (FIPS 180-4), one and two blocks, and the padding edges",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        ])
    func knownAnswers(input: String, expected: String) {
        #expect(Digest.hex(input) == expected)
        #expect(Digest.hex(input, length: 16) == String(expected.prefix(16)))
    }

    @Test("ids computed before the switch are unchanged: entry keys, content hash, alert id, story id")
    func pinnedIdentities() {
        let long = "https://example.org/" + String(repeating: "ذهب", count: 200)
        let byHash = FeedEntry(title: "Gold Hits Record", published: Timestamp(secondsSinceEpoch: 1_800_000_000))
        #expect(EntryIdentity.key(FeedEntry(id: long)) == "g:49c90912158db0b19396dd46933c11091b422ae38cc78a81426104fb7f385f15")
        #expect(EntryIdentity.key(byHash) == "h:68847f976a7da756471f214e80c5e24d")
        #expect(EntryIdentity.contentHash(FeedEntry(title: "سعر الذهب", summary: "Nikkei")) == "ec704e61d38ebb0a07ac10a70e588299")
        let alert = EntryIdentity.alertID(
            feedKey: "https://example.org/feed", entryKey: "g:42", topics: ["gold-prices", "markets"])
        #expect(alert == "7cd90c8ca6d60a4b45f6c8db69ea544e")
        #expect(StoryStage.storyID(alertID: alert) == "03a7ab24606c89f163e2a8478a10e748")
    }
}
