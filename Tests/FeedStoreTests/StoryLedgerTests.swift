import FeedStore
import FeedTestSupport
import Foundation
import Testing

/// The story tables through the store's own commit, as the story stage uses them.
@Suite("SQLite state: stories")
struct StoryLedgerTests {
    /// Runs `body` inside one poll's commit, as the story stage does.
    struct Inside: StoryDecision {
        let body: @Sendable (any StoryLedger) throws -> [StoredAlert]
        func decide(in ledger: any StoryLedger) throws -> [StoredAlert] { try body(ledger) }
    }

    static func commit(
        _ store: any StateStore, at: Int64, _ body: @escaping @Sendable (any StoryLedger) throws -> [StoredAlert]
    )
        async throws -> [StoredAlert]
    {
        try await store.commit(
            PollCommit(
                feed: FeedState(key: "https://a.test/rss", currentURL: "https://a.test/rss"),
                stories: Inside(body: body), seenAt: at))
    }

    /// `#expect` for the ledger's closures: the PostgreSQL ledger runs them on one of NIO's threads,
    /// where Swift Testing cannot tell which test an expectation belongs to; a failed check throws
    /// instead, and the commit's error fails the test that made it.
    struct CheckFailed: Error, CustomStringConvertible {
        var description: String
    }

    static func check(_ ok: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard ok else { throw CheckFailed(description: "ledger check failed at \(sourceLocation)") }
    }

    static let story = StoryRecord(id: "s1", alertID: "a1", openedAt: 1000, topics: ["markets"])
    static func source(_ entry: String, _ role: StorySource.Role) -> StorySource {
        StorySource(
            feedKey: "https://a.test/rss", entryKey: entry, at: 1000, title: "Gold rises", link: "https://a.test/1", role: role)
    }

    @Test("candidates come by band key within the window; sources, counts and merged figures read back")
    func roundTrip() async throws {
        let dir = try TestPaths.temporaryDirectory("stories")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await Self.roundTrip(try SQLiteStateStore(directory: dir))
    }

    @Test("pruning forgets the index of expired stories, keeps their sources, and never touches live ones")
    func prune() async throws {
        let dir = try TestPaths.temporaryDirectory("stories")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await Self.prune(try SQLiteStateStore(directory: dir))
    }

    /// The shared body of the round trip (PostgresStateStoreTests runs it too).
    static func roundTrip(_ store: any StateStore) async throws {
        let rows = try await Self.commit(store, at: 1000) { ledger in
            try ledger.open(Self.story, source: Self.source("g:1", .opened), bands: [7, 8], fingerprint: [1, 2, 3])
            try Self.check(ledger.add(Self.source("g:2", .joined), to: Self.story, bands: [8, 9], fingerprint: [4]))
            // The same entry again is no new source.
            try Self.check(!ledger.add(Self.source("g:2", .joined), to: Self.story, bands: [8], fingerprint: [4]))
            try ledger.setTopics(["gold-prices", "markets"], of: "s1")
            return [
                StoredAlert(
                    id: "also1", kind: .logLine, feedKey: "https://a.test/rss", entryKey: "g:2", createdAt: 1000,
                    fileName: "", payload: [], logLine: "line")
            ]
        }
        #expect(rows.map(\.kind) == [.logLine])
        #expect(try await store.pendingAlerts().map(\.kind) == [.logLine])
        _ = try await Self.commit(store, at: 1001) { ledger in
            let found = try ledger.candidates(bands: [8, 100], since: 1000, limit: 32)
            try Self.check(found.count == 2)
            try Self.check(
                found.first?.story == StoryRecord(id: "s1", alertID: "a1", openedAt: 1000, topics: ["gold-prices", "markets"]))
            try Self.check(Set(found.map(\.fingerprint)) == [[1, 2, 3], [4]])
            try Self.check(ledger.candidates(bands: [9], since: 1000, limit: 32).map(\.sharedBands) == [1])
            // Outside the window, or under no shared key: nothing.
            try Self.check(ledger.candidates(bands: [8], since: 1001, limit: 32).isEmpty)
            try Self.check(ledger.candidates(bands: [5], since: 0, limit: 32).isEmpty)
            try Self.check(ledger.candidates(bands: [], since: 0, limit: 32).isEmpty)
            return []
        }
        #expect(try await store.storySources("s1").map(\.entryKey) == ["g:1", "g:2"])
        #expect(try await store.storySourceCounts(["s1", "unknown"]) == ["s1": 2])
        #expect(try await store.storyStatistics() == StoryStatistics(stories: 1, merged: 1))
        #expect(try await store.statistics()["https://a.test/rss"]?.merged == 1)
    }

    /// The shared body of the pruning test.
    static func prune(_ store: any StateStore) async throws {
        _ = try await Self.commit(store, at: 1000) { ledger in
            try ledger.open(Self.story, source: Self.source("g:1", .opened), bands: [7], fingerprint: [1])
            return []
        }
        let later: Int64 = 1000 + 10 * 3600
        _ = try await Self.commit(store, at: later) { ledger in
            try ledger.open(
                StoryRecord(id: "s2", alertID: "a2", openedAt: later, topics: []),
                source: Self.source("g:9", .opened), bands: [7], fingerprint: [2])
            try ledger.prune(openedBefore: later - 3600)
            try Self.check(ledger.candidates(bands: [7], since: 0, limit: 32).map(\.story.id) == ["s2"])
            return []
        }
        #expect(try await store.storySources("s1").count == 1)
    }
}
