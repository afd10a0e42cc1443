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
}
