// Built with the PostgreSQL trait only (Package.swift): the module under test exists only then.
#if PostgreSQL
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Testing

/// The state store's behaviour on a real PostgreSQL server (the bodies shared with the SQLite tests),
/// plus what only PostgreSQL has: versioned migrations under a lock, passwords, TLS.
@Suite("PostgreSQL state", .enabled(if: PostgresTrait.skipped == nil, PostgresTrait.skipped), .postgres)
struct PostgresStateStoreTests {
    var server: PostgresServer { get throws { try #require(PostgresTrait.server) } }

    func url(_ database: String, sslmode: String = "disable", password: String? = nil) throws -> PostgresStateURL {
        let server = try server
        return try PostgresStateURL(
            server.url(database, sslmode: sslmode), environment: ["PGPASSWORD": password ?? server.password])
    }

    /// A store on `database` (a new one when nil) for the duration of `body`.
    func withStore(_ database: String? = nil, _ body: (PostgresStateStore) async throws -> Void) async throws {
        let name: String
        if let database { name = database } else { name = try await server.createDatabase() }
        try await withPostgresStateStore(url: try url(name)) { try await body($0) }
    }

    @Test("feeds, entries and the outbox round-trip; reopening keeps everything")
    func roundTrip() async throws {
        let db = try await server.createDatabase()
        try await withStore(db) { try await StateStoreBehaviour.roundTrip($0) }
        try await withStore(db) { try await StateStoreBehaviour.reopened($0) }
    }

    @Test("delivering an alert queues it for each sink; attempts, counts and pruning follow the sink")
    func sinks() async throws {
        try await withStore { try await StateStoreBehaviour.sinks($0) }
    }

    @Test("entries no feed lists any more are pruned; listed ones stay")
    func pruneEntries() async throws {
        try await withStore { try await StateStoreBehaviour.pruneEntries($0) }
    }

    @Test("stories: candidates by band key within the window; sources, counts and merged figures")
    func stories() async throws {
        try await withStore { try await StoryLedgerTests.roundTrip($0) }
    }

    @Test("stories: pruning forgets the index of expired stories and keeps their sources")
    func storyPrune() async throws {
        try await withStore { try await StoryLedgerTests.prune($0) }
    }
}
#endif
