import FeedTestSupport
import Testing

@testable import FeedXML

/// OPML subscription lists: our nested file, the export shapes of newsboat, Miniflux and FreshRSS
/// (Tests/Fixtures/opml/README.md says where each shape comes from), hostile files, and the writer.
@Suite("OPML")
struct OPMLTests {
    func fixture(_ name: String) throws -> OPMLDocument {
        try OPMLDocument.parse(try TestPaths.bytes(TestPaths.repoRoot + "/Tests/Fixtures/opml/" + name))
    }

    func code(_ text: String) -> ParseError? {
        do {
            _ = try OPMLDocument.parse(Array(text.utf8))
            return nil
        } catch { return error }
    }

    @Test("nested categories become the category path; text, else title, is the name; xmlUrl in any case")
    func nested() throws {
        let d = try fixture("nested.opml")
        #expect(d.title == "Desk subscriptions")
        #expect(
            d.feeds == [
                OPMLFeed(url: "https://top.example/rss", name: "Top level", categories: [], line: 7),
                OPMLFeed(
                    url: "https://arabic.example/economy.xml", name: "الجزيرة — اقتصاد", categories: ["News", "Arabic"],
                    line: 10),
                OPMLFeed(
                    url: "https://arabic.example/title-only.xml", name: "Only a title", categories: ["News", "Arabic"],
                    line: 11),
                OPMLFeed(
                    url: "https://markets.example/gold?a=1&b=2", name: "Reuters \"Gold\" <live>",
                    categories: ["News", "Markets & Gold"], line: 14),
                OPMLFeed(
                    url: "https://markets.example/unnamed.xml", name: nil, categories: ["News", "Markets & Gold"], line: 15),
                OPMLFeed(url: "https://blog.example/feed", name: "Blog", categories: ["Titled category"], line: 20),
                // Duplicates are the loader's to judge (it knows the other files): the parser keeps both.
                OPMLFeed(url: "https://top.example/rss", name: "Again", categories: [], line: 23),
            ])
        #expect(d.skipped.isEmpty)
    }

    @Test("newsboat -e: OPML 1.0, flat, title only; an empty title is no name")
    func newsboat() throws {
        let d = try fixture("newsboat.opml")
        #expect(d.feeds.map(\.name) == ["Hacker News", "الجزيرة نت", nil])
        #expect(d.feeds.map(\.url).last == "https://blog.example.org/feed.xml?tag=a&lang=en")
        #expect(d.feeds.allSatisfy { $0.categories.isEmpty })
        #expect(d.feeds.map(\.line) == [7, 8, 9])
    }

    @Test(
        "a real export of newsboat 2.21 (`newsboat -e`, this machine's): numeric references, empty titles, query feeds left out")
    func newsboatRealExport() throws {
        let d = try fixture("newsboat-2.21-export.opml")
        #expect(d.feeds.map(\.name) == ["الجزيرة نت", "BBC Business", nil, nil])
        #expect(d.feeds.map(\.url).last == "https://example.org/feed.json")
        #expect(d.feeds.allSatisfy { $0.categories.isEmpty })
    }

    @Test("Miniflux: one level of categories, Go's escapes, miniflux: attributes ignored")
    func miniflux() throws {
        let d = try fixture("miniflux.opml")
        #expect(d.feeds.map(\.name) == ["Miniflux", "Bank's \"Markets\"", "Gold prices"])
        #expect(d.feeds.map(\.categories) == [["All"], ["All"], ["Gold"]])
        #expect(
            d.feeds.map(\.url) == [
                "https://miniflux.app/feed.xml", "https://bank.example/markets.atom", "https://gold.example/rss",
            ])
    }

    @Test("FreshRSS: frss: attributes ignored, JSON Feeds kept, scraped HTML+XPath sites left out with their line")
    func freshRSS() throws {
        let d = try fixture("freshrss.opml")
        #expect(
            d.feeds.map(\.url) == [
                "https://github.com/FreshRSS/FreshRSS/releases.atom", "https://json.example/feed.json",
                "https://filtered.example/rss", "https://shared.example/rss",
            ])
        #expect(d.feeds.map(\.categories) == [["Uncategorized"], ["Uncategorized"], ["Scraped"], ["Dynamic"]])
        #expect(d.skipped.map(\.line) == [13])
        #expect(d.skipped.first?.reason.contains("HTML+XPath") == true)
    }

    @Test("hostile and broken files are refused with a reason and, where there is one, the line")
    func refused() throws {
        let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE opml [<!ENTITY a \"aaaa\">]>\n<opml><body/></opml>"
        #expect(code(laughs)?.code == .entityDeclaration)
        #expect(code(laughs)?.line == 2)
        let broken = "<opml version=\"2.0\">\n<body>\n<outline text=\"a\" xmlUrl=\"https://a.test/\">\n</body></opml>\n\n"
        #expect(code(broken)?.code == .malformed)
        #expect(code(broken)?.line == 4)
        #expect(code("<rss version=\"2.0\"><channel/></rss>")?.code == .notAFeed)
        #expect(code("  \n")?.code == .empty)
        let deep = "<opml><body>" + String(repeating: "<outline text=\"x\">", count: 300) + "</body></opml>"
        #expect(code(deep)?.code == .hostileShape)
        #expect(code("<opml>" + String(repeating: "x", count: OPMLDocument.maxBytes) + "</opml>")?.code == .tooLarge)
    }

    @Test("an external DTD or entity is never fetched: the file is read as it is")
    func noNetwork() throws {
        let d = try OPMLDocument.parse(
            Array(
                """
                <?xml version="1.0"?>
                <!DOCTYPE opml SYSTEM "http://127.0.0.1:9/opml.dtd">
                <opml version="1.0"><body><outline text="A &nbsp;B" xmlUrl="https://a.test/"/></body></opml>
                """.utf8))
        #expect(d.feeds == [OPMLFeed(url: "https://a.test/", name: "A B", categories: [], line: 3)])
    }

    @Test("the writer's document reads back to the same feeds: nested categories, escapes, no name")
    func roundTrip() throws {
        let feeds = [
            OPMLFeed(url: "https://a.test/rss?x=1&y=\"2\"", name: "A <&> \"quoted\" 'single'", categories: []),
            OPMLFeed(url: "https://b.test/rss", name: nil, categories: ["News", "Arabic & more"]),
            OPMLFeed(url: "https://c.test/rss", name: "ذهب", categories: ["News"]),
            OPMLFeed(url: "https://d.test/rss", name: "D", categories: ["News", "Arabic & more"]),
            OPMLFeed(url: "file:///srv/feeds/local.xml", name: "Tab\there", categories: ["Other"]),
        ]
        let text = OPMLWriter.document(feeds, title: "T & T")
        let back = try OPMLDocument.parse(Array(text.utf8))
        #expect(back.title == "T & T")
        let strip = { (f: OPMLFeed) in OPMLFeed(url: f.url, name: f.name, categories: f.categories) }
        // A tab in an attribute reads back as a space, which collapsing keeps; grouping puts a category's
        // feeds together, so compare by URL.
        var expected = feeds
        expected[4].name = "Tab here"
        #expect(back.feeds.map(strip).sorted { $0.url < $1.url } == expected.sorted { $0.url < $1.url })
        #expect(text.contains("<outline text=\"News\">"), "\(text)")
    }
}
