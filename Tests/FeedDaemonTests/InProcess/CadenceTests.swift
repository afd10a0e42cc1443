import FeedStore
import FeedTestSupport
import Foundation
import Testing

@testable import FeedDaemon

/// The adaptive schedule (issue 25) on real configurations: a busy feed polled at `min_interval`, a
/// quiet one at `max_interval`, a feed that goes quiet slowing down and one that wakes up speeding up
/// at its next poll; a feed's own interval, `adaptive: false` and a ttl as they were.
@Suite("Adaptive schedule")
struct CadenceTests {
    static let now: Int64 = 1_800_000_000

    static func config(_ schedule: String = "", feed: String = "") throws -> (DaemonConfig, DaemonConfig.Feed) {
        let c = try DaemonConfig.parse(
            """
            state_dir: /tmp/x
            spool_dir: /tmp/x/spool
            log_file: /tmp/x/a.log
            schedule: {\(schedule)}
            feeds:
              - {url: "https://a.test/rss"\(feed)}
            """, file: "c.yaml")
        return (c, c.feeds[0])
    }

    /// `n` publication dates, `gap` seconds apart, the newest `ago` seconds before now.
    static func dates(_ n: Int, gap: Int64, ago: Int64 = 0) -> [Int64] { (0..<Int64(n)).map { now - ago - $0 * gap } }

    func plan(
        _ dates: [Int64], state: FeedState = FeedState(key: "k", currentURL: "k"), schedule: String = "", feed: String = "",
        hint: Int? = nil
    )
        throws -> Cadence.Plan
    {
        let (c, f) = try Self.config(schedule, feed: feed)
        return Cadence(config: c, feed: f).plan(
            state, .document(dates: dates, newEntries: 0, previousPoll: nil), hint: hint, now: Self.now)
    }

    @Test("a feed's rhythm from its dates: busy, medium, quiet, and one that went quiet")
    func fromDates() throws {
        let busy = try plan(Self.dates(20, gap: 120))
        #expect(busy == .init(every: 300, reason: "learned: 32 entries/h, held at min_interval", gap: 114))
        let medium = try plan(Self.dates(12, gap: 3600))
        #expect(medium.every == 825 && medium.reason == "learned: 1.1 entries/h", "\(medium)")
        let quiet = try plan([Self.now - 3 * 86_400, Self.now - 20 * 86_400])
        #expect(quiet == .init(every: 64_800, reason: "learned: 2.3 entries/week", gap: 259_200))
        #expect(try plan([Self.now - 6 * 86_400, Self.now - 20 * 86_400]).reason.hasSuffix(", held at max_interval"))
        #expect(try plan([Self.now - 30 * 86_400]).gap == 7 * 86_400, "nothing in seven max_intervals (a week): a week")
        #expect(
            try plan([Self.now - 20 * 3600, Self.now - 30 * 3600], schedule: "max_interval: 2h").gap == 14 * 3600,
            "the window follows max_interval")
        // Busy yesterday, silent for ten hours since: it slows down.
        let silent = try plan(Self.dates(30, gap: 120, ago: 36_000))
        #expect(silent.every == 329 && silent.reason == "learned: 2.7 entries/h", "\(silent)")
    }

    @Test("a quiet feed that wakes up is polled faster from its next poll")
    func wakesUp() throws {
        let quiet = FeedState(key: "k", currentURL: "k", interval: 86_400, entryGap: 7 * 86_400)
        let burst = Self.dates(6, gap: 300) + [Self.now - 40 * 86_400]
        #expect(try plan(burst, state: quiet).every == 300)
    }

    @Test("without dates: learned from what polls find new; a poll with nothing new lengthens it")
    func fromArrivals() throws {
        let (c, f) = try Self.config()
        let cadence = Cadence(config: c, feed: f)
        var state = FeedState(key: "k", currentURL: "k")
        let first = cadence.plan(state, .document(dates: [], newEntries: 10, previousPoll: nil), hint: nil, now: Self.now)
        #expect(first == .init(every: 900, reason: "default: nothing learned yet", gap: 0))
        let second = cadence.plan(
            state, .document(dates: [], newEntries: 3, previousPoll: Self.now - 900), hint: nil, now: Self.now)
        #expect(second.gap == 300 && second.every == 300, "a quarter of 5m, held at min_interval")
        state.entryGap = 300
        let nothing = cadence.plan(
            state, .document(dates: [], newEntries: 0, previousPoll: Self.now - 300), hint: nil, now: Self.now)
        #expect(nothing.gap == 375)
        state.lastNewEntry = Self.now - 7200
        #expect(cadence.plan(state, .unchanged, hint: nil, now: Self.now).gap == 3600, "a 304 long after the last entry")
    }

    @Test("a feed's own interval and adaptive: false fix it; a ttl lengthens, never shortens")
    func fixedAndHints() throws {
        let busy = Self.dates(20, gap: 120)
        #expect(try plan(busy, feed: ", interval: 10m") == .init(every: 600, reason: "fixed: the feed's interval", gap: 114))
        #expect(try plan(busy, schedule: "adaptive: false").reason == "fixed: schedule.adaptive is off")
        #expect(try plan(busy, schedule: "adaptive: false").every == 900)
        #expect(try plan(busy, hint: 3600) == .init(every: 3600, reason: "the feed's ttl or max-age, 1h", gap: 114))
        #expect(try plan(Self.dates(3, gap: 86_400), hint: 600).reason.hasPrefix("learned: "))
    }
}
