import Logging
import PostgresNIO

/// Forward-only, versioned schema changes, recorded in `schema_migrations` (version, name, applied at).
/// Each migration runs in its own transaction under a transaction-scoped advisory lock, so that nodes
/// starting together cannot both apply one: the second waits, then finds it recorded. A database that
/// records a version this build does not know was written by a newer feedwatch and is refused.
enum PostgresMigrations {
    struct Migration: Sendable {
        var version: Int
        var name: String
        var sql: [String]
    }

    /// `pg_advisory_xact_lock` key of migrations: "fw-migr" in ASCII, unlikely to meet another
    /// application's key in a shared database.
    static let lockKey: Int64 = 0x0066_772D_6D69_6772

    /// The versions applied by this call, in order (empty when the schema was current).
    @discardableResult
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        var applied: [Int] = []
        for migration in PostgresSchema.migrations {
            let ran = try await connection.transaction(logger: logger) { connection -> Bool in
                try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                    """, logger: logger)
                let newest = try await connection.query("SELECT max(version) FROM schema_migrations", logger: logger)
                    .decode(Int?.self).reduce(nil) { $1 }
                if let newest, newest > PostgresSchema.migrations.count {
                    throw PostgresStoreError(
                        code: .newerSchema,
                        message: "the PostgreSQL state is at schema version \(newest); this feedwatch knows up to "
                            + "\(PostgresSchema.migrations.count): use the newer feedwatch")
                }
                if let newest, newest >= migration.version { return false }
                for statement in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
                return true
            }
            if ran {
                logger.info("state schema migrated", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                applied.append(migration.version)
            }
        }
        return applied
    }
}
