import FeedCore
import FeedHTTP
import FeedSpool
import FeedStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `run`: one queue of feeds ordered by due time (`PollQueue`); due polls start up to twice the fetch
/// concurrency, a feed is back in the queue only when its poll has finished (so its polls never
/// overlap), and idle the scheduler sleeps until the earliest due time. One delivery loop moves alerts
/// from the outbox to the spool. SIGHUP reloads the configuration (a bad
/// one keeps the running one) and reopens the alert log; SIGTERM/SIGINT stop gracefully.
public struct SchedulerService: Service {
    let daemon: Daemon
    let notifier: SystemdNotifier
    /// The scheduler's own progress, beside the fetcher's: the watchdog needs both.
    let schedulerBeat = Heartbeat()

    public init(daemon: Daemon, notifier: SystemdNotifier = SystemdNotifier()) {
        self.daemon = daemon
        self.notifier = notifier
    }

    public func run() async throws {
        let (kicks, kick) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let (reloads, reload) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        // Configuration, state and spool were checked when the daemon opened; now it is ready.
        notifier.ready(status: "starting: \(daemon.context.config.feeds.filter(\.enabled).count) feed(s)")
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in await UnixSignalsSequence(trapping: .sighup) {
                        notifier.reloading()
                        reload.yield()
                    }
                }
                group.addTask { await self.supervise() }
                group.addTask { await self.deliveryLoop(kicks: kicks) }
                group.addTask {
                    // Retry pending deliveries (disk full, unwritable spool) every 30 seconds.
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(30))
                        kick.yield()
                    }
                }
                group.addTask { await self.feedLoops(reloads: reloads, kick: kick) }
                await group.next()
                group.cancelAll()
            }
        }
        notifier.stopping()
        daemon.fetcher.shutdown()
        daemon.logger.info("stopped")
    }

    /// Every few seconds: pet the watchdog, but only while the scheduler and the fetcher's thread are
    /// both making progress and the state answers (a wedged C call then ends in a watchdog restart, not a
    /// silent hang). Every 30 seconds: STATUS=, the heartbeat file, the metrics file. Every hour: retention.
    private func supervise() async {
        // Progress must be fresher than the whole watchdog timeout (twice the petting interval), at most 10 s.
        let threshold = min(10_000, (notifier.watchdogMilliseconds ?? 5000) * 2)
        let tick = Duration.milliseconds(min(notifier.watchdogMilliseconds ?? 5000, 5000))
        var lastReport = Heartbeat.now() - 60_000
        var lastPrune = Heartbeat.now() - 3_600_000
        while !Task.isCancelled {
            schedulerBeat.beat()
            let ctx = daemon.context
            if notifier.watchdogMilliseconds != nil {
                let storeOK = (try? await ctx.store.ping()) != nil
                if storeOK, daemon.fetcher.millisecondsSinceProgress < threshold, schedulerBeat.age < threshold {
                    notifier.watchdog()
                } else {
                    ctx.logger.error("not petting the watchdog: fetcher idle \(daemon.fetcher.millisecondsSinceProgress) ms, store \(storeOK ? "ok" : "failing")")
                }
            }
            if Heartbeat.now() - lastPrune >= 3_600_000 {
                lastPrune = Heartbeat.now()
                await Daemon.pruneState(ctx)
            }
            if Heartbeat.now() - lastReport >= 30_000 {
                lastReport = Heartbeat.now()
                notifier.status(await statusLine(ctx))
                Daemon.writeHeartbeat(ctx.config.stateDir)
                await ctx.metrics.write(ctx)
            }
            try? await Task.sleep(for: tick)
        }
    }

    /// `120 feeds, 3 failing, 57 alerts delivered, next poll 12:05:00Z`
    private func statusLine(_ ctx: DaemonContext) async -> String {
        let states = (try? await ctx.store.allFeeds()) ?? []
        let keys = Set(ctx.config.feeds.filter(\.enabled).map(\.url))
        let mine = states.filter { keys.contains($0.key) }
        let failing = mine.filter { $0.errorStreak > 0 || $0.gone }.count
        let next = mine.filter { !$0.gone }.map(\.dueAt).min()
        let delivered = (try? await ctx.store.alertCounts()).map { $0.total - $0.pending } ?? 0
        let nextText = next.map { String(Timestamp(secondsSinceEpoch: $0).iso8601.dropFirst(11)) } ?? "-"
        return "\(keys.count) feeds, \(failing) failing, \(delivered) alerts delivered, next poll \(nextText)"
    }

    private func deliveryLoop(kicks: AsyncStream<Void>) async {
        var pendingReported = false
        for await _ in kicks {
            let outcome = await Delivery(context: daemon.context).deliverPending()
            if outcome.pending > 0 { pendingReported = true } else if pendingReported {
                daemon.logger.notice("pending alerts delivered again")
                pendingReported = false
            }
        }
    }

    /// Polls every feed when it is due until a reload arrives, then swaps the configuration and starts
    /// again. The schedule lives in the state (each feed's next poll), so a reload keeps it.
    private func feedLoops(reloads: AsyncStream<Void>, kick: AsyncStream<Void>.Continuation) async {
        kick.yield()   // recovery: deliver whatever a previous run left pending
        while !Task.isCancelled {
            let ctx = daemon.context
            daemon.logger.info("watching \(ctx.config.feeds.filter(\.enabled).count) feed(s)")
            await pollUntilReload(ctx, reloads: reloads, kick: kick)
            if Task.isCancelled { return }
            reloadConfiguration()
        }
    }

    private enum Event: Sendable {
        case polled(feed: Int, nextDue: Int64?, alerts: Bool)
        case timer
        case reload
    }

    /// One queue ordered by due time (`PollQueue`); due polls start up to twice the fetch concurrency (the
    /// fetcher always has its next transfers queued, and parsed documents waiting for the state stay
    /// bounded); idle, one timer sleeps until the earliest due time, and nothing is read.
    private func pollUntilReload(_ ctx: DaemonContext, reloads: AsyncStream<Void>,
                                 kick: AsyncStream<Void>.Continuation) async {
        let feeds = ctx.config.feeds.filter(\.enabled)
        let states: [String: FeedState]
        do {
            states = Dictionary(try await ctx.store.allFeeds().map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        } catch {
            ctx.logger.error("cannot read the state: \(error); retrying in a minute")
            try? await Task.sleep(for: .seconds(60))
            return
        }
        var queue = PollQueue()
        let now = PollClock.milliseconds()
        let fresh = feeds.filter { states[$0.url] == nil }.count
        let spacing = FirstPolls.spacing(count: fresh, concurrency: ctx.config.fetch.concurrency,
                                         interval: ctx.config.schedule.interval)
        var firstPolls: Int64 = 0
        for (i, feed) in feeds.enumerated() {
            guard let state = states[feed.url] else {
                queue.schedule(i, at: now + firstPolls * spacing)   // a fresh state starts spread out
                firstPolls += 1
                continue
            }
            if state.configHash != feed.configHash {
                queue.schedule(i, at: now)   // an edited entry re-enables the feed and forgets its back-off
            } else if !state.gone {
                queue.schedule(i, at: state.dueAt * 1000)
            }
        }
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
                schedulerBeat.beat()
                let now = PollClock.milliseconds()
                while inFlight < window, let i = queue.popDue(now: now) {
                    inFlight += 1
                    let feed = feeds[i]
                    group.addTask { await self.pollOnce(feed, index: i, poller: poller, ctx) }
                }
                if inFlight < window, let due = queue.nextDue, due < timerFiresAt {
                    // Wake at least every minute so a clock jump never strands a feed.
                    let delay = min(max(0, due - now), 60_000)
                    timerFiresAt = now + delay
                    group.addTask {
                        try? await Task.sleep(for: .milliseconds(delay))
                        return .timer
                    }
                }
                guard let event = await group.next() else { return }
                switch event {
                case .reload:
                    group.cancelAll()
                    return
                case .timer:
                    if PollClock.milliseconds() >= timerFiresAt { timerFiresAt = .max }
                case .polled(let i, let nextDue, let alerts):
                    inFlight -= 1
                    if let nextDue { queue.schedule(i, at: nextDue * 1000) }
                    if alerts { kick.yield() }
                }
            }
        }
    }

    /// One due poll: the feed's state read fresh, then `FeedPoller`; a failed state write retries in a minute.
    private func pollOnce(_ feed: DaemonConfig.Feed, index: Int, poller: FeedPoller, _ ctx: DaemonContext) async -> Event {
        let now = Int64(Date().timeIntervalSince1970)
        do {
            let summary = try await poller.poll(feed, known: try await ctx.store.feed(feed.url), now: now)
            return .polled(feed: index, nextDue: summary.nextDue, alerts: summary.alerts + summary.merged > 0)
        } catch {
            if Task.isCancelled { return .polled(feed: index, nextDue: nil, alerts: false) }
            ctx.logger.error("state write failed for \(DaemonConfig.redact(feed.url)): \(error); retrying in a minute")
            return .polled(feed: index, nextDue: now + 60, alerts: false)
        }
    }

    private func reloadConfiguration() {
        let old = daemon.context
        do {
            let config = try DaemonConfig.load(path: old.config.file)
            let fresh = try Daemon.context(config, store: daemon.store, fetcher: daemon.fetcher, logger: daemon.logger,
                                           metrics: daemon.metrics)
            daemon.current.withLock { $0 = fresh }
            for warning in config.clampWarnings { daemon.logger.warning("\(warning)") }
            daemon.logger.info("configuration reloaded; alert log reopened")
            notifier.ready(status: "reloaded: \(config.feeds.filter(\.enabled).count) feed(s)")
        } catch let error as DaemonError {
            daemon.logger.error("reload refused, keeping the running configuration: \(error.message)")
            try? old.log.reopen()
            notifier.ready(status: "reload refused: \(error.message)")
        } catch {
            daemon.logger.error("reload refused, keeping the running configuration: \(error)")
            try? old.log.reopen()
            notifier.ready(status: "reload refused")
        }
    }
}

/// Wall-clock milliseconds: due times come from the state, which stores wall-clock seconds.
enum PollClock {
    static func milliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
