import FeedCore
import FeedHTTP
import FeedSpool
import FeedStore
import Foundation
import Logging
public import ServiceLifecycle
import UnixSignals

/// Polls every enabled feed when it is due, and owns reload. One queue of feeds ordered by due time
/// (`PollQueue`): due polls start up to twice the fetch concurrency, a feed is back in the queue only
/// when its poll has finished (so its polls never overlap), and idle the service sleeps until the
/// earliest due time. SIGHUP reloads the configuration (a bad one keeps the running one) and reopens
/// the alert log; the schedule lives in the state, so a reload keeps it. Graceful shutdown cancels
/// the polls in flight (a cancelled poll commits nothing) and returns.
public struct PollerService: Service {
    let resources: DaemonResources
    let requests: DeliveryRequests
    let notifier: SystemdNotifier
    /// The scheduler's own progress, beside the fetcher's: the watchdog needs both.
    let progress: Progress

    public init(
        resources: DaemonResources, requests: DeliveryRequests, notifier: SystemdNotifier = SystemdNotifier(),
        progress: Progress
    ) {
        self.resources = resources
        self.requests = requests
        self.notifier = notifier
        self.progress = progress
    }

    public func run() async {
        let (reloads, reload) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        // Configuration, state and spool were checked when the resources opened; now it is ready.
        notifier.ready(status: "starting: \(resources.context.config.feeds.filter(\.enabled).count) feed(s)")
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in await UnixSignalsSequence(trapping: .sighup) {
                        notifier.reloading()
                        reload.yield()
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        let ctx = resources.context
                        ctx.logger.info("watching \(ctx.config.feeds.filter(\.enabled).count) feed(s)")
                        if let leases = resources.leases {
                            await pollLeasedUntilReload(ctx, leases: leases, reloads: reloads)
                        } else {
                            await pollUntilReload(ctx, reloads: reloads)
                        }
                        if Task.isCancelled { return }
                        await reloadConfiguration()
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        notifier.stopping()
        // The fetcher is shared with the sinks, which stop after the poller (services stop in reverse
        // order) and finish the attempts under way: it is shut down with the resources, after every
        // service has stopped (issue 23, finding 4).
    }

    /// Milliseconds the loop sleeps at most, well inside any watchdog timeout.
    static let longestSleep: Int64 = 2_000

    enum Event: Sendable {
        case polled(feed: Int, nextDue: Int64?, alerts: Bool)
        case timer
        case reload
    }

    /// Runs the schedule of one configuration until a reload arrives.
    private func pollUntilReload(_ ctx: DaemonContext, reloads: AsyncStream<Void>) async {
        let feeds = ctx.config.feeds.filter(\.enabled)
        let states: [String: FeedState]
        do {
            states = Dictionary(try await ctx.store.allFeeds().map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        } catch {
            ctx.logger.error("cannot read the state: \(error); retrying in a minute")
            try? await Task.sleep(for: .seconds(60))
            return
        }
        var queue = PollQueue(
            feeds: feeds, states: states, now: WallClock.milliseconds(),
            concurrency: ctx.config.fetch.concurrency, interval: ctx.config.schedule.interval)
        let poller = FeedPoller(context: ctx)
        let window = max(2, 2 * ctx.config.fetch.concurrency)
        await withTaskGroup(of: Event.self) { group in
            group.addTask {
                // One waiter at a time: the previous round's group has finished before this one starts.
                for await _ in reloads { return .reload }
                return .reload
            }
            var inFlight = 0
            var timerFiresAt = Int64.max
            while !Task.isCancelled {
                progress.beat()
                let now = WallClock.milliseconds()
                while inFlight < window, let i = queue.popDue(now: now) {
                    inFlight += 1
                    let feed = feeds[i]
                    group.addTask { await pollOnce(feed, index: i, poller: poller, ctx) }
                }
                // Wake at the next due time, and at least every few seconds: the watchdog reads the loop's
                // progress (a wedged loop stops the pings), and a clock jump never strands a feed.
                var wake = now + Self.longestSleep
                if inFlight < window, let due = queue.nextDue { wake = min(wake, max(due, now)) }
                if wake < timerFiresAt {
                    timerFiresAt = wake
                    group.addTask {
                        try? await Task.sleep(for: .milliseconds(wake - now))
                        return .timer
                    }
                }
                guard let event = await group.next() else { return }
                switch event {
                case .reload:
                    group.cancelAll()
                    return
                case .timer:
                    if WallClock.milliseconds() >= timerFiresAt { timerFiresAt = .max }
                case .polled(let i, let nextDue, let alerts):
                    inFlight -= 1
                    if let nextDue { queue.schedule(i, at: nextDue * 1000) }
                    if alerts { requests.request() }
                }
            }
        }
    }

    /// One due poll: the feed's state read fresh, then `FeedPoller`; a failed state write retries in a minute.
    func pollOnce(_ feed: DaemonConfig.Feed, index: Int, poller: FeedPoller, _ ctx: DaemonContext) async -> Event {
        let now = Int64(Date().timeIntervalSince1970)
        do {
            let summary = try await poller.poll(feed, known: try await ctx.store.feed(feed.url), now: now)
            return .polled(feed: index, nextDue: summary.nextDue, alerts: summary.alerts + summary.merged > 0)
        } catch {
            if Task.isCancelled { return .polled(feed: index, nextDue: nil, alerts: false) }
            ctx.logger.error("state write failed for \(URLRedaction.redact(feed.url)): \(error); retrying in a minute")
            return .polled(feed: index, nextDue: now + 60, alerts: false)
        }
    }

    private func reloadConfiguration() async {
        let logger = resources.logger
        let before = resources.context.config
        do {
            let config = try await resources.reload()
            for warning in config.warnings { logger.warning("\(warning)") }
            if config.stateURL != before.stateURL || config.cluster != before.cluster {
                logger.warning("state_url and cluster changes take effect when the daemon restarts")
            }
            logger.info("configuration reloaded; alert log reopened")
            notifier.ready(status: "reloaded: \(config.feeds.filter(\.enabled).count) feed(s)")
        } catch {
            logger.error("reload refused, keeping the running configuration: \(error.message)")
            let log = resources.context.log
            await resources.writer.perform { try? log.reopen() }
            notifier.ready(status: "reload refused: \(error.message)")
        }
    }
}

/// Wall-clock milliseconds: due times come from the state, which stores wall-clock seconds.
enum WallClock {
    static func milliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
