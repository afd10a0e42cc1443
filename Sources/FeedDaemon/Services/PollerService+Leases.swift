import FeedCore
import FeedStore
import Foundation
import Logging

/// The schedule of a node sharing its state with others (`state_url`; docs/cluster.md). The due feeds
/// live in the shared state, not in a queue of this process: the node claims due feeds with a lease as
/// it has room for them (up to twice the fetch concurrency in flight), renews the leases of the polls it
/// runs every third of a lease, and a poll's commit releases its lease. Idle, it asks again every second.
extension PollerService {
    private enum LeaseEvent: Sendable {
        case polled(key: String, alerts: Bool)
        case renewed
        case timer
        case reload
    }

    /// Milliseconds between claims while nothing more is due.
    static let claimEvery: Int64 = 1_000

    func pollLeasedUntilReload(_ ctx: DaemonContext, leases: any FeedLeases, reloads: AsyncStream<Void>) async {
        let feeds = Dictionary(ctx.config.feeds.filter(\.enabled).map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        do {
            try await Self.join(leases, ctx.config)
        } catch {
            ctx.logger.error("cannot join the shared state: \(String(reflecting: error)); retrying in a minute")
            try? await Task.sleep(for: .seconds(60))
            return
        }
        ctx.logger.info("node \(leases.node.name) joined, lease \(DurationText.format(leases.node.lease))")
        let poller = FeedPoller(context: ctx)
        let window = max(2, 2 * ctx.config.fetch.concurrency)
        let renewEvery = Int64(leases.node.lease) * 1000 / 3
        var inFlight: Set<String> = []
        await withTaskGroup(of: LeaseEvent.self) { group in
            group.addTask {
                for await _ in reloads { return .reload }
                return .reload
            }
            var nextClaim: Int64 = 0
            var backlog = false
            var nextRenew = WallClock.milliseconds() + renewEvery
            var renewing = false
            var timerFiresAt = Int64.max
            // With a backlog of due feeds, claims wait for a quarter of the window to be free: one query
            // leases several feeds rather than one per finished poll.
            func mayClaim(_ room: Int) -> Bool { room > 0 && (!backlog || room >= max(1, window / 4)) }
            schedule: while !Task.isCancelled {
                progress.beat()
                var now = WallClock.milliseconds()
                let room = window - inFlight.count
                if mayClaim(room), now >= nextClaim {
                    let claimed: [FeedState]
                    var failed = false
                    do {
                        claimed = try await leases.claim(limit: room, dueOnly: true)
                    } catch {
                        ctx.logger.error(
                            "cannot claim feeds from the shared state: \(String(reflecting: error)); retrying in 10 s")
                        claimed = []
                        failed = true
                    }
                    now = WallClock.milliseconds()
                    // A full claim means more may be due: claim again as soon as there is room.
                    backlog = claimed.count == room
                    nextClaim = failed ? now + 10 * Self.claimEvery : backlog ? now : now + Self.claimEvery
                    // A feed this configuration no longer lists (a reload raced the claim) goes back at once.
                    let unknown = claimed.map(\.key).filter { feeds[$0] == nil }
                    if !unknown.isEmpty { try? await leases.release(unknown) }
                    for state in claimed {
                        guard let feed = feeds[state.key], inFlight.insert(state.key).inserted else { continue }
                        group.addTask {
                            let alerts = await pollLeased(feed, state: state, poller: poller, leases: leases, ctx)
                            return .polled(key: feed.url, alerts: alerts)
                        }
                    }
                }
                if !renewing, now >= nextRenew {
                    renewing = true
                    nextRenew = now + renewEvery
                    let held = Array(inFlight)
                    group.addTask {
                        do {
                            try await leases.renew(held)
                        } catch {
                            ctx.logger.error("cannot renew this node's leases: \(String(reflecting: error))")
                        }
                        return .renewed
                    }
                }
                var wake = min(now + Self.longestSleep, nextRenew)
                if mayClaim(window - inFlight.count) { wake = min(wake, max(nextClaim, now)) }
                if wake < timerFiresAt {
                    timerFiresAt = wake
                    group.addTask {
                        try? await Task.sleep(for: .milliseconds(max(0, wake - now)))
                        return .timer
                    }
                }
                guard let event = await group.next() else { break }
                switch event {
                case .reload:
                    group.cancelAll()
                    while await group.next() != nil {}
                    break schedule
                case .timer:
                    if WallClock.milliseconds() >= timerFiresAt { timerFiresAt = .max }
                case .renewed:
                    renewing = false
                case .polled(let key, let alerts):
                    inFlight.remove(key)
                    if alerts { requests.request() }
                }
            }
        }
        // Polls cancelled by a reload committed nothing: their feeds are free again at once rather than
        // when the leases run out. (At shutdown the node's `leave` does this.)
        if !Task.isCancelled, !inFlight.isEmpty {
            try? await leases.release(Array(inFlight))
        }
    }

    /// One leased poll; a poll that did not commit (the feed waited or was gone, or the state failed)
    /// gives its lease back. Returns whether it raised alerts.
    private func pollLeased(
        _ feed: DaemonConfig.Feed, state: FeedState, poller: FeedPoller, leases: any FeedLeases, _ ctx: DaemonContext
    ) async -> Bool {
        let now = Int64(Date().timeIntervalSince1970)
        do {
            let summary = try await poller.poll(feed, known: state, now: now)
            if !summary.result.polled { try? await leases.release([feed.url]) }
            return summary.alerts + summary.merged > 0
        } catch {
            if Task.isCancelled { return false }
            // The lease is left to run out: the feed is retried, by any node, a lease from now.
            ctx.logger.error("poll of \(URLRedaction.redact(feed.url)) not committed: \(String(reflecting: error))")
            return false
        }
    }

    /// Joins the shared state with the enabled feeds; feeds new to it are first polled spread out as a
    /// single daemon spreads them (`FirstPolls`): a fresh state over up to an interval, one new feed at once.
    static func join(_ leases: any FeedLeases, _ config: DaemonConfig) async throws {
        let feeds = config.feeds.filter(\.enabled).map { FeedSeed(key: $0.url, configHash: $0.configHash) }
        try await leases.join(feeds, now: WallClock.milliseconds()) {
            FirstPolls.spacing(count: $0, concurrency: config.fetch.concurrency, interval: config.schedule.interval)
        }
    }
}
