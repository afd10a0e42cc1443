import Synchronization

/// The state in memory, behind the same protocol as `SQLiteStateStore`: for in-process tests of the
/// poll stages, delivery and the services, where a real database would only add files. Nothing
/// survives the process. Semantics follow the SQLite store: a commit is atomic (one lock), alert rows
/// are inserted once by id, and the story decision sees every poll committed before it.
public final class MemoryStateStore: StateStore {
    private let tables = Mutex(Tables())

    public init() {}

    final class Tables {
        var feeds: [String: FeedState] = [:]
        /// Per feed, per entry key: the record and when the feed last listed it.
        var entries: [String: [String: (record: EntryRecord, lastSeen: Int64)]] = [:]
        var alerts: [(alert: StoredAlert, deliveredAt: Int64?)] = []
        var stories: [String: StoryRecord] = [:]
        var sources: [(story: String, source: StorySource, bands: Set<Int64>, fingerprint: [UInt8]?)] = []
        var sinkJobs: [SinkKey: SinkRow] = [:]
        var digests: [String: DigestRow] = [:]
        var websub: [String: WebSubSubscription] = [:]
    }

    struct DigestRow {
        var job: DigestJob
        var state = "pending"
        var nextAttempt: Int64
    }

    struct SinkKey: Hashable {
        var alertID: String
        var sink: String
    }

    struct SinkRow {
        var state = "pending"
        var attempts = 0
        var createdAt: Int64
        var nextAttempt: Int64
        var lastError: String?
        var lastErrorAt: Int64 = 0
        var releaseAt: Int64?
        var digestID: String?
    }

    public func feed(_ key: String) async throws -> FeedState? { tables.withLock { $0.feeds[key] } }

    public func allFeeds() async throws -> [FeedState] {
        tables.withLock { $0.feeds.values.sorted { $0.key < $1.key } }
    }

    public func entries(feedKey: String, keys: [String]) async throws -> [String: EntryRecord] {
        tables.withLock { t in
            var out: [String: EntryRecord] = [:]
            for k in keys { if let e = t.entries[feedKey]?[k] { out[k] = e.record } }
            return out
        }
    }

    public func commit(_ poll: PollCommit) async throws -> [StoredAlert] {
        try tables.withLock { t in
            let key = poll.feed.key
            // The story decision first: it may throw, and then nothing of the poll is applied.
            var rows = poll.alerts
            if let stories = poll.stories {
                let ledger = MemoryStoryLedger(tables: t)
                rows += try stories.decide(in: ledger)
            }
            if !poll.pushed { t.feeds[key] = poll.feed }
            for e in poll.entries {
                let firstSeen = t.entries[key]?[e.key]?.record.firstSeen ?? e.firstSeen
                var record = e
                record.firstSeen = firstSeen
                t.entries[key, default: [:]][e.key] = (record, poll.seenAt)
            }
            for k in poll.listed { t.entries[key]?[k]?.lastSeen = poll.seenAt }
            for a in rows where !t.alerts.contains(where: { $0.alert.id == a.id }) { t.alerts.append((a, nil)) }
            return rows
        }
    }

