import FeedCore
import FeedStore
import FeedTestSupport
import FeedYAML
import Foundation
import Testing

@testable import FeedDaemon

/// Routing and batching decisions (issue 24), from a real configuration text: which sinks an alert goes
/// to, and when it is released; local times across daylight saving time.
@Suite("Sink routing and schedules")
struct SinkScheduleTests {
    static let base = """
        state_dir: /tmp/x
        spool_dir: /tmp/x/spool
        log_file: /tmp/x/alerts.log
        feeds:
          - {url: "https://gold.test/rss", name: Gold Desk, tags: [markets, arabic]}
          - {url: "https://ai.test/feed", tags: [tech]}

        """

    static func config(_ sinks: String) throws(ConfigError) -> DaemonConfig {
        try DaemonConfig.parse(base + "sinks:\n" + sinks, file: "c.yaml")
    }

    static func utc(_ text: String) -> Int64 { DateParser.parse(text)!.secondsSinceEpoch }

    static func alert(topics: [String], feed: String) -> StoredAlert {
        let names = topics.map { "{\"name\":\"\($0)\",\"score\":4.0,\"matched\":[]}" }.joined(separator: ",")
        return StoredAlert(
            id: "x", feedKey: feed, entryKey: "g", createdAt: 0, fileName: "0.x.json",
            payload: Array("{\"id\":\"x\",\"topics\":[\(names)]}".utf8), logLine: "")
    }

    @Test("an alert goes to a sink only when it matches every filter the sink gives")
    func routing() throws {
        let c = try Self.config(
            """
              - {name: all, type: webhook, url: "https://h.test/"}
              - {name: gold, type: webhook, url: "https://h.test/", topics: [gold-prices]}
              - {name: desk, type: webhook, url: "https://h.test/", feeds: [Gold Desk, "https://AI.test:443/feed"]}
              - {name: tagged, type: webhook, url: "https://h.test/", tags: [tech], topics: [ai-partnerships, markets]}
            """)
        func routed(_ topics: [String], _ feed: String) -> [String] {
            c.sinkQueueing(for: Self.alert(topics: topics, feed: feed), at: 0).map(\.sink)
        }
        #expect(routed(["gold-prices"], "https://gold.test/rss") == ["all", "gold", "desk"])
        #expect(routed(["markets", "gold-prices"], "https://ai.test/feed") == ["all", "gold", "desk", "tagged"])
        #expect(routed(["markets"], "https://ai.test/feed") == ["all", "desk", "tagged"])
        #expect(routed(["ai-partnerships"], "https://gold.test/rss") == ["all", "desk"])
        var also = Self.alert(topics: ["gold-prices"], feed: "https://gold.test/rss")
        also.kind = .logLine
        #expect(c.sinkQueueing(for: also, at: 0).isEmpty, "an also line goes to no sink")
    }

