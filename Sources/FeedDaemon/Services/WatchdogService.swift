import FeedCore
import FeedHTTP
import FeedStore
import Logging
public import ServiceLifecycle

/// The daemon's signs of life. Every few seconds it pets the systemd watchdog, but only while the
/// poller and the fetcher's thread are both making progress and the state answers (a wedged C call
/// then ends in a watchdog restart, not a silent hang). Every 30 seconds: STATUS=, the heartbeat file
/// and the metrics file. Every hour: retention. Started last and stopped first.
public struct WatchdogService: Service {
    let resources: DaemonResources
    let notifier: SystemdNotifier
    let pollerProgress: Progress

    public init(resources: DaemonResources, notifier: SystemdNotifier = SystemdNotifier(), pollerProgress: Progress) {
        self.resources = resources
        self.notifier = notifier
        self.pollerProgress = pollerProgress
    }

    public func run() async {
        // Progress must be fresher than the whole watchdog timeout (twice the petting interval), at most 10 s.
        let threshold = min(10_000, (notifier.watchdogMilliseconds ?? 5000) * 2)
        let tick = Duration.milliseconds(min(notifier.watchdogMilliseconds ?? 5000, 5000))
        try? await cancelWhenGracefulShutdown {
            var lastReport = Uptime.milliseconds - 60_000
            var lastPrune = Uptime.milliseconds - 3_600_000
            while !Task.isCancelled {
                let ctx = resources.context
                if notifier.watchdogMilliseconds != nil {
                    let storeOK = (try? await ctx.store.ping()) != nil
                    let fetcherIdle = resources.fetcher.millisecondsSinceProgress
                    if storeOK, fetcherIdle < threshold, pollerProgress.age < threshold {
                        notifier.watchdog()
                    } else {
                        ctx.logger.error(
                            "not petting the watchdog: fetcher idle \(fetcherIdle) ms, poller idle \(pollerProgress.age) ms, store \(storeOK ? "ok" : "failing")"
                        )
                    }
                }
                if Uptime.milliseconds - lastPrune >= 3_600_000 {
                    lastPrune = Uptime.milliseconds
                    await ctx.pruneState()
                }
                if Uptime.milliseconds - lastReport >= 30_000 {
                    lastReport = Uptime.milliseconds
                    notifier.status(await statusLine(ctx))
                    await ctx.writeHeartbeatAndMetrics()
                }
                try await Task.sleep(for: tick)
            }
        }
    }

    /// `120 feeds, 3 failing, 57 alerts delivered, next poll 12:05:00Z`
    private func statusLine(_ ctx: DaemonContext) async -> String {
        let states = (try? await ctx.store.allFeeds()) ?? []
        let keys = Set(ctx.config.feeds.filter(\.enabled).map(\.url))
        let mine = states.filter { keys.contains($0.key) }
        let failing = mine.filter { $0.errorStreak > 0 || $0.gone }.count
        let next = mine.compactMap(\.nextDue).min()
        let delivered = (try? await ctx.store.alertCounts()).map { $0.total - $0.pending } ?? 0
        let nextText = next.map { String(Timestamp(secondsSinceEpoch: $0).iso8601.dropFirst(11)) } ?? "-"
        return "\(keys.count) feeds, \(failing) failing, \(delivered) alerts delivered, next poll \(nextText)"
    }
}

extension DaemonResources {
    /// `run`'s services in start order (delivery first, so nothing committed waits; then the sinks, the
    /// poller and WebSub subscriptions; the watchdog last),
    /// stopped in reverse on SIGTERM or SIGINT within `maximumGracefulShutdownDuration`.
    /// `requests`: shared with whatever else raises alerts (the listener's WebSub pushes).
    public func services(
        notifier: SystemdNotifier = SystemdNotifier(), requests: DeliveryRequests = DeliveryRequests()
    ) -> [any Service] {
        let progress = Progress()
        return [
            DeliveryService(resources: self, requests: requests),
            SinkService(resources: self),
            PollerService(resources: self, requests: requests, notifier: notifier, progress: progress),
            WebSubService(resources: self),
            WatchdogService(resources: self, notifier: notifier, pollerProgress: progress),
        ]
    }
}
