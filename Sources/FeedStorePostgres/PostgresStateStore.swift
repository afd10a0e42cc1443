public import FeedStore
import Logging
import NIOCore
import PostgresNIO

/// The state in PostgreSQL, for several nodes sharing one database (issue 15), with the semantics of
/// `SQLiteStateStore`: a poll commits in one transaction with its story decisions and outbox rows,
/// a replayed alert id is ignored (the primary key keeps ids unique across nodes), and marking an alert
/// delivered queues its sink deliveries in the same transaction.
///
/// Open it with `withPostgresStateStore(url:logger:_:)`, which runs the connection pool for the
/// duration of a scope and migrates the schema first.
public final class PostgresStateStore: StateStore {
    let client: PostgresClient
    let logger: Logger
    /// This process as a node of a cluster (`run`, `once`); nil for the commands that only read or copy.
    let cluster: ClusterNode?

    /// Polls that finish while a transaction is being written go together into the next one: a commit
    /// waits for the server's WAL flush, and one transaction per poll held a node to 130 polls a second.
    let commits: GroupCommit<PollCommit, [StoredAlert]>

    init(client: PostgresClient, logger: Logger, cluster: ClusterNode?) {
        self.client = client
        self.logger = logger
        self.cluster = cluster
        commits = GroupCommit { polls in
            try await Self.transaction(client, logger) { c in
                var out: [[StoredAlert]] = []
                for poll in polls { out.append(try await Self.apply(poll, c, cluster: cluster, logger: logger)) }
                if let cluster {
                    try await c.query(
                        "UPDATE node SET polls = polls + \(polls.count) WHERE name = \(cluster.name)", logger: logger)
                }
                return out
            }
        }
    }

    /// The database's clock in Unix seconds: leases are timed by it, so that nodes whose clocks drift
    /// apart still agree on when a lease ends.
    /// Whole seconds, rounded down as the nodes' own clocks are (a cast would round up half of the time,
    /// making a feed due half a second early).
    static let databaseNow = "floor(extract(epoch FROM now()))::bigint"
    /// The same in milliseconds: holds are measured in it, so that a hold of `n` seconds lasts `n`
    /// seconds, not between `n - 1` and `n` (whole seconds on both sides), and a hold of 0 none.
    static let databaseNowMilliseconds = "floor(extract(epoch FROM now()) * 1000)::bigint"

    /// `pg_advisory_xact_lock` key that serializes story decisions ("fw-story"): each sees the stories of
    /// every poll committed before it, on any node, so only one poll can open a story.
    static let storyLockKey: Int64 = 0x6677_2D73_746F_7279

    /// Columns of `FeedState`, in the order `feedState` decodes them.
    static let feedColumns = """
        key, current_url, etag, last_modified, next_poll, not_before, error_streak, last_error, last_result, last_poll,
        last_success, last_new_entry, gone, title, polls, config_hash, new_entry_gap, silence_reported, poll_interval,
        interval_reason, entry_gap
        """

    public func feed(_ key: String) async throws -> FeedState? {
        try await feeds("SELECT \(unescaped: Self.feedColumns) FROM feed WHERE key = \(key)").first
    }

    public func allFeeds() async throws -> [FeedState] {
        try await feeds("SELECT \(unescaped: Self.feedColumns) FROM feed ORDER BY key")
    }

    func feeds(_ query: PostgresQuery) async throws -> [FeedState] {
        var out: [FeedState] = []
        let rows = try await client.query(query, logger: logger)
        let columns = (
            String, String, String?, String?, Int64, Int64, Int, String?, String?, Int64?, Int64?, Int64?, Bool, String?,
            Int, String, Int64, Bool, Int64, String?, Int64
        ).self
        for try await c in rows.decode(columns) {
            out.append(
                FeedState(
                    key: c.0, currentURL: c.1, etag: c.2, lastModified: c.3, nextPoll: c.4, notBefore: c.5,
                    errorStreak: c.6, lastError: c.7, lastResult: c.8, lastPoll: c.9, lastSuccess: c.10,
                    lastNewEntry: c.11, gone: c.12, title: c.13, polls: c.14, configHash: c.15, newEntryGap: c.16,
                    silenceReported: c.17, interval: c.18, intervalReason: c.19, entryGap: c.20))
        }
        return out
    }

