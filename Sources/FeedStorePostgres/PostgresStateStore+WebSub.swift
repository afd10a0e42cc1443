public import FeedStore
import PostgresNIO

/// WebSub subscriptions on a shared state: any node verifies a hub's request and accepts its content,
/// since the token and secret are here.
extension PostgresStateStore {
    static let websubColumns = """
        feed_key, hub, topic, token, secret, state, requested_at, lease_seconds, lease_until, last_push, missed, last_error
        """

    func subscriptions(_ query: PostgresQuery) async throws -> [WebSubSubscription] {
        var out: [WebSubSubscription] = []
        let rows = try await client.query(query, logger: logger)
        for try await c in rows.decode(
            (String, String, String, String, String, String, Int64, Int64, Int64, Int64?, Bool, String?).self)
        {
            out.append(
                WebSubSubscription(
                    feedKey: c.0, hub: c.1, topic: c.2, token: c.3, secret: c.4,
                    state: WebSubSubscription.State(rawValue: c.5) ?? .new, requestedAt: c.6, leaseSeconds: c.7,
                    leaseUntil: c.8, lastPush: c.9, missed: c.10, lastError: c.11))
        }
        return out
    }

    public func subscriptions() async throws -> [WebSubSubscription] {
        try await subscriptions("SELECT \(unescaped: Self.websubColumns) FROM websub ORDER BY feed_key")
    }

    public func subscription(token: String) async throws -> WebSubSubscription? {
        try await subscriptions("SELECT \(unescaped: Self.websubColumns) FROM websub WHERE token = \(token)").first
    }

    public func save(_ s: WebSubSubscription) async throws {
        try await client.query(
            """
            INSERT INTO websub (\(unescaped: Self.websubColumns))
            VALUES (\(s.feedKey), \(s.hub), \(s.topic), \(s.token), \(s.secret), \(s.state.rawValue), \(s.requestedAt),
                \(s.leaseSeconds), \(s.leaseUntil), \(s.lastPush), \(s.missed), \(s.lastError))
            ON CONFLICT (feed_key) DO UPDATE SET hub = excluded.hub, topic = excluded.topic, token = excluded.token,
                secret = excluded.secret, state = excluded.state, requested_at = excluded.requested_at,
                lease_seconds = excluded.lease_seconds, lease_until = excluded.lease_until,
                last_push = excluded.last_push, missed = excluded.missed, last_error = excluded.last_error
            """, logger: logger)
    }

    public func deleteSubscription(feedKey: String) async throws {
        try await client.query("DELETE FROM websub WHERE feed_key = \(feedKey)", logger: logger)
    }
}
