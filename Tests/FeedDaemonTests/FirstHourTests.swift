import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What a new user trips over in the first hour (issue 27), on the real binary: advice that names the
/// setting of the place an address was refused, `check` warnings for what the first poll or delivery
/// would refuse, exec commands relative to the configuration, and a `once` that says why deliveries wait.
@Suite("First hour")
struct FirstHourTests {
    @Test(
        "a webhook on loopback: check warns at its url, once says it is pending and names the sink's allow_private; fixed, it delivers and status forgets the error"
    )
    func loopbackSink() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        let hook = try TestHTTPServer { _ in .respond(status: 204, headers: [], body: []) }
        defer { hook.stop() }
        func config(allow: Bool) throws {
            try h.writeConfig(
                feeds: ["/a.xml"],
                extra: """
                    sinks:
                      - name: hook
                        type: webhook
                        url: "\(hook.baseURL)/in"\(allow ? "\n    allow_private: true" : "")
                    """)
        }
        try config(allow: false)
        let check = try await h.run(["check"])
        #expect(check.status == 0)
        #expect(
            check.stderr.contains(
                "feedwatch.yaml:4:10: sink hook: its url is in a blocked range (127.0.0.0/8); its deliveries will be refused: set allow_private: true on sink 'hook'"
            ), "\(check.stderr)")

        let once = try await h.run(["once"])
        #expect(once.stdout.contains("sink hook: 0 delivered, 1 pending (last error: "), "\(once.stdout)")
        #expect(once.stdout.contains("set allow_private: true on sink 'hook' to reach it"), "\(once.stdout)")
        #expect(!once.stdout.contains("fetch.allow_private_networks"), "advice for feeds given for a sink: \(once.stdout)")
        let status = try await h.run(["status"])
        #expect(
            status.stdout.contains("last error: ") && status.stdout.contains("on sink 'hook' to reach it"), "\(status.stdout)")

        try config(allow: true)
        // The retry waits out its back-off; a restart of the cycle later delivers it.
        #expect(
            await eventually(30) {
                _ = try? await h.run(["once"])
                return hook.requests.contains { $0.method == "POST" }
            })
        let healed = try await h.run(["status"])
        #expect(healed.stdout.contains("sink hook (webhook): 1 delivered, 0 pending, 0 failed"), "\(healed.stdout)")
        #expect(!healed.stdout.contains("last error"), "an error that a delivery has since overcome: \(healed.stdout)")
    }

    @Test("check warns, with file:line:column, about a missing file: feed and a loopback feed without allow_private")
    func checkWarnings() async throws {
        let h = try DaemonHarness()
        try """
        state_dir: \(h.dir)/state
        spool_dir: \(h.dir)/spool
        log_file: \(h.dir)/alerts.log
        feeds:
          - url: file:feeds/missing.xml
          - url: http://127.0.0.1:9/feed.xml
          - {url: "http://localhost:9/ok.xml", allow_private: true}
        """.write(toFile: h.configPath, atomically: true, encoding: .utf8)
        let check = try await h.run(["check"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(
            check.stderr.contains("feedwatch.yaml:5:10: feed ")
                && check.stderr.contains("/feeds/missing.xml does not exist; its polls will fail"), "\(check.stderr)")
        #expect(
            check.stderr.contains(
                "feedwatch.yaml:6:10: feed http://127.0.0.1:9/feed.xml is in a blocked range (127.0.0.0/8); its polls will be refused: set allow_private: true on this feed"
            ), "\(check.stderr)")
        #expect(!check.stderr.contains("ok.xml"), "a feed that allows private addresses was warned about")
    }

    @Test("an exec sink's relative command is found beside the configuration and delivers")
    func relativeExecCommand() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        try FileManager.default.createDirectory(atPath: h.dir + "/sinks", withIntermediateDirectories: true)
        let script = h.dir + "/sinks/record.sh"
        try "#!/bin/sh\ncat > \"$(dirname \"$0\")/received.json\"\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                sinks:
                  - {name: record, type: exec, command: [sinks/record.sh]}
                """)
        // From another working directory: the path is the configuration's, not the shell's.
        let once = try await Program.run(TestPaths.binary, ["once", "--config", h.configPath], cwd: "/")
        #expect(once.status == 0 && once.stdout.contains("sink record: 1 delivered"), "\(once.stdout)\(once.stderr)")
        let received = try #require(FileManager.default.contents(atPath: h.dir + "/sinks/received.json"))
        #expect(String(decoding: received, as: UTF8.self).contains(goldTitle))
    }

    @Test(
        "once beside a running run names its pid and says to reload; reload makes it read a new feed; without a daemon reload says so"
    )
    func reloadInsteadOfOnce() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        h.serve("/b.xml", items: [(aiTitle, "n1")])
        try h.writeConfig(feeds: ["/a.xml"])
        let idle = try await h.run(["reload"])
        #expect(idle.status == 69 && idle.stderr.contains("no feedwatch daemon is running on"), "\(idle.stderr)")

        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(eventually(20) { h.alertFiles.count == 1 }, "\(daemon.stderr)")
        let once = try await h.run(["once"])
        let pid = daemon.process.processIdentifier
        #expect(once.status == 74, "\(once.stderr)")
        #expect(
            once.stderr.contains("feedwatch run (pid \(pid)) is already running on")
                && once.stderr.contains("`feedwatch reload`"),
            "\(once.stderr)")

        try h.writeConfig(feeds: ["/a.xml", "/b.xml"])
        let reload = try await h.run(["reload"])
        #expect(
            reload.status == 0 && reload.stdout.contains("feedwatch run (pid \(pid)) is reading"),
            "\(reload.stdout)\(reload.stderr)")
        #expect(
            eventually(20) { h.alertTitles.contains(aiTitle) }, "the feed added before reload was not polled: \(daemon.stderr)")

        // A configuration with an error is refused before anything is sent.
        try "feeds: [\n".write(toFile: h.configPath, atomically: true, encoding: .utf8)
        let bad = try await h.run(["reload"])
        #expect(bad.status == 78, "\(bad.stdout)\(bad.stderr)")
        #expect(daemon.process.isRunning)
    }

    @Test("once --force polls a feed waiting out its back-off; once alone leaves it waiting")
    func forcePollsBackoff() async throws {
        let h = try DaemonHarness()
        h.serveStatus("/a.xml", 500)
        try h.writeConfig(feeds: ["/a.xml"])
        let failed = try await h.run(["once"])
        #expect(failed.stdout.contains(": error"), "\(failed.stdout)")
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        let waiting = try await h.run(["once"])
        #expect(waiting.stdout.contains(": waiting") && h.alertFiles.isEmpty, "\(waiting.stdout)")
        let forced = try await h.run(["once", "--force"])
        #expect(forced.status == 0 && forced.stdout.contains(": ok, 1 new, 1 alert(s)"), "\(forced.stdout)\(forced.stderr)")
        #expect(h.alertFiles.count == 1)
    }

    @Test(
        "alerts list, show and follow put Arabic titles between direction isolates, keep the columns aligned, and leave JSON alone"
    )
    func arabicIsolates() async throws {
        let h = try DaemonHarness()
        let arabic = "OpenAI تعلن شراكة جديدة مع مايكروسوفت (2026)"
        h.serve("/a.xml", items: [(arabic, "ar1"), (goldTitle, "g1")])
        try h.writeConfig(feeds: ["/a.xml"])
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == 2)
        let list = try await h.run(["alerts", "list"])
        let rows = list.stdout.split(separator: "\n").map(String.init)
        let arabicRow = try #require(rows.first { $0.contains("شراكة") })
        let englishRow = try #require(rows.first { $0.contains(goldTitle) })
        #expect(
            arabicRow.hasSuffix("\u{2067}" + arabic + "\u{2069}"),
            "\(arabicRow.unicodeScalars.map { String($0.value, radix: 16) })")
        #expect(!englishRow.unicodeScalars.contains { (0x2066...0x2069).contains($0.value) })
        // The isolates take no column: TOPICS starts at the same place on every row.
        func column(_ row: String, _ text: String) -> Int? {
            let plain = String(row.unicodeScalars.filter { !(0x2066...0x2069).contains($0.value) })
            return plain.range(of: text).map { plain.distance(from: plain.startIndex, to: $0.lowerBound) }
        }
        let header = try #require(rows.first)
        #expect(column(arabicRow, "ai-partnerships") == column(header, "TOPICS"), "\(rows)")
        #expect(column(englishRow, "gold-prices") == column(header, "TOPICS"), "\(rows)")

        let id = try #require(arabicRow.split(separator: " ").first.map(String.init))
        let show = try await h.run(["alerts", "show", id])
        #expect(show.stdout.hasPrefix("\u{2067}" + arabic + "\u{2069}\n"), "\(show.stdout)")
        let json = try await h.run(["alerts", "list", "--json"])
        #expect(json.stdout.contains(arabic) && !json.stdout.unicodeScalars.contains { (0x2066...0x2069).contains($0.value) })
    }

    @Test("once says how many new items the age limit held back, so a feed of old items alerting on nothing is explained")
    func maxAgeSaid() async throws {
        let h = try DaemonHarness()
        h.serveRaw(
            "/old.xml",
            """
            <?xml version="1.0"?><rss version="2.0"><channel><title>Old</title>
            <item><title>\(goldTitle)</title><guid>o1</guid><pubDate>Thu, 26 Jun 2025 09:00:00 GMT</pubDate></item>
            <item><title>\(aiTitle)</title><guid>o2</guid><pubDate>Thu, 26 Jun 2025 10:00:00 GMT</pubDate></item>
            </channel></rss>
            """)
        try h.writeConfig(feeds: ["/old.xml"], alerts: "max_age: 48h\nfirst_poll: alert")
        let once = try await h.run(["once"])
        #expect(
            once.stdout.contains(": ok, 2 new, 0 alert(s), 2 older than alerts.max_age (not classified)"), "\(once.stdout)")
    }

    @Test("messages that matched the program: an unknown --topic, the interval clamp's position, paths without `..`")
    func messages() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/a.xml"])
        #expect(try await h.run(["once"]).status == 0)
        let unknown = try await h.run(["alerts", "list", "--topic", "gold-price"])
        #expect(unknown.status == 64, "\(unknown.stdout)\(unknown.stderr)")
        #expect(
            unknown.stderr.contains("--topic gold-price: no topic has that name (topics: ai-partnerships, gold-prices, markets)"))

        try FileManager.default.createDirectory(atPath: h.dir + "/config", withIntermediateDirectories: true)
        let config = h.dir + "/config/feedwatch.yaml"
        try """
        state_dir: ../state
        spool_dir: ../spool
        log_file: ../log/alerts.log
        schedule:
          interval: 1m
          min_interval: 5m
        feeds:
          - url: file:../feeds/./missing.xml
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let check = try await Program.run(TestPaths.binary, ["check", "--config", config])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(
            check.stderr.contains("feedwatch.yaml:5:13: schedule.interval 1m is raised to schedule.min_interval 5m"),
            "\(check.stderr)")
        #expect(check.stderr.contains("/feeds/missing.xml does not exist") && !check.stderr.contains("/.."), "\(check.stderr)")
    }

    /// Every file under `dir` and its bytes.
    static func snapshot(_ dir: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: dir)
        while let path = e?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: dir + "/" + path) { out[path] = data }
        }
        return out
    }

    @Test(
        "once --dry-run alerts a new topic on items already seen, says why and why not, and leaves state, spool and log unchanged to the byte"
    )
    func dryRun() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(goldTitle, "g1"), (plainTitle, "p1"), (aiTitle, "n1")])
        try h.writeConfig(feeds: ["/a.xml"])
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == 2)
        // A topic of one's own, added after the items were seen.
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                topics:
                  - name: bakeries
                    threshold: 1
                    groups: [{name: shop, terms: [bakery]}, {name: win, terms: [prize], weight: 0.5}]
                    concepts: [[shop, win]]
                """)
        let before = Self.snapshot(h.dir + "/state").merging(Self.snapshot(h.spool).mapKeys { "spool/" + $0 }) { a, _ in a }
        let log = FileManager.default.contents(atPath: h.logFile)
        let dry = try await h.run(["once", "--dry-run", "--near-misses"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("3 item(s), 3 would alert"), "\(dry.stdout)")
        #expect(dry.stdout.contains("ALERT bakeries: \(plainTitle)"), "\(dry.stdout)")
        #expect(dry.stdout.contains("why bakeries: concept shop+win; score"), "\(dry.stdout)")
        #expect(dry.stdout.contains("ALERT gold-prices: \(goldTitle)"), "\(dry.stdout)")
        #expect(dry.stdout.contains("nothing was written"))
        let after = Self.snapshot(h.dir + "/state").merging(Self.snapshot(h.spool).mapKeys { "spool/" + $0 }) { a, _ in a }
        #expect(before == after, "the dry run changed \(Set(before.keys).symmetricDifference(after.keys))")
        #expect(FileManager.default.contents(atPath: h.logFile) == log)
        #expect(h.alertFiles.count == 2)

        // It takes no lock: it runs beside a running daemon.
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(eventually(20) { StatusProbe.running(h) }, "\(daemon.stderr)")
        let beside = try await h.run(["once", "--dry-run"])
        #expect(beside.status == 0 && beside.stdout.contains("ALERT bakeries"), "\(beside.stdout)\(beside.stderr)")
    }
}

extension Dictionary where Key == String {
    fileprivate func mapKeys(_ f: (String) -> String) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: map { (f($0.key), $0.value) })
    }
}

/// Whether `run` holds the harness's state lock (its pid is in the lock file).
enum StatusProbe {
    static func running(_ h: DaemonHarness) -> Bool {
        let text = (try? String(contentsOfFile: h.dir + "/state/feedwatch.lock", encoding: .utf8)) ?? ""
        return text.contains(" run")
    }
}