    public func entries(feedKey: String, keys: [String]) async throws -> [String: EntryRecord] {
        guard !keys.isEmpty else { return [:] }
        var out: [String: EntryRecord] = [:]
        let rows = try await client.query(
            "SELECT key, content_hash, topics, first_seen FROM entry WHERE feed_key = \(feedKey) AND key = ANY(\(keys))",
            logger: logger)
        for try await (key, hash, topics, firstSeen) in rows.decode((String, String, String, Int64).self) {
            out[key] = EntryRecord(key: key, contentHash: hash, topics: Self.list(topics), firstSeen: firstSeen)
        }
        return out
    }

    /// Through `commits`: a batch that fails (a lease lost to another node) is retried poll by poll, so
    /// that only the poll at fault fails.
    @discardableResult
    public func commit(_ poll: PollCommit) async throws -> [StoredAlert] {
        try await commits.submit(poll)
    }

    /// One poll's rows, inside its transaction.
    private static func apply(
        _ poll: PollCommit, _ c: PostgresConnection, cluster: ClusterNode?, logger: Logger
    ) async throws -> [StoredAlert] {
        let f = poll.feed
        let written =
            try await poll.pushed
            ? [PostgresRow]()
            : c.query(
                """
                INSERT INTO feed (\(unescaped: Self.feedColumns))
                VALUES (\(f.key), \(f.currentURL), \(f.etag), \(f.lastModified), \(f.nextPoll), \(f.notBefore),
                    \(f.errorStreak), \(f.lastError), \(f.lastResult), \(f.lastPoll), \(f.lastSuccess), \(f.lastNewEntry),
                    \(f.gone), \(f.title), \(f.polls), \(f.configHash), \(f.newEntryGap), \(f.silenceReported),
                    \(f.interval), \(f.intervalReason), \(f.entryGap))
                ON CONFLICT (key) DO UPDATE SET current_url = excluded.current_url, etag = excluded.etag,
                    last_modified = excluded.last_modified, next_poll = excluded.next_poll, not_before = excluded.not_before,
                    error_streak = excluded.error_streak, last_error = excluded.last_error, last_result = excluded.last_result,
                    last_poll = excluded.last_poll, last_success = excluded.last_success,
                    last_new_entry = excluded.last_new_entry, gone = excluded.gone, title = excluded.title,
                    polls = excluded.polls, config_hash = excluded.config_hash, new_entry_gap = excluded.new_entry_gap,
                    silence_reported = excluded.silence_reported, poll_interval = excluded.poll_interval,
                    interval_reason = excluded.interval_reason, entry_gap = excluded.entry_gap, lease_until = NULL
                WHERE feed.lease_owner IS NULL OR feed.lease_owner = \(cluster?.name ?? "") OR \(cluster == nil)
                RETURNING key
                """, logger: logger
            ).collect()
        // The lease ran out and another node took the feed over while this poll ran: its poll wins, and
        // this one is rolled back (its alerts would have the same ids; its schedule would be stale).
        if written.isEmpty, !poll.pushed {
            throw PostgresStoreError(code: .leaseLost, message: "lease on \(f.key) lost to another node")
        }
        if !poll.entries.isEmpty {
            // One statement for the poll's entries, however many (a key listed twice: its last record,
            // as row-by-row upserts would leave it; one statement cannot update a row twice).
            var seen = Set<String>()
            let e = poll.entries.reversed().filter { seen.insert($0.key).inserted }.reversed() as [EntryRecord]
            try await c.query(
                """
                INSERT INTO entry (feed_key, key, content_hash, topics, first_seen, last_seen)
                SELECT \(f.key), k, h, t, s, \(poll.seenAt)
                FROM unnest(\(e.map(\.key))::text[], \(e.map(\.contentHash))::text[],
                    \(e.map { $0.topics.joined(separator: ",") })::text[], \(e.map(\.firstSeen))::bigint[]) AS u(k, h, t, s)
                ON CONFLICT (feed_key, key) DO UPDATE SET content_hash = excluded.content_hash, topics = excluded.topics,
                    last_seen = excluded.last_seen
                """, logger: logger)
        }
        if !poll.listed.isEmpty {
            try await c.query(
                "UPDATE entry SET last_seen = \(poll.seenAt) WHERE feed_key = \(f.key) AND key = ANY(\(poll.listed))",
                logger: logger)
        }
        var rows = poll.alerts
        if let stories = poll.stories {
            // Held until this transaction ends: the next decision, on this node or another, sees our stories.
            try await c.query("SELECT pg_advisory_xact_lock(\(Self.storyLockKey))", logger: logger)
            rows += try await PostgresStoryLedger.decide(stories, on: c, logger: logger)
        }
        for a in rows {
            // A replayed poll (crash before the delivered mark) finds its alert already there.
            try await c.query(
                """
                INSERT INTO alert (id, kind, feed_key, entry_key, created_at, file_name, payload, log_line, state, node)
                VALUES (\(a.id), \(a.kind.rawValue), \(a.feedKey), \(a.entryKey), \(a.createdAt), \(a.fileName),
                    \(ByteBuffer(bytes: a.payload)), \(a.logLine), 'pending', \(cluster?.name))
                ON CONFLICT (id) DO NOTHING
                """, logger: logger)
        }
        return rows
    }

