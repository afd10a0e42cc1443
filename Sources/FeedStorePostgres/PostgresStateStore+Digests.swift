public import FeedStore
import NIOCore
import PostgresNIO

/// Digests on a shared state (issue 24): forming takes every member under the digest's id in one
/// transaction or none (a node that formed first wins, the other's draft is dropped whole), and a digest
/// is delivered under a claim and a hold on the database's clock, as single deliveries are: a digest is
/// sent once per cluster.
extension PostgresStateStore {
    /// A member was taken meanwhile by another node's digest: the draft rolls back whole.
    private struct MemberTaken: Error {}

    public func releasedSinkJobs(sink: String, now: Int64) async throws -> [SinkJob] {
        var out: [SinkJob] = []
        let rows = try await client.query(
            """
            SELECT d.alert_id, d.attempts, d.created_at, d.release_at, a.file_name, a.payload
            FROM sink_delivery d JOIN alert a ON a.id = d.alert_id
            WHERE d.sink = \(sink) AND d.state = 'pending' AND d.digest_id IS NULL
                AND d.release_at IS NOT NULL AND d.release_at <= \(now)
            ORDER BY d.release_at, d.created_at, d.alert_id
            """, logger: logger)
        for try await (id, attempts, createdAt, release, fileName, payload) in rows.decode(
            (String, Int, Int64, Int64, String, ByteBuffer).self)
        {
            var job = SinkJob(
                alertID: id, sink: sink, attempts: attempts, createdAt: createdAt, fileName: fileName,
                payload: Array(payload.readableBytesView))
            job.releaseAt = release
            out.append(job)
        }
        return out
    }

    public func formDigest(_ draft: DigestDraft) async throws -> Bool {
        guard !draft.members.isEmpty else { return false }
        let logger = logger
        do {
            try await transaction { c in
                // Under READ COMMITTED a row another former updated first is re-read after its commit, and
                // then no longer matches: fewer rows come back and the whole draft is dropped.
                let taken = try await c.query(
                    """
                    UPDATE sink_delivery SET digest_id = \(draft.id)
                    WHERE sink = \(draft.sink) AND alert_id = ANY(\(draft.members)) AND state = 'pending'
                        AND digest_id IS NULL
                    RETURNING alert_id
                    """, logger: logger)
                var n = 0
                for try await _ in taken.decode(String.self) { n += 1 }
                guard n == draft.members.count else { throw MemberTaken() }
                try await c.query(
                    """
                    INSERT INTO sink_digest (id, sink, state, next_attempt, created_at, period_from, period_to, count, payload)
                    VALUES (\(draft.id), \(draft.sink), 'pending', \(draft.createdAt), \(draft.createdAt), \(draft.from),
                        \(draft.to), \(draft.members.count), \(ByteBuffer(bytes: draft.payload)))
                    """, logger: logger)
            }
            return true
        } catch is MemberTaken {
            return false
        }
    }

    public func dueDigests(sink: String, now: Int64, limit: Int, hold: Int64) async throws -> [DigestJob] {
        var out: [DigestJob] = []
        let claim = Int64.random(in: 1...Int64.max)
        let rows = try await client.query(
            """
            WITH due AS (
                SELECT id FROM sink_digest
                WHERE sink = \(sink) AND state = 'pending' AND next_attempt <= \(now)
                    AND (held_until IS NULL OR held_until <= \(unescaped: Self.databaseNowMilliseconds))
                ORDER BY next_attempt, created_at, id LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            UPDATE sink_digest g SET held_until = \(unescaped: Self.databaseNowMilliseconds) + \(hold * 1000), claim = \(claim)
            FROM due WHERE g.id = due.id
            RETURNING g.id, g.attempts, g.created_at, g.count, g.payload
            """, logger: logger)
        for try await (id, attempts, createdAt, count, payload) in rows.decode((String, Int, Int64, Int, ByteBuffer).self) {
            var job = DigestJob(
                id: id, sink: sink, attempts: attempts, createdAt: createdAt, count: count,
                payload: Array(payload.readableBytesView))
            job.claim = claim
            out.append(job)
        }
        return out.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func recordDigestAttempt(_ job: DigestJob, outcome: SinkAttempt, at: Int64) async throws {
        let (state, next, error) = outcome.row(at: at)
        let finished: Int64? = state == "pending" ? nil : at
        let logger = logger
        try await transaction { c in
            let rows = try await c.query(
                """
                UPDATE sink_digest SET state = \(state), attempts = attempts + 1, next_attempt = \(next),
                    last_error = coalesce(\(error), last_error), finished_at = \(finished), held_until = NULL
                WHERE id = \(job.id) AND state = 'pending' AND claim IS NOT DISTINCT FROM \(job.claim)
                RETURNING id
                """, logger: logger)
            var recorded = false
            for try await _ in rows.decode(String.self) { recorded = true }
            guard recorded else { throw SinkClaimLost(alertID: job.id, sink: job.sink) }
            if state != "pending" {
                try await c.query(
                    """
                    UPDATE sink_delivery SET state = \(state), attempts = attempts + 1, finished_at = \(at),
                        last_error = coalesce(\(error), last_error)
                    WHERE digest_id = \(job.id) AND sink = \(job.sink) AND state = 'pending'
                    """, logger: logger)
            }
        }
    }

    public func digestCounts() async throws -> [String: DigestCounts] {
        var out: [String: DigestCounts] = [:]
        let held = try await client.query(
            """
            SELECT sink, count(*), min(CASE WHEN digest_id IS NULL THEN release_at END) FROM sink_delivery
            WHERE state = 'pending' AND release_at IS NOT NULL GROUP BY sink
            """, logger: logger)
        for try await (sink, n, next) in held.decode((String, Int, Int64?).self) {
            out[sink, default: DigestCounts()].held = n
            out[sink, default: DigestCounts()].nextRelease = next
        }
        let digests = try await client.query("SELECT sink, state, count(*) FROM sink_digest GROUP BY sink, state", logger: logger)
        for try await (sink, state, n) in digests.decode((String, String, Int).self) {
            switch state {
            case "delivered": out[sink, default: DigestCounts()].delivered = n
            case "pending": out[sink, default: DigestCounts()].pending = n
            default: out[sink, default: DigestCounts()].failed = n
            }
        }
        return out
    }
}
