import FeedCore
import Foundation
import Testing

@testable import FeedXML

/// JSON Feed 1.0/1.1 read beside RSS and Atom (issue 12), and hostile JSON refused or tamed: depth, size,
/// wrong types, NUL, a top-level array, a missing `items`.
@Suite("JSON Feed")
struct JSONFeedTests {
    let parser = FeedParser()

    func parse(_ json: String, url: String? = nil) throws(ParseError) -> ParsedFeed {
        try parser.parse(Array(json.utf8), documentURL: url)
    }

    func failure(_ json: String) -> ParseError? {
        do {
            _ = try parse(json)
            return nil
        } catch { return error }
    }

    @Test("1.1: fields, the summary's precedence, HTML content as text, authors, tags, relative links")
    func version11() throws {
        let feed = try parse(
            """
            \u{FEFF}{"version": "https://jsonfeed.org/version/1.1", "title": "  Gold\\n desk ", "home_page_url": "https://ex.org/",
             "language": "ar", "authors": [{"name": "Desk"}],
             "items": [
              {"id": 42, "url": "/a/1", "title": "سعر الذهب", "content_html": "<p>Gold <b>up</b></p><script>x()</script>",
               "date_published": "2026-11-28T10:00:00+03:00", "tags": ["gold", 7]},
              {"id": "b", "summary": "Short", "content_text": "Long text", "date_modified": "Sat, 28 Nov 2026 07:00:00 GMT",
               "authors": [{"name": "Someone"}, {"url": "https://no.name/"}], "language": "en"}
             ]}
            """, url: "https://ex.org/feed.json")
        #expect(feed.format == .json11)
        #expect(feed.title == "Gold desk")
        #expect(feed.link == "https://ex.org/")
        #expect(feed.bozo == false)
        #expect(feed.entries.count == 2)
        let a = feed.entries[0]
        #expect(a.id == "42")
        #expect(a.link == "https://ex.org/a/1")
        #expect(a.summary == "Gold up")
        #expect(a.published?.iso8601 == "2026-11-28T07:00:00Z")
        #expect(a.categories == ["gold"])
        #expect(a.authors == ["Desk"])
        #expect(a.language == "ar")
        let b = feed.entries[1]
        #expect(b.summary == "Short")
        #expect(b.published == nil)
        #expect(b.updated?.iso8601 == "2026-11-28T07:00:00Z")
        #expect(b.authors == ["Someone"])
        #expect(b.language == "en")
    }

    @Test("1.0 with its single author; leading white space before the object")
    func version10() throws {
        let feed = try parse(
            "\n  {\"version\": \"https://jsonfeed.org/version/1\", \"title\": \"T\", \"author\": {\"name\": \"A\"}, \"items\": [{\"id\": \"1\", \"content_text\": \"x\"}]}"
        )
        #expect(feed.format == .json10)
        #expect(feed.entries.first?.authors == ["A"])
        #expect(feed.entries.first?.summary == "x")
    }

    @Test("wrong types are absent, not fatal: a numeric title, an object url, a non-object item (bozo)")
    func wrongTypes() throws {
        let feed = try parse(
            #"{"version": "https://jsonfeed.org/version/1.1", "title": 5, "home_page_url": {"x": 1}, "items": [{"id": "1", "title": ["x"], "url": 3, "date_published": 12, "tags": "gold"}, "stray", 4]}"#
        )
        #expect(feed.title == nil)
        #expect(feed.link == nil)
        #expect(feed.entries.count == 1)
        #expect(feed.entries[0].title == nil)
        #expect(feed.entries[0].link == nil)
        #expect(feed.entries[0].published == nil)
        #expect(feed.entries[0].categories.isEmpty)
        #expect(feed.bozo)
        #expect(feed.bozoReason?.contains("2 item(s) not an object") == true, "\(feed.bozoReason ?? "")")
    }

    @Test("NUL and other control characters, escaped in strings, never reach a text")
    func controlCharacters() throws {
        let feed = try parse(
            #"{"version": "https://jsonfeed.org/version/1.1", "title": "a\u0000b", "items": [{"id": "x\u0000y", "title": "Gold\u0007\u001fprice"}]}"#
        )
        #expect(feed.title == "a b")
        #expect(feed.entries[0].id == "x y")
        #expect(feed.entries[0].title == "Gold price")
    }

    @Test("a raw NUL byte is not JSON: refused as malformed with its line")
    func rawNUL() {
        let e = failure("{\"version\": \"https://jsonfeed.org/version/1.1\",\n \"title\": \"a\0b\", \"items\": []}")
        #expect(e?.code == .malformed)
        #expect(e?.line == 2, "\(String(describing: e))")
    }

    @Test("a top-level array, a JSON object without a jsonfeed.org version, and items not an array are not feeds")
    func notFeeds() {
        #expect(failure(#"[{"version": "https://jsonfeed.org/version/1.1"}]"#)?.code == .notAFeed)
        #expect(failure(#"{"name": "package.json", "version": "1.0.0"}"#)?.code == .notAFeed)
        #expect(failure(#"{"version": "https://jsonfeed.org/version/1.1", "items": {"id": 1}}"#)?.code == .notAFeed)
    }

    @Test("a missing items array is an empty feed, flagged")
    func missingItems() throws {
        let feed = try parse(#"{"version": "https://jsonfeed.org/version/1", "title": "Empty"}"#)
        #expect(feed.entries.isEmpty)
        #expect(feed.bozo)
        #expect(feed.title == "Empty")
    }

    @Test("nesting 100,000 deep is refused as hostile, quickly and without a crash")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let e = failure(#"{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "x": "# + deep + "}]}")
        #expect(e?.code == .hostileShape)
    }

    @Test("a document over the size cap is refused before it is read; the item count is capped")
    func size() throws {
        var limits = FeedParser.Limits()
        limits.documentBytes = 64 * 1024
        limits.maxEntries = 10
        let items = (0..<5000).map { #"{"id": "\#($0)"}"# }.joined(separator: ",")
        let big = #"{"version": "https://jsonfeed.org/version/1.1", "items": [\#(items)]}"#
        #expect(throws: ParseError.self) { try FeedParser(limits: limits).parse(Array(big.utf8)) }
        limits.documentBytes = 1 << 20
        let capped = try FeedParser(limits: limits).parse(Array(big.utf8))
        #expect(capped.entries.count == 10)
    }
}
