import FeedCore
import FeedStore

/// Stage 3 of a poll: identity and deduplication. Which entries of the document are new or edited,
/// and which of those may alert: none on the baseline first poll, none on churn (more new entries at
/// once than `alerts.churn_limit`), none older than `alerts.max_age`.
struct EntryStage: Sendable {
    let alerts: DaemonConfig.Alerts

    /// The document's entries under their identity keys, in document order; a key listed twice in one
    /// document is one entry (the first).
    static func identify(_ entries: [FeedEntry]) -> [(key: String, entry: FeedEntry)] {
        var seen = Set<String>()
        return entries.compactMap { e in
            let key = EntryIdentity.key(e)
            return seen.insert(key).inserted ? (key, e) : nil
        }
    }

    /// An entry that is new or whose title or summary changed.
    struct Changed {
        var key: String
        var entry: FeedEntry
        var contentHash: String
        /// What the state had for it (nil: never seen).
        var old: EntryRecord?
    }

    struct Decision {
        /// Entries never seen before.
        var newEntries = 0
        /// More new entries than the churn limit on a feed already known.
        var churn = false
        /// Changed entries older than `alerts.max_age`, recorded without alerting.
        var tooOld = 0
        /// Changed entries recorded without classification (baseline, churn, too old).
        var recorded: [EntryRecord] = []
        /// Changed entries to classify.
        var toClassify: [Changed] = []
    }

    /// `known`: the stored records of the listed keys. `firstPoll`: the feed has never been read before.
    func decide(
        _ items: [(key: String, entry: FeedEntry)], known: [String: EntryRecord], firstPoll: Bool,
        now: Int64
    ) -> Decision {
        var d = Decision()
        d.newEntries = items.filter { known[$0.key] == nil }.count
        let baseline = firstPoll && alerts.firstPoll == .baseline
        d.churn = !firstPoll && d.newEntries > alerts.churnLimit
        for (key, entry) in items {
            let hash = EntryIdentity.contentHash(entry)
            let old = known[key]
            if let old, old.contentHash == hash { continue }
            let aged = tooOld(entry, now: now)
            if aged, !baseline, !d.churn { d.tooOld += 1 }
            if baseline || d.churn || aged {
                d.recorded.append(
                    EntryRecord(
                        key: key, contentHash: hash, topics: old?.topics ?? [],
                        firstSeen: old?.firstSeen ?? now))
            } else {
                d.toClassify.append(Changed(key: key, entry: entry, contentHash: hash, old: old))
            }
        }
        return d
    }

    /// Older than `alerts.max_age` (dates in the future count as now).
    func tooOld(_ e: FeedEntry, now: Int64) -> Bool {
        let maxAge = Int64(alerts.maxAge)
        guard maxAge > 0, let date = e.date?.secondsSinceEpoch else { return false }
        return min(date, now) < now - maxAge
    }
}
