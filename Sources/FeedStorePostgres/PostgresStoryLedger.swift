import FeedStore
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The story tables inside `PostgresStateStore.commit`'s transaction. `StoryLedger` is synchronous (the
/// SQLite ledger runs inside GRDB's synchronous write closure), so the decision runs on one of NIO's
/// blocking-I/O threads, never on Swift's cooperative pool, and each query there waits for its
/// `EventLoopFuture`, which the connection's event loop (another thread) completes.
struct PostgresStoryLedger: StoryLedger {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs `decision` against the transaction open on `connection`.
    static func decide(
        _ decision: any StoryDecision, on connection: PostgresConnection, logger: Logger
    ) async throws
        -> [StoredAlert]
    {
        let ledger = PostgresStoryLedger(connection: connection, logger: logger)
        return try await NIOThreadPool.singleton.runIfActive { try decision.decide(in: ledger) }
    }

    @discardableResult
    private func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try connection.query(query, logger: logger).wait()
    }

    func candidates(bands: [Int64], since: Int64, limit: Int) throws -> [StoryCandidate] {
        guard !bands.isEmpty else { return [] }
        // One index range per band key (primary key band, opened_at), grouped by source.
        let rows = try run(
            """
            SELECT b.hits, s.feed_key, p.fingerprint, st.id, st.alert_id, st.opened_at, st.topics
            FROM (SELECT source, count(*) AS hits FROM story_band WHERE band = ANY(\(bands)) AND opened_at >= \(since)
                  GROUP BY source ORDER BY hits DESC, source LIMIT \(limit)) AS b
            JOIN story_source s ON s.id = b.source
            JOIN story_print p ON p.source = b.source
            JOIN story st ON st.id = s.story_id
            ORDER BY b.hits DESC, b.source
            """)
        return try rows.map { row in
            let (hits, feedKey, fingerprint, id, alertID, openedAt, topics) = try row.decode(
                (Int, String, ByteBuffer, String, String, Int64, String).self)
            return StoryCandidate(
                story: StoryRecord(id: id, alertID: alertID, openedAt: openedAt, topics: PostgresStateStore.list(topics)),
                feedKey: feedKey, fingerprint: Array(fingerprint.readableBytesView), sharedBands: hits)
        }
    }

    func open(_ story: StoryRecord, source: StorySource, bands: [Int64], fingerprint: [UInt8]?) throws {
        try run(
            """
            INSERT INTO story (id, alert_id, opened_at, topics)
            VALUES (\(story.id), \(story.alertID), \(story.openedAt), \(story.topics.joined(separator: ",")))
            ON CONFLICT (id) DO NOTHING
            """)
        _ = try insert(source, storyID: story.id, openedAt: story.openedAt, bands: bands, fingerprint: fingerprint)
    }

    func add(_ source: StorySource, to story: StoryRecord, bands: [Int64], fingerprint: [UInt8]) throws -> Bool {
        try insert(source, storyID: story.id, openedAt: story.openedAt, bands: bands, fingerprint: fingerprint)
    }

    func setTopics(_ topics: [String], of storyID: String) throws {
        try run("UPDATE story SET topics = \(topics.joined(separator: ",")) WHERE id = \(storyID)")
    }

    /// As in SQLite: lookups never see expired rows, so pruning only keeps the tables small, and runs
    /// once an hour's worth of stories has expired.
    func prune(openedBefore time: Int64) throws {
        let oldest = try run("SELECT min(opened_at) FROM story_print").first?.decode(Int64?.self) ?? nil
        guard let oldest, oldest < time - Self.pruneEvery else { return }
        try run("DELETE FROM story_band WHERE opened_at < \(time)")
        try run("DELETE FROM story_print WHERE opened_at < \(time)")
    }

    static let pruneEvery: Int64 = 3600

    private func insert(_ s: StorySource, storyID: String, openedAt: Int64, bands: [Int64], fingerprint: [UInt8]?) throws -> Bool
    {
        let inserted = try run(
            """
            INSERT INTO story_source (story_id, feed_key, entry_key, at, title, link, role)
            VALUES (\(storyID), \(s.feedKey), \(s.entryKey), \(s.at), \(s.title), \(s.link), \(s.role.rawValue))
            ON CONFLICT (story_id, feed_key, entry_key) DO NOTHING RETURNING id
            """)
        guard let source = try inserted.first?.decode(Int64.self) else { return false }
        guard let fingerprint else { return true }
        try run(
            "INSERT INTO story_print (source, opened_at, fingerprint) VALUES (\(source), \(openedAt), \(ByteBuffer(bytes: fingerprint)))"
        )
        try run(
            """
            INSERT INTO story_band (band, opened_at, source) SELECT DISTINCT unnest(\(bands)::bigint[]), \(openedAt), \(source)
            ON CONFLICT DO NOTHING
            """)
        return true
    }
}