    /// Without a node: every pending row. A node gets the rows it committed, after adopting those of
    /// nodes that are gone (stopped, or silent for longer than a lease), so that each row has one
    /// deliverer and none is left behind.
    public func pendingAlerts() async throws -> [StoredAlert] {
        var out: [StoredAlert] = []
        if let cluster {
            try await client.query(
                """
                UPDATE alert SET node = \(cluster.name)
                WHERE state = 'pending' AND node IS DISTINCT FROM \(cluster.name) AND NOT EXISTS (
                    SELECT 1 FROM node n WHERE n.name = alert.node AND n.left_at IS NULL
                        AND n.last_seen >= \(unescaped: Self.databaseNow) - \(cluster.lease))
                """, logger: logger)
        }
        let rows = try await client.query(
            """
            SELECT id, kind, feed_key, entry_key, created_at, file_name, payload, log_line FROM alert
            WHERE state = 'pending' AND (node = \(cluster?.name) OR \(cluster == nil)) ORDER BY created_at, id
            """, logger: logger)
        for try await (id, kind, feedKey, entryKey, createdAt, fileName, payload, logLine) in rows.decode(
            (String, String, String, String, Int64, String, ByteBuffer, String).self)
        {
            out.append(
                StoredAlert(
                    id: id, kind: StoredAlert.Kind(rawValue: kind) ?? .file, feedKey: feedKey, entryKey: entryKey,
                    createdAt: createdAt, fileName: fileName, payload: Array(payload.readableBytesView), logLine: logLine))
        }
        return out
    }

    public func statistics() async throws -> [String: FeedStatistics] {
        var out: [String: FeedStatistics] = [:]
        let empty = FeedStatistics(entries: 0, alerts: 0, pending: 0)
        let entries = try await client.query("SELECT feed_key, count(*) FROM entry GROUP BY feed_key", logger: logger)
        for try await (feed, n) in entries.decode((String, Int).self) { out[feed, default: empty].entries = n }
        let alerts = try await client.query(
            """
            SELECT feed_key, count(*), count(*) FILTER (WHERE state = 'pending') FROM alert WHERE kind = 'file'
            GROUP BY feed_key
            """, logger: logger)
        for try await (feed, n, pending) in alerts.decode((String, Int, Int).self) {
            out[feed, default: empty].alerts = n
            out[feed, default: empty].pending = pending
        }
        let merged = try await client.query(
            "SELECT feed_key, count(*) FROM story_source WHERE role = 'joined' GROUP BY feed_key", logger: logger)
        for try await (feed, n) in merged.decode((String, Int).self) { out[feed, default: empty].merged = n }
        return out
    }

    public func alertCounts() async throws -> (total: Int, pending: Int) {
        let rows = try await client.query(
            "SELECT count(*), count(*) FILTER (WHERE state = 'pending') FROM alert", logger: logger)
        for try await (total, pending) in rows.decode((Int, Int).self) { return (total, pending) }
        return (0, 0)
    }

    public func ping() async throws {
        try await client.query("SELECT 1", logger: logger)
    }

    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await Self.transaction(client, logger, body)
    }

    /// `body` in a transaction on a connection of the pool.
    static func transaction<Result: Sendable>(
        _ client: PostgresClient, _ logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in try await connection.transaction(logger: logger, body) }
    }

    /// A comma-joined list as the schema stores topics.
    static func list(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: ",").map(String.init)
    }
}
