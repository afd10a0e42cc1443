/// How one alert is queued for one sink (issue 24): on its own, or held for a digest released at a
/// given time. The daemon decides from the sink's `digest:`, `quiet_hours:` and `max_per_hour:` at the
/// moment the alert reaches the spool; the decision is stored with the delivery, so a restart, a reload
/// or another node never sends a held alert on its own nor an own alert twice.
public struct SinkQueueing: Sendable, Equatable {
    public var sink: String
    /// Held for the digest released at this time; nil: delivered on its own (unless `cap` holds it).
    public var releaseAt: Int64?
    /// `max_per_hour`: an alert queued on its own while `limit` others already were since `since` is held
    /// for the digest released at `releaseAt` instead (the end of the hour).
    public var cap: Cap?

    public struct Cap: Sendable, Equatable {
        public var limit: Int
        public var since: Int64
        public var releaseAt: Int64
        public init(limit: Int, since: Int64, releaseAt: Int64) {
            self.limit = limit
            self.since = since
            self.releaseAt = releaseAt
        }
    }

    public init(sink: String, releaseAt: Int64? = nil, cap: Cap? = nil) {
        self.sink = sink
        self.releaseAt = releaseAt
        self.cap = cap
    }
}

/// A digest about to be formed: its members (held deliveries of one sink, released by now) and the
/// document built from them. Formed only if every member is still free (neither in a digest nor
/// delivered), in one transaction: an alert is in one digest of a sink, never two, and never lost.
public struct DigestDraft: Sendable, Equatable {
    public var id: String
    public var sink: String
    public var from: Int64
    public var to: Int64
    public var members: [String]
    public var payload: [UInt8]
    public var createdAt: Int64

    public init(id: String, sink: String, from: Int64, to: Int64, members: [String], payload: [UInt8], createdAt: Int64) {
        self.id = id
        self.sink = sink
        self.from = from
        self.to = to
        self.members = members
        self.payload = payload
        self.createdAt = createdAt
    }
}

/// A formed digest to deliver to its sink, retried like a single alert, always under the same id (its
/// webhook `Idempotency-Key`). Delivering it delivers its members; giving it up fails them.
public struct DigestJob: Sendable, Equatable {
    public var id: String
    public var sink: String
    public var attempts: Int
    public var createdAt: Int64
    public var count: Int
    public var payload: [UInt8]
    /// As `SinkJob.claim`: set by a shared state, whose results are recorded under it only.
    public var claim: Int64? = nil

    public init(id: String, sink: String, attempts: Int, createdAt: Int64, count: Int, payload: [UInt8]) {
        self.id = id
        self.sink = sink
        self.attempts = attempts
        self.createdAt = createdAt
        self.count = count
        self.payload = payload
    }
}

/// Per sink, what waits for a digest: held alerts not yet in one, the earliest release among them, and
/// the digests delivered, pending and failed.
public struct DigestCounts: Sendable, Equatable {
    public var held = 0
    public var nextRelease: Int64?
    public var delivered = 0
    public var pending = 0
    public var failed = 0

    public init(held: Int = 0, nextRelease: Int64? = nil, delivered: Int = 0, pending: Int = 0, failed: Int = 0) {
        self.held = held
        self.nextRelease = nextRelease
        self.delivered = delivered
        self.pending = pending
        self.failed = failed
    }
}

/// The digest side of a state (issue 24), beside the single deliveries of `StateStore`.
public protocol DigestStore: Sendable {
    /// Held deliveries of `sink` released by `now` and in no digest yet, oldest first, with their alert's
    /// payload; `releaseAt` set on each. A shared state leaves out those another node is forming.
    func releasedSinkJobs(sink: String, now: Int64) async throws -> [SinkJob]
    /// Forms the digest in one transaction if every member is still free; false (nothing written) if not.
    func formDigest(_ draft: DigestDraft) async throws -> Bool
    /// Up to `limit` formed digests of `sink` due at `now`, oldest first; held `hold` seconds as `dueSinkJobs`.
    func dueDigests(sink: String, now: Int64, limit: Int, hold: Int64) async throws -> [DigestJob]
    /// Records one attempt, and with it the members' state: delivered, retried, or failed for good.
    func recordDigestAttempt(_ job: DigestJob, outcome: SinkAttempt, at: Int64) async throws
    func digestCounts() async throws -> [String: DigestCounts]
}

extension StateStore {
    /// Queues the alert for each sink on its own (no digest, no quiet hours, no cap).
    public func markDelivered(_ id: String, at: Int64, sinks: [String]) async throws {
        try await markDelivered(id, at: at, queueing: sinks.map { SinkQueueing(sink: $0) })
    }
}
