import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

let goldTitle = "Gold prices rise as the dollar weakens"
let aiTitle = "Nvidia to invest $100 billion in OpenAI"
let plainTitle = "Local bakery wins a prize"

/// End to end with the real binary, a real HTTP server, real SQLite and a real spool (issue 5).
@Suite("Daemon: once", .serialized)
struct OnceTests {
    @Test("a JSON Feed served as application/feed+json is polled like RSS: one alert per matching item, once")
    func jsonFeed() async throws {
        let h = try DaemonHarness()
        func items(_ list: [(String, String)]) -> String {
            let objects = list.map { #"{"id": "\#($0.1)", "url": "https://example.test/\#($0.1)", "title": "\#($0.0)"}"# }
            return
                #"{"version": "https://jsonfeed.org/version/1.1", "title": "Desk", "items": [\#(objects.joined(separator: ","))]}"#
        }
        h.serveRaw("/f.json", items([(goldTitle, "g1"), (plainTitle, "p1")]))
        try h.writeConfig(feeds: ["/f.json"])
        let first = try await h.run(["once"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(h.alertTitles == [goldTitle])
        h.serveRaw("/f.json", items([(goldTitle, "g1"), (plainTitle, "p1"), (aiTitle, "n1")]))
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertTitles == [aiTitle, goldTitle].sorted())
        let alert = try #require(h.alerts.first { ($0["entry"] as? [String: Any])?["title"] as? String == aiTitle })
        #expect((alert["entry"] as? [String: Any])?["link"] as? String == "https://example.test/n1")
    }

    @Test("a configured web page (lowercase doctype) is followed to the first feed it advertises, kept, and shown by status")
    func discoveredFeed() async throws {
        let h = try DaemonHarness()
        let page = """
            <!doctype html>
            <html><head><title>Desk</title>
            <link rel="alternate" type="application/xml" href="/sitemap.xml">
            <link rel="alternate" type="application/rss+xml" title="Desk RSS" href="/rss.xml">
            <link rel="alternate" type="application/feed+json" href="/feed.json">
            </head><body><h1>\(plainTitle)</h1></body></html>
            """
        h.serveRaw("/", page)
        h.serve("/rss.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/"])
        let first = try await h.run(["once"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(h.alertTitles == [goldTitle])
        #expect(first.stderr.contains("web page advertising") && first.stderr.contains("/rss.xml"), "\(first.stderr)")
        // Kept: the next poll goes to the feed itself (the page is gone now), and says nothing more about it.
        h.serveRaw("/", "gone")
        h.serve("/rss.xml", items: [(goldTitle, "g1"), (aiTitle, "n1")])
        let second = try await h.run(["once"])
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(!second.stderr.contains("web page advertising"))
        #expect(h.alertTitles == [aiTitle, goldTitle].sorted())
        let status = try await h.run(["status", "--json"])
        #expect(status.stdout.contains(#""current_url":"\#(h.server.baseURL)/rss.xml""#), "\(status.stdout)")
    }

    @Test("new matching entries alert once; unchanged, restarted and edited feeds do not alert again")
    func exactlyOnce() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(goldTitle, "g1"), (plainTitle, "p1")])
        try h.writeConfig(feeds: ["/a.xml"])
        let first = try await h.run(["once"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(h.alertTitles == [goldTitle])
        #expect(h.logLines.count == 1)
        #expect(h.logLines.first?.contains("gold-prices") == true)

        // Unchanged feed, and a restart: nothing new.
        #expect(try await h.run(["once"]).status == 0)
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == 1)

        // An edit with no new topic: no alert. A new entry: one more alert.
        h.serve("/a.xml", items: [(goldTitle + " again", "g1"), (plainTitle, "p1"), (aiTitle, "n1")])
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertTitles == [aiTitle, goldTitle].sorted())
        #expect(h.logLines.count == 2)

        // The alert file follows the contract.
        let alert = try #require(h.alerts.first { ($0["entry"] as? [String: Any])?["title"] as? String == aiTitle })
        #expect((alert["id"] as? String)?.count == 32)
        #expect((alert["topics"] as? [[String: Any]])?.first?["name"] as? String == "ai-partnerships")
        #expect((alert["feed"] as? [String: Any])?["url"] as? String == h.server.baseURL + "/a.xml")
        #expect((alert["entry"] as? [String: Any])?["id"] as? String == "n1")
        let name = try #require(h.alertFiles.first)
        #expect(
            name.hasSuffix(".\(alert["id"] as? String ?? "").json")
                || h.alertFiles.contains { $0.hasSuffix(".\(alert["id"] as? String ?? "").json") })
    }

    @Test("baseline: a new feed's current entries are marked seen, later ones alert")
    func baseline() async throws {
        let h = try DaemonHarness()
        h.serve("/b.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/b.xml"], alerts: "first_poll: baseline\nmax_age: 0")
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.isEmpty)
        h.serve("/b.xml", items: [(goldTitle, "g1"), (aiTitle, "n1")])
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertTitles == [aiTitle])
    }

    @Test("identifier churn raises one warning, not hundreds of alerts (BI-15)")
    func churn() async throws {
        let h = try DaemonHarness()
        h.serve("/c.xml", items: [(goldTitle, "g0")])
        try h.writeConfig(feeds: ["/c.xml"], alerts: "churn_limit: 10\nmax_age: 0")
        #expect(try await h.run(["once"]).status == 0)
        h.serve("/c.xml", items: (1...40).map { ("\(goldTitle) \($0)", "churned-\($0)") })
        let r = try await h.run(["once"])
        #expect(r.stdout.contains("churn"))
        #expect(r.stderr.contains("identifier churn"))
        #expect(h.alertFiles.count == 1)
    }

    @Test("duplicate guids within one document collapse to one alert, the first (BI-14)")
    func duplicates() async throws {
        let h = try DaemonHarness()
        // The same guid on different stories: read as separate entries they would raise alerts with other
        // topics, hence other ids, and the spool's own dedupe would not hide it.
        h.serve("/d.xml", items: [(goldTitle, "same"), (aiTitle, "same"), (goldTitle + " (copy)", "same")])
        try h.writeConfig(feeds: ["/d.xml"])
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == 1)
        #expect(h.alertTitles == [goldTitle])
    }

    @Test("a full disk leaves alerts pending, then they are delivered (BI-36)")
    func diskFull() async throws {
        let h = try DaemonHarness()
        h.serve("/e.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/e.xml"])
        let faults = try h.faults("spool-full")
        let full = try await h.run(["once"], environment: faults)
        #expect(full.status == 74)
        #expect(full.stdout.contains("pending: 1"))
        #expect(h.alertFiles.isEmpty)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: h.spool + "/tmp"))?.isEmpty == true)
        let status = try await h.run(["status", "--json"])
        #expect(status.stdout.contains(#""pending":1"#))
        try FileManager.default.removeItem(atPath: h.dir + "/faults/spool-full")
        let recovered = try await h.run(["once"], environment: faults)
        #expect(recovered.status == 0)
        #expect(h.alertTitles == [goldTitle])
    }

    @Test(
        "kill -9 at every delivery step: after restart each alert exists exactly once (BI-37)",
        arguments: ["before-pending-commit", "after-tmp-write", "after-link", "before-delivered-mark"])
    func crashes(point: String) async throws {
        let h = try DaemonHarness()
        h.serve("/f.xml", items: [(goldTitle, "g1"), (aiTitle, "n1")])
        try h.writeConfig(feeds: ["/f.xml"])
        let crashed = try await h.run(["once"], environment: try h.faults("crash-at-" + point))
        #expect(crashed.status == 128 + SIGKILL, "the crash point did not fire: \(crashed.stderr)")
        let after = try await h.run(["once"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(h.alertTitles == [aiTitle, goldTitle].sorted())
        // And again: nothing doubles.
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == 2)
        #expect(Set(h.alerts.compactMap { $0["id"] as? String }).count == 2)
    }

    @Test("the operational log shows each alert at info, each poll with -v, and refuses an unknown level")
    func operationalLog() async throws {
        let h = try DaemonHarness()
        h.serve("/g.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/g.xml"])
        let plain = try await h.run(["once"])
        #expect(plain.status == 0)
        #expect(plain.stderr.contains("alert: ") && plain.stderr.contains(goldTitle), "\(plain.stderr)")
        #expect(!plain.stderr.contains("polled:"))
        let verbose = try await h.run(["once", "-v"])
        #expect(verbose.status == 0)
        #expect(verbose.stderr.contains("polled: ok, 0 new"), "\(verbose.stderr)")
        #expect(try await h.run(["once", "--log-level", "loud"]).status == 64)
    }

    @Test("a feed waiting out its back-off is not requested again, and the report says until when")
    func backoffHonoured() async throws {
        let h = try DaemonHarness()
        try h.writeConfig(feeds: ["/missing.xml"])  // 404: an error, then back-off
        #expect(try await h.run(["once"]).status == 75)
        let second = try await h.run(["once"])
        #expect(second.status == 0, "\(second.stdout)")
        #expect(second.stdout.contains("waiting — back-off or Retry-After until "), "\(second.stdout)")
        #expect(h.server.requests.filter { $0.path == "/missing.xml" }.count == 1)
    }

    @Test("once exits 75 when every polled feed failed, 0 when one succeeded")
    func everyFeedFailed() async throws {
        let h = try DaemonHarness()
        h.serve("/ok.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/missing.xml"])  // 404
        let failed = try await h.run(["once"])
        #expect(failed.status == 75, "\(failed.stdout)")
        // The failing feed now waits out its back-off and is not polled; the other one works.
        try h.writeConfig(feeds: ["/missing.xml", "/ok.xml"])
        let mixed = try await h.run(["once"])
        #expect(mixed.status == 0, "\(mixed.stdout)")
        #expect(h.alertTitles == [goldTitle])
    }

    @Test("alerts list, show and ack")
    func alertsCommand() async throws {
        let h = try DaemonHarness()
        h.serve("/g.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/g.xml"])
        #expect(try await h.run(["once"]).status == 0)
        let id = try #require(h.alerts.first?["id"] as? String)
        #expect(try await h.run(["alerts", "list"]).stdout.contains(id))
        #expect(try await h.run(["alerts", "show", id]).stdout.contains(goldTitle))
        #expect(try await h.run(["alerts", "ack", id]).status == 0)
        #expect(h.alertFiles == h.alertFiles.filter { $0.hasPrefix("cur/") })
        #expect(try await h.run(["alerts", "list"]).stdout.contains(id) == false)
        #expect(try await h.run(["alerts", "list", "--all"]).stdout.contains(id))
        // Acknowledged alerts are not delivered again.
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == 1)
    }

    @Test("a second instance on the same state exits with a clear message (BI-38)")
    func lockHeld() async throws {
        let h = try DaemonHarness()
        h.serve("/h.xml", items: [(plainTitle, "p1")])
        try h.writeConfig(feeds: ["/h.xml"])
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(
            eventually { FileManager.default.fileExists(atPath: h.dir + "/state/feedwatch.lock") && h.server.requests.count > 0 })
        let second = try await h.run(["once"])
        #expect(second.status == 74)
        #expect(
            second.stderr.contains("feedwatch run (pid \(daemon.process.processIdentifier)) is already running on"),
            "\(second.stderr)")
    }
}

