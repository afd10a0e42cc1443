import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `feed_files` (OPML) and `feedwatch feeds list | export`, end to end with the real binary (issue 12).
@Suite("Feeds from OPML", .serialized)
struct FeedsCommandTests {
    /// A configuration whose one YAML feed (line 2) has tags, reading `subs.opml` beside it.
    func writeConfig(_ h: DaemonHarness, yamlFeed: String = "/yaml.xml", opml: String) throws {
        try """
        feeds:
          - url: \(h.server.baseURL)\(yamlFeed)
            name: YAML feed
            tags: [desk, " gold  prices "]
        feed_files: [subs.opml]
        state_dir: \(h.dir)/state
        spool_dir: \(h.spool)
        log_file: \(h.logFile)
        fetch:
          allow_private_networks: true
          timeout: 10s
        alerts:
          max_age: 0
        """.write(toFile: h.configPath, atomically: true, encoding: .utf8)
        try opml.write(toFile: h.dir + "/subs.opml", atomically: true, encoding: .utf8)
    }

    /// An OPML body with the gold feed at line 4 and the plain one at line 6, then `more` lines.
    func opml(_ h: DaemonHarness, more: String = "") -> String {
        """
        <opml version="2.0"><head><title>t</title></head><body>
        <outline text="Markets">
        <outline text="Gold">
        <outline text="Gold &amp; silver desk" type="rss" xmlUrl="\(h.server.baseURL)/gold.xml"/>
        </outline></outline>
        <outline title="Plain" xmlUrl="\(h.server.baseURL)/plain.xml"/>
        \(more)
        </body></opml>
        """
    }

