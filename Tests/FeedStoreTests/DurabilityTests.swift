import FeedTestSupport
import Foundation
import GRDB
import Testing

@testable import FeedStore

@Suite("SQLite durability")
struct DurabilityTests {
    /// GRDB's pool switches its writer to `synchronous = NORMAL` when it sets up WAL, after the
    /// configuration's own pragmas: commits were then durable only at checkpoints.
    @Test("the writer commits with synchronous = FULL (every commit synced), readers too see WAL")
    func writerIsFull() async throws {
        let dir = try TestPaths.temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStateStore(directory: dir)
        let mode = try await store.db.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(mode == 2, "PRAGMA synchronous on the writer is \(mode.map(String.init) ?? "?"), not FULL (2)")
        let journal = try await store.db.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
    }
}
