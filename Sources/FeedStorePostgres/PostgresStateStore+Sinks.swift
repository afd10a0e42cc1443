public import FeedStore
import NIOCore
import PostgresNIO

/// Sink deliveries: one row per (alert, sink), written in the transaction that marks the alert
/// delivered, so that a crash can neither lose a sink's copy nor queue it twice.
extension PostgresStateStore {
    /// Marks the alert delivered and queues it for each sink in one transaction, held for a digest where
    /// `queueing` says so. A sink's hourly cap is counted under a lock of its own, so that nodes delivering
    /// at the same moment together stay within it.
    public func markDelivered(_ id: String, at: Int64, queueing: [SinkQueueing]) async throws {
        let logger = logger
        try await transaction { c in
            try await c.query("UPDATE alert SET state = 'delivered', delivered_at = \(at) WHERE id = \(id)", logger: logger)
            for q in queueing {
                var release = q.releaseAt
                if release == nil, let cap = q.cap {
                    try await c.query("SELECT pg_advisory_xact_lock(hashtext('fw-cap:' || \(q.sink)))", logger: logger)
                    let rows = try await c.query(
                        """
                        SELECT count(*) FROM sink_delivery
                        WHERE sink = \(q.sink) AND created_at >= \(cap.since) AND release_at IS NULL AND alert_id != \(id)
                        """, logger: logger)
                    var own = 0
                    for try await n in rows.decode(Int.self) { own = n }
                    if own >= cap.limit { release = cap.releaseAt }
                }
                try await c.query(
                    """
                    INSERT INTO sink_delivery (alert_id, sink, state, next_attempt, created_at, release_at)
                    SELECT id, \(q.sink), 'pending', \(at), \(at), \(release) FROM alert WHERE id = \(id) AND kind = 'file'
                    ON CONFLICT (alert_id, sink) DO NOTHING
                    """, logger: logger)
            }
        }
    }

    /// The due rows are also claimed: their next attempt moves `hold` seconds on, so that another node's
    /// round (or a second process) skips them while this one delivers, and finds them again if this node
    /// dies before recording the attempt. The hold is measured on the database's clock (the nodes' clocks
    /// may differ; `now` schedules retries, as on one node), and each row gets a new claim, under which
    /// alone its result is recorded. `held_until` is in milliseconds of the database's clock.
    public func dueSinkJobs(sink: String, now: Int64, limit: Int, hold: Int64) async throws -> [SinkJob] {
        var out: [SinkJob] = []
        let claim = Int64.random(in: 1...Int64.max)
        let rows = try await client.query(
            """
            WITH due AS (
                SELECT alert_id, sink FROM sink_delivery
                WHERE sink = \(sink) AND state = 'pending' AND release_at IS NULL AND next_attempt <= \(now)
                    AND (held_until IS NULL OR held_until <= \(unescaped: Self.databaseNowMilliseconds))
                ORDER BY next_attempt, created_at LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            UPDATE sink_delivery d SET held_until = \(unescaped: Self.databaseNowMilliseconds) + \(hold * 1000), claim = \(claim)
            FROM due, alert a WHERE d.alert_id = due.alert_id AND d.sink = due.sink AND a.id = d.alert_id
            RETURNING d.alert_id, d.attempts, d.created_at, a.file_name, a.payload
            """, logger: logger)
        for try await (id, attempts, createdAt, fileName, payload) in rows.decode(
            (String, Int, Int64, String, ByteBuffer).self)
        {
            var job = SinkJob(
                alertID: id, sink: sink, attempts: attempts, createdAt: createdAt, fileName: fileName,
                payload: Array(payload.readableBytesView))
            job.claim = claim
            out.append(job)
        }
        return out.sorted { ($0.createdAt, $0.alertID) < ($1.createdAt, $1.alertID) }
    }

    /// Recorded only while the row is pending under the job's claim: after the hold ran out and another
    /// node claimed it, this late result is refused (`SinkClaimLost`), never written over the newer one.
    public func recordSinkAttempt(_ job: SinkJob, outcome: SinkAttempt, at: Int64) async throws {
        let (state, next, error) = outcome.row(at: at)
        let finished: Int64? = state == "pending" ? nil : at
        let rows = try await client.query(
            """
            UPDATE sink_delivery SET state = \(state), attempts = attempts + 1, next_attempt = \(next),
                last_error = coalesce(\(error), last_error), finished_at = \(finished), held_until = NULL
            WHERE alert_id = \(job.alertID) AND sink = \(job.sink) AND state = 'pending'
                AND claim IS NOT DISTINCT FROM \(job.claim)
            RETURNING alert_id
            """, logger: logger)
        var recorded = false
        for try await _ in rows.decode(String.self) { recorded = true }
        if !recorded { throw SinkClaimLost(alertID: job.alertID, sink: job.sink) }
    }

    public func sinkCounts() async throws -> [String: SinkCounts] {
        var out: [String: SinkCounts] = [:]
        let counts = try await client.query(
            "SELECT sink, state, count(*) FROM sink_delivery GROUP BY sink, state", logger: logger)
        for try await (sink, state, n) in counts.decode((String, String, Int).self) {
            switch state {
            case "delivered": out[sink, default: SinkCounts()].delivered = n
            case "pending": out[sink, default: SinkCounts()].pending = n
            default: out[sink, default: SinkCounts()].failed = n
            }
        }
        // The error of each sink's latest failed attempt among the deliveries still pending or given up.
        let errors = try await client.query(
            """
            SELECT DISTINCT ON (sink) sink, last_error FROM sink_delivery
            WHERE last_error IS NOT NULL AND state != 'delivered'
            ORDER BY sink, coalesce(finished_at, next_attempt) DESC
            """, logger: logger)
        for try await (sink, error) in errors.decode((String, String).self) {
            out[sink, default: SinkCounts()].lastError = error
        }
        return out
    }
}
