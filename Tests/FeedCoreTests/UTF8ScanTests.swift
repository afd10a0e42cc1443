import FeedCore
import Testing

@Suite("UTF8Scan")
struct UTF8ScanTests {
    /// The plain definition the word-at-a-time scan must agree with.
    static func reference(_ bytes: [UInt8]) -> (valid: Bool, controls: Int) {
        let controls = bytes.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }.count
        return (String(validating: bytes, as: UTF8.self) != nil, controls)
    }

    static func scanned(_ bytes: [UInt8]) -> (valid: Bool, controls: Int) {
        let r = UTF8Scan.scan(bytes)
        return (r.valid, r.controlCharacters)
    }

    @Test func countsControlsBesideTabsAndNewlines() {
        let text = Array("<rss>\n\t<title>a\u{01}b\r\n\u{1F}</title>\u{0B}\u{0C}\n</rss>\n\n\n\n".utf8)
        #expect(Self.scanned(text) == (true, 4))
        #expect(UTF8Scan.scan(Array("\t\n\r \t\n\r x".utf8)).controlCharacters == 0)
        #expect(UTF8Scan.scan(Array(repeating: 0, count: 19)).controlCharacters == 19)
    }

    @Test func agreesWithTheDefinitionOnMixedBytes() {
        var rng = SystemRandomNumberGenerator()
        // Indented ASCII with controls, Arabic, and now and then a stray byte.
        let pieces: [[UInt8]] = [
            Array("  <item>\n".utf8), Array("\t\t".utf8), Array("\r\n".utf8), [0x01], [0x1F], [0x00], [0x7F],
            Array("الذهب".utf8), Array("é".utf8), [0xC3], [0x80], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0x20],
        ]
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<40, using: &rng) { bytes += pieces.randomElement(using: &rng)! }
            #expect(Self.scanned(bytes) == Self.reference(bytes), "\(bytes)")
        }
    }
}
