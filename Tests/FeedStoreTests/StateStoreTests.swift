import FeedStore
import FeedTestSupport
import Foundation
import Testing

@Suite("SQLite state")
struct StateStoreTests {
    @Test("feeds, entries and the outbox round-trip through a real SQLite file")
    func roundTrip() async throws {
        let dir = try TestPaths.temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStateStore(directory: dir)
        var feed = FeedState(
            key: "https://a.test/rss", currentURL: "https://b.test/rss", etag: "\"e\"", nextPoll: 100,
            errorStreak: 2, lastError: "HTTP 500", polls: 3, configHash: "h", newEntryGap: 600)
        let alert = StoredAlert(
            id: "a1", feedKey: feed.key, entryKey: "g:1", createdAt: 50, fileName: "50.a1.json",
            payload: Array("{}".utf8), logLine: "line")
        try await store.commit(
            PollCommit(
                feed: feed, entries: [EntryRecord(key: "g:1", contentHash: "c", topics: ["markets"], firstSeen: 50)],
                alerts: [alert], seenAt: 50))
        #expect(try await store.feed(feed.key) == feed)
        #expect(try await store.entries(feedKey: feed.key, keys: ["g:1", "g:2"])["g:1"]?.topics == ["markets"])
        #expect(try await store.pendingAlerts() == [alert])
        // A replayed commit (crash before the delivered mark) does not duplicate the alert.
        feed.errorStreak = 0
        try await store.commit(PollCommit(feed: feed, alerts: [alert], seenAt: 60))
        #expect(try await store.pendingAlerts().count == 1)
        try await store.markDelivered("a1", at: 70, sinks: [])
        #expect(try await store.pendingAlerts().isEmpty)
        #expect(try await store.statistics()[feed.key] == FeedStatistics(entries: 1, alerts: 1, pending: 0))
        // Reopening keeps everything (migrations are forward-only and idempotent).
        let again = try SQLiteStateStore(directory: dir)
        #expect(try await again.feed(feed.key)?.errorStreak == 0)
    }

    @Test("a file that is not a database is refused and left untouched (BI-37)")
    func corrupt() throws {
        let dir = try TestPaths.temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let junk = Data(repeating: 0x41, count: 8192)
        try junk.write(to: URL(fileURLWithPath: dir + "/state.sqlite"))
        #expect(throws: (any Error).self) { _ = try SQLiteStateStore(directory: dir) }
        #expect(FileManager.default.contents(atPath: dir + "/state.sqlite") == junk)
    }
}
