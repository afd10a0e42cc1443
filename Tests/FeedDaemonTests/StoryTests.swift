import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 10, end to end with the real binary: syndicated copies of one story give one alert file.
@Suite("Daemon: one alert per story", .serialized)
struct StoryTests {
    /// The story label of every report title in the set.
    static let labels: [String: String] = Dictionary(
        SyndicationSet.outlets.flatMap { $0.reports.map { ($0.title, $0.story) } }, uniquingKeysWith: { a, _ in a })

    func serve(_ h: DaemonHarness, _ outlets: [SyndicationSet.Outlet]) {
        for o in outlets { h.serve(o.path, reports: o.reports) }
    }

    func title(_ alert: [String: Any]) -> String { (alert["entry"] as? [String: Any])?["title"] as? String ?? "" }
    func story(_ alert: [String: Any]) -> String? { (alert["story"] as? [String: Any])?["id"] as? String }

    /// Every story label has exactly one alert file, and every file a story id of its own.
    func expectOneFilePerStory(_ h: DaemonHarness, _ outlets: [SyndicationSet.Outlet]) {
        let expected = Set(outlets.flatMap { $0.reports.map(\.story) })
        let labels = h.alerts.map { Self.labels[title($0)] ?? "unknown: \(title($0))" }
        #expect(labels.sorted() == expected.sorted())
        #expect(Set(h.alerts.compactMap(story)).count == expected.count)
    }

    @Test("the syndication set: one file per story, every source in alerts show, sources in list --json, near misses alerted")
    func syndication() async throws {
        let h = try DaemonHarness()
        serve(h, SyndicationSet.outlets)
        try h.writeConfig(feeds: SyndicationSet.outlets.map(\.path))
        let r = try await h.run(["once"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(h.alertFiles.count == SyndicationSet.storyCount)
        expectOneFilePerStory(h, SyndicationSet.outlets)

        // The log: one line per file, one "also" line per merged report, naming the story's alert.
        let merged = SyndicationSet.reportCount - SyndicationSet.storyCount
        #expect(h.logLines.count == SyndicationSet.reportCount)
        #expect(h.alsoLines.count == merged)
        let ids = Set(h.alerts.compactMap { $0["id"] as? String })
        #expect(h.alsoLines.allSatisfy { ids.contains(String($0.split(separator: "\t")[1])) })

        // `alerts show` lists every source: feed URL, title, link and time.
        for alert in h.alerts {
            let id = try #require(alert["id"] as? String)
            let label = Self.labels[title(alert)]
            let reports = SyndicationSet.outlets.flatMap { o in o.reports.filter { $0.story == label }.map { (o.path, $0) } }
            let shown = try await h.run(["alerts", "show", id]).stdout
            #expect(shown.contains("sources: \(reports.count)"), "\(shown)")
            for (path, report) in reports {
                #expect(
                    shown.contains(h.server.baseURL + path) && shown.contains(report.title),
                    "\(report.title) missing from \(shown)")
            }
            let out = try await h.run(["alerts", "show", "--json", id]).stdout
            let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            let sources = try #require(json["sources"] as? [[String: Any]])
            #expect(sources.count == reports.count)
            #expect(
                sources.allSatisfy {
                    $0["feed"] is String && $0["title"] is String && $0["link"] is String && $0["time"] is String
                })
        }

        // `alerts list --json`: "sources" per alert.
        let listed = try await h.run(["alerts", "list", "--json"]).stdout.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(listed.count == SyndicationSet.storyCount)
        #expect(listed.map { ($0["sources"] as? [[String: Any]])?.count ?? -1 }.reduce(0, +) == SyndicationSet.reportCount)

        // `status` counts the merged reports.
        let status = try await h.run(["status", "--json"]).stdout
        #expect(status.contains(#""opened":\#(SyndicationSet.storyCount),"merged":\#(merged)"#), "\(status)")
        #expect(
            try await h.run(["status"]).stdout.contains(
                "stories: \(SyndicationSet.storyCount) opened, \(merged) report(s) merged"))

