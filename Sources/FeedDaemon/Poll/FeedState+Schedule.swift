import FeedCore
import FeedHTTP
public import FeedStore

/// The schedule arithmetic of one feed, on its state (as Miniflux keeps `ScheduleNextCheck` on its feed
/// model): what a changed configuration entry resets, whether the feed is due, and when it is next
/// polled after a success, a failure, a rate limit or a 410.
extension FeedState {
    /// A changed configuration entry re-enables a gone feed and forgets its back-off.
    mutating func adopt(_ feed: DaemonConfig.Feed) {
        let hash = feed.configHash
        guard configHash != hash else { return }
        gone = false
        errorStreak = 0
        notBefore = 0
        currentURL = feed.url
        configHash = hash
    }

    /// Why the feed is not polled at `now` (gone, or still held by back-off or Retry-After), if it is not.
    func notPolled(at now: Int64) -> (PollResult, message: String)? {
        if gone { return (.gone, "disabled after HTTP 410; change its configuration to re-enable") }
        if notBefore > now {
            return (.waiting, "back-off or Retry-After until \(Timestamp(secondsSinceEpoch: notBefore).iso8601)")
        }
        return nil
    }

    /// A document or a 304: the next poll after the interval (or the feed's own hint: TTL, max-age,
    /// whichever is longer), clamped to `schedule`'s bounds and jittered; back-off forgotten.
    mutating func succeeded(now: Int64, interval: Int, hint: Int?, schedule: DaemonConfig.Schedule) {
        let every = min(max(max(interval, hint ?? 0), schedule.minInterval), schedule.maxInterval)
        let jittered = Double(every) * (1 + schedule.jitter * (2 * Double.random(in: 0..<1) - 1))
        nextPoll = now + Int64(jittered)
        notBefore = 0
        errorStreak = 0
        lastError = nil
        lastResult = PollResult.ok.rawValue  // a 304 is stored as ok too: the feed answered
        lastSuccess = now
    }

    /// A failed fetch or parse: the streak grows and the next try waits out `backoff` (or Retry-After,
    /// when longer). Returns the delay in seconds.
    @discardableResult
    mutating func failed(_ message: String, now: Int64, interval: Int, retryAfter: Timestamp?, backoff: Backoff) -> Int64 {
        errorStreak += 1
        lastError = message
        lastResult = PollResult.error.rawValue
        var delay = Int64(backoff.delay(errorStreak: errorStreak, interval: interval))
        if let r = retryAfter { delay = max(delay, r.secondsSinceEpoch - now) }
        notBefore = now + delay
        nextPoll = now + delay
        return delay
    }

    /// HTTP 429/503 with Retry-After: no request before `until`.
    mutating func rateLimited(until: Timestamp, status: Int) {
        notBefore = until.secondsSinceEpoch
        nextPoll = until.secondsSinceEpoch
        lastResult = PollResult.rateLimited.rawValue
        lastError = "HTTP \(status); retry after \(until.iso8601)"
    }

    /// HTTP 410: disabled until the configuration entry changes.
    mutating func markGone() {
        gone = true
        lastResult = PollResult.gone.rawValue
        lastError = "HTTP 410 Gone"
    }

    /// How often the feed brings new entries (a moving average), and a silence far longer than that,
    /// reported once. Returns what changed, for the log.
    mutating func noteRhythm(newEntries: Bool, now: Int64, interval: Int) -> RhythmChange? {
        if newEntries {
            if let last = lastNewEntry {
                let gap = now - last
                newEntryGap = newEntryGap == 0 ? gap : (newEntryGap * 4 + gap) / 5
            }
            lastNewEntry = now
            defer { silenceReported = false }
            return silenceReported ? .resumed : nil
        }
        guard let last = lastNewEntry, newEntryGap > 0, !silenceReported else { return nil }
        let silence = now - last
        guard silence > max(10 * newEntryGap, Int64(3 * interval), 86_400) else { return nil }
        silenceReported = true
        return .silent(seconds: silence, usualGap: newEntryGap)
    }

    enum RhythmChange: Equatable {
        case resumed
        case silent(seconds: Int64, usualGap: Int64)
    }

    /// When the feed is next due, or nil when it is gone (it is not scheduled at all).
    public var nextDue: Int64? { gone ? nil : dueAt }
}

extension FeedState {
    /// The next poll after `plan`'s interval, jittered; the interval, why, and the learned gap kept for
    /// `status` and the next poll.
    mutating func schedule(_ plan: Cadence.Plan, now: Int64, jitter: Double) {
        let jittered = Double(plan.every) * (1 + jitter * (2 * Double.random(in: 0..<1) - 1))
        nextPoll = now + Int64(jittered)
        interval = Int64(plan.every)
        intervalReason = plan.reason
        entryGap = plan.gap
    }
}
