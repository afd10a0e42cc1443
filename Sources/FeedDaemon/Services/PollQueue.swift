import FeedStore
import HeapModule

/// The feeds of `run`, ordered by when each is next due (milliseconds since the epoch): one queue for the
/// whole daemon instead of a task per feed. Idle, the daemon sleeps until the earliest due time and
/// reads nothing.
struct PollQueue {
    struct Due: Comparable {
        var at: Int64
        /// Insertion order: feeds due at the same moment are polled in configuration order.
        var sequence: Int
        var feed: Int

        static func < (a: Due, b: Due) -> Bool { (a.at, a.sequence) < (b.at, b.sequence) }
    }

    private var heap = Heap<Due>()
    private var inserted = 0

    init() {}

    /// The queue of one configuration's enabled `feeds` (indices into it) at `now`: a feed with a state
    /// at its due time, an edited entry now (the edit re-enables it and forgets its back-off), a gone
    /// feed not at all, and the feeds of a fresh state spread out (`FirstPolls`).
    init(feeds: [DaemonConfig.Feed], states: [String: FeedState], now: Int64, concurrency: Int, interval: Int) {
        let fresh = feeds.filter { states[$0.url] == nil }.count
        let spacing = FirstPolls.spacing(count: fresh, concurrency: concurrency, interval: interval)
        var firstPolls: Int64 = 0
        for (i, feed) in feeds.enumerated() {
            guard let state = states[feed.url] else {
                schedule(i, at: now + firstPolls * spacing)
                firstPolls += 1
                continue
            }
            if state.configHash != feed.configHash {
                schedule(i, at: now)
            } else if let due = state.nextDue {
                schedule(i, at: due * 1000)
            }
        }
    }

    var count: Int { heap.count }
    /// When the earliest feed is due, if any is queued.
    var nextDue: Int64? { heap.min?.at }

    mutating func schedule(_ feed: Int, at: Int64) {
        heap.insert(Due(at: at, sequence: inserted, feed: feed))
        inserted += 1
    }

    /// The earliest feed due at `now` or before, removed from the queue.
    mutating func popDue(now: Int64) -> Int? {
        guard let top = heap.min, top.at <= now else { return nil }
        return heap.removeMin().feed
    }
}

/// When the feeds of a fresh state are first polled: spread out, not all at once. One after another at
/// the pace the fetcher can take (`concurrency` a second), and never later than one interval from now,
/// so 10,000 new feeds start over ten minutes while the five sample feeds start within a second.
enum FirstPolls {
    /// Milliseconds between the first polls of `count` never-polled feeds.
    static func spacing(count: Int, concurrency: Int, interval: Int) -> Int64 {
        guard count > 1 else { return 0 }
        let pace = 1000 / Int64(max(1, concurrency))
        let fit = Int64(interval) * 1000 / Int64(count)
        return min(pace, fit)
    }
}
