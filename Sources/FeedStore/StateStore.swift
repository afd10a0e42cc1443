/// Everything the daemon remembers, behind one interface (design.md: a PostgreSQL backend for several
/// nodes implements the same protocol). No SQL exists outside the store's implementation.
public protocol StateStore: DigestStore, WebSubStore {
    func feed(_ key: String) async throws -> FeedState?
    func allFeeds() async throws -> [FeedState]
    /// The stored records of `keys` in `feedKey`, for deciding new, unchanged and edited entries.
    func entries(feedKey: String, keys: [String]) async throws -> [String: EntryRecord]
    /// One poll's outcome in one transaction: the feed's state, its new or changed entries, the story
    /// decisions for its on-topic reports and the outbox rows they raise (pending rows: the
    /// transactional outbox of reliability.md §6). Returns the outbox rows of the poll.
    @discardableResult
    func commit(_ poll: PollCommit) async throws -> [StoredAlert]
    func pendingAlerts() async throws -> [StoredAlert]
    /// Marks an outbox row delivered and, in the same transaction, queues it for each sink of `queueing`
    /// (an alert file only: an "also" line goes to no sink), on its own or held for a digest. A row
    /// queued before is not queued again.
    func markDelivered(_ id: String, at: Int64, queueing: [SinkQueueing]) async throws
    /// Up to `limit` deliveries to `sink` that are due at `now`, oldest first, with their alert's payload.
    /// A store shared by several processes also holds them for this caller for `hold` seconds (until the
    /// attempts are recorded), so that a delivery is attempted by one node at a time.
    func dueSinkJobs(sink: String, now: Int64, limit: Int, hold: Int64) async throws -> [SinkJob]
    /// Records one attempt: delivered, retried at `nextAttempt`, or failed for good.
    func recordSinkAttempt(_ job: SinkJob, outcome: SinkAttempt, at: Int64) async throws
    /// Per sink: delivered, pending, failed, and the last error.
    func sinkCounts() async throws -> [String: SinkCounts]
    func statistics() async throws -> [String: FeedStatistics]
    /// Alert rows in all and pending, without touching the entries (the daemon's 30-second status line).
    func alertCounts() async throws -> (total: Int, pending: Int)
    /// Bounds the state: forgets entries no feed has listed since `entriesUnlistedSince`, drops the payload
    /// of alerts delivered before `alertsDeliveredBefore` (the id stays, so a replay is still recognised),
    /// and forgets stories opened before it.
    func prune(entriesUnlistedSince: Int64, alertsDeliveredBefore: Int64) async throws -> PruneReport
    /// A trivial query: the store answers.
    func ping() async throws
    /// Every source of story `id`, oldest first.
    func storySources(_ id: String) async throws -> [StorySource]
    /// How many sources each of the stories `ids` has (stories the state does not know are left out).
    func storySourceCounts(_ ids: [String]) async throws -> [String: Int]
    func storyStatistics() async throws -> StoryStatistics
}

extension StateStore {
    /// Due deliveries, held for no time: one process alone delivers.
    public func dueSinkJobs(sink: String, now: Int64, limit: Int) async throws -> [SinkJob] {
        try await dueSinkJobs(sink: sink, now: now, limit: limit, hold: 0)
    }
}

public struct FeedState: Sendable, Equatable {
    public var key: String
    public var currentURL: String
    public var etag: String?
    public var lastModified: String?
    public var nextPoll: Int64
    /// Retry-After or back-off: no request before this.
    public var notBefore: Int64
    public var errorStreak: Int
    public var lastError: String?
    public var lastResult: String?
    public var lastPoll: Int64?
    public var lastSuccess: Int64?
    public var lastNewEntry: Int64?
    public var gone: Bool
    public var title: String?
    public var polls: Int
    /// Hash of the feed's configuration entry: a change re-enables a gone feed and resets back-off.
    public var configHash: String
    /// Usual seconds between polls that found new entries (moving average), for silence reports.
    public var newEntryGap: Int64
    public var silenceReported: Bool
    /// The interval the feed was last scheduled with (seconds; 0 before its first success), and why:
    /// `learned: 6 entries/h`, `fixed: interval 15m`, `feed ttl 1h` (`status` shows both).
    public var interval: Int64
    public var intervalReason: String?
    /// The learned average gap between the feed's publications (seconds; 0: not learned yet).
    public var entryGap: Int64

