import FeedStore
import Testing

/// What every `StateStore` must do, written once and run against each backend (SQLite here, PostgreSQL
/// in PostgresStateStoreTests): the backends differ in SQL, never in behaviour.
enum StateStoreBehaviour {
    static let feed = FeedState(
        key: "https://a.test/rss", currentURL: "https://b.test/rss", etag: "\"e\"", nextPoll: 100,
        errorStreak: 2, lastError: "HTTP 500", polls: 3, configHash: "h", newEntryGap: 600)
    static let alert = StoredAlert(
        id: "a1", feedKey: feed.key, entryKey: "g:1", createdAt: 50, fileName: "50.a1.json",
        payload: Array("{}".utf8), logLine: "line")

    /// Feeds, entries and the outbox round-trip; `reopened` then checks a second store on the same state.
    static func roundTrip(_ store: any StateStore) async throws {
        var feed = feed
        try await store.commit(
            PollCommit(
                feed: feed, entries: [EntryRecord(key: "g:1", contentHash: "c", topics: ["markets"], firstSeen: 50)],
                alerts: [alert], seenAt: 50))
        #expect(try await store.feed(feed.key) == feed)
        #expect(try await store.allFeeds() == [feed])
        #expect(try await store.entries(feedKey: feed.key, keys: ["g:1", "g:2"])["g:1"]?.topics == ["markets"])
        #expect(try await store.pendingAlerts() == [alert])
        // A replayed commit (crash before the delivered mark) does not duplicate the alert.
        feed.errorStreak = 0
        try await store.commit(PollCommit(feed: feed, alerts: [alert], seenAt: 60))
        #expect(try await store.pendingAlerts().count == 1)
        #expect(try await store.alertCounts() == (1, 1))
        try await store.markDelivered("a1", at: 70, sinks: [])
        #expect(try await store.pendingAlerts().isEmpty)
        #expect(try await store.alertCounts() == (1, 0))
        #expect(try await store.statistics()[feed.key] == FeedStatistics(entries: 1, alerts: 1, pending: 0))
        try await store.ping()
    }

    /// A store reopened after `roundTrip` keeps everything.
    static func reopened(_ store: any StateStore) async throws {
        #expect(try await store.feed(feed.key)?.errorStreak == 0)
        #expect(try await store.alertCounts() == (1, 0))
    }

    /// Delivering an alert queues it for each sink in the same transaction; attempts, counts and
    /// pruning follow the sink's state.
    static func sinks(_ store: any StateStore) async throws {
        let also = StoredAlert(
            id: "l1", kind: .logLine, feedKey: feed.key, entryKey: "g:2", createdAt: 50, fileName: "", payload: [],
            logLine: "also")
        try await store.commit(PollCommit(feed: feed, alerts: [alert, also], seenAt: 50))
        try await store.markDelivered("a1", at: 100, sinks: ["hook", "exec"])
        // A log line goes to no sink, and a second mark queues nothing twice.
        try await store.markDelivered("l1", at: 100, sinks: ["hook"])
        try await store.markDelivered("a1", at: 100, sinks: ["hook"])
        let due = try await store.dueSinkJobs(sink: "hook", now: 100, limit: 10)
        // A shared state hands each job out under a claim of its own (nil on a node's own state).
        var expected = SinkJob(
            alertID: "a1", sink: "hook", attempts: 0, createdAt: 100, fileName: "50.a1.json", payload: alert.payload)
        expected.claim = due.first?.claim
        #expect(due == [expected])
        try await store.recordSinkAttempt(due[0], outcome: .retry(at: 200, error: "HTTP 503"), at: 100)
        #expect(try await store.dueSinkJobs(sink: "hook", now: 199, limit: 10).isEmpty)
        let again = try await store.dueSinkJobs(sink: "hook", now: 200, limit: 10)
        #expect(again.map(\.attempts) == [1])
        try await store.recordSinkAttempt(again[0], outcome: .failed(error: "gave up"), at: 300)
        #expect(try await store.sinkCounts()["hook"] == SinkCounts(failed: 1, lastError: "gave up"))
        #expect(try await store.sinkCounts()["exec"] == SinkCounts(pending: 1))
        // The exec sink still needs the payload: pruning keeps it, then drops it once delivered.
        #expect(try await store.prune(entriesUnlistedSince: 0, alertsDeliveredBefore: 1000).payloads == 0)
        let exec = try await store.dueSinkJobs(sink: "exec", now: 100, limit: 10)
        try await store.recordSinkAttempt(exec[0], outcome: .delivered, at: 400)
        #expect(try await store.sinkCounts()["exec"] == SinkCounts(delivered: 1))
        #expect(try await store.prune(entriesUnlistedSince: 0, alertsDeliveredBefore: 1000).payloads == 1)
        #expect(try await store.sinkCounts().isEmpty)
        #expect(try await store.alertCounts() == (2, 0))
    }

    /// Entries no feed has listed since a time are forgotten; listing an entry keeps it.
    static func pruneEntries(_ store: any StateStore) async throws {
        let entries = ["g:1", "g:2"].map { EntryRecord(key: $0, contentHash: "c", topics: [], firstSeen: 10) }
        try await store.commit(PollCommit(feed: feed, entries: entries, seenAt: 10))
        var listed = PollCommit(feed: feed, seenAt: 500)
        listed.listed = ["g:2"]
        try await store.commit(listed)
        #expect(try await store.prune(entriesUnlistedSince: 100, alertsDeliveredBefore: 0) == PruneReport(entries: 1))
        #expect(try await store.entries(feedKey: feed.key, keys: ["g:1", "g:2"]).keys.sorted() == ["g:2"])
    }
}
