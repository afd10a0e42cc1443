import Foundation
import GRDB

/// The embedded state: one SQLite file in WAL mode behind a GRDB `DatabasePool` (readers in parallel on
/// their own connections, one writer; GRDB runs every access on its own queues, off Swift's cooperative
/// pool), forward-only migrations, and group commit for polls (`GroupCommit`).
public final class SQLiteStateStore: StateStore {
    let db: any DatabaseWriter
    private let commits: GroupCommit<PollCommit, [StoredAlert]>

    /// Opens (creating if needed) `directory/state.sqlite`. A file that is not a database, or fails
    /// `quick_check` after an unclean shutdown, is refused and left untouched. `readOnly`: for the
    /// commands that only read (`status`, `alerts`): nothing is created, migrated or written, WAL files included, so a member of
    /// the state's group with read access is enough; a write then fails as SQLite's read-only error.
    public init(directory: String, readOnly: Bool = false) throws {
        let path = directory + "/state.sqlite"
        var config = Configuration()
        config.readonly = readOnly
        config.prepareDatabase { db in
            // WAL (the pool's own mode): readers never block the writer. synchronous=FULL, which makes
            // every commit durable across power loss as the outbox needs, is set on the writer below.
            try db.execute(sql: "PRAGMA busy_timeout = 5000")
            guard !readOnly else { return }
            // 16 MiB of page cache (the default is 2 MiB): the story index (story_band) is looked up and
            // written at random keys, and 10,000 open stories take about 15 MiB.
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        // quick_check reads the whole file (a tenth of a second at 10,000 feeds, on every `once`), so it
        // runs when the last writer did not close cleanly (reliability.md §5): a clean close checkpoints the
        // WAL and removes or empties it. A file that is not a database fails to open either way.
        let unclean = Self.leftWAL(path)
        let opened: any DatabaseWriter =
            readOnly
            ? try DatabaseQueue(path: Self.readOnlyPath(path), configuration: config)
            : try DatabasePool(path: path, configuration: config)
        if unclean {
            let ok = try opened.read { try String.fetchOne($0, sql: "PRAGMA quick_check") }
            guard ok == "ok" else {
                throw StoreError(code: .corrupt, message: "state database failed its integrity check: \(ok ?? "?")")
            }
        }
        if !readOnly {
            // GRDB's pool sets `synchronous = NORMAL` on its writer after `prepareDatabase` has run, when
            // it switches to WAL: without this, commits were durable only at checkpoints, and a power
            // loss could take back alerts and delivered marks already acted on (reliability.md §5).
            try opened.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(opened)
        }
        db = opened
        commits = GroupCommit { polls in
            try await opened.write { db in try polls.map { try Self.apply($0, db) } }
        }
    }

    /// A non-empty `-wal` beside the database: its last writer did not close cleanly (or is still open).
    static func leftWAL(_ path: String) -> Bool {
        var st = stat()
        return stat(path + "-wal", &st) == 0 && st.st_size > 0
    }

    /// How a reader without write access opens the state. A read-only connection to a WAL database
    /// needs the `-shm` file the writer keeps beside it (and may not create one): while the daemon runs
    /// it is there, group-readable. Without a `-wal` file no writer is open and the database file holds
    /// everything, so it is read as immutable (SQLite then needs no `-shm`). Debian's SQLite takes URI
    /// file names.
    static func readOnlyPath(_ path: String) -> String {
        guard !FileManager.default.fileExists(atPath: path + "-wal") else { return path }
        let escaped = path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "?", with: "%3f")
            .replacingOccurrences(of: "#", with: "%23")
        return "file:" + escaped + "?immutable=1"
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: feeds, entries, alerts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE feed (
                        key TEXT PRIMARY KEY NOT NULL, current_url TEXT NOT NULL, etag TEXT, last_modified TEXT,
                        next_poll INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL DEFAULT 0,
                        error_streak INTEGER NOT NULL DEFAULT 0, last_error TEXT, last_result TEXT, last_poll INTEGER,
                        last_success INTEGER, last_new_entry INTEGER, gone INTEGER NOT NULL DEFAULT 0, title TEXT,
                        polls INTEGER NOT NULL DEFAULT 0, config_hash TEXT NOT NULL DEFAULT ''
                    ) STRICT;
                    CREATE TABLE entry (
                        feed_key TEXT NOT NULL, key TEXT NOT NULL, content_hash TEXT NOT NULL, topics TEXT NOT NULL,
                        first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, PRIMARY KEY (feed_key, key)
                    ) STRICT, WITHOUT ROWID;
                    CREATE TABLE alert (
                        id TEXT PRIMARY KEY NOT NULL, feed_key TEXT NOT NULL, entry_key TEXT NOT NULL,
                        created_at INTEGER NOT NULL, file_name TEXT NOT NULL, payload BLOB NOT NULL, log_line TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered')), delivered_at INTEGER
                    ) STRICT;
                    CREATE INDEX alert_pending ON alert(created_at) WHERE state = 'pending';
                    CREATE INDEX alert_feed ON alert(feed_key);
                    """)
        }
        m.registerMigration("v2: the rhythm of new entries, for silence reports") { db in
            try db.execute(
                sql: """
                    ALTER TABLE feed ADD COLUMN new_entry_gap INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE feed ADD COLUMN silence_reported INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        m.registerMigration("v3: stories (docs/stories.md) and log-only outbox rows", migrate: SQLiteStoryLedger.migrate)
        m.registerMigration("v4: deliveries to sinks (webhook, exec)", migrate: migrateSinks)
        m.registerMigration("v5: digests, quiet hours and hourly caps (issue 24)", migrate: migrateDigests)
        m.registerMigration("v6: each feed's learned schedule (issue 25)") { db in
            try db.execute(
                sql: """
                    ALTER TABLE feed ADD COLUMN poll_interval INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE feed ADD COLUMN interval_reason TEXT;
                    ALTER TABLE feed ADD COLUMN entry_gap INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        m.registerMigration("v7: WebSub subscriptions (issue 25)", migrate: migrateWebSub)
        return m
    }

    public func feed(_ key: String) async throws -> FeedState? {
        try await db.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.feedColumns) FROM feed WHERE key = ?"), arguments: [key])
                .map(Self.feedState)
        }
    }

    public func allFeeds() async throws -> [FeedState] {
        try await db.read { db in
            // A cursor's rows are read in place; fetchAll copied every row first.
            var out: [FeedState] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT \(Self.feedColumns) FROM feed ORDER BY key")
            while let row = try rows.next() { out.append(Self.feedState(row)) }
            return out
        }
    }

    public func entries(feedKey: String, keys: [String]) async throws -> [String: EntryRecord] {
        guard !keys.isEmpty else { return [:] }
        return try await db.read { db in
            var out: [String: EntryRecord] = [:]
            let rows = try Self.rows(db, keys: keys, after: [feedKey]) {
                "SELECT * FROM entry WHERE feed_key = ? AND key IN (\($0))"
            }
            for r in rows {
                let topics: String = r["topics"]
                out[r["key"]] = EntryRecord(
                    key: r["key"], contentHash: r["content_hash"],
                    topics: topics.isEmpty ? [] : topics.split(separator: ",").map(String.init),
                    firstSeen: r["first_seen"])
            }
            return out
        }
    }

    @discardableResult
    public func commit(_ poll: PollCommit) async throws -> [StoredAlert] {
        try await commits.submit(poll)
    }

    /// One poll's rows, inside the batch's transaction.
    private static func apply(_ poll: PollCommit, _ db: Database) throws -> [StoredAlert] {
        let f = poll.feed
        if !poll.pushed { try writeFeed(f, db) }
        return try applyRows(poll, db)
    }

    private static func writeFeed(_ f: FeedState, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO feed (key, current_url, etag, last_modified, next_poll, not_before, error_streak, last_error,
                    last_result, last_poll, last_success, last_new_entry, gone, title, polls, config_hash,
                    new_entry_gap, silence_reported, poll_interval, interval_reason, entry_gap)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                ON CONFLICT(key) DO UPDATE SET current_url=excluded.current_url, etag=excluded.etag,
                    last_modified=excluded.last_modified, next_poll=excluded.next_poll, not_before=excluded.not_before,
                    error_streak=excluded.error_streak, last_error=excluded.last_error, last_result=excluded.last_result,
                    last_poll=excluded.last_poll, last_success=excluded.last_success, last_new_entry=excluded.last_new_entry,
                    gone=excluded.gone, title=excluded.title, polls=excluded.polls, config_hash=excluded.config_hash,
                    new_entry_gap=excluded.new_entry_gap, silence_reported=excluded.silence_reported,
                    poll_interval=excluded.poll_interval, interval_reason=excluded.interval_reason, entry_gap=excluded.entry_gap
                """
        ).execute(arguments: [
            f.key, f.currentURL, f.etag, f.lastModified, f.nextPoll, f.notBefore, f.errorStreak,
            f.lastError, f.lastResult, f.lastPoll, f.lastSuccess, f.lastNewEntry, f.gone ? 1 : 0,
            f.title, f.polls, f.configHash, f.newEntryGap, f.silenceReported ? 1 : 0, f.interval, f.intervalReason,
            f.entryGap,
        ])
    }

    private static func applyRows(_ poll: PollCommit, _ db: Database) throws -> [StoredAlert] {
        let f = poll.feed
        if !poll.entries.isEmpty {
            // Looked up once per poll, not once per entry (the cache is keyed by the SQL text).
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO entry (feed_key, key, content_hash, topics, first_seen, last_seen) VALUES (?,?,?,?,?,?)
                    ON CONFLICT(feed_key, key) DO UPDATE SET content_hash=excluded.content_hash, topics=excluded.topics,
                        last_seen=excluded.last_seen
                    """)
            for e in poll.entries {
                try insert.execute(arguments: [
                    f.key, e.key, e.contentHash, e.topics.joined(separator: ","), e.firstSeen, poll.seenAt,
                ])
            }
        }
        for start in stride(from: 0, to: poll.listed.count, by: 500) {
            let chunk = poll.listed[start..<min(start + 500, poll.listed.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            try db.cachedStatement(sql: "UPDATE entry SET last_seen = ? WHERE feed_key = ? AND key IN (\(marks))")
                .execute(arguments: [poll.seenAt, f.key] + StatementArguments(Array(chunk)))
        }
        var rows = poll.alerts
        // The story decision sees the rows of every poll committed before this one, and no other
        // poll commits until this one has: only one poll can open a story.
        if let stories = poll.stories { rows += try stories.decide(in: SQLiteStoryLedger(db: db)) }
        for a in rows {
            // A replayed poll (crash before the delivered mark) finds its alert already there.
            try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO alert (id, kind, feed_key, entry_key, created_at, file_name, payload, log_line, state)
                    VALUES (?,?,?,?,?,?,?,?,'pending')
                    """
            ).execute(arguments: [
                a.id, a.kind.rawValue, a.feedKey, a.entryKey, a.createdAt, a.fileName, Data(a.payload),
                a.logLine,
            ])
        }
        return rows
    }

