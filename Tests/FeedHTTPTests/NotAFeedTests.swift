import FeedCore
import FeedHTTP
import FeedTestSupport
import FeedXML
import Foundation
import Testing

@Suite("Pages that are not feeds", .serialized)
struct NotAFeedTests {
    static let page = Array(
        """
        <!DOCTYPE html><html><head><title>News</title>
        <link rel="alternate" type="application/rss+xml" title="RSS" href="/feeds/rss.xml">
        <link rel="alternate" type="application/atom+xml" href="https://cdn.example.test/atom.xml">
        <link rel="stylesheet" href="/s.css"></head><body><p>Just a moment...</p></body></html>
        """.utf8)

    @Test("BI-12: an HTML page is 'not a feed', and the error names the feeds it advertises")
    func htmlInsteadOfFeed() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 200, headers: [("Content-Type", "text/html")], body: Self.page) }
        defer { server.stop() }
        let fetcher = Fetcher()
        defer { fetcher.shutdown() }
        let r = await fetcher.fetch(FetchRequest(url: server.baseURL + "/news", addressPolicy: .allowEverything))
        guard case .body(let b) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        do {
            _ = try FeedParser().parse(b.bytes, documentURL: b.finalURL, httpCharset: b.charset)
            Issue.record("an HTML page parsed as a feed")
        } catch {
            #expect(error.code == .notAFeed)
        }
        #expect(
            FeedDiscovery.advertisedFeeds(html: b.bytes, pageURL: b.finalURL)
                == [server.baseURL + "/feeds/rss.xml", "https://cdn.example.test/atom.xml"])
    }

    @Test("BI-29: a feed served as text/plain is parsed; a PNG served as RSS is not a feed")
    func sniffing() async throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        let server = try TestHTTPServer { req in
            req.path == "/png"
                ? .respond(status: 200, headers: [("Content-Type", "application/rss+xml")], body: png)
                : .respond(status: 200, headers: [("Content-Type", "text/plain")], body: rss)
        }
        defer { server.stop() }
        let fetcher = Fetcher()
        defer { fetcher.shutdown() }
        let results = await fetcher.fetchAll([
            FetchRequest(url: server.baseURL + "/txt", addressPolicy: .allowEverything),
            FetchRequest(url: server.baseURL + "/png", addressPolicy: .allowEverything),
        ])
        guard case .body(let text) = results[0].outcome, case .body(let image) = results[1].outcome else {
            Issue.record("\(results.map(\.outcome))")
            return
        }
        #expect(try FeedParser().parse(text.bytes).entries.count == 1)
        #expect(throws: ParseError.self) { try FeedParser().parse(image.bytes) }
    }

    @Test("the real binary: `fetch` and `parse` over HTTP, and the not-a-feed message")
    func binary() async throws {
        let server = try TestHTTPServer { req in
            req.path == "/page"
                ? .respond(status: 200, headers: [("Content-Type", "text/html")], body: Self.page)
                : .respond(status: 200, headers: [("Content-Type", "application/rss+xml"), ("ETag", "\"e1\"")], body: rss)
        }
        defer { server.stop() }
        let fetch = try await Program.run(
            TestPaths.binary,
            [
                "fetch", "--allow-private-networks", server.baseURL + "/rss",
                server.baseURL + "/page",
            ])
        let lines = fetch.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""outcome":"body","status":200"#) == true)
        #expect(lines.first?.contains(#""etag":"\"e1\"""#) == true)
        #expect(lines.first?.contains(#""entries":1"#) == true)
        #expect(lines.last?.contains("not a feed") == true || lines.last?.contains("HTML page") == true)
        #expect(lines.last?.contains(server.baseURL + "/feeds/rss.xml") == true)
        #expect(fetch.status == 65)
        // Without the option the loopback server is refused, and never contacted.
        let before = server.connections
        let refused = try await Program.run(TestPaths.binary, ["fetch", server.baseURL + "/rss"])
        #expect(refused.stdout.contains("refusedAddress"))
        #expect(server.connections == before)
        let parse = try await Program.run(TestPaths.binary, ["parse", server.baseURL + "/rss"])
        #expect(parse.status == 0)
        #expect(parse.stdout.contains(#""title":"Nikkei closes higher""#))
    }
}
