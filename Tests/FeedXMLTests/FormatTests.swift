import FeedCore
import FeedTestSupport
import FeedXML
import Testing

@Suite("Formats")
struct FormatTests {
    let parser = FeedParser()

    func parse(_ xml: String, url: String? = nil, readContent: Bool = false) throws -> ParsedFeed {
        var limits = FeedParser.Limits()
        limits.readContent = readContent
        return try FeedParser(limits: limits).parse(Array(xml.utf8), documentURL: url)
    }

    @Test func rss20WithNamespaces() throws {
        let f = try parse(
            """
            <?xml version="1.0"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel><title>T &amp; C</title><link>http://example.com/</link><language>ar</language><ttl>30</ttl>
            <item><title>One</title><link>/a</link><guid isPermaLink="false">g1</guid>
              <dc:date>2025-06-26T08:22:00Z</dc:date><dc:creator>Ann</dc:creator><category>Gold</category>
              <description>&lt;p&gt;Hello&lt;br/&gt;world&lt;/p&gt;</description>
              <content:encoded><![CDATA[<p>Full</p>]]></content:encoded></item>
            <item><title>Two</title><guid>http://example.com/two</guid><pubDate>Thu, 26 Jun 2025 08:22:00 +0300</pubDate></item>
            </channel></rss>
            """, url: "http://example.com/feed.xml", readContent: true)
        #expect(f.format == .rss20)
        #expect(f.title == "T & C")
        #expect(f.language == "ar")
        #expect(f.ttlMinutes == 30)
        #expect(f.entries.count == 2)
        let e = f.entries[0]
        #expect(e.id == "g1")
        #expect(e.link == "http://example.com/a")  // resolved against the feed URL
        #expect(e.date?.iso8601 == "2025-06-26T08:22:00Z")
        #expect(e.summary == "Hello world")
        #expect(e.content == "Full")
        #expect(e.authors == ["Ann"])
        #expect(e.categories == ["Gold"])
        #expect(f.entries[1].link == "http://example.com/two")  // a permalink guid stands in for the link
        #expect(f.entries[1].date?.iso8601 == "2025-06-26T05:22:00Z")
    }

    @Test func rss091AndRss090() throws {
        let f = try parse(
            """
            <rss version="0.91"><channel><title>Old</title><item><title>A</title><link>http://x/a</link>
            <description>d</description></item></channel></rss>
            """)
        #expect(f.format == .rss09x)
        #expect(f.entries.first?.summary == "d")
        let g = try parse(
            """
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
            <channel><title>Netscape</title><link>http://x/</link></channel><item><title>B</title><link>http://x/b</link></item>
            </rdf:RDF>
            """)
        #expect(g.format == .rss09x)
        #expect(g.entries.first?.link == "http://x/b")
    }

    @Test func rss10() throws {
        let f = try parse(
            """
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
              xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel rdf:about="http://x/"><title>RDF</title><link>http://x/</link></channel>
            <item rdf:about="http://x/1"><title>One</title><link>http://x/1</link><dc:date>2025-06-26</dc:date>
            <description>Plain</description></item>
            </rdf:RDF>
            """)
        #expect(f.format == .rss10)
        #expect(f.title == "RDF")
        #expect(f.entries.first?.id == "http://x/1")
        #expect(f.entries.first?.date?.iso8601 == "2025-06-26T00:00:00Z")
    }

    @Test func atom10WithXmlBaseAndTypedText() throws {
        let f = try parse(
            """
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/blog/">
            <title type="html">A &lt;b&gt;bold&lt;/b&gt; title</title>
            <link href="./"/><link rel="self" href="feed.atom"/>
            <entry xml:base="2025/"><title type="text">AT&amp;T &lt;b&gt;</title>
              <link rel="alternate" type="text/html" href="06/post"/><link rel="enclosure" href="x.mp3"/>
              <id>urn:uuid:1</id><updated>2025-06-26T08:22:00Z</updated><published>2025-06-25T08:00:00+02:00</published>
              <author><name>Zed</name></author><category term="markets"/>
              <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Para</p><p>two</p></div></content>
            </entry></feed>
            """)
        #expect(f.format == .atom10)
        #expect(f.title == "A bold title")
        #expect(f.link == "http://example.org/blog/")
        let e = try #require(f.entries.first)
        #expect(e.title == "AT&T <b>")  // type="text" stays literal
        #expect(e.link == "http://example.org/blog/2025/06/post")
        #expect(e.published?.iso8601 == "2025-06-25T06:00:00Z")
        #expect(e.updated?.iso8601 == "2025-06-26T08:22:00Z")
        #expect(e.summary == "Para two")  // xhtml content fills the missing summary
        #expect(e.authors == ["Zed"])
        #expect(e.categories == ["markets"])
    }

