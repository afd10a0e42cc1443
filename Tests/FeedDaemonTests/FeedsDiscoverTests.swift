import FeedTestSupport
import Foundation
import Testing

/// `feedwatch feeds discover URL` against a real page on 127.0.0.1 (issue 12).
@Suite("feeds discover")
struct FeedsDiscoverTests {
    static let page = """
        <!doctype html>
        <html><head><title>Desk</title>
        <link rel="alternate" type="application/rss+xml" title="Desk: &quot;all&quot; # news" href="/rss.xml">
        <link rel="alternate" type="application/atom+xml" title="أخبار الذهب" href="atom.xml">
        <link rel="alternate" type="application/feed+json" href="/feed.json">
        <link rel="alternate" type="application/rss+xml" href="/rss.xml">
        <link rel="stylesheet" type="text/css" href="/s.css">
        </head><body></body></html>
        """

    func discover(_ args: [String]) async throws -> Program.Result {
        try await Program.run(TestPaths.binary, ["feeds", "discover"] + args)
    }

    @Test("a page with a lowercase doctype and several feeds: each once, in page order, with a YAML snippet that loads")
    func severalFeeds() async throws {
        let h = try DaemonHarness()
        h.serveRaw("/news/", Self.page)
        let base = h.server.baseURL
        let json = try await discover(["--allow-private-networks", "--json", base + "/news/"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(
            json.stdout.split(separator: "\n") == [
                #"{"type":"application/rss+xml","title":"Desk: \"all\" # news","url":"\#(base)/rss.xml"}"#,
                #"{"type":"application/atom+xml","title":"أخبار الذهب","url":"\#(base)/news/atom.xml"}"#,
                #"{"type":"application/feed+json","title":null,"url":"\#(base)/feed.json"}"#,
            ], "\(json.stdout)")

        // The snippet is YAML the daemon reads: the configuration made from it has the three feeds.
        let table = try await discover(["--allow-private-networks", base + "/news/"])
        #expect(table.status == 0)
        // Items only, to paste under the configuration's own `feeds:` (a second `feeds:` key is an error),
        // each with the allow_private a loopback address needs.
        #expect(!table.stdout.contains("\nfeeds:"), "\(table.stdout)")
        let snippet = try #require(table.stdout.range(of: "# under feeds: in the configuration")).lowerBound
        #expect(table.stdout[snippet...].components(separatedBy: "allow_private: true").count == 4, "\(table.stdout)")
        let paths = "state_dir: \(h.dir)/state\nspool_dir: \(h.spool)\nlog_file: \(h.logFile)\nfeeds:\n"
        try (paths + String(table.stdout[snippet...])).write(toFile: h.configPath, atomically: true, encoding: .utf8)
        let check = try await h.run(["check"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("3 feed"), "\(check.stdout)")
        #expect(!check.stderr.contains("blocked range"), "\(check.stderr)")
    }

    @Test("a feed address is printed as itself; a page without feeds exits 65; the SSRF gate holds by default")
    func edges() async throws {
        let h = try DaemonHarness()
        h.serve("/rss.xml", items: [("Gold", "g1")])
        h.serveRaw("/plain", "<!DOCTYPE html><html><body>nothing</body></html>")
        let base = h.server.baseURL
        let feed = try await discover(["--allow-private-networks", "--json", base + "/rss.xml"])
        #expect(feed.stdout.contains(#""type":"application/rss+xml""#) && feed.stdout.contains(base + "/rss.xml"))
        let none = try await discover(["--allow-private-networks", base + "/plain"])
        #expect(none.status == 65)
        #expect(none.stderr.contains("advertises none"), "\(none.stderr)")
        let refused = try await discover([base + "/rss.xml"])
        #expect(refused.status == 75)
        // The advice is the command's own flag, not a configuration key it does not read.
        #expect(refused.stderr.contains("pass --allow-private-networks"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("allow_private_networks"), "\(refused.stderr)")

        // A file is read, not looked up as a host name.
        let local = TestPaths.repoRoot + "/Tests/Fixtures/reader/demo-en.xml"
        let file = try await discover(["--json", local])
        #expect(file.status == 0 && file.stdout.contains(#""url":"file://\#(local)""#), "\(file.stdout)\(file.stderr)")
        let missing = try await discover(["no/such/page.html"])
        #expect(missing.status == 74 && missing.stderr.contains("no/such/page.html: no such file"), "\(missing.stderr)")
        #expect(!missing.stderr.contains("resolve host"))
        #expect(refused.stderr.contains("address policy"), "\(refused.stderr)")
    }
}
