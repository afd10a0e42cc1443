// Built with the PostgreSQL trait only (Package.swift): the module under test exists only then.
#if PostgreSQL
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import Testing

/// Migrations, credentials and TLS, on the suite's server.
extension PostgresStateStoreTests {
    static let schema =
        "1:feeds, entries, alerts|2:stories (docs/stories.md)|3:deliveries to sinks (webhook, exec)"
        + "|4:nodes, leases and the alerts each node delivers (docs/cluster.md)"
        + "|5:sink deliveries fenced by their claim (issue 23)|6:digests, quiet hours and hourly caps (issue 24)"
        + "|7:each feed's learned schedule (issue 25)|8:WebSub subscriptions (issue 25)"
    static let migrations =
        "SELECT string_agg(version || ':' || name, '|' ORDER BY version) || '@' || max(applied_at) FROM schema_migrations"

    @Test("a fresh database gets every migration once, in order; reopening applies nothing")
    func migrations() async throws {
        let db = try await server.createDatabase()
        try await withStore(db) { try await $0.ping() }
        let first = try await server.psql(db, Self.migrations)
        #expect(first.hasPrefix(Self.schema + "@"))
        try await withStore(db) { try await $0.ping() }
        #expect(try await server.psql(db, Self.migrations) == first)
    }

    @Test("nodes starting together migrate once: the others wait for the lock, then find the schema current")
    func concurrentMigrators() async throws {
        let db = try await server.createDatabase()
        let url = try url(db)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { try await withPostgresStateStore(url: url) { try await $0.ping() } }
            }
            try await group.waitForAll()
        }
        #expect(try await server.psql(db, "SELECT count(*) FROM schema_migrations") == "8")
        #expect(try await server.psql(db, Self.migrations).hasPrefix(Self.schema + "@"))
    }

    @Test("a schema newer than this build is refused, and left as it is")
    func newerSchema() async throws {
        let db = try await server.createDatabase()
        try await withStore(db) { try await $0.ping() }
        _ = try await server.psql(db, "INSERT INTO schema_migrations (version, name) VALUES (9, 'from the future')")
        let error = await #expect(throws: PostgresStoreError.self) { try await withStore(db) { try await $0.ping() } }
        #expect(error?.code == .newerSchema)
        #expect(try await server.psql(db, "SELECT count(*) FROM schema_migrations") == "9")
    }

    @Test("the password comes from PGPASSWORD; a wrong one fails without appearing in the error")
    func password() async throws {
        let db = try await server.createDatabase()
        let wrong = "not-the-password-\(Int.random(in: 1000...9999))"
        let error = await #expect(throws: (any Error).self) {
            try await withPostgresStateStore(url: try url(db, password: wrong)) { try await $0.ping() }
        }
        #expect(!"\(error.map { String(describing: $0) } ?? "")".contains(wrong))
        #expect(!(error.map { String(reflecting: $0) } ?? "").contains(wrong))
    }

    @Test("sslmode=require connects over TLS; sslmode=disable does not")
    func tls() async throws {
        let db = try await server.createDatabase()
        // psql itself comes over the Unix socket, never TLS: only the store's connections are counted.
        let overTLS = "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = '\(db)' AND s.ssl"
        let server = try server
        try await withPostgresStateStore(url: try url(db, sslmode: "require")) { store in
            try await store.ping()
            #expect(try await server.psql(db, overTLS) != "0")
        }
        let plain = try await server.createDatabase()
        try await withPostgresStateStore(url: try url(plain, sslmode: "disable")) { store in
            try await store.ping()
            #expect(try await server.psql(plain, overTLS.replacingOccurrences(of: db, with: plain)) == "0")
        }
    }
}
#endif
