import Testing

@testable import FeedDaemon

@Suite("Back-off")
struct BackoffTests {
    let backoff = Backoff(cap: 6 * 3600, jitter: 0.2)

    @Test func doublesFromTheIntervalAndCaps() {
        #expect(backoff.delay(errorStreak: 1, interval: 900, unit: 0.5) == 900)
        #expect(backoff.delay(errorStreak: 2, interval: 900, unit: 0.5) == 1800)
        #expect(backoff.delay(errorStreak: 3, interval: 900, unit: 0.5) == 3600)
        #expect(backoff.delay(errorStreak: 10, interval: 900, unit: 0.5) == 6 * 3600)
        #expect(backoff.delay(errorStreak: 1000, interval: 900, unit: 0.5) == 6 * 3600)
    }

    @Test func jitterSpreadsRetriesWithinBounds() {
        #expect(backoff.delay(errorStreak: 2, interval: 900, unit: 0) == 1440)  // -20 %
        #expect(backoff.delay(errorStreak: 2, interval: 900, unit: 0.999) < 2160 + 1)  // +20 %
        #expect(backoff.delay(errorStreak: 50, interval: 900, unit: 0.999) <= 6 * 3600)
        #expect(backoff.delay(errorStreak: 1, interval: 1, unit: 0) >= 60)
    }
}