    func listJSON(_ h: DaemonHarness) async throws -> [[String: Any]] {
        let r = try await h.run(["feeds", "list", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// (url, name, tags) of each listed feed, by URL.
    func essentials(_ list: [[String: Any]]) -> [String] {
        list.map { "\($0["url"] ?? "") | \($0["name"] ?? "null") | \(($0["tags"] as? [String]) ?? [])" }.sorted()
    }

    @Test("feeds list shows YAML and OPML feeds with their tags and their source line")
    func list() async throws {
        let h = try DaemonHarness()
        try writeConfig(h, opml: opml(h))
        let list = try await listJSON(h)
        #expect(list.count == 3)
        #expect(list.map { $0["url"] as? String } == ["/yaml.xml", "/gold.xml", "/plain.xml"].map { h.server.baseURL + $0 })
        #expect(list.map { $0["name"] as? String } == ["YAML feed", "Gold & silver desk", "Plain"])
        #expect(list.map { $0["tags"] as? [String] } == [["desk", "gold prices"], ["Markets", "Gold"], []])
        let sources = list.map { $0["source"] as? [String: Any] }
        #expect(sources.map { $0?["line"] as? Int } == [2, 4, 6])
        #expect(sources[0]?["file"] as? String == h.configPath)
        #expect((sources[1]?["file"] as? String)?.hasSuffix("/subs.opml") == true)

        let table = try await h.run(["feeds", "list"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("subs.opml:4"), "\(table.stdout)")
        #expect(table.stdout.contains("Markets/Gold"))
        #expect(table.stdout.contains("feedwatch.yaml:2"))
    }

    @Test("feeds export writes OPML that, used as feed_files in a fresh configuration, lists the same feeds")
    func exportRoundTrip() async throws {
        let h = try DaemonHarness()
        try writeConfig(h, opml: opml(h))
        let before = try await listJSON(h)
        let exported = try await h.run(["feeds", "export"])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"))
        #expect(exported.stdout.contains("text=\"Gold &amp; silver desk\""), "\(exported.stdout)")

        let fresh = try DaemonHarness()
        try exported.stdout.write(toFile: fresh.dir + "/exported.opml", atomically: true, encoding: .utf8)
        try "feed_files: [exported.opml]\nstate_dir: state\nspool_dir: spool\nlog_file: alerts.log\n"
            .write(toFile: fresh.configPath, atomically: true, encoding: .utf8)
        let after = try await listJSON(fresh)
        #expect(after.count == 3)
        #expect(essentials(after) == essentials(before))
        #expect(after.allSatisfy { ($0["source"] as? [String: Any])?["file"] as? String == fresh.dir + "/exported.opml" })
    }

    @Test("a URL in both the YAML and an OPML file is a configuration error naming both places")
    func duplicateAcrossFiles() async throws {
        let h = try DaemonHarness()
        try writeConfig(h, yamlFeed: "/gold.xml", opml: opml(h))
        let r = try await h.run(["check"])
        #expect(r.status == 78)
        #expect(
            r.stderr.contains(
                "/subs.opml:4: feed \(h.server.baseURL)/gold.xml is listed twice: also at \(h.configPath):2"),
            "\(r.stderr)")
        #expect(try await h.run(["once"]).status == 78, "the daemon refuses it as check does")
    }

    @Test("a URL listed twice in one OPML file is a warning, and the feed is used once")
    func duplicateInOneFile() async throws {
        let h = try DaemonHarness()
        try writeConfig(h, opml: opml(h, more: "<outline text=\"Again\" xmlUrl=\"\(h.server.baseURL)/gold.xml#x\"/>"))
        let r = try await h.run(["check"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stderr.contains(
                "/subs.opml:7: feed \(h.server.baseURL)/gold.xml#x is listed twice in this file (first at line 4); used once"),
            "\(r.stderr)")
        #expect(r.stdout.contains("ok (3 feed(s)"), "\(r.stdout)")
        let list = try await listJSON(h)
        #expect(list.filter { ($0["url"] as? String)?.contains("/gold.xml") == true }.count == 1)
    }

    @Test("a broken OPML file is a configuration error with its file and line")
    func broken() async throws {
        let h = try DaemonHarness()
        try writeConfig(h, opml: "<opml version=\"2.0\">\n<body>\n<outline text=\"a\">\n</body></opml>\n")
        let r = try await h.run(["check"])
        #expect(r.status == 78)
        #expect(r.stderr.contains("/subs.opml:4: not a usable OPML file: "), "\(r.stderr)")
    }

    @Test("an empty tag, a missing feed file and a feed file listed twice are errors at their place")
    func badEntries() async throws {
        let h = try DaemonHarness()
        try "feeds:\n  - url: https://a.test/x\n    tags: [a, \" \"]\nfeed_files: [gone.opml, subs.opml, ./subs.opml]\n"
            .write(toFile: h.configPath, atomically: true, encoding: .utf8)
        try opml(h).write(toFile: h.dir + "/subs.opml", atomically: true, encoding: .utf8)
        let r = try await h.run(["check"])
        #expect(r.status == 78)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(r.stderr)")
        #expect(lines.first == "\(h.configPath):3:15: feeds[0].tags[1]: a tag cannot be empty")
        #expect(lines.dropFirst().first?.hasPrefix("\(h.configPath):4:36: feed_files[2]: ") == true, "\(r.stderr)")
        #expect(lines.dropFirst().first?.hasSuffix("/subs.opml is listed twice") == true, "\(r.stderr)")
        #expect(lines.last == "\(h.dir)/gone.opml: cannot read the feed file: No such file or directory")
    }

    @Test("once polls a feed listed only in OPML and alerts")
    func oncePollsOPMLFeed() async throws {
        let h = try DaemonHarness()
        h.serve("/gold.xml", items: [(goldTitle, "g1")])
        h.serve("/yaml.xml", items: [(plainTitle, "p1")])
        h.serve("/plain.xml", items: [(plainTitle, "p2")])
        try writeConfig(h, opml: opml(h))
        let r = try await h.run(["once"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(h.alertTitles == [goldTitle])
        #expect((h.alerts.first?["feed"] as? [String: Any])?["url"] as? String == h.server.baseURL + "/gold.xml")
    }

    @Test("SIGHUP reads the OPML files again; a broken one is a refused reload naming file and line")
    func reload() async throws {
        let h = try DaemonHarness()
        h.serve("/yaml.xml", items: [(goldTitle, "g1")])
        h.serve("/gold.xml", items: [(plainTitle, "p2")])
        h.serve("/plain.xml", items: [(plainTitle, "p3")])
        h.serve("/ai.xml", items: [(aiTitle, "n1")])
        try writeConfig(h, opml: opml(h))
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        // Running, signal handlers in place: its first alert is out.
        #expect(eventually { h.alertTitles == [goldTitle] }, "\(daemon.stderr)")

        // A feed added to the OPML file only: the reload picks it up and polls it.
        try opml(h, more: "<outline text=\"AI\" xmlUrl=\"\(h.server.baseURL)/ai.xml\"/>")
            .write(toFile: h.dir + "/subs.opml", atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(eventually { h.alertTitles == [aiTitle, goldTitle].sorted() }, "\(daemon.stderr)")

        try "<opml>\n<body>\n<outline>\n</opml>\n".write(toFile: h.dir + "/subs.opml", atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(eventually { daemon.stderr.contains("reload refused") }, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("/subs.opml:4: not a usable OPML file"), "\(daemon.stderr)")
        #expect(daemon.process.isRunning)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 20) == 0, "\(daemon.stderr)")
    }

    /// Issue 23, finding 9: an OPML file from elsewhere must not make the daemon read local files.
    @Test("a file: outline in an OPML file is left out with a warning unless its entry allows file URLs")
    func fileOutlines() async throws {
        let h = try DaemonHarness()
        h.serve("/gold.xml", items: [(goldTitle, "g1")])
        let local = h.dir + "/local.xml"
        try """
        <?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>
        <item><title>\(aiTitle)</title><guid>l1</guid></item></channel></rss>
        """.write(toFile: local, atomically: true, encoding: .utf8)
        let body = """
            <opml version="2.0"><head><title>t</title></head><body>
            <outline text="Gold" xmlUrl="\(h.server.baseURL)/gold.xml"/>
            <outline text="Local" xmlUrl="file://\(local)"/>
            </body></opml>
            """
        try writeConfig(h, opml: body)
        let check = try await h.run(["check"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(
            (check.stdout + check.stderr).contains("subs.opml:3: left out: a file: URL from an OPML file"),
            "\(check.stdout)\(check.stderr)")
        #expect(
            try await listJSON(h).map { $0["url"] as? String } == [
                "\(h.server.baseURL)/yaml.xml", "\(h.server.baseURL)/gold.xml",
            ])
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertTitles == [goldTitle], "the local file was not read")

        // Allowed for this file: the outline is a feed like the others.
        let text = try String(contentsOfFile: h.configPath, encoding: .utf8)
            .replacingOccurrences(of: "feed_files: [subs.opml]", with: "feed_files: [{path: subs.opml, allow_file_urls: true}]")
        try text.write(toFile: h.configPath, atomically: true, encoding: .utf8)
        #expect(try await listJSON(h).count == 3)
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertTitles == [aiTitle, goldTitle].sorted())
    }
}
