import Foundation
import GRDB

/// The story tables of migration v3, used inside `SQLiteStateStore.commit`'s write transaction.
struct SQLiteStoryLedger: StoryLedger {
    let db: Database

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE alert ADD COLUMN kind TEXT NOT NULL DEFAULT 'file' CHECK (kind IN ('file', 'log'));
                CREATE TABLE story (
                    id TEXT PRIMARY KEY NOT NULL, alert_id TEXT NOT NULL, opened_at INTEGER NOT NULL, topics TEXT NOT NULL
                ) STRICT;
                CREATE TABLE story_source (
                    id INTEGER PRIMARY KEY, story_id TEXT NOT NULL REFERENCES story(id), feed_key TEXT NOT NULL,
                    entry_key TEXT NOT NULL, at INTEGER NOT NULL, title TEXT, link TEXT,
                    role TEXT NOT NULL CHECK (role IN ('opened', 'joined', 'topic')),
                    UNIQUE (story_id, feed_key, entry_key)
                ) STRICT;
                CREATE INDEX story_source_feed ON story_source(feed_key, role);
                CREATE TABLE story_print (
                    source INTEGER PRIMARY KEY REFERENCES story_source(id), opened_at INTEGER NOT NULL, fingerprint BLOB NOT NULL
                ) STRICT;
                CREATE INDEX story_print_age ON story_print(opened_at);
                CREATE TABLE story_band (
                    band INTEGER NOT NULL, opened_at INTEGER NOT NULL, source INTEGER NOT NULL,
                    PRIMARY KEY (band, opened_at, source)
                ) STRICT, WITHOUT ROWID;
                """)
    }

    func candidates(bands: [Int64], since: Int64, limit: Int) throws -> [StoryCandidate] {
        guard !bands.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: bands.count).joined(separator: ",")
        // One index range per band key (primary key band, opened_at), grouped by source.
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT b.hits, s.feed_key, p.fingerprint, st.id, st.alert_id, st.opened_at, st.topics
                    FROM (SELECT source, count(*) AS hits FROM story_band WHERE band IN (\(marks)) AND opened_at >= ?
                          GROUP BY source ORDER BY hits DESC, source LIMIT ?) AS b
                    JOIN story_source s ON s.id = b.source
                    JOIN story_print p ON p.source = b.source
                    JOIN story st ON st.id = s.story_id
                    ORDER BY b.hits DESC, b.source
                    """), arguments: StatementArguments(bands + [since, Int64(limit)]))
        return rows.map { r in
            let fingerprint: Data = r["fingerprint"]
            return StoryCandidate(
                story: Self.story(r), feedKey: r["feed_key"], fingerprint: Array(fingerprint), sharedBands: r["hits"])
        }
    }

    func open(_ story: StoryRecord, source: StorySource, bands: [Int64], fingerprint: [UInt8]?) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO story (id, alert_id, opened_at, topics) VALUES (?,?,?,?)")
            .execute(arguments: [story.id, story.alertID, story.openedAt, story.topics.joined(separator: ",")])
        _ = try insert(source, storyID: story.id, openedAt: story.openedAt, bands: bands, fingerprint: fingerprint)
    }

    func add(_ source: StorySource, to story: StoryRecord, bands: [Int64], fingerprint: [UInt8]) throws -> Bool {
        try insert(source, storyID: story.id, openedAt: story.openedAt, bands: bands, fingerprint: fingerprint)
    }

    func setTopics(_ topics: [String], of storyID: String) throws {
        try db.cachedStatement(sql: "UPDATE story SET topics = ? WHERE id = ?")
            .execute(arguments: [topics.joined(separator: ","), storyID])
    }

    /// Lookups never see expired rows (they ask for `opened_at >= since`), so pruning only keeps the
    /// tables small. `story_band` has no index on time: every report writes a dozen band rows at random
    /// keys, and such an index would double those writes. Its expired rows are removed by one scan
    /// once an hour's worth of stories has expired, found through `story_print`'s index.
    func prune(openedBefore time: Int64) throws {
        let oldest = try Int64.fetchOne(db.cachedStatement(sql: "SELECT min(opened_at) FROM story_print"))
        guard let oldest, oldest < time - Self.pruneEvery else { return }
        try db.cachedStatement(sql: "DELETE FROM story_band WHERE opened_at < ?").execute(arguments: [time])
        try db.cachedStatement(sql: "DELETE FROM story_print WHERE opened_at < ?").execute(arguments: [time])
    }

    static let pruneEvery: Int64 = 3600

    private func insert(_ s: StorySource, storyID: String, openedAt: Int64, bands: [Int64], fingerprint: [UInt8]?) throws -> Bool
    {
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO story_source (story_id, feed_key, entry_key, at, title, link, role) VALUES (?,?,?,?,?,?,?)
                """
        ).execute(arguments: [storyID, s.feedKey, s.entryKey, s.at, s.title, s.link, s.role.rawValue])
        guard db.changesCount > 0 else { return false }
        let source = db.lastInsertedRowID
        guard let fingerprint else { return true }
        try db.cachedStatement(sql: "INSERT INTO story_print (source, opened_at, fingerprint) VALUES (?,?,?)")
            .execute(arguments: [source, openedAt, Data(fingerprint)])
        let band = try db.cachedStatement(sql: "INSERT OR IGNORE INTO story_band (band, opened_at, source) VALUES (?,?,?)")
        for key in Set(bands) { try band.execute(arguments: [key, openedAt, source]) }
        return true
    }

    static func story(_ r: Row) -> StoryRecord {
        let topics: String = r["topics"]
        return StoryRecord(
            id: r["id"], alertID: r["alert_id"], openedAt: r["opened_at"],
            topics: topics.isEmpty ? [] : topics.split(separator: ",").map(String.init))
    }
}