@Suite("The shipped configuration")
struct ShippedConfigTests {
    @Test("the default configuration alerts on the seed article and the gold and Nikkei headlines, and nothing else")
    func seeds() async throws {
        // The shipped file in a copy of the repository's layout (config/ beside seeds/), so its relative
        // paths (../var, ../seeds) land in the temporary directory, not in the repository.
        let dir = try TestPaths.temporaryDirectory("shipped")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/config", withIntermediateDirectories: true)
        try fm.copyItem(atPath: TestPaths.repoRoot + "/config/feedwatch.yaml", toPath: dir + "/config/feedwatch.yaml")
        try fm.createSymbolicLink(atPath: dir + "/seeds", withDestinationPath: TestPaths.repoRoot + "/seeds")
        try fm.createDirectory(atPath: dir + "/elsewhere/deeper", withIntermediateDirectories: true)
        let r = try await Program.run(
            TestPaths.binary, ["once", "--config", dir + "/config/feedwatch.yaml"],
            cwd: dir + "/elsewhere/deeper")
        #expect(r.status == 0, "\(r.stderr)")
        // Relative paths follow the configuration file, not the working directory.
        #expect(!fm.fileExists(atPath: dir + "/elsewhere/var"))
        #expect(fm.fileExists(atPath: dir + "/var/state/state.sqlite"))
        // A second run from another directory finds the same state: nothing is delivered again.
        let again = try await Program.run(TestPaths.binary, ["once", "--config", "config/feedwatch.yaml"], cwd: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("alerts delivered: 0"), "\(again.stdout)")
        let newDir = dir + "/var/spool/new"
        var byTopic: [String: [String]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: newDir) {
            let data = try #require(FileManager.default.contents(atPath: newDir + "/" + name))
            let alert = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let title = (alert["entry"] as? [String: Any])?["title"] as? String ?? ""
            for t in alert["topics"] as? [[String: Any]] ?? [] { byTopic[t["name"] as? String ?? "", default: []].append(title) }
        }
        #expect(byTopic["ai-partnerships"]?.contains { $0.contains("أوبن إيه آي") && $0.contains("مايكروسوفت") } == true)
        #expect(byTopic["gold-prices"]?.filter { $0.contains("الذهب") }.count == 2)
        #expect(byTopic["markets"]?.contains { $0.contains("نيكاي") } == true)
        let all = byTopic.values.flatMap { $0 }
        #expect(!all.contains { $0.contains("Golden Globe") })
        #expect(!all.contains { $0.contains("keyboard") })
        #expect(all.count == 8)
    }
}