    public func pendingAlerts() async throws -> [StoredAlert] {
        try await db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert WHERE state = 'pending' ORDER BY created_at, id").map { r in
                let payload: Data = r["payload"]
                return StoredAlert(
                    id: r["id"], kind: StoredAlert.Kind(rawValue: r["kind"]) ?? .file, feedKey: r["feed_key"],
                    entryKey: r["entry_key"], createdAt: r["created_at"], fileName: r["file_name"],
                    payload: Array(payload), logLine: r["log_line"])
            }
        }
    }

    public func statistics() async throws -> [String: FeedStatistics] {
        try await db.read { db in
            var out: [String: FeedStatistics] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT feed_key, count(*) AS n FROM entry GROUP BY feed_key") {
                out[r["feed_key"], default: FeedStatistics(entries: 0, alerts: 0, pending: 0)].entries = r["n"]
            }
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT feed_key, count(*) AS n, sum(state = 'pending') AS p FROM alert WHERE kind = 'file' GROUP BY feed_key
                    """)
            {
                var s = out[r["feed_key"], default: FeedStatistics(entries: 0, alerts: 0, pending: 0)]
                s.alerts = r["n"]
                s.pending = r["p"]
                out[r["feed_key"]] = s
            }
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT feed_key, count(*) AS n FROM story_source WHERE role = 'joined' GROUP BY feed_key
                    """)
            {
                out[r["feed_key"], default: FeedStatistics(entries: 0, alerts: 0, pending: 0)].merged = r["n"]
            }
            return out
        }
    }

    public func alertCounts() async throws -> (total: Int, pending: Int) {
        try await db.read { db in
            (
                try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM alert")) ?? 0,
                try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM alert WHERE state = 'pending'")) ?? 0
            )
        }
    }

    public func prune(entriesUnlistedSince: Int64, alertsDeliveredBefore: Int64) async throws -> PruneReport {
        try await db.write { db in
            var report = PruneReport()
            try db.execute(sql: "DELETE FROM entry WHERE last_seen < ?", arguments: [entriesUnlistedSince])
            report.entries = db.changesCount
            // A payload a sink still has to deliver is kept until the sink is done with it.
            try db.execute(
                sql: """
                    UPDATE alert SET payload = x'', log_line = '' WHERE state = 'delivered' AND delivered_at < ?
                    AND length(payload) > 0 AND id NOT IN (SELECT alert_id FROM sink_delivery WHERE state = 'pending')
                    """,
                arguments: [alertsDeliveredBefore])
            report.payloads = db.changesCount
            try db.execute(
                sql: "DELETE FROM sink_delivery WHERE state != 'pending' AND finished_at < ?", arguments: [alertsDeliveredBefore])
            try db.execute(
                sql: "DELETE FROM sink_digest WHERE state != 'pending' AND finished_at < ?", arguments: [alertsDeliveredBefore])
            // Sources before stories; fingerprints and band keys (pruned by the story window already)
            // before the sources they point at.
            let old = "SELECT ss.id FROM story_source ss JOIN story s ON s.id = ss.story_id WHERE s.opened_at < ?"
            try db.execute(sql: "DELETE FROM story_band WHERE source IN (\(old))", arguments: [alertsDeliveredBefore])
            try db.execute(sql: "DELETE FROM story_print WHERE source IN (\(old))", arguments: [alertsDeliveredBefore])
            try db.execute(
                sql: "DELETE FROM story_source WHERE story_id IN (SELECT id FROM story WHERE opened_at < ?)",
                arguments: [alertsDeliveredBefore])
            try db.execute(sql: "DELETE FROM story WHERE opened_at < ?", arguments: [alertsDeliveredBefore])
            report.stories = db.changesCount
            return report
        }
    }

    public func ping() async throws {
        _ = try await db.read { try Int.fetchOne($0, sql: "SELECT 1") }
    }

    /// The rows of a query over `keys`, in chunks that stay under SQLite's bound-parameter limit: `sql`
    /// gets the `?,?,…` list of a chunk, bound after the arguments `after`.
    static func rows(_ db: Database, keys: [String], after: StatementArguments = [], sql: (String) -> String) throws -> [Row] {
        var out: [Row] = []
        for start in stride(from: 0, to: keys.count, by: 500) {
            let chunk = Array(keys[start..<min(start + 500, keys.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            out += try Row.fetchAll(db.cachedStatement(sql: sql(marks)), arguments: after + StatementArguments(chunk))
        }
        return out
    }

    /// The columns `feedState` reads, by position: looking each up by name cost more than the row's
    /// decoding when `once` reads 10,000 feeds.
    static let feedColumns = """
        key, current_url, etag, last_modified, next_poll, not_before, error_streak, last_error, last_result, \
        last_poll, last_success, last_new_entry, gone, title, polls, config_hash, new_entry_gap, silence_reported, \
        poll_interval, interval_reason, entry_gap
        """

    static func feedState(_ r: Row) -> FeedState {
        FeedState(
            key: r[0], currentURL: r[1], etag: r[2], lastModified: r[3], nextPoll: r[4], notBefore: r[5],
            errorStreak: r[6], lastError: r[7], lastResult: r[8], lastPoll: r[9], lastSuccess: r[10],
            lastNewEntry: r[11], gone: (r[12] as Int) != 0, title: r[13], polls: r[14], configHash: r[15],
            newEntryGap: r[16], silenceReported: (r[17] as Int) != 0, interval: r[18], intervalReason: r[19],
            entryGap: r[20])
    }
}

/// A state that cannot be used as it is (a failed integrity check); database errors themselves stay
/// GRDB's `DatabaseError`, with their SQLite code.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable { case corrupt }

    public var code: Code
    public var message: String
    public var description: String { message }
}
