import FeedCore
import FeedStore

/// Each feed's interval (issue 25). Adaptive by default: the interval is a quarter of the feed's learned
/// gap between publications (CommaFeed polls at half; Miniflux's `entry_frequency` is the same idea by
/// week; `pollsPerGap` says why four), so
/// a wire that publishes every few minutes is polled at `min_interval` and a blog that posts twice a
/// month at `max_interval`. The gap is read from the document's own dates when it has them (the
/// entries of the last seven `max_interval`s, a week by default: `(now − oldest) / count`, which grows as a feed goes quiet and falls as
/// soon as it wakes up), else learned from what each poll finds new. A feed's own `interval:` or
/// `schedule.adaptive: false` fixes it. A feed's `ttl` or Cache-Control max-age can lengthen it, never
/// shorten it; back-off, Retry-After and the per-host cap apply as they always do.
struct Cadence: Sendable {
    let schedule: DaemonConfig.Schedule
    /// The fixed interval and why, or nil to learn it.
    let fixed: (every: Int, reason: String)?

    init(config: DaemonConfig, feed: DaemonConfig.Feed) {
        schedule = config.schedule
        if let own = feed.interval {
            fixed = (own, "fixed: the feed's interval")
        } else if !config.schedule.adaptive {
            fixed = (config.schedule.interval, "fixed: schedule.adaptive is off")
        } else {
            fixed = nil
        }
    }

    /// What a poll saw of the feed's rhythm.
    enum Observation {
        /// A document: the publication dates it lists, how many entries were new, and when the poll
        /// before this one was (nil on a first poll).
        case document(dates: [Int64], newEntries: Int, previousPoll: Int64?)
        /// A 304: nothing changed since the last poll.
        case unchanged
    }

    struct Plan: Equatable {
        var every: Int
        var reason: String
        var gap: Int64
    }

    /// Polls per learned gap between publications. CommaFeed polls twice per gap; measured on real
    /// rhythms (`bench/freshness.sh`), twice left a busy wire's stories waiting longer than the fixed
    /// 15 minutes did while spending a third of the requests; four polls per gap brings a busy feed to
    /// `min_interval` and still asks less than a fixed schedule in total, the quiet feeds paying for it.
    static let pollsPerGap: Int64 = 4

    /// How far back a document's dates count: seven `max_interval`s (a week with the default of a day).
    /// Tied to the bounds, not to the calendar, so the rule is the same at any time scale.
    var window: Int64 { 7 * Int64(schedule.maxInterval) }

    /// The interval after a poll at `now` that saw `seen`, and the feed's `hint` (ttl, max-age).
    func plan(_ state: FeedState, _ seen: Observation, hint: Int?, now: Int64) -> Plan {
        let gap = Self.gap(state, seen, now: now, window: window)
        var (every, reason): (Int, String)
        if let fixed {
            (every, reason) = fixed
        } else if gap > 0 {
            (every, reason) = (Int(gap / Self.pollsPerGap), "learned: " + Self.rate(gap))
        } else {
            (every, reason) = (schedule.interval, "default: nothing learned yet")
        }
        if let hint, hint > every {
            (every, reason) = (hint, "the feed's ttl or max-age, " + DurationText.format(hint))
        }
        if every < schedule.minInterval {
            (every, reason) = (schedule.minInterval, reason + ", held at min_interval")
        } else if every > schedule.maxInterval {
            (every, reason) = (schedule.maxInterval, reason + ", held at max_interval")
        }
        return Plan(every: every, reason: reason, gap: gap)
    }

    /// The feed's average gap between publications, as far as it can be told (0: not yet).
    static func gap(_ state: FeedState, _ seen: Observation, now: Int64, window: Int64) -> Int64 {
        switch seen {
        case .unchanged:
            // Nothing new: the gap is at least half the time since the last new entry.
            guard let last = state.lastNewEntry, state.entryGap > 0 else { return state.entryGap }
            return max(state.entryGap, (now - last) / 2)
        case .document(let dates, let newEntries, let previousPoll):
            if let fromDates = gap(dates: dates, now: now, window: window) { return fromDates }
            // No dates: from arrivals, an average over polls (what each found new, in the time since the
            // one before). A poll that finds nothing lengthens it.
            guard let previousPoll, now > previousPoll else { return state.entryGap }
            let elapsed = now - previousPoll
            let sample = newEntries > 0 ? max(elapsed / Int64(newEntries), 1) : state.entryGap + elapsed
            return state.entryGap == 0 ? sample : (3 * state.entryGap + sample) / 4
        }
    }

    /// From a document's publication dates: `(now − oldest) / count` over the entries of the `window`
    /// (the whole window when none is that recent); nil when the document has no dates.
    static func gap(dates: [Int64], now: Int64, window: Int64) -> Int64? {
        guard !dates.isEmpty else { return nil }
        let recent = dates.filter { $0 <= now + 300 && $0 > now - window }
        guard let oldest = recent.min() else { return window }
        return max((now - min(oldest, now)) / Int64(recent.count), 1)
    }

    /// `6 entries/h`, `3 entries/day`, `2 entries/week`.
    static func rate(_ gap: Int64) -> String {
        let g = Double(max(gap, 1))
        func text(_ n: Double, _ unit: String) -> String {
            let rounded = n >= 10 ? String(Int(n.rounded())) : String(Double((n * 10).rounded()) / 10)
            let shown = rounded.hasSuffix(".0") ? String(rounded.dropLast(2)) : rounded
            return "\(shown) \(shown == "1" ? "entry" : "entries")/\(unit)"
        }
        if g <= 3600 { return text(3600 / g, "h") }
        if g <= 86_400 { return text(86_400 / g, "day") }
        return text(max(604_800 / g, 0.1), "week")
    }
}
