public import FeedStore
import PostgresNIO

/// Reading stories for `alerts show`, `alerts list --json` and `status`.
extension PostgresStateStore {
    public func storySources(_ id: String) async throws -> [StorySource] {
        var out: [StorySource] = []
        let rows = try await client.query(
            "SELECT feed_key, entry_key, at, title, link, role FROM story_source WHERE story_id = \(id) ORDER BY at, id",
            logger: logger)
        for try await (feed, entry, at, title, link, role) in rows.decode(
            (String, String, Int64, String?, String?, String).self)
        {
            out.append(
                StorySource(
                    feedKey: feed, entryKey: entry, at: at, title: title, link: link,
                    role: StorySource.Role(rawValue: role) ?? .joined))
        }
        return out
    }

    public func storySourceCounts(_ ids: [String]) async throws -> [String: Int] {
        guard !ids.isEmpty else { return [:] }
        var out: [String: Int] = [:]
        let rows = try await client.query(
            "SELECT story_id, count(*) FROM story_source WHERE story_id = ANY(\(ids)) GROUP BY story_id", logger: logger)
        for try await (id, n) in rows.decode((String, Int).self) { out[id] = n }
        return out
    }

    public func storyStatistics() async throws -> StoryStatistics {
        let rows = try await client.query(
            "SELECT (SELECT count(*) FROM story), (SELECT count(*) FROM story_source WHERE role = 'joined')", logger: logger)
        for try await (stories, merged) in rows.decode((Int, Int).self) {
            return StoryStatistics(stories: stories, merged: merged)
        }
        return StoryStatistics(stories: 0, merged: 0)
    }
}
