import FeedTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Routing, digests and quiet hours with the real binary (issue 24): a webhook receiver on 127.0.0.1,
/// sink programs run by the daemon, kill -9 in the middle of a period. The tests of this suite run side
/// by side: each waits for minute boundaries.
@Suite("Sinks: routing and digests")
struct DigestTests {
    static let titles = [goldTitle, aiTitle, "Nikkei closes at a record high as exporters rally"]
    static let later = ["Gold hits a record high above $2,700 an ounce", "Oil prices jump after OPEC+ agrees deeper output cuts"]
    static let fastPolls = """
        schedule:
          interval: 30s
          min_interval: 1s
          jitter: 0
        """

    /// The spool's alert files: id → (bytes, topic names).
    static func spool(_ h: DaemonHarness) -> [String: (bytes: [UInt8], topics: [String])] {
        var out: [String: (bytes: [UInt8], topics: [String])] = [:]
        for f in h.alertFiles {
            guard let bytes = FileManager.default.contents(atPath: h.spool + "/" + f),
                let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any], let id = object["id"] as? String
            else { continue }
            let topics = (object["topics"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            out[id] = (Array(bytes), topics)
        }
        return out
    }

    /// A program that keeps each document it is given as `<out>/<n>.json` with its environment beside it.
    static func recorder(_ h: DaemonHarness, out: String) throws -> String {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let path = h.dir + "/record.sh"
        try """
        #!/bin/sh
        set -e
        n=$(date +%s%N)
        cat > "\(out)/$n.json.tmp"
        echo "$FEEDWATCH_KIND $FEEDWATCH_DIGEST_ID $FEEDWATCH_DIGEST_COUNT" > "\(out)/$n.env"
        mv "\(out)/$n.json.tmp" "\(out)/$n.json"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// A harness serving the three stories to one digest sink, `morning`, whose program records what it
    /// gets in `out`.
    static func recordingDigests(every: String, extra: String = "") throws -> (DaemonHarness, out: String) {
        let h = try DaemonHarness()
        let out = h.dir + "/out"
        let program = try recorder(h, out: out)
        h.serve("/a.xml", items: titles.enumerated().map { ($0.element, "s\($0.offset)") })
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: extra + """

                sinks:
                  - {name: morning, type: exec, command: ["\(program)"], digest: {every: \(every)}}
                """)
        return (h, out)
    }

    /// The digests a recorder kept: (document, its environment line).
    static func recorded(_ out: String) -> [(document: [String: Any], bytes: [UInt8], env: String)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: out + "/" + name),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return nil }
            let env =
                (try? String(contentsOfFile: out + "/" + name.replacingOccurrences(of: ".json", with: ".env"), encoding: .utf8))
                ?? ""
            return (object, Array(data), env.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    static func alertIDs(_ digest: [String: Any]) -> [String] {
        (digest["alerts"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test("a webhook sink with topics: [gold-prices] receives exactly the gold alerts, each on its own")
    func routedWebhook() async throws {
        let h = try DaemonHarness()
        let receiver = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: Array("ok".utf8)) }
        h.serve("/a.xml", items: (Self.titles + Self.later).enumerated().map { ($0.element, "s\($0.offset)") })
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                sinks:
                  - {name: gold, type: webhook, url: "\(receiver.baseURL)/gold", allow_private: true, topics: [gold-prices]}
                  - {name: later, type: webhook, url: "\(receiver.baseURL)/later", allow_private: true, digest: {every: 1d}}
                """)
        let once = try await h.run(["once"])
        #expect(once.status == 0, "\(once.stdout)\(once.stderr)")
        #expect(once.stdout.contains("sink gold: 2 delivered\n"), "\(once.stdout)")
        #expect(once.stdout.contains("sink later: 0 delivered, 5 held for a digest (due "), "\(once.stdout)")
        #expect(!receiver.requests.contains { $0.path == "/later" })
        let spool = Self.spool(h)
        let gold = Set(spool.filter { $0.value.topics.contains("gold-prices") }.keys)
        #expect(spool.count == 5 && gold.count == 2, "\(spool.mapValues(\.topics))")
        let posts = receiver.requests.filter { $0.method == "POST" }
        #expect(Set(posts.compactMap { $0.headers["idempotency-key"] }) == gold)
        #expect(posts.count == gold.count)
        for post in posts { #expect(post.body == spool[post.headers["idempotency-key"] ?? ""]?.bytes) }
        let status = try await h.run(["status", "--json"])
        #expect(status.stdout.contains(#""filters":{"topics":["gold-prices"],"feeds":[],"tags":[]}"#), "\(status.stdout)")
    }

    @Test("digest every 1m: across a kill -9 of run in the middle of a period, every alert is in exactly one digest")
    func digestsAcrossKill() async throws {
        let (h, out) = try Self.recordingDigests(every: "1m", extra: Self.fastPolls)
        let first = try RunningDaemon(harness: h)
        #expect(eventually(30) { h.alertFiles.count == 3 })
        let status = try await h.run(["status"])
        #expect(status.stdout.contains("digest every 1m"), "\(status.stdout)")
        first.kill9()
        // Two more stories while the daemon is down; the restarted one finds them on its next poll.
        h.serve("/a.xml", items: (Self.titles + Self.later).enumerated().map { ($0.element, "s\($0.offset)") })
        let second = try RunningDaemon(harness: h)
        defer { second.kill9() }
        #expect(eventually(40) { h.alertFiles.count == 5 })
        let spool = Self.spool(h)
        #expect(
            eventually(150) { Set(Self.recorded(out).flatMap { Self.alertIDs($0.document) }) == Set(spool.keys) },
            "\(second.stderr)")
        second.signal(SIGTERM)
        #expect(second.waitForExit(seconds: 30) == 0)
        let digests = Self.recorded(out)
        let ids = digests.flatMap { Self.alertIDs($0.document) }
        #expect(ids.count == spool.count && Set(ids) == Set(spool.keys), "each alert in one digest only: \(ids)")
        var digestIDs = Set<String>()
        for d in digests {
            let head = try #require(d.document["digest"] as? [String: Any])
            let id = try #require(head["id"] as? String)
            #expect(digestIDs.insert(id).inserted, "a digest is sent once")
            #expect(head["sink"] as? String == "morning")
            #expect(head["count"] as? Int == Self.alertIDs(d.document).count && (head["count"] as? Int ?? 0) > 0)
            #expect(d.env == "digest \(id) \(head["count"] as? Int ?? -1)")
            // Periods close on the minute: `to` is a whole minute.
            #expect((head["to"] as? String)?.hasSuffix(":00Z") == true, "\(head)")
            // Each alert file's object, byte for byte.
            for alert in Self.alertIDs(d.document) {
                var file = spool[alert]?.bytes ?? []
                while file.last == 0x0A { file.removeLast() }
                #expect(d.bytes.firstRange(of: file) != nil, "alert \(alert) unchanged in the digest")
            }
        }
    }