    /// When the feed may next be polled: its next poll, or later while back-off or Retry-After holds it.
    public var dueAt: Int64 { max(nextPoll, notBefore) }

    public init(
        key: String, currentURL: String, etag: String? = nil, lastModified: String? = nil, nextPoll: Int64 = 0,
        notBefore: Int64 = 0, errorStreak: Int = 0, lastError: String? = nil, lastResult: String? = nil,
        lastPoll: Int64? = nil, lastSuccess: Int64? = nil, lastNewEntry: Int64? = nil, gone: Bool = false,
        title: String? = nil, polls: Int = 0, configHash: String = "", newEntryGap: Int64 = 0,
        silenceReported: Bool = false, interval: Int64 = 0, intervalReason: String? = nil, entryGap: Int64 = 0
    ) {
        self.key = key
        self.currentURL = currentURL
        self.etag = etag
        self.lastModified = lastModified
        self.nextPoll = nextPoll
        self.notBefore = notBefore
        self.errorStreak = errorStreak
        self.lastError = lastError
        self.lastResult = lastResult
        self.lastPoll = lastPoll
        self.lastSuccess = lastSuccess
        self.lastNewEntry = lastNewEntry
        self.gone = gone
        self.title = title
        self.polls = polls
        self.configHash = configHash
        self.newEntryGap = newEntryGap
        self.silenceReported = silenceReported
        self.interval = interval
        self.intervalReason = intervalReason
        self.entryGap = entryGap
    }
}

public struct EntryRecord: Sendable, Equatable {
    public var key: String
    public var contentHash: String
    /// Topics already alerted for this entry, sorted.
    public var topics: [String]
    public var firstSeen: Int64

    public init(key: String, contentHash: String, topics: [String], firstSeen: Int64) {
        self.key = key
        self.contentHash = contentHash
        self.topics = topics
        self.firstSeen = firstSeen
    }
}

public struct StoredAlert: Sendable, Equatable {
    /// What delivering the row means.
    public enum Kind: String, Sendable {
        /// An alert file in the spool and its line in the alert log.
        case file
        /// Only a line in the alert log: a report that joined a story ("also").
        case logLine = "log"
    }

    public var id: String
    public var kind: Kind
    public var feedKey: String
    public var entryKey: String
    public var createdAt: Int64
    public var fileName: String
    public var payload: [UInt8]
    public var logLine: String

    public init(
        id: String, kind: Kind = .file, feedKey: String, entryKey: String, createdAt: Int64, fileName: String,
        payload: [UInt8], logLine: String
    ) {
        self.id = id
        self.kind = kind
        self.feedKey = feedKey
        self.entryKey = entryKey
        self.createdAt = createdAt
        self.fileName = fileName
        self.payload = payload
        self.logLine = logLine
    }
}

public struct PollCommit: Sendable {
    public var feed: FeedState
    public var entries: [EntryRecord]
    public var alerts: [StoredAlert]
    /// Decides the story of each on-topic report inside the transaction, adding outbox rows.
    public var stories: (any StoryDecision)?
    public var seenAt: Int64
    /// Keys of every entry the document lists: their `last_seen` moves to `seenAt` (retention counts
    /// from the last time a feed listed an entry).
    public var listed: [String] = []
    /// Content a WebSub hub pushed (issue 25): its entries, stories and alerts are committed, the feed's
    /// row (schedule, validators, lease) is left as it is, so a push may land on any node.
    public var pushed = false

    public init(
        feed: FeedState, entries: [EntryRecord] = [], alerts: [StoredAlert] = [], stories: (any StoryDecision)? = nil,
        seenAt: Int64
    ) {
        self.feed = feed
        self.entries = entries
        self.alerts = alerts
        self.stories = stories
        self.seenAt = seenAt
    }
}

public struct PruneReport: Sendable, Equatable {
    public var entries = 0
    public var payloads = 0
    public var stories = 0

    public init(entries: Int = 0, payloads: Int = 0, stories: Int = 0) {
        self.entries = entries
        self.payloads = payloads
        self.stories = stories
    }
}

public struct FeedStatistics: Sendable, Equatable {
    public var entries: Int
    public var alerts: Int
    public var pending: Int
    /// Reports of this feed merged into a story that another report had opened.
    public var merged: Int

    public init(entries: Int, alerts: Int, pending: Int, merged: Int = 0) {
        self.entries = entries
        self.alerts = alerts
        self.pending = pending
        self.merged = merged
    }
}