    @Test func atom03ModesIncludingBase64() throws {
        let f = try parse(
            """
            <feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title>
            <entry><title mode="escaped" type="text/html">&lt;i&gt;Hi&lt;/i&gt;</title><issued>2004-01-01T00:00:00Z</issued>
            <summary mode="base64" type="text/plain">SGVsbG8gd29ybGQ=</summary></entry></feed>
            """)
        #expect(f.format == .atom03)
        #expect(f.entries.first?.title == "Hi")
        #expect(f.entries.first?.summary == "Hello world")
        #expect(f.entries.first?.date?.iso8601 == "2004-01-01T00:00:00Z")
    }

    @Test func htmlBecomesPlainText() throws {
        let f = try parse(
            """
            <rss version="2.0"><channel><item><title>Gold &amp;amp; silver</title>
            <description><![CDATA[<div>Price<script>alert(1)</script><style>p{}</style><br>rose &eacute;&#1575;&nbsp;<b>2%</b></div><p>Next</p>]]></description>
            </item></channel></rss>
            """)
        #expect(f.entries[0].title == "Gold & silver")
        #expect(f.entries[0].summary == "Price rose éا 2% Next")
    }

    @Test func seedFeedsParse() throws {
        let ar = try parser.parse(try TestPaths.seed("arabic-news.xml"))
        #expect(ar.format == .rss20)
        #expect(ar.entries.count == 4)
        #expect(ar.entries[0].title == "توتر في علاقة التحالف، هل تقترب شراكة «أوبن إيه آي» ومايكروسوفت من النهاية؟")
        #expect(ar.entries[0].date?.iso8601 == "2025-06-26T11:22:00Z")
        #expect(ar.entries[1].date?.iso8601 == "2025-06-26T12:07:00Z")
        let atom = try parser.parse(try TestPaths.seed("tech-partnerships.atom"))
        #expect(atom.entries.count == 3)
        #expect(atom.entries[0].link == "https://tech.example.com/2025/06/26/openai-microsoft-renegotiate")
        let en = try parser.parse(try TestPaths.seed("business-markets.rss"))
        #expect(en.entries.map(\.date?.iso8601) == ["2025-06-26T06:15:00Z", "2025-06-26T07:48:00Z", "2025-12-08T19:00:00Z"])
        #expect(en.entries[1].summary == "Spot gold gained 0.6% to $3,350.20 an ounce; U.S. gold futures rose 0.5%.")
    }

    @Test func notAFeed() {
        #expect(throws: ParseError.self) { try parse("<html><head><title>x</title></head><body>hi</body></html>") }
        do {
            _ = try parse("<!DOCTYPE html><html><body><p>Just a moment...</p></body></html>")
            Issue.record("an HTML page must not parse as a feed")
        } catch {
            #expect((error as? ParseError)?.code == .notAFeed)
        }
    }

    @Test(
        "an HTML page is 'not a feed' whatever its doctype's case (lowercase used to be 'extra content')",
        arguments: [
            "<!doctype html>\n<html><body><p>x<br></p></body></html>",
            "<!DOCTYPE html><html><body></body></html>",
            "\u{FEFF}  <!-- generated -->\n<!DocType HTML><html lang=ar><body>ذهب</body></html>",
            "<html><head><title>t</title></head></html>",
        ])
    func htmlPages(page: String) {
        #expect(throws: ParseError.self) { try parser.parse(Array(page.utf8)) }
        do {
            _ = try parser.parse(Array(page.utf8))
        } catch {
            #expect(error.code == .notAFeed)
            #expect(error.description.contains("an HTML page"), "\(error.description)")
        }
    }

    @Test("a root element that merely starts with 'html' is reported by its name, not as a page")
    func htmlLikeNames() {
        do {
            _ = try parser.parse(Array("<htmlfeed/>".utf8))
            Issue.record("parsed")
        } catch {
            #expect(error.description.contains("root element <htmlfeed>"), "\(error.description)")
        }
    }
}