    @Test(
        "kill -9 at each digest step: every alert in one digest; a digest sent again keeps its id and bytes",
        arguments: ["after-digest-formed", "before-digest-record"])
    func digestCrashes(point: String) async throws {
        let (h, out) = try Self.recordingDigests(every: "1h")
        let held = try await h.run(["once"])
        #expect(held.stdout.contains("sink morning: 0 delivered, 3 held for a digest"), "\(held.stdout)")
        // A day on (the test fault moves the sink's clock): the digest is formed and sent, and the
        // process is killed at the step.
        let faults = try h.faults("sink-clock-ahead", "crash-at-" + point)
        let crashed = try await h.run(["once"], environment: faults)
        #expect(crashed.status == 128 + SIGKILL, "the crash point did not fire: \(crashed.stderr)")
        try FileManager.default.removeItem(atPath: h.dir + "/faults/crash-at-" + point)
        let after = try await h.run(["once"], environment: faults)
        #expect(after.status == 0 && after.stdout.contains("sink morning: 0 delivered, 1 digest(s)\n"), "\(after.stdout)")
        let again = try await h.run(["once"], environment: faults)
        #expect(again.stdout.contains("sink morning: 0 delivered\n"), "nothing more: \(again.stdout)")
        let copies = Self.recorded(out)
        let ids = Set(copies.map { ($0.document["digest"] as? [String: Any])?["id"] as? String ?? "" })
        #expect(ids.count == 1, "one digest")
        // Sent, then killed before the record: sent again at the next start, the same document.
        #expect(copies.count == (point == "before-digest-record" ? 2 : 1))
        #expect(Set(copies.map(\.bytes)).count == 1)
        #expect(Self.alertIDs(copies[0].document).sorted() == Self.spool(h).keys.sorted())
        let status = try await h.run(["status", "--json"])
        #expect(status.stdout.contains(#""held":0,"next_digest":"#), "\(status.stdout)")
        #expect(status.stdout.contains(#""digests":{"delivered":1,"pending":0,"failed":0}"#), "\(status.stdout)")
    }

