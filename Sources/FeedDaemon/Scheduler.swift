import FeedCore
import FeedHTTP
import FeedSpool
import FeedStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `run`: every enabled feed has its own polling loop (sleep until due, poll, repeat), so one feed's polls
/// never overlap and a slow feed delays no other; the fetcher's caps bound the work in flight. One
/// delivery loop moves alerts from the outbox to the spool. SIGHUP reloads the configuration (a bad
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
        let next = mine.filter { !$0.gone }.map { max($0.nextPoll, $0.notBefore) }.min()
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

    /// Runs every feed's loop until a reload arrives, then swaps the configuration and starts again.
    private func feedLoops(reloads: AsyncStream<Void>, kick: AsyncStream<Void>.Continuation) async {
        kick.yield()   // recovery: deliver whatever a previous run left pending
        while !Task.isCancelled {
            let ctx = daemon.context
            let feeds = ctx.config.feeds.filter(\.enabled)
            daemon.logger.info("watching \(feeds.count) feed(s)")
            await withTaskGroup(of: Bool.self) { group in
                for feed in feeds { group.addTask { await self.feedLoop(feed, ctx, kick: kick); return false } }
                group.addTask {
                    // One waiter at a time: the previous round's group has finished before this one starts.
                    for await _ in reloads { return true }
                    return true
                }
                while let reloadArrived = await group.next() {
                    if reloadArrived { break }
                }
                group.cancelAll()
            }
            if Task.isCancelled { return }
            reloadConfiguration()
        }
    }

    private func reloadConfiguration() {
        let old = daemon.context
        do {
            let config = try DaemonConfig.load(path: old.config.file)
            let fresh = try Daemon.context(config, store: daemon.store, fetcher: daemon.fetcher, logger: daemon.logger,
                                           metrics: daemon.metrics)
            daemon.current.withLock { $0 = fresh }
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

    private func feedLoop(_ feed: DaemonConfig.Feed, _ ctx: DaemonContext, kick: AsyncStream<Void>.Continuation) async {
        let poller = FeedPoller(context: ctx)
        while !Task.isCancelled {
            let now = Int64(Date().timeIntervalSince1970)
            var due = now
            let stored: FeedState?
            do {
                stored = try await ctx.store.feed(feed.url)
            } catch {
                ctx.logger.error("state read failed for \(DaemonConfig.redact(feed.url)): \(error); retrying in a minute")
                try? await Task.sleep(for: .seconds(60))
                continue
            }
            if let state = stored, state.configHash == feed.configHash {
                if state.gone { try? await Task.sleep(for: .seconds(3600)); continue }
                due = max(state.nextPoll, state.notBefore)
            }
            if due > now {
                // Wake at least every minute so a clock jump never strands a feed.
                try? await Task.sleep(for: .seconds(Double(min(due - now, 60))))
                continue
            }
            do {
                let summary = try await poller.poll(feed, known: stored, now: now)
                if summary.alerts + summary.merged > 0 { kick.yield() }
            } catch {
                ctx.logger.error("state write failed for \(DaemonConfig.redact(feed.url)): \(error); retrying in a minute")
                try? await Task.sleep(for: .seconds(60))
            }
        }
    }
}
