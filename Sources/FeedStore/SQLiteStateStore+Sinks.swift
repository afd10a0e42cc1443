import Foundation
import GRDB

/// Sink deliveries in SQLite: one row per (alert, sink), written in the transaction that marks the alert
/// delivered, so that a crash can neither lose a sink's copy nor queue it twice.
extension SQLiteStateStore {
    static func migrateSinks(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE sink_delivery (
                    alert_id TEXT NOT NULL, sink TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0, next_attempt INTEGER NOT NULL, created_at INTEGER NOT NULL,
                    finished_at INTEGER, last_error TEXT, PRIMARY KEY (alert_id, sink)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX sink_due ON sink_delivery(sink, next_attempt) WHERE state = 'pending';
                """)
    }

    /// Marks the alert delivered and queues it for each sink in one transaction: on its own, or held for
    /// a digest (`SinkQueueing`); past a sink's hourly cap, held for the end of the hour.
    public func markDelivered(_ id: String, at: Int64, queueing: [SinkQueueing]) async throws {
        try await db.write { db in
            try db.cachedStatement(sql: "UPDATE alert SET state = 'delivered', delivered_at = ? WHERE id = ?").execute(
                arguments: [at, id])
            for q in queueing {
                var release = q.releaseAt
                if release == nil, let cap = q.cap {
                    let own =
                        try Int.fetchOne(
                            db.cachedStatement(
                                sql: """
                                    SELECT count(*) FROM sink_delivery
                                    WHERE sink = ? AND created_at >= ? AND release_at IS NULL AND alert_id != ?
                                    """), arguments: [q.sink, cap.since, id]) ?? 0
                    if own >= cap.limit { release = cap.releaseAt }
                }
                try db.cachedStatement(
                    sql: """
                        INSERT OR IGNORE INTO sink_delivery (alert_id, sink, state, next_attempt, created_at, release_at)
                        SELECT id, ?, 'pending', ?, ?, ? FROM alert WHERE id = ? AND kind = 'file'
                        """
                ).execute(arguments: [q.sink, at, at, release, id])
            }
        }
    }

    public func dueSinkJobs(sink: String, now: Int64, limit: Int, hold: Int64) async throws -> [SinkJob] {
        try await db.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT d.alert_id, d.attempts, d.created_at, a.file_name, a.payload
                        FROM sink_delivery d JOIN alert a ON a.id = d.alert_id
                        WHERE d.sink = ? AND d.state = 'pending' AND d.release_at IS NULL AND d.next_attempt <= ?
                        ORDER BY d.next_attempt, d.created_at LIMIT ?
                        """), arguments: [sink, now, limit]
            ).map { r in
                let payload: [UInt8] = Array((r["payload"] as Data?) ?? Data())
                return SinkJob(
                    alertID: r["alert_id"], sink: sink, attempts: r["attempts"], createdAt: r["created_at"],
                    fileName: r["file_name"], payload: payload)
            }
        }
    }

    public func recordSinkAttempt(_ job: SinkJob, outcome: SinkAttempt, at: Int64) async throws {
        let (state, next, error) = outcome.row(at: at)
        try await db.write { db in
            try db.cachedStatement(
                sql: """
                    UPDATE sink_delivery SET state = ?, attempts = attempts + 1, next_attempt = ?,
                        last_error = coalesce(?, last_error), finished_at = CASE WHEN ? = 'pending' THEN NULL ELSE ? END
                    WHERE alert_id = ? AND sink = ?
                    """
            ).execute(arguments: [state, next, error, state, at, job.alertID, job.sink])
        }
    }

    public func sinkCounts() async throws -> [String: SinkCounts] {
        try await db.read { db in
            var out: [String: SinkCounts] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT sink, state, count(*) AS n FROM sink_delivery GROUP BY sink, state") {
                let sink: String = r["sink"]
                let n: Int = r["n"]
                var c = out[sink] ?? SinkCounts()
                switch r["state"] as String {
                case "delivered": c.delivered = n
                case "pending": c.pending = n
                default: c.failed = n
                }
                out[sink] = c
            }
            // The error of each sink's latest failed attempt among the deliveries still pending or given
            // up: once a fix lets them through, the error is history and no longer shown.
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT sink, last_error, max(coalesce(finished_at, next_attempt)) FROM sink_delivery
                    WHERE last_error IS NOT NULL AND state != 'delivered' GROUP BY sink
                    """)
            {
                out[r["sink"], default: SinkCounts()].lastError = r["last_error"]
            }
            return out
        }
    }
}
