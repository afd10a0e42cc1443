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
        try await StateStoreBehaviour.roundTrip(try SQLiteStateStore(directory: dir))
        // Reopening keeps everything (migrations are forward-only and idempotent).
        try await StateStoreBehaviour.reopened(try SQLiteStateStore(directory: dir))
    }

    @Test("delivering an alert queues it for each sink; attempts, counts and pruning follow the sink")
    func sinks() async throws {
        let dir = try TestPaths.temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await StateStoreBehaviour.sinks(try SQLiteStateStore(directory: dir))
    }

    @Test("entries no feed lists any more are pruned; listed ones stay")
    func pruneEntries() async throws {
        let dir = try TestPaths.temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await StateStoreBehaviour.pruneEntries(try SQLiteStateStore(directory: dir))
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

    @Test("after an unclean shutdown (a -wal left beside it), a database failing quick_check is refused, untouched")
    func uncleanShutdownChecked() async throws {
        let dir = try TestPaths.temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/state.sqlite"
        do {
            let store = try SQLiteStateStore(directory: dir)
            let feed = FeedState(key: "https://a.test/rss", currentURL: "https://a.test/rss")
            let entries = (0..<3000).map {
                EntryRecord(key: "entry-\($0)-" + String(repeating: "x", count: 40), contentHash: "h", topics: [], firstSeen: 1)
            }
            try await store.commit(PollCommit(feed: feed, entries: entries, seenAt: 1))
        }
        // A clean close checkpoints the WAL: nothing is left to say the shutdown was unclean.
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        // One page of the entry table overwritten, past the schema and the migrations' pages.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let page = 4096
        let middle = (bytes.count / page / 2) * page
        bytes.replaceSubrange(middle..<middle + page, with: Data(repeating: 0x41, count: page))
        try bytes.write(to: URL(fileURLWithPath: path))
        try Data(repeating: 0x42, count: 64).write(to: URL(fileURLWithPath: path + "-wal"))
        #expect(throws: StoreError.self) { _ = try SQLiteStateStore(directory: dir) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test(
        "sink deliveries: queued once per sink with the mark, only for files; retried, counted; retention keeps what a sink needs",
        arguments: ["sqlite", "memory"])
    func sinks(backend: String) async throws {
        let dir = try TestPaths.temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store: any StateStore = backend == "sqlite" ? try SQLiteStateStore(directory: dir) : MemoryStateStore()
        let feed = FeedState(key: "https://a.test/rss", currentURL: "https://a.test/rss")
        let file = StoredAlert(
            id: "a1", feedKey: feed.key, entryKey: "g:1", createdAt: 50, fileName: "50.a1.json",
            payload: Array("{\"id\":\"a1\"}".utf8), logLine: "line")
        var also = file
        (also.id, also.kind, also.fileName) = ("a2", .logLine, "")
        try await store.commit(PollCommit(feed: feed, alerts: [file, also], seenAt: 50))
        try await store.markDelivered("a1", at: 60, sinks: ["hook", "mail"])
        try await store.markDelivered("a1", at: 61, sinks: ["hook"])  // a replayed mark queues nothing twice
        try await store.markDelivered("a2", at: 60, sinks: ["hook"])  // an "also" line goes to no sink
        let due = try await store.dueSinkJobs(sink: "hook", now: 60, limit: 10)
        #expect(due.map(\.alertID) == ["a1"])
        #expect(due.first?.payload == file.payload && due.first?.fileName == "50.a1.json")
        try await store.recordSinkAttempt(due[0], outcome: .retry(at: 100, error: "HTTP 500"), at: 60)
        #expect(try await store.dueSinkJobs(sink: "hook", now: 99, limit: 10).isEmpty)
        let again = try #require(try await store.dueSinkJobs(sink: "hook", now: 100, limit: 10).first)
        #expect(again.attempts == 1)
        // Retention: the mail sink still needs the copy, so it stays; once every sink is done, it goes.
        _ = try await store.prune(entriesUnlistedSince: 0, alertsDeliveredBefore: 1000)
        #expect(try await store.dueSinkJobs(sink: "mail", now: 1000, limit: 10).first?.payload == file.payload)
        try await store.recordSinkAttempt(again, outcome: .delivered, at: 101)
        let mail = try #require(try await store.dueSinkJobs(sink: "mail", now: 1000, limit: 10).first)
        try await store.recordSinkAttempt(mail, outcome: .failed(error: "gave up"), at: 102)
        #expect(
            try await store.sinkCounts() == [
                // hook's HTTP 500 was followed by a delivery: history, no longer its last error.
                "hook": SinkCounts(delivered: 1, pending: 0, failed: 0, lastError: nil),
                "mail": SinkCounts(delivered: 0, pending: 0, failed: 1, lastError: "gave up"),
            ])
        #expect(try await store.prune(entriesUnlistedSince: 0, alertsDeliveredBefore: 1000).payloads == 1)
    }
}
