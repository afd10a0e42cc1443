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

    public init(daemon: Daemon) { self.daemon = daemon }

    public func run() async throws {
        let (kicks, kick) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let (reloads, reload) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in await UnixSignalsSequence(trapping: .sighup) { reload.yield() }
                }
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
        daemon.fetcher.shutdown()
        daemon.logger.info("stopped")
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
            let fresh = try Daemon.context(config, store: daemon.store, fetcher: daemon.fetcher, logger: daemon.logger)
            daemon.current.withLock { $0 = fresh }
            daemon.logger.info("configuration reloaded; alert log reopened")
        } catch let error as DaemonError {
            daemon.logger.error("reload refused, keeping the running configuration: \(error.message)")
            try? old.log.reopen()
        } catch {
            daemon.logger.error("reload refused, keeping the running configuration: \(error)")
            try? old.log.reopen()
        }
    }

    private func feedLoop(_ feed: DaemonConfig.Feed, _ ctx: DaemonContext, kick: AsyncStream<Void>.Continuation) async {
        let poller = FeedPoller(context: ctx)
        while !Task.isCancelled {
            let now = Int64(Date().timeIntervalSince1970)
            var due = now
            if let state = try? await ctx.store.feed(feed.url), state.configHash == FeedPoller.configHash(feed) {
                if state.gone { try? await Task.sleep(for: .seconds(3600)); continue }
                due = max(state.nextPoll, state.notBefore)
            }
            if due > now {
                // Wake at least every minute so a clock jump never strands a feed.
                try? await Task.sleep(for: .seconds(Double(min(due - now, 60))))
                continue
            }
            do {
                let summary = try await poller.poll(feed, now: now)
                if summary.alerts > 0 { kick.yield() }
            } catch {
                ctx.logger.error("state write failed for \(DaemonConfig.redact(feed.url)): \(error); retrying in a minute")
                try? await Task.sleep(for: .seconds(60))
            }
        }
    }
}
