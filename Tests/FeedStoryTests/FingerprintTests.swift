import Testing

@testable import FeedStory

@Suite("Stories: fingerprints")
struct FingerprintTests {
    @Test(
        "Arabic spelling variants read as one text: hamza forms, ة/ه, ى/ي, tatweel, diacritics, digits",
        arguments: [
            ("ارتفاع أسعار الذهب في مصر", "إرتفاع اسعار الذهب في مصر"),  // hamza forms
            ("سعر الذهب في السعودية", "سعر الذهب في السعوديه"),  // ة / ه
            ("مؤشر نيكى اليابانى", "مؤشر نيكي الياباني"),  // ى / ي
            ("ارتفاع أسعار الذهــــب", "ارتفاع أسعار الذهب"),  // tatweel
            ("ارتفاعُ أسعارِ الذَّهَبِ", "ارتفاع أسعار الذهب"),  // diacritics
            ("عيار ٢١ يسجل ٤٦٥٠ جنيها", "عيار 21 يسجل 4650 جنيها"),  // Arabic-Indic digits
            ("Gold RISES to Record", "gold rises to record"),  // case
        ])
    func sameText(a: String, b: String) {
        let x = StoryFingerprint(title: a, summary: nil)
        let y = StoryFingerprint(title: b, summary: nil)
        #expect(x == y)
        #expect(x.bandKeys == y.bandKeys)
    }

    @Test("verbs of one direction are one word, so an edited verb changes little")
    func editedVerb() {
        #expect(
            StoryFingerprint(title: "Gold climbs to record", summary: nil)
                == StoryFingerprint(title: "Gold rises to record", summary: nil))
        #expect(
            StoryFingerprint(title: "تراجع أسعار النفط", summary: nil)
                == StoryFingerprint(title: "انخفاض أسعار النفط", summary: nil))
    }

    @Test("the stored form round-trips; damaged bytes are refused, never trusted")
    func encoding() {
        let fp = StoryFingerprint(
            title: "Gold rises to record $4,212 on Tuesday in April", summary: "Gold rose 1.2% as the dollar fell.")
        var decoded = StoryFingerprint(encoded: fp.encoded)
        decoded?.bandKeys = fp.bandKeys
        #expect(decoded == fp)
        #expect(StoryFingerprint(encoded: []) == nil)
        #expect(StoryFingerprint(encoded: Array(fp.encoded.dropLast())) == nil)
        #expect(StoryFingerprint(encoded: [9] + fp.encoded.dropFirst()) == nil)
        #expect(StoryFingerprint(encoded: [UInt8](repeating: 0xFF, count: 64)) == nil)

        // Series, ordinals, quarters and halves are stored too.
        let labelled = StoryFingerprint(title: "Perplexity raises Series B in its second round in Q1 and H2", summary: nil)
        let f = labelled.facts
        #expect(f.series != 0 && f.ordinals != 0 && f.quarters != 0 && f.halves != 0)
        #expect(StoryFingerprint(encoded: labelled.encoded)?.facts == f)
    }

    @Test("a fingerprint stored before the label facts (version 1) still decodes, without them")
    func versionOne() throws {
        let fp = StoryFingerprint(
            title: "Gold rises to record $4,212 on Tuesday in April", summary: "Gold rose 1.2% as the dollar fell.")
        let v2 = fp.encoded
        // Version 1: the same header without the 10 bytes of series, ordinals, quarters and halves.
        let v1 = [1] + v2[1..<9] + v2[19...]
        var decoded = try #require(StoryFingerprint(encoded: Array(v1)))
        decoded.bandKeys = fp.bandKeys
        #expect(decoded == fp)
        #expect(StoryFingerprint(encoded: Array(v1.dropLast())) == nil)
    }

    @Test("text read with the wrong character set is never indexed")
    func mojibake() {
        let fp = StoryFingerprint(title: "Ð’ ÐœÐ¾ÑÐºÐ²Ðµ Ð¸Ð·-Ð·Ð° ÑÐ¸Ð»ÑŒÐ½Ñ‹Ñ… Ð¼Ð¾Ñ€Ð¾Ð·Ð¾Ð²", summary: nil)
        #expect(fp.bandKeys.isEmpty)
        #expect(!StoryFingerprint(title: "Café prices rise in São Paulo", summary: nil).bandKeys.isEmpty)
    }

    @Test("empty, hostile and huge input gives a fingerprint without crashing")
    func hostile() {
        _ = StoryFingerprint(title: nil, summary: nil)
        _ = StoryFingerprint(title: "", summary: "…")
        _ = StoryFingerprint(title: String(repeating: "9", count: 5000), summary: String(repeating: "٫٬,.:%$ ", count: 2000))
        _ = StoryFingerprint(title: "\u{202E}\u{0000}\u{FFFF} - - | |", summary: String(repeating: "word ", count: 100_000))
        let long = StoryFingerprint(title: (0..<400).map { "w\($0)" }.joined(separator: " "), summary: nil)
        #expect(StoryFingerprint(encoded: long.encoded) != nil)
    }
}
