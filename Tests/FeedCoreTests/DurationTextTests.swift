import FeedCore
import Testing

/// Durations in the configuration: written as `format` writes them, units in order, no bare numbers.
@Suite("Durations")
struct DurationTextTests {
    @Test(
        "accepted",
        arguments: [
            ("0", 0), ("30s", 30), ("10m", 600), ("2h", 7200), ("7d", 604_800), ("1h30m", 5400),
            ("2d12h", 216_000), ("1m30s", 90), (" 15m ", 900), ("1d2h3m4s", 93_784),
        ])
    func accepted(text: String, seconds: Int) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(
        "refused", arguments: ["", "10", "5 minutes", "m", "30m1h", "1h1h", "1.5h", "-5m", "10x", "h30", "99999999999999999999d"])
    func refused(text: String) {
        #expect(DurationText.seconds(text) == nil, "\(text)")
    }

    @Test("what format writes, seconds reads back", arguments: [1, 59, 90, 3600, 5400, 93_784, 30 * 86_400])
    func roundTrip(seconds: Int) {
        #expect(DurationText.seconds(DurationText.format(seconds)) == seconds)
    }
}

@Suite("trimming")
struct TrimmingTests {
    @Test func trimsEitherEndOnly() {
        #expect("  a b  ".trimming(" ") == "a b")
        #expect("\t etag \r\n".trimming(" \t\r\n") == "etag")
        #expect("value\n".trimming(" \t\r\n") == "value")  // a lone LF is one of the set's characters
        #expect("   ".trimming(" ") == "")
        #expect("".trimming(" ") == "")
        #expect(" الذهب ".trimming(" ") == "الذهب")
        #expect("xax".trimming("x") == "a")
        #expect(Substring(" s ").trimming(" ") == "s")
    }
}
