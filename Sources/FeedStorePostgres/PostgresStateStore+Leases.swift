public import FeedStore
import Foundation
import PostgresNIO

/// Feed leases (docs/cluster.md). A node claims due feeds with `FOR UPDATE SKIP LOCKED`, so that nodes
/// claiming at the same moment take different feeds instead of waiting for each other; the commit of a
/// poll releases its lease in the poll's own transaction. Leases are timed by the database's clock.
extension PostgresStateStore: FeedLeases {
    public var node: ClusterNode {
        cluster ?? ClusterNode(name: "", lease: 60)
    }

    /// `feedColumns` of the table aliased `f`.
    static let qualifiedFeedColumns = feedColumns.split(separator: ",")
        .map { "f." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")

    private func requireNode() throws -> ClusterNode {
        guard let cluster, !cluster.name.isEmpty else {
            throw PostgresStoreError(code: .invalidURL, message: "the state was opened without a node name")
        }
        return cluster
    }

    public func join(_ feeds: [FeedSeed], now: Int64, spacing: (Int) -> Int64) async throws {
        let node = try requireNode()
        let logger = logger
        let keys = feeds.map(\.key)
        let hashes = feeds.map(\.configHash)
        // The feeds new to the state, in configuration order, and when each is first due. (Two nodes
        // joining together may both count one: the insert below keeps the first row.)
        let fresh = try await client.query(
            """
            SELECT s.k, s.h FROM unnest(\(keys)::text[], \(hashes)::text[]) WITH ORDINALITY AS s(k, h, o)
            WHERE NOT EXISTS (SELECT 1 FROM feed f WHERE f.key = s.k) ORDER BY s.o
            """, logger: logger
        ).decode((String, String).self).reduce(into: [(String, String)]()) { $0.append($1) }
        let step = spacing(fresh.count)
        let firstPolls = fresh.indices.map { (now + Int64($0) * step) / 1000 }
        try await transaction { c in
            try await c.query(
                """
                INSERT INTO node (name, started_at, last_seen) VALUES (\(node.name), \(unescaped: Self.databaseNow),
                    \(unescaped: Self.databaseNow))
                ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen, left_at = NULL
                """, logger: logger)
            try await c.query("DELETE FROM node_feed WHERE node = \(node.name)", logger: logger)
            try await c.query(
                "INSERT INTO node_feed (node, key) SELECT \(node.name), k FROM unnest(\(keys)::text[]) AS s(k) ON CONFLICT DO NOTHING",
                logger: logger)
            // current_url and config_hash as the poller's `adopt` would set them, so the row reads as
            // a feed that was never polled (`polls` 0: the first-poll rules apply).
            try await c.query(
                """
                INSERT INTO feed (key, current_url, config_hash, next_poll)
                SELECT k, k, h, p FROM unnest(\(fresh.map(\.0))::text[], \(fresh.map(\.1))::text[], \(firstPolls)::bigint[])
                    AS s(k, h, p)
                ON CONFLICT (key) DO NOTHING
                """, logger: logger)
            // An edited entry is polled at once (the poll itself resets back-off and re-enables a gone feed).
            try await c.query(
                """
                UPDATE feed SET next_poll = 0, not_before = 0, gone = false
                FROM unnest(\(keys)::text[], \(hashes)::text[]) AS s(k, h)
                WHERE feed.key = s.k AND feed.config_hash <> s.h AND (feed.next_poll <> 0 OR feed.gone)
                """, logger: logger)
        }
    }

    public func claim(limit: Int, dueOnly: Bool) async throws -> [FeedState] {
        let node = try requireNode()
        guard limit > 0 else { return [] }
        // In due order along `feed_due_at`, stopping at `limit`; the node's own feeds only.
        return try await feeds(
            """
            WITH due AS (
                SELECT f.key FROM feed f
                WHERE NOT f.gone AND (f.lease_until IS NULL OR f.lease_until < \(unescaped: Self.databaseNow))
                    AND (NOT \(dueOnly) OR greatest(f.next_poll, f.not_before) <= \(unescaped: Self.databaseNow))
                    AND EXISTS (SELECT 1 FROM node_feed n WHERE n.node = \(node.name) AND n.key = f.key)
                ORDER BY greatest(f.next_poll, f.not_before)
                LIMIT \(limit)
                FOR UPDATE OF f SKIP LOCKED)
            UPDATE feed f SET lease_owner = \(node.name), lease_until = \(unescaped: Self.databaseNow) + \(node.lease)
            FROM due WHERE f.key = due.key
            RETURNING \(unescaped: Self.qualifiedFeedColumns)
            """)
    }

    /// Two statements, not one transaction, and rows a commit is writing are skipped: that commit
    /// releases them anyway, and waiting for it while it waits for this node's row (the commit counts the
    /// node's polls) was a deadlock, which PostgreSQL broke by failing one of the two.
    public func renew(_ keys: [String]) async throws {
        let node = try requireNode()
        if !keys.isEmpty {
            try await client.query(
                """
                UPDATE feed SET lease_until = \(unescaped: Self.databaseNow) + \(node.lease)
                WHERE key IN (
                    SELECT key FROM feed WHERE key = ANY(\(keys)) AND lease_owner = \(node.name) AND lease_until IS NOT NULL
                    FOR UPDATE SKIP LOCKED)
                """, logger: logger)
        }
        try await client.query(
            "UPDATE node SET last_seen = \(unescaped: Self.databaseNow), left_at = NULL WHERE name = \(node.name)",
            logger: logger)
    }

    public func release(_ keys: [String]) async throws {
        let node = try requireNode()
        guard !keys.isEmpty else { return }
        try await client.query(
            """
            UPDATE feed SET lease_until = NULL
            WHERE key = ANY(\(keys)) AND lease_owner = \(node.name) AND lease_until IS NOT NULL
            """, logger: logger)
    }

    public func leave() async throws {
        let node = try requireNode()
        let logger = logger
        try await transaction { c in
            try await c.query(
                "UPDATE feed SET lease_until = NULL WHERE lease_owner = \(node.name) AND lease_until IS NOT NULL",
                logger: logger)
            try await c.query(
                "UPDATE node SET left_at = \(unescaped: Self.databaseNow) WHERE name = \(node.name)", logger: logger)
        }
    }

    public func nodes(lease: Int) async throws -> [NodeStatus] {
        var out: [NodeStatus] = []
        let rows = try await client.query(
            """
            SELECT n.name, n.started_at, n.last_seen, n.left_at, n.polls,
                (SELECT count(*) FROM feed f WHERE f.lease_owner = n.name AND f.lease_until >= \(unescaped: Self.databaseNow)),
                n.left_at IS NULL AND n.last_seen >= \(unescaped: Self.databaseNow) - \(lease)
            FROM node n WHERE n.last_seen >= \(unescaped: Self.databaseNow) - 86400 ORDER BY n.name
            """, logger: logger)
        for try await (name, started, seen, left, polls, leased, alive) in rows.decode(
            (String, Int64, Int64, Int64?, Int, Int, Bool).self)
        {
            out.append(
                NodeStatus(
                    name: name, startedAt: started, lastSeen: seen, leftAt: left, polls: polls, leased: leased, alive: alive))
        }
        return out
    }

    public func expiredLeases() async throws -> [ExpiredLease] {
        var out: [ExpiredLease] = []
        let rows = try await client.query(
            """
            SELECT key, lease_owner, lease_until FROM feed
            WHERE lease_until IS NOT NULL AND lease_until < \(unescaped: Self.databaseNow) ORDER BY key
            """, logger: logger)
        for try await (key, owner, until) in rows.decode((String, String, Int64).self) {
            out.append(ExpiredLease(key: key, owner: owner, expiredAt: until))
        }
        return out
    }
}
