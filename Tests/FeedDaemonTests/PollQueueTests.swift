import Testing

@testable import FeedDaemon

/// The scheduler of `run` (issue "The data path at scale"): one queue ordered by due time, and the first
/// polls of a fresh state spread out.
@Suite("Poll queue and first polls")
struct PollQueueTests {
    @Test("feeds come out in due order, ties in the order they were scheduled, none before its time")
    func dueOrder() {
        var q = PollQueue()
        q.schedule(0, at: 5_000)
        q.schedule(1, at: 1_000)
        q.schedule(2, at: 3_000)
        q.schedule(3, at: 1_000)
        #expect(q.nextDue == 1_000)
        #expect(q.popDue(now: 500) == nil)
        #expect(q.popDue(now: 3_000) == 1)
        #expect(q.popDue(now: 3_000) == 3)
        #expect(q.popDue(now: 3_000) == 2)
        #expect(q.popDue(now: 3_000) == nil)
        #expect(q.nextDue == 5_000)
        #expect(q.count == 1)
        // A feed polled again goes back in at its next due time.
        q.schedule(1, at: 4_000)
        #expect(q.popDue(now: 10_000) == 1)
        #expect(q.popDue(now: 10_000) == 0)
        #expect(q.nextDue == nil)
    }

    @Test("a fresh state's first polls are spread at the fetcher's pace, within one interval")
    func spread() {
        // Five sample feeds, 16 slots: 62 ms apart, all started within a third of a second.
        #expect(FirstPolls.spacing(count: 5, concurrency: 16, interval: 900) == 62)
        // 10,000 feeds, 16 slots, 15 minutes: the pace (62 ms) fits: the last starts after 10.4 minutes.
        #expect(FirstPolls.spacing(count: 10_000, concurrency: 16, interval: 900) == 62)
        // 100,000 feeds would not fit at that pace: squeezed into the interval (9 ms apart, 15 minutes).
        #expect(FirstPolls.spacing(count: 100_000, concurrency: 16, interval: 900) == 9)
        #expect(FirstPolls.spacing(count: 1, concurrency: 16, interval: 900) == 0)
        let last = Int64(10_000 - 1) * FirstPolls.spacing(count: 10_000, concurrency: 16, interval: 900)
        #expect(last <= 900_000)
    }
}
