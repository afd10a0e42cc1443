import FeedCore
import Foundation
import Testing

@Suite("PlainText, JSONWriter, URLResolver")
struct TextTests {
    @Test func collapsesWhitespaceLikePython() {
        #expect(PlainText.collapse("  a \t\n b\u{00A0}\u{2028}c  ") == "a b c")
        #expect(PlainText.collapse("a\u{200B}b") == "a\u{200B}b")  // zero-width is not whitespace
        #expect(PlainText.collapse(" \n ") == nil)
    }

    /// Python's `" ".join(s.split())`: the definition the byte-level collapse must agree with.
    static func pythonCollapse(_ s: String) -> String? {
        let spaces: Set<UInt32> = [
            0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002,
            0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
        ]
        let words = s.unicodeScalars.split { spaces.contains($0.value) }.map { String(String.UnicodeScalarView($0)) }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    @Test func collapseAgreesWithPythonOnMixedText() {
        var rng = SystemRandomNumberGenerator()
        // Runs of letters (ASCII, Arabic, CJK), every whitespace character, and look-alikes that are not.
        let pieces = [
            "gold", "ذهب", "金", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1F}", "\u{85}",
            "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}",
            "\u{3000}", "\u{200B}", "\u{2060}", "\u{01}", "\u{7F}", "é", "—", "“", "\u{3001}", "\u{1681}", "\u{C2}",
        ]
        for _ in 0..<3000 {
            var s = ""
            for _ in 0..<Int.random(in: 0..<30, using: &rng) { s += pieces.randomElement(using: &rng)! }
            #expect(PlainText.collapse(s) == Self.pythonCollapse(s), "\(Array(s.unicodeScalars))")
        }
    }

    @Test func truncatesOnScalarBoundaryWithEllipsis() {
        let long = String(repeating: "ذهب ", count: 1000)
        let cut = PlainText.truncate(long, maxUTF8Bytes: 1024)
        #expect(cut.utf8.count <= 1024)
        #expect(cut.hasSuffix("…"))
        #expect(PlainText.truncate("short", maxUTF8Bytes: 1024) == "short")
    }

    @Test func mapsC1AsWindows1252() {
        #expect(PlainText.mapC1("\u{80}\u{93}x\u{94}") == "€“x”")
    }

    @Test func repairsDoubleEncodedUTF8() {
        #expect(PlainText.repairDoubleEncoding("cafÃ©") == "café")
        #expect(PlainText.repairDoubleEncoding("café") == "café")  // genuine Latin-1 stays
    }

    @Test func jsonEscapesControlAndLineSeparators() {
        var w = JSONWriter()
        w.beginObject()
        w.key("t")
        w.string("a\"b\\c\n\r\t\u{01}\u{2028}ذ")
        w.key("n")
        w.null()
        w.key("x")
        w.number(4)
        w.key("y")
        w.number(3.25)
        w.endObject()
        #expect(w.output == #"{"t":"a\"b\\c\n\r\t\u0001\u2028ذ","n":null,"x":4.0,"y":3.25}"#)
    }

    @Test func storySourceHasTheContractsFields() {
        // One writer for `alerts show/list --json` and `/api/alerts`: its keys, their order and their values.
        var w = JSONWriter()
        w.storySource(feed: "https://a.test/feed", title: "ذهب", link: nil, at: 86_400, role: "joined")
        #expect(
            w.output
                == #"{"feed":"https://a.test/feed","title":"ذهب","link":null,"time":"1970-01-02T00:00:00Z","role":"joined"}"#)
    }

    @Test func legacyMarksFindC1AfterOtherScripts() {
        #expect(PlainText.legacyMarks("الذهب يرتفع \u{85} اليوم").hasC1)
        #expect(!PlainText.legacyMarks("الذهب يرتفع اليوم").hasC1)
        #expect(!PlainText.legacyMarks("الذهب يرتفع اليوم").latinOnly)
        #expect(PlainText.legacyMarks("cafÃ© \u{93}").hasC1)
        #expect(PlainText.legacyMarks("cafÃ©").latinOnly)
        #expect(!PlainText.legacyMarks("café ذهب").latinOnly)
        #expect(PlainText.legacyMarks("ذهب \u{A0}\u{A0}\u{9F}").hasC1)  // C2 A0 twice, then C2 9F
        #expect(!PlainText.legacyMarks("ذهب \u{A0}\u{A0}").hasC1)
    }

    @Test func jsonEscapesAtEveryOffsetOfLongText() throws {
        // Word-at-a-time scanning: every character that needs an escape, at every position of a long text.
        for special in ["\"", "\\", "\n", "\u{01}", "\u{1F}", "\u{2028}", "\u{2029}", "\u{2026}"] {
            for offset in 0..<20 {
                let text =
                    String(repeating: "a", count: offset) + special + "الذهب والأسهم" + String(repeating: "b", count: 19 - offset)
                let quoted = JSONWriter.quoted(text)
                #expect(!quoted.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" })
                let decoded = try JSONDecoder().decode([String].self, from: Data("[\(quoted)]".utf8))
                #expect(decoded == [text], "\(special) at \(offset)")
            }
        }
    }

    @Test(
        "RFC 3986 §5.4 reference resolution examples",
        arguments: [
            ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"), ("/g", "http://a/g"),
            ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"), ("#s", "http://a/b/c/d;p?q#s"),
            ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("..", "http://a/b/"), ("../g", "http://a/b/g"),
            ("../..", "http://a/"), ("../../g", "http://a/g"), ("https://x/y", "https://x/y"),
        ])
    func resolves(ref: String, expected: String) {
        #expect(URLResolver.resolve(ref, against: "http://a/b/c/d;p?q") == expected)
    }

    @Test func timestampsRoundTrip() {
        let t = Timestamp(year: 2025, month: 6, day: 26, hour: 11, minute: 22, offsetSeconds: 3 * 3600)
        #expect(t?.iso8601 == "2025-06-26T08:22:00Z")
        #expect(Timestamp(year: 2024, month: 2, day: 30) == nil)
        #expect(Timestamp(year: 2024, month: 2, day: 29)?.iso8601 == "2024-02-29T00:00:00Z")
    }
}
