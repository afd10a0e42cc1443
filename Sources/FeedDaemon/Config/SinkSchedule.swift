import FeedCore
public import FeedStore
public import Foundation

extension DaemonConfig.Sink {
    /// How often a digest sink receives its digest: every `DURATION` (periods aligned on multiples of it
    /// since the Unix epoch, so `every: 1h` closes on the hour), or daily at a local time of a zone.
    public enum Period: Sendable, Equatable {
        case every(seconds: Int)
        case daily(minuteOfDay: Int, zone: TimeZone)

        /// The end of the period an alert queued at `t` belongs to: strictly after `t`, so an alert queued
        /// at the very instant a period closes goes to the next one.
        func release(after t: Int64) -> Int64 {
            switch self {
            case .every(let seconds):
                let d = Int64(seconds)
                return (t / d + 1) * d
            case .daily(let minute, let zone):
                return LocalTime.next(minuteOfDay: minute, after: t, zone: zone)
            }
        }
    }

    /// Hours in which the sink gets nothing: what arrives is held and goes out as one digest when they
    /// end. `from` after `to` spans midnight (22:00–07:00).
    public struct QuietHours: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var zone: TimeZone

        func contains(_ t: Int64) -> Bool {
            let m = LocalTime.minuteOfDay(t, zone: zone)
            guard from < to ? (from <= m && m < to) : (m >= from || m < to) else { return false }
            // In an hour an autumn change repeats, the second pass is quiet until its own end; should a
            // calendar place that end a day away, the hours are over instead of holding alerts a day.
            return end(after: t) - t <= Int64((to - from + 1440) % 1440) * 60 + 3600
        }

        /// When the quiet hours holding `t` end.
        func end(after t: Int64) -> Int64 { LocalTime.next(minuteOfDay: to, after: t, zone: zone) }
    }

    /// How an alert reaching the spool at `t` is queued for this sink: held for its digest, held until
    /// its quiet hours end, or on its own with the hourly cap (past it, held until the hour's end). A
    /// release that falls in quiet hours waits for their end.
    func queueing(at t: Int64) -> SinkQueueing {
        var q = SinkQueueing(sink: name)
        func afterQuiet(_ release: Int64) -> Int64 {
            guard let quietHours, quietHours.contains(release) else { return release }
            return quietHours.end(after: release)
        }
        if let digest {
            q.releaseAt = afterQuiet(digest.release(after: t))
        } else if let quietHours, quietHours.contains(t) {
            q.releaseAt = quietHours.end(after: t)
        } else if let maxPerHour {
            let hour = t - t % 3600
            q.cap = .init(limit: maxPerHour, since: hour, releaseAt: afterQuiet(hour + 3600))
        }
        return q
    }

    /// Whether an alert with `topics` from the feed `feedURL` goes to this sink: it matches every
    /// filter the sink gives (any value of each).
    func routes(topics: [String], feedURL: String) -> Bool {
        if !topicFilter.isEmpty, !topicFilter.contains(where: { topics.contains($0.value) }) { return false }
        if let feeds = routeFeedURLs, !feeds.contains(feedURL) { return false }
        if let tagged = routeTagURLs, !tagged.contains(feedURL) { return false }
        return true
    }
}

/// Wall-clock times of a zone, on the Gregorian calendar: the next 07:00 in Europe/London is 23 or 25
/// hours after the last across a change of daylight saving time. A local time that a spring change
/// skips is taken at the first time after it; one that an autumn change repeats, at its first instance.
enum LocalTime {
    static func calendar(_ zone: TimeZone) -> Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        return c
    }

    static func minuteOfDay(_ t: Int64, zone: TimeZone) -> Int {
        let parts = calendar(zone).dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(t)))
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    /// The first instant strictly after `t` whose local time is `minuteOfDay`.
    static func next(minuteOfDay: Int, after t: Int64, zone: TimeZone) -> Int64 {
        let date = calendar(zone).nextDate(
            after: Date(timeIntervalSince1970: TimeInterval(t)),
            matching: DateComponents(hour: minuteOfDay / 60, minute: minuteOfDay % 60, second: 0), matchingPolicy: .nextTime,
            repeatedTimePolicy: .first, direction: .forward)
        // A calendar always finds a next day; a day later is the bound should it not.
        return date.map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? t + 86_400
    }

    /// `HH:MM` (24-hour) as minutes since midnight.
    static func parse(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2, let h = Int(parts[0]),
            let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }

    /// An offset (`+03:00`, `UTC`) or a zone name of the system's database (`Asia/Riyadh`,
    /// `Europe/London`, which follow daylight saving time).
    static func zone(_ text: String) -> TimeZone? {
        if let offset = ConfigValues.offset(text) { return TimeZone(secondsFromGMT: offset) }
        guard text.contains("/"), let zone = TimeZone(identifier: text) else { return nil }
        return zone
    }
}

extension DaemonConfig.Sink {
    /// `every 1h`, `daily at 07:00 Europe/London`: for `status`.
    public var digestText: String? {
        switch digest {
        case nil: nil
        case .every(let seconds): "every \(DurationText.format(seconds))"
        case .daily(let minute, let zone): "daily at \(LocalTime.text(minute)) \(zone.identifier)"
        }
    }

    /// `22:00–07:00 Europe/London`.
    public var quietText: String? {
        quietHours.map { "\(LocalTime.text($0.from))–\(LocalTime.text($0.to)) \($0.zone.identifier)" }
    }

    /// The filters as `status` shows them: `topics gold-prices; feeds Reuters`.
    public var filterText: String? {
        let parts = [("topics", topicFilter), ("feeds", feedFilter), ("tags", tagFilter)].filter { !$0.1.isEmpty }
            .map { "\($0.0) \($0.1.map(\.value).joined(separator: ","))" }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// When the next digest goes out: the earliest release among the held alerts, else (a digest sink)
    /// the end of the present period, which sends only if an alert comes.
    public func nextDigest(now: Int64, held: DigestCounts) -> Int64? {
        held.nextRelease ?? digest?.release(after: now)
    }
}

extension LocalTime {
    static func text(_ minuteOfDay: Int) -> String {
        let (h, m) = (minuteOfDay / 60, minuteOfDay % 60)
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}
