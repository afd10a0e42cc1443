import Foundation
import GRDB

/// Digests in SQLite (issue 24): a held delivery carries its release time; at release the due ones
/// become one `sink_digest` row in the transaction that marks them its members, and delivering the
/// digest delivers them. One writer at a time, so forming never races another former.
extension SQLiteStateStore {
    static func migrateDigests(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE sink_delivery ADD COLUMN release_at INTEGER;
                ALTER TABLE sink_delivery ADD COLUMN digest_id TEXT;
                CREATE INDEX sink_held ON sink_delivery(sink, release_at)
                    WHERE state = 'pending' AND digest_id IS NULL AND release_at IS NOT NULL;
                CREATE INDEX sink_queued ON sink_delivery(sink, created_at);
                CREATE TABLE sink_digest (
                    id TEXT PRIMARY KEY, sink TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0, next_attempt INTEGER NOT NULL, created_at INTEGER NOT NULL,
                    period_from INTEGER NOT NULL, period_to INTEGER NOT NULL, count INTEGER NOT NULL,
                    payload BLOB NOT NULL, finished_at INTEGER, last_error TEXT
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX digest_due ON sink_digest(sink, next_attempt) WHERE state = 'pending';
                """)
    }

    /// A member was taken meanwhile: the draft is dropped whole (the transaction rolls back).
    private struct MemberTaken: Error {}

    public func releasedSinkJobs(sink: String, now: Int64) async throws -> [SinkJob] {
        try await db.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT d.alert_id, d.attempts, d.created_at, d.release_at, a.file_name, a.payload
                        FROM sink_delivery d JOIN alert a ON a.id = d.alert_id
                        WHERE d.sink = ? AND d.state = 'pending' AND d.digest_id IS NULL
                            AND d.release_at IS NOT NULL AND d.release_at <= ?
                        ORDER BY d.release_at, d.created_at, d.alert_id
                        """), arguments: [sink, now]
            ).map { r in
                var job = SinkJob(
                    alertID: r["alert_id"], sink: sink, attempts: r["attempts"], createdAt: r["created_at"],
                    fileName: r["file_name"], payload: Array((r["payload"] as Data?) ?? Data()))
                job.releaseAt = r["release_at"]
                return job
            }
        }
    }

    public func formDigest(_ draft: DigestDraft) async throws -> Bool {
        guard !draft.members.isEmpty else { return false }
        do {
            try await db.write { db in
                let claim = try db.cachedStatement(
                    sql: """
                        UPDATE sink_delivery SET digest_id = ?
                        WHERE alert_id = ? AND sink = ? AND state = 'pending' AND digest_id IS NULL
                        """)
                for member in draft.members {
                    try claim.execute(arguments: [draft.id, member, draft.sink])
                    if db.changesCount != 1 { throw MemberTaken() }
                }
                try db.execute(
                    sql: """
                        INSERT INTO sink_digest (id, sink, state, next_attempt, created_at, period_from, period_to,
                            count, payload)
                        VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        draft.id, draft.sink, draft.createdAt, draft.createdAt, draft.from, draft.to, draft.members.count,
                        Data(draft.payload),
                    ])
            }
            return true
        } catch is MemberTaken {
            return false
        }
    }

    public func dueDigests(sink: String, now: Int64, limit: Int, hold: Int64) async throws -> [DigestJob] {
        try await db.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, attempts, created_at, count, payload FROM sink_digest
                        WHERE sink = ? AND state = 'pending' AND next_attempt <= ?
                        ORDER BY next_attempt, created_at, id LIMIT ?
                        """), arguments: [sink, now, limit]
            ).map { r in
                DigestJob(
                    id: r["id"], sink: sink, attempts: r["attempts"], createdAt: r["created_at"], count: r["count"],
                    payload: Array((r["payload"] as Data?) ?? Data()))
            }
        }
    }

    public func recordDigestAttempt(_ job: DigestJob, outcome: SinkAttempt, at: Int64) async throws {
        let (state, next, error) = outcome.row(at: at)
        let finished: Int64? = state == "pending" ? nil : at
        try await db.write { db in
            try db.execute(
                sql: """
                    UPDATE sink_digest SET state = ?, attempts = attempts + 1, next_attempt = ?,
                        last_error = coalesce(?, last_error), finished_at = ?
                    WHERE id = ? AND state = 'pending'
                    """, arguments: [state, next, error, finished, job.id])
            guard db.changesCount == 1 else { throw SinkClaimLost(alertID: job.id, sink: job.sink) }
            // The members follow a finished digest; while it is retried they stay pending, in it.
            if state != "pending" {
                try db.execute(
                    sql: """
                        UPDATE sink_delivery SET state = ?, attempts = attempts + 1, finished_at = ?,
                            last_error = coalesce(?, last_error)
                        WHERE digest_id = ? AND sink = ? AND state = 'pending'
                        """, arguments: [state, at, error, job.id, job.sink])
            }
        }
    }

    public func digestCounts() async throws -> [String: DigestCounts] {
        try await db.read { db in
            var out: [String: DigestCounts] = [:]
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT sink, count(*) AS n, min(CASE WHEN digest_id IS NULL THEN release_at END) AS next
                    FROM sink_delivery WHERE state = 'pending' AND release_at IS NOT NULL GROUP BY sink
                    """)
            {
                out[r["sink"], default: DigestCounts()].held = r["n"]
                out[r["sink"], default: DigestCounts()].nextRelease = r["next"]
            }
            for r in try Row.fetchAll(db, sql: "SELECT sink, state, count(*) AS n FROM sink_digest GROUP BY sink, state") {
                let n: Int = r["n"]
                switch r["state"] as String {
                case "delivered": out[r["sink"], default: DigestCounts()].delivered = n
                case "pending": out[r["sink"], default: DigestCounts()].pending = n
                default: out[r["sink"], default: DigestCounts()].failed = n
                }
            }
            return out
        }
    }
}
