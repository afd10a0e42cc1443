import FeedClassify
import FeedCore
import FeedHTTP
import FeedSpool
import FeedStore
import FeedYAML
import Foundation
import Logging
import Synchronization

/// The service: configuration, locked state, spool and log, and the two ways to run them (`once`, `run`).
public final class Daemon: Sendable {
    let lock: StateLock
    let store: any StateStore
    let fetcher: Fetcher
    let logger: Logger
    let metrics = Metrics()
    /// Replaced on SIGHUP reload.
    let current: Mutex<DaemonContext>

    /// Loads the configuration and opens everything, refusing to start on any problem (exit codes in
    /// `DaemonError.exitCode`): a bad configuration, a held lock, a corrupt or unwritable state, a spool
    /// that cannot be delivered to.
    public init(configPath: String, logger: Logger) throws(DaemonError) {
        let config: DaemonConfig
        do {
            config = try DaemonConfig.load(path: configPath)
        } catch {
            throw DaemonError(.config, error.description)
        }
        for warning in config.clampWarnings { logger.warning("\(warning)") }
        try Daemon.makeDirectory(config.stateDir)
        lock = try StateLock(directory: config.stateDir)
        do {
            store = try SQLiteStateStore(directory: config.stateDir)
        } catch {
            throw DaemonError(.io, "cannot open the state in \(config.stateDir): \(error)")
        }
        fetcher = Fetcher(options: .init(concurrency: config.fetch.concurrency, perHost: config.fetch.perHost))
        self.logger = logger
        current = Mutex(try Daemon.context(config, store: store, fetcher: fetcher, logger: logger, metrics: metrics))
    }

    deinit { fetcher.shutdown() }

    static func context(_ config: DaemonConfig, store: any StateStore, fetcher: Fetcher, logger: Logger,
                        metrics: Metrics) throws(DaemonError) -> DaemonContext {
        let maildir = Maildir(root: config.spoolDir)
        do {
            try maildir.prepare()
        } catch {
            throw DaemonError(.io, "spool \(config.spoolDir) is not usable: \(error.message)")
        }
        let log: AlertLog
        do {
            log = try AlertLog(path: config.logFile)
        } catch {
            throw DaemonError(.io, "alert log \(config.logFile) is not writable: \(error.message)")
        }
        if let metricsFile = config.metricsFile {
            let dir = String(metricsFile[..<(metricsFile.lastIndex(of: "/") ?? metricsFile.startIndex)])
            if !dir.isEmpty, !FileManager.default.isWritableFile(atPath: dir) {
                throw DaemonError(.io, "metrics_file directory \(dir) is not writable")
            }
        }
        return DaemonContext(config: config, store: store, fetcher: fetcher, maildir: maildir, log: log, logger: logger,
                             metrics: metrics)
    }

    var context: DaemonContext { current.withLock { $0 } }

    /// One cycle over every enabled feed now: the interval is ignored, Retry-After, back-off and 410 are
    /// honoured. Pending alerts from an earlier run are delivered first (crash recovery), new ones after.
    public func once() async -> OnceReport {
        let ctx = context
        var report = OnceReport()
        report.recovered = await Delivery(context: ctx).deliverPending().delivered
        let now = Int64(Date().timeIntervalSince1970)
        let poller = FeedPoller(context: ctx)
        let feeds = ctx.config.feeds.filter(\.enabled)
        // At most twice the fetch concurrency polls in flight: the fetcher always has the next transfers
        // queued, while parsed documents waiting for the state stay bounded (10,000 feeds started at once
        // held every body and document in memory together: 915 MB).
        let window = max(2, 2 * ctx.config.fetch.concurrency)
        // Every feed's state in one read, not one query per feed.
        let known: [String: FeedState]
        do {
            known = Dictionary(try await ctx.store.allFeeds().map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        } catch {
            report.feeds = feeds.map { .init(feed: $0.url, result: "error", message: "state: \(error)") }
            return report
        }
        let summaries = await withTaskGroup(of: FeedPoller.Summary.self) { group in
            var out: [FeedPoller.Summary] = []
            var next = feeds.makeIterator()
            func start(_ feed: DaemonConfig.Feed) {
                group.addTask {
                    do {
                        return try await poller.poll(feed, known: known[feed.url], now: now)
                    } catch {
                        return .init(feed: feed.url, result: "error", message: "state: \(error)")
                    }
                }
            }
            for _ in 0..<window { if let f = next.next() { start(f) } }
            for await s in group {
                out.append(s)
                if let f = next.next() { start(f) }
            }
            return out
        }
        report.feeds = summaries.sorted { $0.feed < $1.feed }
        let delivery = await Delivery(context: ctx).deliverPending()
        report.delivered = delivery.delivered
        report.pending = delivery.pending
        report.deliveryError = delivery.error
        await Daemon.pruneState(ctx)
        await ctx.metrics.write(ctx)
        Daemon.writeHeartbeat(ctx.config.stateDir)
        return report
    }

    /// Applies `state.entry_retention` and `state.alert_retention` (after each `once`, hourly in `run`).
    static func pruneState(_ ctx: DaemonContext) async {
        let now = Int64(Date().timeIntervalSince1970)
        do {
            let pruned = try await ctx.store.prune(entriesUnlistedSince: now - Int64(ctx.config.state.entryRetention),
                                                   alertsDeliveredBefore: now - Int64(ctx.config.state.alertRetention))
            if pruned != PruneReport() {
                ctx.logger.info("state pruned: \(pruned.entries) entries no longer listed, \(pruned.payloads) delivered alert payloads, \(pruned.stories) stories")
            }
        } catch {
            ctx.logger.warning("cannot prune the state: \(error)")
        }
    }

    /// `state_dir/heartbeat`: the time of the daemon's last sign of life, for `status` health checks.
    static func writeHeartbeat(_ stateDir: String) {
        try? Data("\(Int64(Date().timeIntervalSince1970))\n".utf8).write(to: URL(fileURLWithPath: stateDir + "/heartbeat"),
                                                                        options: .atomic)
    }

    static func makeDirectory(_ path: String) throws(DaemonError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
        } catch {
            throw DaemonError(.io, "cannot create \(path): \(error.localizedDescription)")
        }
    }
}

public struct OnceReport: Sendable {
    public var feeds: [FeedPoller.Summary] = []
    public var recovered = 0
    public var delivered = 0
    public var pending = 0
    public var deliveryError: String?

    /// At least one feed was polled, and every poll failed.
    public var everyPolledFeedFailed: Bool {
        let polled = feeds.filter { $0.result != "waiting" && $0.result != "gone" }
        return !polled.isEmpty && polled.allSatisfy { $0.result == "error" }
    }

    public var lines: [String] {
        var out = feeds.map { s in
            var line = "\(DaemonConfig.redact(s.feed)): \(s.result)"
            if s.newEntries > 0 || s.alerts > 0 { line += ", \(s.newEntries) new, \(s.alerts) alert(s)" }
            if s.merged > 0 { line += ", \(s.merged) joined a story" }
            if let m = s.message { line += " — \(m)" }
            return line
        }
        out.append("alerts delivered: \(delivered)" + (recovered > 0 ? " (+\(recovered) recovered)" : "")
                   + (pending > 0 ? ", pending: \(pending) (\(deliveryError ?? "delivery failed"))" : ""))
        return out
    }
}
