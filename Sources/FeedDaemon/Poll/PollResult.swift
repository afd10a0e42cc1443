/// What one poll came to. Its raw value is spelled once, here: it is the feed's stored `last_result`,
/// the `feedwatch_feeds{status=…}` label, what `once` prints and what `status` shows.
public enum PollResult: String, Sendable, CaseIterable {
    /// A new document was read (with or without new entries).
    case ok
    /// HTTP 304: nothing changed since the validators were stored.
    case notModified = "not_modified"
    /// HTTP 410: the feed is disabled until its configuration entry changes.
    case gone
    /// HTTP 429 or 503 with Retry-After: no request before the time it names.
    case rateLimited = "rate_limited"
    /// The fetch or the parse failed (or, in `once`, the state could not be written).
    case error
    /// The document presented more new entries than `alerts.churn_limit`: recorded without alerting.
    case churn
    /// Not polled: still waiting out back-off or Retry-After.
    case waiting

    /// Whether a request was made (a feed waiting out back-off or gone was not polled).
    public var polled: Bool { self != .waiting && self != .gone }
}
