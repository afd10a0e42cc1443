import FeedTestSupport
import Foundation
import Testing

/// The state stays bounded (issue "The data path at scale"): entries a feed no longer lists are forgotten
/// after `state.entry_retention`, and delivered alerts lose their payload after `state.alert_retention`.
@Suite("State retention")
struct RetentionTests {
    /// Entries stored for the feed, as `status --json` reports them.
    func entries(_ h: DaemonHarness) async throws -> Int {
        let out = try await h.run(["status", "--json"]).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let feeds = try #require(object["feeds"] as? [[String: Any]])
        return try #require(feeds.first?["entries"] as? Int)
    }

    func sqlite(_ h: DaemonHarness, _ query: String) async throws -> String {
        let r = try await Program.run("/usr/bin/env", ["sqlite3", h.dir + "/state/state.sqlite", query])
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a feed that rotates its items keeps a bounded state; delivered payloads are dropped")
    func rotatingFeed() async throws {
        let h = try DaemonHarness()
        try h.writeConfig(feeds: ["/r.xml"], extra: "state:\n  entry_retention: 1s\n  alert_retention: 1s")
        for round in 0..<4 {
            var items = (0..<5).map { ("A quiet day in the village, part \(round * 5 + $0)", "r\(round * 5 + $0)") }
            if round == 0 { items.append(("Gold prices rise as the dollar weakens", "gold")) }
            h.serve("/r.xml", items: items)
            let once = try await h.run(["once"])
            #expect(once.status == 0, "\(once.stderr)")
            // What the feed lists now is kept; what it stopped listing more than a second ago is gone.
            let stored = try await entries(h)
            #expect(stored <= 6, "round \(round): \(stored) entries")
            try await Task.sleep(for: .milliseconds(2100))  // times are whole seconds: 2.1 s is always more than 1
        }
        #expect(try await entries(h) == 5)
        #expect(h.alertFiles.count == 1)
        // The gold alert was delivered in round 0, more than two seconds ago: its row stays, its payload went.
        #expect(try await sqlite(h, "SELECT count(*) FROM alert") == "1")
        #expect(try await sqlite(h, "SELECT count(*) FROM alert WHERE length(payload) > 0") == "0")
    }

    @Test("once prunes at most hourly (the time of state_dir/pruned), as run does")
    func oncePrunesHourly() async throws {
        let h = try DaemonHarness()
        try h.writeConfig(feeds: ["/p.xml"], extra: "state:\n  entry_retention: 2h")
        h.serve("/p.xml", items: [("A quiet day in the village", "p1")])
        let marker = h.dir + "/state/pruned"
        func prunedAt() throws -> Date? {
            try FileManager.default.attributesOfItem(atPath: marker)[.modificationDate] as? Date
        }
        #expect(try await h.run(["once"]).status == 0)
        let first = try #require(try prunedAt())
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await h.run(["once"]).status == 0)
        #expect(try prunedAt() == first, "a second once within the hour prunes again")
        // An hour and a second ago: due again.
        let old = Date().addingTimeInterval(-3601)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: marker)
        #expect(try await h.run(["once"]).status == 0)
        #expect(try #require(try prunedAt()) > old.addingTimeInterval(3000))
    }

    @Test("without retention pressure nothing listed is forgotten")
    func defaultsKeepListedEntries() async throws {
        let h = try DaemonHarness()
        try h.writeConfig(feeds: ["/k.xml"])
        for round in 0..<3 {
            h.serve("/k.xml", items: (0..<5).map { ("A quiet day, part \(round * 5 + $0)", "k\(round * 5 + $0)") })
            #expect(try await h.run(["once"]).status == 0)
        }
        #expect(try await entries(h) == 15)
    }
}
