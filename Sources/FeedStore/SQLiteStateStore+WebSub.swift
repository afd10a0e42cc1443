import Foundation
import GRDB

/// WebSub subscriptions in SQLite: one row per feed, found by the callback's token.
extension SQLiteStateStore {
    static func migrateWebSub(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE websub (
                    feed_key TEXT PRIMARY KEY, hub TEXT NOT NULL, topic TEXT NOT NULL, token TEXT NOT NULL UNIQUE,
                    secret TEXT NOT NULL, state TEXT NOT NULL, requested_at INTEGER NOT NULL,
                    lease_seconds INTEGER NOT NULL, lease_until INTEGER NOT NULL, last_push INTEGER,
                    missed INTEGER NOT NULL DEFAULT 0, last_error TEXT
                ) STRICT, WITHOUT ROWID;
                """)
    }

    static let websubColumns = """
        feed_key, hub, topic, token, secret, state, requested_at, lease_seconds, lease_until, last_push, missed, last_error
        """

    static func subscription(_ r: Row) -> WebSubSubscription {
        WebSubSubscription(
            feedKey: r["feed_key"], hub: r["hub"], topic: r["topic"], token: r["token"], secret: r["secret"],
            state: WebSubSubscription.State(rawValue: r["state"]) ?? .new, requestedAt: r["requested_at"],
            leaseSeconds: r["lease_seconds"], leaseUntil: r["lease_until"], lastPush: r["last_push"],
            missed: (r["missed"] as Int) != 0, lastError: r["last_error"])
    }

    public func subscriptions() async throws -> [WebSubSubscription] {
        try await db.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.websubColumns) FROM websub ORDER BY feed_key").map(Self.subscription)
        }
    }

    public func subscription(token: String) async throws -> WebSubSubscription? {
        try await db.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.websubColumns) FROM websub WHERE token = ?", arguments: [token])
                .map(Self.subscription)
        }
    }

    public func save(_ s: WebSubSubscription) async throws {
        try await db.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO websub (\(Self.websubColumns)) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                arguments: [
                    s.feedKey, s.hub, s.topic, s.token, s.secret, s.state.rawValue, s.requestedAt, s.leaseSeconds,
                    s.leaseUntil, s.lastPush, s.missed ? 1 : 0, s.lastError,
                ])
        }
    }

    public func deleteSubscription(feedKey: String) async throws {
        try await db.write { db in try db.execute(sql: "DELETE FROM websub WHERE feed_key = ?", arguments: [feedKey]) }
    }
}