    public func pendingAlerts() async throws -> [StoredAlert] {
        tables.withLock { t in
            t.alerts.filter { $0.deliveredAt == nil }.map(\.alert).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
    }

    public func markDelivered(_ id: String, at: Int64, queueing: [SinkQueueing]) async throws {
        tables.withLock { t in
            guard let i = t.alerts.firstIndex(where: { $0.alert.id == id }) else { return }
            t.alerts[i].deliveredAt = at
            guard t.alerts[i].alert.kind == .file else { return }
            for q in queueing where t.sinkJobs[SinkKey(alertID: id, sink: q.sink)] == nil {
                var release = q.releaseAt
                if release == nil, let cap = q.cap {
                    let own = t.sinkJobs.filter {
                        $0.key.sink == q.sink && $0.value.createdAt >= cap.since && $0.value.releaseAt == nil
                    }.count
                    if own >= cap.limit { release = cap.releaseAt }
                }
                t.sinkJobs[SinkKey(alertID: id, sink: q.sink)] = SinkRow(createdAt: at, nextAttempt: at, releaseAt: release)
            }
        }
    }

    public func dueSinkJobs(sink: String, now: Int64, limit: Int, hold: Int64) async throws -> [SinkJob] {
        tables.withLock { t in
            t.sinkJobs.filter {
                $0.key.sink == sink && $0.value.state == "pending" && $0.value.releaseAt == nil && $0.value.nextAttempt <= now
            }
            .sorted { ($0.value.nextAttempt, $0.value.createdAt) < ($1.value.nextAttempt, $1.value.createdAt) }
            .prefix(limit)
            .compactMap { key, row in
                t.alerts.first { $0.alert.id == key.alertID }.map {
                    SinkJob(
                        alertID: key.alertID, sink: sink, attempts: row.attempts, createdAt: row.createdAt,
                        fileName: $0.alert.fileName, payload: $0.alert.payload)
                }
            }
        }
    }

    public func recordSinkAttempt(_ job: SinkJob, outcome: SinkAttempt, at: Int64) async throws {
        tables.withLock { t in
            let key = SinkKey(alertID: job.alertID, sink: job.sink)
            guard var row = t.sinkJobs[key] else { return }
            row.attempts += 1
            switch outcome {
            case .delivered: row.state = "delivered"
            case .retry(let time, let error): (row.nextAttempt, row.lastError, row.lastErrorAt) = (time, error, at)
            case .failed(let error): (row.state, row.lastError, row.lastErrorAt) = ("failed", error, at)
            }
            t.sinkJobs[key] = row
        }
    }

    public func sinkCounts() async throws -> [String: SinkCounts] {
        tables.withLock { t in
            var out: [String: SinkCounts] = [:]
            var errorAt: [String: Int64] = [:]
            for (key, row) in t.sinkJobs {
                var c = out[key.sink] ?? SinkCounts()
                switch row.state {
                case "delivered": c.delivered += 1
                case "pending": c.pending += 1
                default: c.failed += 1
                }
                if let e = row.lastError, row.state != "delivered", row.lastErrorAt >= errorAt[key.sink, default: Int64.min] {
                    (c.lastError, errorAt[key.sink]) = (e, row.lastErrorAt)
                }
                out[key.sink] = c
            }
            return out
        }
    }

    public func releasedSinkJobs(sink: String, now: Int64) async throws -> [SinkJob] {
        tables.withLock { t in
            t.sinkJobs.filter {
                $0.key.sink == sink && $0.value.state == "pending" && $0.value.digestID == nil
                    && ($0.value.releaseAt ?? Int64.max) <= now
            }
            .sorted {
                ($0.value.releaseAt!, $0.value.createdAt, $0.key.alertID) < (
                    $1.value.releaseAt!, $1.value.createdAt, $1.key.alertID
                )
            }
            .compactMap { key, row in
                t.alerts.first { $0.alert.id == key.alertID }.map {
                    var job = SinkJob(
                        alertID: key.alertID, sink: sink, attempts: row.attempts, createdAt: row.createdAt,
                        fileName: $0.alert.fileName, payload: $0.alert.payload)
                    job.releaseAt = row.releaseAt
                    return job
                }
            }
        }
    }

    public func formDigest(_ draft: DigestDraft) async throws -> Bool {
        guard !draft.members.isEmpty else { return false }
        return tables.withLock { t in
            let keys = draft.members.map { SinkKey(alertID: $0, sink: draft.sink) }
            guard keys.allSatisfy({ t.sinkJobs[$0]?.state == "pending" && t.sinkJobs[$0]?.digestID == nil }) else {
                return false
            }
            for key in keys { t.sinkJobs[key]?.digestID = draft.id }
            t.digests[draft.id] = DigestRow(
                job: DigestJob(
                    id: draft.id, sink: draft.sink, attempts: 0, createdAt: draft.createdAt, count: keys.count,
                    payload: draft.payload), nextAttempt: draft.createdAt)
            return true
        }
    }

    public func dueDigests(sink: String, now: Int64, limit: Int, hold: Int64) async throws -> [DigestJob] {
        tables.withLock { t in
            Array(
                t.digests.values.filter { $0.job.sink == sink && $0.state == "pending" && $0.nextAttempt <= now }
                    .sorted { ($0.nextAttempt, $0.job.createdAt, $0.job.id) < ($1.nextAttempt, $1.job.createdAt, $1.job.id) }
                    .prefix(limit).map(\.job))
        }
    }

    public func recordDigestAttempt(_ job: DigestJob, outcome: SinkAttempt, at: Int64) async throws {
        try tables.withLock { t in
            guard var row = t.digests[job.id], row.state == "pending" else {
                throw SinkClaimLost(alertID: job.id, sink: job.sink)
            }
            let (state, next, error) = outcome.row(at: at)
            row.job.attempts += 1
            (row.state, row.nextAttempt) = (state, next)
            t.digests[job.id] = row
            guard state != "pending" else { return }
            for (key, var member) in t.sinkJobs where member.digestID == job.id && member.state == "pending" {
                member.state = state
                member.attempts += 1
                if let error { (member.lastError, member.lastErrorAt) = (error, at) }
                t.sinkJobs[key] = member
            }
        }
    }

    public func digestCounts() async throws -> [String: DigestCounts] {
        tables.withLock { t in
            var out: [String: DigestCounts] = [:]
            for (key, row) in t.sinkJobs where row.state == "pending" {
                guard let release = row.releaseAt else { continue }
                out[key.sink, default: DigestCounts()].held += 1
                if row.digestID == nil {
                    out[key.sink, default: DigestCounts()].nextRelease = min(
                        out[key.sink]?.nextRelease ?? Int64.max, release)
                }
            }
            for row in t.digests.values {
                switch row.state {
                case "delivered": out[row.job.sink, default: DigestCounts()].delivered += 1
                case "pending": out[row.job.sink, default: DigestCounts()].pending += 1
                default: out[row.job.sink, default: DigestCounts()].failed += 1
                }
            }
            return out
        }
    }

    public func subscriptions() async throws -> [WebSubSubscription] {
        tables.withLock { $0.websub.values.sorted { $0.feedKey < $1.feedKey } }
    }

    public func subscription(token: String) async throws -> WebSubSubscription? {
        tables.withLock { $0.websub.values.first { $0.token == token } }
    }

    public func save(_ subscription: WebSubSubscription) async throws {
        tables.withLock { $0.websub[subscription.feedKey] = subscription }
    }

    public func deleteSubscription(feedKey: String) async throws {
        tables.withLock { _ = $0.websub.removeValue(forKey: feedKey) }
    }

    public func statistics() async throws -> [String: FeedStatistics] {
        tables.withLock { t in
            var out: [String: FeedStatistics] = [:]
            func stats(_ key: String) -> FeedStatistics { out[key] ?? FeedStatistics(entries: 0, alerts: 0, pending: 0) }
            for (feed, entries) in t.entries { out[feed] = FeedStatistics(entries: entries.count, alerts: 0, pending: 0) }
            for a in t.alerts where a.alert.kind == .file {
                var s = stats(a.alert.feedKey)
                s.alerts += 1
                if a.deliveredAt == nil { s.pending += 1 }
                out[a.alert.feedKey] = s
            }
            for s in t.sources where s.source.role == .joined {
                var f = stats(s.source.feedKey)
                f.merged += 1
                out[s.source.feedKey] = f
            }
            return out
        }
    }

    public func alertCounts() async throws -> (total: Int, pending: Int) {
        tables.withLock { t in (t.alerts.count, t.alerts.filter { $0.deliveredAt == nil }.count) }
    }

    public func prune(entriesUnlistedSince: Int64, alertsDeliveredBefore: Int64) async throws -> PruneReport {
        tables.withLock { t in
            var report = PruneReport()
            for (feed, entries) in t.entries {
                let kept = entries.filter { $0.value.lastSeen >= entriesUnlistedSince }
                report.entries += entries.count - kept.count
                t.entries[feed] = kept
            }
            // As in SQLite: a payload a sink still has to deliver is kept.
            let needed = Set(t.sinkJobs.filter { $0.value.state == "pending" }.map(\.key.alertID))
            for i in t.alerts.indices {
                guard let at = t.alerts[i].deliveredAt, at < alertsDeliveredBefore, !t.alerts[i].alert.payload.isEmpty,
                    !needed.contains(t.alerts[i].alert.id)
                else {
                    continue
                }
                t.alerts[i].alert.payload = []
                t.alerts[i].alert.logLine = ""
                report.payloads += 1
            }
            let old = Set(t.stories.values.filter { $0.openedAt < alertsDeliveredBefore }.map(\.id))
            t.sources.removeAll { old.contains($0.story) }
            for id in old { t.stories[id] = nil }
            report.stories = old.count
            return report
        }
    }

    public func ping() async throws {}

    public func storySources(_ id: String) async throws -> [StorySource] {
        tables.withLock { t in t.sources.filter { $0.story == id }.map(\.source).sorted { $0.at < $1.at } }
    }

    public func storySourceCounts(_ ids: [String]) async throws -> [String: Int] {
        tables.withLock { t in
            var out: [String: Int] = [:]
            for s in t.sources where ids.contains(s.story) { out[s.story, default: 0] += 1 }
            return out
        }
    }

    public func storyStatistics() async throws -> StoryStatistics {
        tables.withLock { t in
            StoryStatistics(stories: t.stories.count, merged: t.sources.filter { $0.source.role == .joined }.count)
        }
    }
}

/// The story tables of `MemoryStateStore`, used inside its commit's lock.
private struct MemoryStoryLedger: StoryLedger {
    let tables: MemoryStateStore.Tables

