/// The tables a state is made of, column for column the same in SQLite and PostgreSQL, for
/// `feedwatch state copy`: one backend dumps them, the other loads them. Order matters: a table comes
/// after the ones it refers to.
public struct StateTable: Sendable, Equatable {
    public let name: String
    public let columns: [String]
    /// Columns SQLite keeps as 0/1 integers and PostgreSQL as BOOLEAN.
    public let booleans: Set<String>
    /// A column PostgreSQL generates (`GENERATED ALWAYS AS IDENTITY`): copied as it is, then the
    /// sequence is moved past it.
    public let identity: String?

    init(_ name: String, _ columns: [String], booleans: Set<String> = [], identity: String? = nil) {
        self.name = name
        self.columns = columns
        self.booleans = booleans
        self.identity = identity
    }

    public static let all: [StateTable] = [
        StateTable(
            "feed",
            [
                "key", "current_url", "etag", "last_modified", "next_poll", "not_before", "error_streak", "last_error",
                "last_result", "last_poll", "last_success", "last_new_entry", "gone", "title", "polls", "config_hash",
                "new_entry_gap", "silence_reported", "poll_interval", "interval_reason", "entry_gap",
            ], booleans: ["gone", "silence_reported"]),
        StateTable("entry", ["feed_key", "key", "content_hash", "topics", "first_seen", "last_seen"]),
        StateTable(
            "alert",
            ["id", "kind", "feed_key", "entry_key", "created_at", "file_name", "payload", "log_line", "state", "delivered_at"]),
        StateTable("story", ["id", "alert_id", "opened_at", "topics"]),
        StateTable(
            "story_source", ["id", "story_id", "feed_key", "entry_key", "at", "title", "link", "role"], identity: "id"),
        StateTable("story_print", ["source", "opened_at", "fingerprint"]),
        StateTable("story_band", ["band", "opened_at", "source"]),
        StateTable(
            "websub",
            [
                "feed_key", "hub", "topic", "token", "secret", "state", "requested_at", "lease_seconds", "lease_until",
                "last_push", "missed", "last_error",
            ], booleans: ["missed"]),
        StateTable(
            "sink_digest",
            [
                "id", "sink", "state", "attempts", "next_attempt", "created_at", "period_from", "period_to", "count",
                "payload", "finished_at", "last_error",
            ]),
        StateTable(
            "sink_delivery",
            [
                "alert_id", "sink", "state", "attempts", "next_attempt", "created_at", "finished_at", "last_error",
                "release_at", "digest_id",
            ]),
    ]
}

/// One stored value, as both backends can hold it.
public enum StateValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
}

/// A state that can be read table by table (the source of `state copy`).
public protocol StateDumping: Sendable {
    /// Every row of `table`, its columns in the table's order.
    func rows(of table: StateTable) async throws -> [[StateValue]]
}