        // Nothing new: nothing more.
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == SyndicationSet.storyCount)
        #expect(h.logLines.count == SyndicationSet.reportCount)
    }

    @Test("reports arriving in a later poll join the story")
    func laterPoll() async throws {
        let h = try DaemonHarness()
        let outlets = SyndicationSet.english
        serve(h, outlets)
        try h.writeConfig(feeds: outlets.prefix(2).map(\.path))
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == 6)
        try h.writeConfig(feeds: outlets.map(\.path))
        // Poll times are whole seconds: the next poll comes at a later one.
        try await Task.sleep(for: .seconds(1.1))
        let later = try await h.run(["once"])
        #expect(later.status == 0, "\(later.stderr)")
        #expect(later.stdout.contains("6 joined a story"))
        #expect(h.alertFiles.count == 6)
        expectOneFilePerStory(h, outlets)
        #expect(h.alsoLines.count == 18)
        let id = try #require(h.alerts.first?["id"] as? String)
        #expect(try await h.run(["alerts", "show", id]).stdout.contains("sources: 4"))
    }

    @Test("a report arriving after the story window opens a story of its own")
    func afterWindow() async throws {
        let h = try DaemonHarness()
        let gold = SyndicationSet.english.map { $0.reports[0] }
        h.serve("/first.xml", reports: [gold[0]])
        h.serve("/second.xml", reports: [gold[1]])
        try h.writeConfig(feeds: ["/first.xml"], alerts: "max_age: 0\nstory_window: 1s")
        #expect(try await h.run(["once"]).status == 0)
        try h.writeConfig(feeds: ["/first.xml", "/second.xml"], alerts: "max_age: 0\nstory_window: 1s")
        try await Task.sleep(for: .seconds(2.1))
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == 2)
        #expect(h.alsoLines.isEmpty)
    }

    @Test("two feeds carrying one story, polled at the same moment, give one file", arguments: 1...3)
    func concurrent(round: Int) async throws {
        let h = try DaemonHarness()
        let gold = SyndicationSet.english.map { $0.reports[0] }
        for (i, report) in gold.enumerated() { h.serve("/c\(i).xml", reports: [report]) }
        try h.writeConfig(feeds: gold.indices.map { "/c\($0).xml" })
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == 1)
        #expect(h.alsoLines.count == gold.count - 1)
    }

    @Test("story_window: 0 merges nothing")
    func windowZero() async throws {
        let h = try DaemonHarness()
        serve(h, SyndicationSet.outlets)
        try h.writeConfig(feeds: SyndicationSet.outlets.map(\.path), alerts: "max_age: 0\nstory_window: 0")
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == SyndicationSet.reportCount)
        #expect(h.alsoLines.isEmpty)
        #expect(Set(h.alerts.compactMap(story)).count == SyndicationSet.reportCount)
        #expect(try await h.run(["status", "--json"]).stdout.contains(#""merged":0,"window_seconds":0"#))
    }

    @Test("a joining report that adds a topic still alerts for it, in the same story")
    func addedTopic() async throws {
        let h = try DaemonHarness()
        h.serve("/gold.xml", reports: [.init(story: "g", title: "Gold rises to record $4,212 as dollar weakens", summary: nil)])
        h.serve(
            "/markets.xml",
            reports: [
                .init(
                    story: "g", title: "Gold rises to record $4,212 as dollar weakens, lifting Nikkei and Wall Street stocks",
                    summary: nil)
            ])
        try h.writeConfig(feeds: ["/gold.xml"])
        #expect(try await h.run(["once"]).status == 0)
        try h.writeConfig(feeds: ["/gold.xml", "/markets.xml"])
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == 2)
        #expect(h.alsoLines.isEmpty)
        #expect(Set(h.alerts.compactMap(story)).count == 1)
        let topics = h.alerts.map { ($0["topics"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
        #expect(topics.contains(["gold-prices"]) && topics.contains { $0.contains("markets") })
    }

    @Test(
        "kill -9 between the story decision and delivery loses and doubles nothing (files and log lines)",
        arguments: ["before-pending-commit", "after-story-commit", "after-link", "after-also-line", "before-delivered-mark"])
    func crashes(point: String) async throws {
        let h = try DaemonHarness()
        let outlets = Array(SyndicationSet.english.prefix(2))
        serve(h, outlets)
        try h.writeConfig(feeds: outlets.map(\.path))
        let crashed = try await h.run(["once"], environment: try h.faults("crash-at-" + point))
        #expect(crashed.status == 128 + SIGKILL, "the crash point did not fire: \(crashed.stderr)")
        let after = try await h.run(["once"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(try await h.run(["once"]).status == 0)
        expectOneFilePerStory(h, outlets)
        // Every line exactly once: one per alert file, one "also" line per merged report.
        #expect(h.logLines.count == 12, "\(h.logLines.joined(separator: "\n"))")
        #expect(Set(h.logLines.map { $0.split(separator: "\t").dropFirst().joined(separator: "\t") }).count == 12)
        #expect(h.alsoLines.count == 6)
        let ids = Set(h.alerts.compactMap { $0["id"] as? String })
        #expect(h.logLines.filter { !h.alsoLines.contains($0) }.allSatisfy { ids.contains(String($0.split(separator: "\t")[1])) })
    }
}