    func candidates(bands: [Int64], since: Int64, limit: Int) throws -> [StoryCandidate] {
        let wanted = Set(bands)
        let hits: [(StoryCandidate, Int)] = tables.sources.enumerated().compactMap { i, s in
            guard let fingerprint = s.fingerprint, let story = tables.stories[s.story], story.openedAt >= since else {
                return nil
            }
            let shared = s.bands.intersection(wanted).count
            guard shared > 0 else { return nil }
            return (StoryCandidate(story: story, feedKey: s.source.feedKey, fingerprint: fingerprint, sharedBands: shared), i)
        }
        return hits.sorted { ($0.0.sharedBands, -$0.1) > ($1.0.sharedBands, -$1.1) }.prefix(limit).map(\.0)
    }

    func open(_ story: StoryRecord, source: StorySource, bands: [Int64], fingerprint: [UInt8]?) throws {
        if tables.stories[story.id] == nil { tables.stories[story.id] = story }
        _ = insert(source, story: story.id, bands: bands, fingerprint: fingerprint)
    }

    func add(_ source: StorySource, to story: StoryRecord, bands: [Int64], fingerprint: [UInt8]) throws -> Bool {
        insert(source, story: story.id, bands: bands, fingerprint: fingerprint)
    }

    func setTopics(_ topics: [String], of storyID: String) throws { tables.stories[storyID]?.topics = topics }

    func prune(openedBefore time: Int64) throws {
        for i in tables.sources.indices where (tables.stories[tables.sources[i].story]?.openedAt ?? 0) < time {
            tables.sources[i].bands = []
            tables.sources[i].fingerprint = nil
        }
    }

    private func insert(_ s: StorySource, story: String, bands: [Int64], fingerprint: [UInt8]?) -> Bool {
        let duplicate = tables.sources.contains {
            $0.story == story && $0.source.feedKey == s.feedKey && $0.source.entryKey == s.entryKey
        }
        guard !duplicate else { return false }
        tables.sources.append((story, s, fingerprint == nil ? [] : Set(bands), fingerprint))
        return true
    }
}
