import FeedStore
import Foundation

/// `feedwatch once`: one cycle over every enabled feed now. The interval is ignored; Retry-After,
/// back-off and 410 are honoured. Pending alerts of an earlier run are delivered first (crash
/// recovery), new ones after.
public struct OnceCycle: Sendable {
    let resources: DaemonResources
    /// Poll the feeds waiting out back-off or Retry-After too (`once --force`).
    let force: Bool

    public init(_ resources: DaemonResources, force: Bool = false) {
        self.resources = resources
        self.force = force
    }

    /// Where a poll of the cycle is: prepared (its commit still to run), or done.
    enum Phase: Sendable {
        case prepared(DaemonConfig.Feed, FeedPoller.Prepared)
        case done(FeedPoller.Summary)
    }

    /// A poll that could not read or write the state: an I/O failure of this machine, not of the feed.
    static func stateFailed(_ feed: DaemonConfig.Feed, _ error: any Error) -> FeedPoller.Summary {
        var summary = FeedPoller.Summary(feed: feed.url, name: feed.name, result: .error, message: "state: \(error)")
        summary.stateFailure = error
        return summary
    }

    public func run() async -> OnceReport {
        let ctx = resources.context
        var report = OnceReport()
        report.recovered = await Delivery(context: ctx).deliverPending().delivered
        let now = Int64(Date().timeIntervalSince1970)
        let poller = FeedPoller(context: ctx)
        var feeds = ctx.config.feeds.filter(\.enabled)
        // At most twice the fetch concurrency polls in flight: the fetcher always has the next transfers
        // queued, while parsed documents waiting for the state stay bounded (10,000 feeds started at once
        // held every body and document in memory together: 915 MB).
        let window = max(2, 2 * ctx.config.fetch.concurrency)
        // Every feed's state in one read, not one query per feed; a node of a cluster leases the feeds it
        // polls, and leaves those another node is polling to it.
        let known: [String: FeedState]
        var leasedElsewhere: [FeedPoller.Summary] = []
        do {
            if let leases = resources.leases {
                try await PollerService.join(leases, ctx.config)
                let claimed = try await leases.claim(limit: feeds.count, dueOnly: false)
                known = Dictionary(claimed.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
                leasedElsewhere = feeds.filter { known[$0.url] == nil }.map {
                    FeedPoller.Summary(
                        feed: $0.url, name: $0.name, result: .waiting, message: "polled by another node (it holds the lease)")
                }
                feeds = feeds.filter { known[$0.url] != nil }
            } else {
                known = Dictionary(try await ctx.store.allFeeds().map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            }
        } catch {
            report.feeds = feeds.map { Self.stateFailed($0, error) }
            return report
        }
        let polling = feeds
        report.feeds = await Self.renewing(resources.leases, keys: feeds.map(\.url)) {
            // The window counts polls until they are prepared (fetched, parsed, classified); their commits
            // then wait for the shared transaction without holding a slot. Counting them too left the
            // fetcher idle while a full window waited for each fsync.
            await withTaskGroup(of: Phase.self) { group in
                var out: [FeedPoller.Summary] = []
                var next = polling.makeIterator()
                func start(_ feed: DaemonConfig.Feed) {
                    group.addTask {
                        do {
                            return .prepared(feed, try await poller.prepare(feed, known: known[feed.url], now: now, force: force))
                        } catch {
                            return .done(Self.stateFailed(feed, error))
                        }
                    }
                }
                for _ in 0..<window { if let f = next.next() { start(f) } }
                for await phase in group {
                    switch phase {
                    case .prepared(let feed, let prepared):
                        group.addTask {
                            do { return .done(try await poller.commit(prepared)) } catch {
                                return .done(Self.stateFailed(feed, error))
                            }
                        }
                        if let f = next.next() { start(f) }
                    case .done(let summary):
                        out.append(summary)
                    }
                }
                return out
            }
        }
        report.feeds = (report.feeds + leasedElsewhere).sorted { $0.feed < $1.feed }
        let delivery = await Delivery(context: ctx).deliverPending()
        report.delivered = delivery.delivered
        report.pending = delivery.pending
        report.deliveryError = delivery.error
        // One round per sink, side by side: what is due now (this run's alerts, earlier failures whose
        // back-off has passed); what fails stays queued for the next run.
        report.sinks = await withTaskGroup(of: (String, SinkRound.Outcome).self) { group in
            for sink in ctx.config.sinks { group.addTask { (sink.name, await SinkRound(context: ctx, sink: sink).run()) } }
            var out: [String: SinkReport] = [:]
            for await (name, o) in group { out[name] = SinkReport(delivered: o.delivered, failed: o.failed, digests: o.digests) }
            return out
        }
        // What waits for a digest, and when it goes out: a later run sends it once its time has come.
        if !ctx.config.sinks.isEmpty, let held = try? await ctx.store.digestCounts() {
            let now = Int64(Date().timeIntervalSince1970)
            for sink in ctx.config.sinks {
                let counts = held[sink.name] ?? DigestCounts()
                report.sinks[sink.name]?.held = counts.held
                report.sinks[sink.name]?.nextDigest = counts.held > 0 ? sink.nextDigest(now: now, held: counts) : nil
            }
        }
        // What still waits for a retry (not for a digest), and why: a run that delivered nothing says so.
        if !ctx.config.sinks.isEmpty, let counts = try? await ctx.store.sinkCounts() {
            for sink in ctx.config.sinks {
                let held = report.sinks[sink.name]?.held ?? 0
                report.sinks[sink.name]?.pending = max(0, (counts[sink.name]?.pending ?? 0) - held)
                report.sinks[sink.name]?.lastError = counts[sink.name]?.lastError
            }
        }
        await ctx.pruneStateIfDue()
        await ctx.writeHeartbeatAndMetrics()
        // Done as a node: its pending alerts (if the spool failed) are free for the running nodes.
        try? await resources.leases?.leave()
        return report
    }

    /// `body`, while the leases on `keys` are renewed every third of a lease (a node of a cluster).
    static func renewing<T: Sendable>(
        _ leases: (any FeedLeases)?, keys: [String], _ body: () async -> T
    ) async -> T {
        guard let leases else { return await body() }
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(leases.node.lease * 1000 / 3))
                    if Task.isCancelled { break }
                    try? await leases.renew(keys)
                }
            }
            let result = await body()
            group.cancelAll()
            return result
        }
    }
}

/// What one `once` cycle did, for the command to print and to choose its exit code.
public struct OnceReport: Sendable {
    public var feeds: [FeedPoller.Summary] = []
    public var recovered = 0
    public var delivered = 0
    public var pending = 0
    /// Why alerts stay pending.
    public var deliveryError: (any Error)?
    /// Per sink: deliveries made and given up in this run.
    public var sinks: [String: SinkReport] = [:]

    /// Some poll could not read or write the state (a full or broken disk): exit 74, as a pending alert.
    public var stateFailed: Bool { feeds.contains { $0.stateFailure != nil } }

    /// At least one feed was polled, and every poll failed.
    public var everyPolledFeedFailed: Bool {
        let polled = feeds.filter(\.result.polled)
        return !polled.isEmpty && polled.allSatisfy { $0.result == .error }
    }
}

/// One sink's part of a `once` run: alerts delivered on their own, alerts given up, digests delivered,
/// and the alerts held for a later digest with when it is due.
public struct SinkReport: Sendable {
    public var delivered = 0
    public var failed = 0
    public var digests = 0
    /// Deliveries still waiting for a retry after this run, and the error that keeps them waiting.
    public var pending = 0
    public var lastError: String?
    public var held = 0
    public var nextDigest: Int64?
}
