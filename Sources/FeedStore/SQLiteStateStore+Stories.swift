import GRDB

/// Reading stories for `alerts show`, `alerts list --json` and `status`.
extension SQLiteStateStore {
    public func storySources(_ id: String) async throws -> [StorySource] {
        try await db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM story_source WHERE story_id = ? ORDER BY at, id", arguments: [id]).map { r in
                StorySource(feedKey: r["feed_key"], entryKey: r["entry_key"], at: r["at"], title: r["title"], link: r["link"],
                            role: StorySource.Role(rawValue: r["role"]) ?? .joined)
            }
        }
    }

    public func storySourceCounts(_ ids: [String]) async throws -> [String: Int] {
        guard !ids.isEmpty else { return [:] }
        return try await db.read { db in
            var out: [String: Int] = [:]
            // Chunks stay under SQLite's bound-parameter limit.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for r in try Row.fetchAll(db, sql: """
                    SELECT story_id, count(*) AS n FROM story_source WHERE story_id IN (\(marks)) GROUP BY story_id
                    """, arguments: StatementArguments(chunk)) {
                    out[r["story_id"]] = r["n"]
                }
            }
            return out
        }
    }

    public func storyStatistics() async throws -> StoryStatistics {
        try await db.read { db in
            StoryStatistics(stories: try Int.fetchOne(db, sql: "SELECT count(*) FROM story") ?? 0,
                            merged: try Int.fetchOne(db, sql: "SELECT count(*) FROM story_source WHERE role = 'joined'") ?? 0)
        }
    }
}
