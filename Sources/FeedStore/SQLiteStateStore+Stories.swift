import GRDB

/// Reading stories for `alerts show`, `alerts list --json` and `status`.
extension SQLiteStateStore {
    public func storySources(_ id: String) async throws -> [StorySource] {
        try await db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM story_source WHERE story_id = ? ORDER BY at, id", arguments: [id]).map { r in
                StorySource(
                    feedKey: r["feed_key"], entryKey: r["entry_key"], at: r["at"], title: r["title"], link: r["link"],
                    role: StorySource.Role(rawValue: r["role"]) ?? .joined)
            }
        }
    }

    public func storySourceCounts(_ ids: [String]) async throws -> [String: Int] {
        guard !ids.isEmpty else { return [:] }
        return try await db.read { db in
            var out: [String: Int] = [:]
            let counts = try Self.rows(db, keys: ids) {
                "SELECT story_id, count(*) AS n FROM story_source WHERE story_id IN (\($0)) GROUP BY story_id"
            }
            for r in counts {
                out[r["story_id"]] = r["n"]
            }
            return out
        }
    }

    public func storyStatistics() async throws -> StoryStatistics {
        try await db.read { db in
            StoryStatistics(
                stories: try Int.fetchOne(db, sql: "SELECT count(*) FROM story") ?? 0,
                merged: try Int.fetchOne(db, sql: "SELECT count(*) FROM story_source WHERE role = 'joined'") ?? 0)
        }
    }
}
