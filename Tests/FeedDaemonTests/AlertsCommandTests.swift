import FeedTestSupport
import Foundation
import Testing

/// `feedwatch alerts list | show | ack` as a reader uses them, on the real binary (issue 14, defects 9 and
/// 12): id prefixes, several ids or --all, a readable view, columns, order and filters, and `--json`
/// lines that are the alert files themselves.
@Suite("feedwatch alerts", .serialized)
struct AlertsCommandTests {
    static let arabicTitle =
        "الذهب يرتفع إلى مستوى قياسي جديد مع تراجع الدولار الأمريكي وتزايد الطلب على الملاذات الآمنة في الأسواق العالمية اليوم"

    /// Two named feeds: one gold story in Arabic and one AI deal in English, and a plain item.
    func harness() async throws -> DaemonHarness {
        let h = try DaemonHarness()
        h.serve("/ar.xml", items: [(Self.arabicTitle, "ar1")])
        h.serve("/en.xml", items: [(aiTitle, "en1"), (plainTitle, "en2")])
        try h.writeConfig(feeds: [])
        let text = try String(contentsOfFile: h.configPath, encoding: .utf8).replacingOccurrences(
            of: "feeds:\n",
            with: """
                feeds:
                  - url: \(h.server.baseURL)/ar.xml
                    name: Arabic Desk
                  - url: \(h.server.baseURL)/en.xml
                    name: Tech Wire

                """)
        try text.write(toFile: h.configPath, atomically: true, encoding: .utf8)
        let once = try await h.run(["once"])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stdout.contains("Arabic Desk: ok"), "once names the feed: \(once.stdout)")
        return h
    }

    func ids(_ h: DaemonHarness) -> [String] { h.alerts.compactMap { $0["id"] as? String } }

    @Test("alerts digest: the period's alerts as one document, by topic; text and HTML with Arabic right to left")
    func digest() async throws {
        let h = try await harness()
        let json = try await h.run(["alerts", "digest", "--since", "1h"])
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let head = try #require(document["digest"] as? [String: Any])
        let alerts = try #require(document["alerts"] as? [[String: Any]])
        #expect(head["count"] as? Int == 2 && alerts.count == 2 && head["sink"] is NSNull)
        // ai-partnerships before gold-prices, each alert file unchanged.
        let firstTopics = alerts.map { (($0["topics"] as? [[String: Any]])?.first?["name"] as? String) ?? "" }
        #expect(firstTopics == ["ai-partnerships", "gold-prices"])
        #expect(Set(alerts.compactMap { $0["id"] as? String }) == Set(ids(h)))
        for file in h.alertFiles {
            var bytes = Array(FileManager.default.contents(atPath: h.spool + "/" + file) ?? Data())
            while bytes.last == 0x0A { bytes.removeLast() }
            #expect(Array(json.stdout.utf8).firstRange(of: bytes) != nil)
        }
        let gold = try await h.run(["alerts", "digest", "--topic", "gold-prices", "--format", "text"])
        #expect(gold.stdout.hasPrefix("feedwatch digest: 1 alert, "), "\(gold.stdout)")
        #expect(gold.stdout.contains("== gold-prices (1) ==\n* \(Self.arabicTitle)\n") && !gold.stdout.contains(aiTitle))
        let html = try await h.run(["alerts", "digest", "--format", "html"])
        #expect(
            html.stdout.contains(
                "<li dir=\"rtl\" lang=\"ar\"><a href=\"https://example.test/ar1\"><bdi>\(Self.arabicTitle)</bdi></a>"),
            "\(html.stdout)")
        #expect(
            html.stdout.contains("<li dir=\"ltr\" lang=\"en\"><a href=\"https://example.test/en1\"><bdi>\(aiTitle)</bdi></a>"))
        #expect(html.stdout.contains("<bdi>Arabic Desk</bdi>"))
        // A digest a sink received, rendered from standard input; anything else is refused.
        let saved = h.dir + "/digest.json"
        try json.stdout.write(toFile: saved, atomically: true, encoding: .utf8)
        let text = try await Program.run(
            TestPaths.binary, ["alerts", "digest", "--input", "-", "--format", "text", "--config", h.configPath], stdinFile: saved
        )
        #expect(text.stdout.contains("== ai-partnerships (1) ==") && text.stdout.contains("== gold-prices (1) =="))
        let notDigest = try await h.run(["alerts", "digest", "--input", h.configPath, "--format", "text"])
        #expect(notDigest.status == 65 && notDigest.stderr.contains("not a digest document"), "\(notDigest.stderr)")
        #expect(try await h.run(["alerts", "digest", "--since", "yesterday"]).status == 64)
        #expect(try await h.run(["alerts", "digest", "--format", "pdf"]).status == 64)
        let old = try await h.run(["alerts", "digest", "--since", "2000-01-01", "--topic", "markets"])
        #expect(old.stdout.contains(#""count":0"#))
    }

    @Test("list: columns with the feed's name, titles cut at a word with …, oldest first; filters")
    func list() async throws {
        let h = try await harness()
        let out = try await h.run(["alerts", "list"]).stdout
        let lines = out.split(separator: "\n").map(String.init)
        #expect(
            lines.first?.hasPrefix("ID") == true && lines.first?.contains("FEED") == true
                && lines.first?.contains("PUBLISHED") == true)
        #expect(lines.count == 3, "\(out)")
        #expect(out.contains("Arabic Desk") && out.contains("Tech Wire"))
        let isolated = try #require(lines.first { $0.contains("الذهب") })
        // An Arabic title sits between direction isolates (RLI … PDI) for bidi terminals (issue 27).
        #expect(isolated.hasSuffix("…\u{2069}") && isolated.contains("\u{2067}"), "\(isolated)")
        let arabic = String(isolated.unicodeScalars.filter { !(0x2066...0x2069).contains($0.value) })
        #expect(arabic.hasSuffix("…"), "\(arabic)")
        let shown = String(arabic.split(separator: "  ").last ?? "").dropLast()
        #expect(Self.arabicTitle.hasPrefix(shown) && Self.arabicTitle.contains(shown + " "), "cut at a word: \(shown)")
        #expect(h.logLines.contains { $0.split(separator: "\t").dropFirst(3).first == "Arabic Desk" }, "\(h.logLines)")

        #expect(try await h.run(["alerts", "list", "--topic", "gold-prices"]).stdout.split(separator: "\n").count == 2)
        #expect(try await h.run(["alerts", "list", "--feed", "tech"]).stdout.contains("Tech Wire"))
        #expect(try await !h.run(["alerts", "list", "--feed", "tech"]).stdout.contains("Arabic Desk"))
        #expect(try await h.run(["alerts", "list", "--since", "1h"]).stdout.split(separator: "\n").count == 3)
        #expect(try await h.run(["alerts", "list", "--since", "2099-01-01"]).stdout.split(separator: "\n").count == 1)
        #expect(try await h.run(["alerts", "list", "--since", "yesterday-ish"]).status == 64)
    }

    @Test("list --json: each line is the alert file, its keys and numbers as written, with state, file and sources")
    func listJSON() async throws {
        let h = try await harness()
        let lines = try await h.run(["alerts", "list", "--json"]).stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        for line in lines {
            let file = try #require(h.alertFiles.first { line.contains(String($0.dropFirst(4))) })
            let bytes = try String(contentsOfFile: h.spool + "/" + file, encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines)
            #expect(line.hasPrefix(String(bytes.dropLast()) + ",\"state\":\"new\",\"file\":"), "\(line)")
            #expect(line.contains(#""score":"#) && line.range(of: #""score":[0-9]+\.[0-9]"#, options: .regularExpression) != nil)
        }
    }

    @Test("show: a unique prefix of 6 characters, a readable view by default, --json on request")
    func show() async throws {
        let h = try await harness()
        let id = try #require(ids(h).first)
        let view = try await h.run(["alerts", "show", String(id.prefix(6))])
        #expect(view.status == 0, "\(view.stderr)")
        #expect(
            view.stdout.contains("  feed:") && view.stdout.contains("  topic:") && !view.stdout.hasPrefix("{"), "\(view.stdout)")
        let json = try await h.run(["alerts", "show", "--json", String(id.prefix(8))]).stdout
        #expect(json.hasPrefix("{\"id\":\"\(id)\""))
        let short = try await h.run(["alerts", "show", String(id.prefix(5))])
        #expect(short.status == 65 && short.stderr.contains("at least its first 6 characters"))
        #expect(try await h.run(["alerts", "show", "ffffffffff"]).status == 65)
    }

    @Test("ack: several ids (prefixes too), or --all")
    func ack() async throws {
        let h = try await harness()
        let all = ids(h)
        #expect(all.count == 2)
        let first = try await h.run(["alerts", "ack", String(all[0].prefix(7))])
        #expect(first.status == 0 && first.stdout.contains("\(all[0]): acknowledged"), "\(first.stdout)\(first.stderr)")
        let both = try await h.run(["alerts", "ack", all[0], all[1]])
        #expect(both.stdout.contains("\(all[0]): already acknowledged") && both.stdout.contains("\(all[1]): acknowledged"))
        #expect(h.alertFiles.allSatisfy { $0.hasPrefix("cur/") })
        #expect(try await h.run(["alerts", "ack"]).status == 64)
        let none = try await h.run(["alerts", "ack", "--all"])
        #expect(none.status == 0 && none.stdout.contains("no new alerts"))
    }

    @Test("ack --all acknowledges every new alert")
    func ackAll() async throws {
        let h = try await harness()
        #expect(try await h.run(["alerts", "ack", "--all"]).stdout.split(separator: "\n").count == 2)
        #expect(h.alertFiles.allSatisfy { $0.hasPrefix("cur/") })
    }

    @Test("alerts follow prints each alert a concurrent once delivers, as one JSON line or one row, until stopped")
    func follow() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(plainTitle, "p1")])
        try h.writeConfig(feeds: ["/a.xml"])
        #expect(try await h.run(["once"]).status == 0)  // the spool exists, nothing alerted
        let json = try RunningDaemon(harness: h, command: ["alerts", "follow", "--json"])
        defer { json.kill9() }
        let table = try RunningDaemon(harness: h, command: ["alerts", "follow"])
        defer { table.kill9() }
        #expect(eventually { json.stderr.contains("following") && table.stderr.contains("following") })
        h.serve("/a.xml", items: [(plainTitle, "p1"), (goldTitle, "g1"), (aiTitle, "n1")])
        #expect(try await h.run(["once"]).status == 0)
        #expect(eventually { json.stdout.split(separator: "\n").count == 2 }, "\(json.stdout)")
        let lines = json.stdout.split(separator: "\n").map {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let titles = lines.compactMap { ($0?["entry"] as? [String: Any])?["title"] as? String }.sorted()
        #expect(titles == [aiTitle, goldTitle].sorted())
        #expect(eventually { table.stdout.contains(goldTitle) && table.stdout.contains(aiTitle) }, "\(table.stdout)")
        #expect(table.stdout.hasPrefix("ID"))
        // Only what arrives: an acknowledgement (a move out of new/) prints nothing.
        #expect(try await h.run(["alerts", "ack", "--all"]).status == 0)
        #expect(json.process.isRunning)
        #expect(json.stdout.split(separator: "\n").count == 2)
    }

    /// Issue 23, finding 10: a burst larger than the kernel's inotify queue (max_queued_events, 16,384 by
    /// default) while follow is not reading loses events; follow lists new/ again and shows every alert.
    @Test("alerts follow shows every alert of a burst that overflows the inotify queue, and says so")
    func followOverflow() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/a.xml"])
        #expect(try await h.run(["once"]).status == 0)
        let original = try #require(h.alertFiles.first)
        let bytes = try #require(FileManager.default.contents(atPath: h.spool + "/" + original))
        let follow = try RunningDaemon(harness: h, command: ["alerts", "follow", "--json"])
        defer { follow.kill9() }
        #expect(eventually { follow.stderr.contains("following") })
        // Stopped, follow reads nothing while 20,000 alerts arrive: the kernel's queue overflows.
        follow.signal(SIGSTOP)
        let count = 20_000
        for i in 0..<count {
            let name = String(format: "1700000000.burst%05d.json", i)
            let tmp = h.spool + "/tmp/" + name
            _ = FileManager.default.createFile(atPath: tmp, contents: bytes)
            rename(tmp, h.spool + "/new/" + name)
        }
        follow.signal(SIGCONT)
        #expect(
            eventually(60) { follow.stdout.split(separator: "\n").count == count },
            "\(follow.stdout.split(separator: "\n").count) of \(count) shown")
        #expect(follow.stderr.contains("the inotify event queue overflowed"), "\(follow.stderr)")
        #expect(Set(follow.stdout.split(separator: "\n")).count == count, "each alert once")
    }
}