    @Test("a filter that can never match is an error at its line and column")
    func neverMatches() {
        #expect {
            try Self.config(
                """
                  - {name: a, type: webhook, url: "https://h.test/", topics: [gold-prices, gold]}
                  - {name: b, type: webhook, url: "https://h.test/", feeds: [Nobody]}
                  - name: c
                    url: "https://h.test/"
                    tags: [markets, sports]
                """)
        } throws: { error in
            let all = ((error as? ConfigError).map { [$0.alone] + $0.others } ?? []).map(\.description)
            return all == [
                "c.yaml:8:76: sink a: no enabled topic is named gold; it would never match (topics: ai-partnerships, gold-prices, markets)",
                "c.yaml:9:62: sink b: no configured feed has the name or URL Nobody; it would never match",
                "c.yaml:12:21: sink c: no feed has the tag sports; it would never match",
            ]
        }
    }

    @Test("digest, quiet_hours and max_per_hour are read, and refused when malformed")
    func reading() throws {
        let c = try Self.config(
            """
              - {name: a, type: webhook, url: "https://h.test/", digest: {every: 1h}, max_per_hour: 5}
              - name: b
                type: webhook
                url: "https://h.test/"
                digest: {at: "07:00", timezone: Europe/London}
                quiet_hours: {from: "22:00", to: "06:30", timezone: "+03:00"}
            """)
        #expect(c.sinks[0].digest == .every(seconds: 3600) && c.sinks[0].maxPerHour == 5)
        #expect(c.sinks[1].digestText == "daily at 07:00 Europe/London")
        #expect(c.sinks[1].quietHours?.from == 22 * 60 && c.sinks[1].quietHours?.to == 6 * 60 + 30)
        for (bad, message) in [
            ("digest: {every: 30s}", "out of range"), ("digest: {at: \"7am\"}", "HH:MM"),
            ("digest: {every: 1h, at: \"07:00\"}", "a digest is"), ("digest: {at: \"07:00\", timezone: Mars/Base}", "zone name"),
            ("quiet_hours: {from: \"22:00\"}", "from: and to:"),
            ("quiet_hours: {from: \"22:00\", to: \"22:00\"}", "the same time"),
            ("max_per_hour: 0", "1"),
        ] {
            #expect(
                performing: { try Self.config("  - {name: a, type: webhook, url: \"https://h.test/\", \(bad)}") },
                throws: { "\($0)".contains(message) })
        }
    }

    @Test("digest periods: an alert at the instant a period closes belongs to the next")
    func boundary() throws {
        let c = try Self.config("  - {name: a, type: webhook, url: \"https://h.test/\", digest: {every: 1m}}")
        #expect(c.sinks[0].queueing(at: 119).releaseAt == 120)
        #expect(c.sinks[0].queueing(at: 120).releaseAt == 180)
        #expect(c.sinks[0].queueing(at: 121).releaseAt == 180)
    }

    @Test("daily digests across daylight saving time in Europe/London: 23- and 25-hour days, no lost or doubled day")
    func daylightSaving() throws {
        let c = try Self.config(
            """
              - {name: m, type: webhook, url: "https://h.test/", digest: {at: "07:00", timezone: Europe/London}}
              - {name: n, type: webhook, url: "https://h.test/", digest: {at: "01:30", timezone: Europe/London}}
            """)
        let morning = c.sinks[0]
        // Spring: 29 March 2026, clocks go from 01:00 GMT to 02:00 BST. 07:00 is 07:00Z before, 06:00Z after.
        let before = try #require(morning.queueing(at: Self.utc("2026-03-28T08:00:00Z")).releaseAt)
        #expect(before == Self.utc("2026-03-29T06:00:00Z"))
        #expect(morning.queueing(at: before).releaseAt == Self.utc("2026-03-30T06:00:00Z"))
        #expect(before - Self.utc("2026-03-28T07:00:00Z") == 23 * 3600)
        // Autumn: 25 October 2026, back from 02:00 BST to 01:00 GMT.
        #expect(morning.queueing(at: Self.utc("2026-10-24T06:30:00Z")).releaseAt == Self.utc("2026-10-25T07:00:00Z"))
        // 01:30 does not exist on 29 March (taken at 02:00 BST, the first time after) and comes twice on
        // 25 October (taken once, the first time).
        let night = c.sinks[1]
        #expect(night.queueing(at: Self.utc("2026-03-28T23:00:00Z")).releaseAt == Self.utc("2026-03-29T01:00:00Z"))
        let first = try #require(night.queueing(at: Self.utc("2026-10-24T23:00:00Z")).releaseAt)
        #expect(first == Self.utc("2026-10-25T00:30:00Z"))
        #expect(night.queueing(at: first).releaseAt == Self.utc("2026-10-26T01:30:00Z"))
    }

    @Test("quiet hours span midnight; a release in them waits for their end; the cap's digest waits too")
    func quietHours() throws {
        let c = try Self.config(
            """
              - name: q
                type: webhook
                url: "https://h.test/"
                quiet_hours: {from: "22:00", to: "07:00", timezone: UTC}
                max_per_hour: 3
              - name: d
                type: webhook
                url: "https://h.test/"
                digest: {every: 1h}
                quiet_hours: {from: "22:00", to: "07:00", timezone: "+03:00"}
            """)
        let (q, d) = (c.sinks[0], c.sinks[1])
        #expect(q.queueing(at: Self.utc("2026-12-05T23:10:00Z")).releaseAt == Self.utc("2026-12-06T07:00:00Z"))
        #expect(q.queueing(at: Self.utc("2026-12-06T03:00:00Z")).releaseAt == Self.utc("2026-12-06T07:00:00Z"))
        let day = q.queueing(at: Self.utc("2026-12-06T12:10:00Z"))
        #expect(
            day.releaseAt == nil
                && day.cap
                    == .init(limit: 3, since: Self.utc("2026-12-06T12:00:00Z"), releaseAt: Self.utc("2026-12-06T13:00:00Z"))
        )
        // 21:30 → the hour ends at 22:00, in the quiet hours: released at 07:00.
        #expect(q.queueing(at: Self.utc("2026-12-06T21:30:00Z")).cap?.releaseAt == Self.utc("2026-12-07T07:00:00Z"))
        // Hourly digests in +03:00: the 19:00Z period end is 22:00 local, quiet until 07:00 local (04:00Z).
        #expect(d.queueing(at: Self.utc("2026-12-06T18:30:00Z")).releaseAt == Self.utc("2026-12-07T04:00:00Z"))
        #expect(d.queueing(at: Self.utc("2026-12-06T17:30:00Z")).releaseAt == Self.utc("2026-12-06T18:00:00Z"))
    }

    @Test("quiet hours that end in the hour an autumn change repeats end with it, never a day later")
    func quietHoursRepeatedHour() throws {
        let c = try Self.config(
            """
              - name: q
                type: webhook
                url: "https://h.test/"
                quiet_hours: {from: "22:00", to: "01:30", timezone: Europe/London}
            """)
        let q = c.sinks[0]
        // 25 October 2026: 01:00–02:00 BST (00:00–01:00Z), then 01:00–02:00 GMT again (01:00–02:00Z).
        #expect(q.queueing(at: Self.utc("2026-10-24T23:50:00Z")).releaseAt == Self.utc("2026-10-25T00:30:00Z"))
        // 01:10 GMT is 01:10 local again: quiet until the second 01:30 (01:30Z), never until the next day.
        #expect(q.queueing(at: Self.utc("2026-10-25T01:10:00Z")).releaseAt == Self.utc("2026-10-25T01:30:00Z"))
        #expect(q.queueing(at: Self.utc("2026-10-25T22:10:00Z")).releaseAt == Self.utc("2026-10-26T01:30:00Z"))
    }
}