@Suite("Hostile text in alerts")
struct HostileTextTests {
    @Test("BI-18/BI-19: line breaks, bidi overrides and zero-width characters never break the log's lines")
    func logStaysOneLine() async throws {
        let h = try DaemonHarness()
        // The title carries CR LF (as character references), U+2028, U+202E (right-to-left override),
        // U+200B and U+061C.
        h.serve("/x.xml", items: [("Gold prices rise&#13;&#10;FAKE\tLINE\u{2028}\u{202E}reversed\u{200B}\u{061C} today", "g1")])
        try h.writeConfig(feeds: ["/x.xml"])
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == 1)
        #expect(h.logLines.count == 1)
        let line = try #require(h.logLines.first)
        #expect(!line.unicodeScalars.contains { [0x0D, 0x2028, 0x202E, 0x061C].contains($0.value) })
        #expect(line.split(separator: "\t").count == 6)
        // The alert file is one JSON line; line breaks in the title were folded by the parser, and the
        // rest of the text is kept (valid JSON, as written).
        let raw = try String(contentsOfFile: h.spool + "/" + h.alertFiles[0], encoding: .utf8)
        #expect(raw.split(separator: "\n").count == 1)
        let title = (h.alerts.first?["entry"] as? [String: Any])?["title"] as? String ?? ""
        #expect(title.hasPrefix("Gold prices rise FAKE LINE "))
        #expect(title.unicodeScalars.contains { $0.value == 0x202E })
    }
}