    @Test("quiet hours covering the present: nothing until they end, then one digest, by webhook under its id")
    func quietHours() async throws {
        let h = try DaemonHarness()
        let receiver = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: Array("ok".utf8)) }
        h.serve("/a.xml", items: Self.titles.enumerated().map { ($0.element, "s\($0.offset)") })
        let now = Int64(Date().timeIntervalSince1970)
        let end = now - now % 60 + 120  // one to two minutes from now
        func hhmm(_ t: Int64) -> String { String(format: "%02d:%02d", (t % 86_400) / 3600, (t % 3600) / 60) }
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                sinks:
                  - name: phone
                    type: webhook
                    url: "\(receiver.baseURL)/push"
                    allow_private: true
                    quiet_hours: {from: "\(hhmm(now - 60))", to: "\(hhmm(end))", timezone: UTC}
                """)
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(eventually(30) { h.alertFiles.count == 3 })
        let status = try await h.run(["status", "--json"])
        #expect(status.stdout.contains(#""held":3"#), "\(status.stdout)")
        #expect(eventually(200) { !receiver.requests.isEmpty }, "\(daemon.stderr)")
        let arrived = Int64(Date().timeIntervalSince1970)
        #expect(arrived >= end, "nothing before the quiet hours end (\(arrived) < \(end))")
        try await Task.sleep(for: .seconds(3))
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 30) == 0)
        let posts = receiver.requests
        #expect(posts.count == 1, "one digest")
        let post = try #require(posts.first)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(post.body)) as? [String: Any])
        let head = try #require(document["digest"] as? [String: Any])
        #expect(post.headers["idempotency-key"] == head["id"] as? String)
        #expect(Set(Self.alertIDs(document)) == Set(Self.spool(h).keys) && head["count"] as? Int == 3)
    }

    @Test("a sink edited and one added on SIGHUP apply to the alerts that reach the spool after it")
    func reload() async throws {
        let h = try DaemonHarness()
        let receiver = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: Array("ok".utf8)) }
        h.serve("/a.xml", items: [(goldTitle, "g1"), (aiTitle, "a1")])
        let yaml = { (topics: String, extra: String) in
            Self.fastPolls + """

                sinks:
                  - {name: hook, type: webhook, url: "\(receiver.baseURL)/hook", allow_private: true, topics: [\(topics)]}
                \(extra)
                """
        }
        try h.writeConfig(feeds: ["/a.xml"], extra: yaml("ai-partnerships", ""))
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(eventually(30) { receiver.requests.count == 1 })
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: yaml(
                "gold-prices",
                """
                  - {name: capped, type: webhook, url: "\(receiver.baseURL)/capped", allow_private: true, max_per_hour: 1}
                """))
        daemon.signal(SIGHUP)
        #expect(eventually(10) { daemon.stderr.contains("configuration reloaded") })
        try await Task.sleep(for: .seconds(1))
        h.serve(
            "/a.xml", items: [(goldTitle, "g1"), (aiTitle, "a1")] + Self.later.enumerated().map { ($0.element, "l\($0.offset)") })
        #expect(eventually(45) { h.alertFiles.count == 4 }, "\(daemon.stderr)")
        let spool = Self.spool(h)
        let newGold = spool.filter {
            $0.value.topics.contains("gold-prices") && ($0.value.bytes.firstRange(of: Array("2,700".utf8)) != nil)
        }
        #expect(newGold.count == 1)
        #expect(
            eventually(15) {
                receiver.requests.filter { $0.path == "/hook" }.count == 2 && receiver.requests.contains { $0.path == "/capped" }
            })
        try await Task.sleep(for: .seconds(2))
        let hook = receiver.requests.filter { $0.path == "/hook" }.compactMap { $0.headers["idempotency-key"] }
        #expect(hook.count == 2 && hook.last == newGold.keys.first, "the edited filter: gold from now on")
        // The added sink: the first of the hour alone, the other held for the hour's end (unless the two
        // reached the spool on either side of a full hour, a few seconds apart: then each is the first).
        let created = h.alerts.filter { ($0["id"] as? String).map { id in !hook.dropLast().contains(id) } ?? false }
            .compactMap { $0["created_at"] as? String }.sorted().suffix(2)
        let oneHour = Set(created.map { $0.prefix(13) }).count == 1 && !(created.last ?? "").contains(":59:5")
        let status = try await h.run(["status"])
        if oneHour {
            #expect(receiver.requests.filter { $0.path == "/capped" }.count == 1)
            #expect(status.stdout.contains("sink capped (webhook): 1 delivered, 1 pending"), "\(status.stdout)")
            #expect(status.stdout.contains("at most 1 an hour; 1 held, next digest"), "\(status.stdout)")
        } else {
            #expect(receiver.requests.filter { $0.path == "/capped" }.count == 2, "\(created)")
        }
    }
}
