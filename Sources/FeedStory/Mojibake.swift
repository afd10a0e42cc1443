/// Text that was decoded with the wrong character set ("ÐœÐ¾ÑÐºÐ²Ðµ" for "Москве") reads as a handful of
/// two-letter "words" shared by every such title, so it would match everything. It is recognised by the
/// pattern UTF-8 bytes leave when read as Latin-1 or windows-1252 (a lead byte Â Ã Ð Ñ Ø Ù … followed by
/// a continuation byte's character) and the story stage then never merges it.
enum Mojibake {
    static func likely(_ text: String) -> Bool {
        var pairs = 0
        var letters = 0
        var previousWasLead = false
        for s in text.unicodeScalars {
            let v = s.value
            if previousWasLead, isContinuation(v) { pairs += 1 }
            previousWasLead = (0xC2...0xDF).contains(v) || (0xE0...0xEF).contains(v)
            if s.properties.isAlphabetic { letters += 1 }
        }
        return pairs >= 3 && pairs * 5 >= letters
    }

    /// A byte 0x80–0xBF as Latin-1 shows it, or as windows-1252 shows 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ).
    private static func isContinuation(_ v: UInt32) -> Bool {
        (0x80...0xBF).contains(v)
            || [
                0x20AC, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
                0x2039, 0x0152, 0x017D, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x017E, 0x0178,
            ].contains(v)
    }
}
