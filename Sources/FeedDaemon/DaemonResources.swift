import FeedClassify
import FeedCore
import FeedHTTP
import FeedSpool
public import FeedStore
import FeedYAML
import Foundation
public import Logging
import Synchronization

/// What the daemon holds open for its whole life: the state lock, the state store, the fetcher, the
/// file writer, the metrics and the current configuration's context (replaced on reload). It runs
/// nothing itself: `OnceCycle` and the services of `run` do.
public final class DaemonResources: Sendable {
    /// The SQLite state's lock (one daemon per state); nil for a shared PostgreSQL state.
    let lock: StateLock?
    let store: any StateStore
    /// The leases of a shared state: this daemon is one node of a cluster (docs/cluster.md).
    let leases: (any FeedLeases)?
    let fetcher: Fetcher
    let logger: Logger
    let metrics = Metrics()
    let writer = SpoolWriter()
    /// WebSub subscriptions as the poller and the callbacks see them (issue 25), across reloads.
    let websub = WebSubRegistry()
    /// Replaced on SIGHUP reload.
    private let current: Mutex<DaemonContext>

    /// Loads the configuration and opens everything, refusing to start on any problem (exit codes in
    /// `DaemonError.exitCode`): a bad configuration, a held lock, a corrupt or unwritable state, a spool
    /// that cannot be delivered to.
    public convenience init(configPath: String, logger: Logger) throws(DaemonError) {
        let config = try Self.loadConfiguration(configPath)
        for warning in config.warnings { logger.warning("\(warning)") }
        try self.init(config: config, logger: logger)
    }

    /// The daemon over the SQLite state in `config.stateDir`, locked for this process.
    public convenience init(config: DaemonConfig, logger: Logger) throws(DaemonError) {
        try self.init(config: config, logger: logger) { dir throws(DaemonError) in
            do {
                return try SQLiteStateStore(directory: dir)
            } catch {
                throw DaemonError(.io, "cannot open the state in \(dir): \(error)", cause: error)
            }
        }
    }

    /// `openStore`: the state store for the state directory, opened once the directory is locked
    /// (SQLite in the daemon; in-process tests give an in-memory store).
    convenience init(
        config: DaemonConfig, logger: Logger,
        openStore: (String) throws(DaemonError) -> any StateStore
    ) throws(DaemonError) {
        try Self.makeDirectory(config.stateDir)
        let lock = try StateLock(directory: config.stateDir)
        try self.init(config: config, logger: logger, lock: lock, store: try openStore(config.stateDir), leases: nil)
    }

    /// A node over a shared state (`state_url`), opened by the caller for the daemon's lifetime. No lock:
    /// the leases keep the nodes apart.
    public convenience init(config: DaemonConfig, logger: Logger, shared: any StateStore & FeedLeases) throws(DaemonError) {
        try Self.makeDirectory(config.stateDir)  // the heartbeat file
        try self.init(config: config, logger: logger, lock: nil, store: shared, leases: shared)
    }

    private init(
        config: DaemonConfig, logger: Logger, lock: StateLock?, store: any StateStore, leases: (any FeedLeases)?
    ) throws(DaemonError) {
        self.lock = lock
        self.store = store
        self.leases = leases
        fetcher = Fetcher(options: .init(concurrency: config.fetch.concurrency, perHost: config.fetch.perHost))
        self.logger = logger
        current = Mutex(
            try Self.context(
                config, store: store, fetcher: fetcher, logger: logger, metrics: metrics,
                writer: writer, websub: websub))
    }

    deinit { fetcher.shutdown() }

    /// The context of the current configuration.
    var context: DaemonContext { current.withLock { $0 } }

    /// The configuration in force (the one the last reload swapped in).
    public var config: DaemonConfig { context.config }

    /// The state this daemon writes, for the reader page's reads (story sources, feed health).
    public var stateStore: any StateStore { store }

    /// Why each topic of the configuration in force applies to a headline and summary or not, by topic
    /// name, for the topics that matched anything: the classifier's own explanation (the reader page's
    /// "why it matched").
    public func explain(title: String, summary: String?) -> [String: String] {
        let result = context.classifier.classify(title: title, summary: summary, explain: true)
        var out: [String: String] = [:]
        for t in result.results where t.assigned || !t.matched.isEmpty { out[t.name] = t.explanation }
        return out
    }

    /// The Prometheus text of the metrics file, now (`GET /metrics`).
    public func metricsText() async -> String? {
        let context = context
        return await context.metrics.text(context)
    }

    /// Loads the configuration at the current one's path again and swaps it in; on any problem the
    /// running configuration stays and the error says why.
    /// Its file work (reading the configuration, preparing the spool, opening the log) runs on the
    /// writer's queue, off the cooperative pool.
    func reload() async throws(DaemonError) -> DaemonConfig {
        let file = context.config.file
        let (store, fetcher, logger, metrics, writer, websub) = (store, fetcher, logger, metrics, writer, websub)
        let result: Result<DaemonContext, DaemonError> = await writer.perform {
            Result { () throws(DaemonError) in
                try Self.context(
                    Self.loadConfiguration(file), store: store, fetcher: fetcher, logger: logger,
                    metrics: metrics, writer: writer, websub: websub)
            }
        }
        let fresh = try result.get()
        current.withLock { $0 = fresh }
        return fresh.config
    }

    /// The configuration at `path`, or the error the daemon exits with (78).
    public static func loadConfiguration(_ path: String) throws(DaemonError) -> DaemonConfig {
        do {
            return try DaemonConfig.load(path: path)
        } catch {
            throw DaemonError(.config, error.description, cause: error)
        }
    }

    private static func context(
        _ config: DaemonConfig, store: any StateStore, fetcher: Fetcher, logger: Logger,
        metrics: Metrics, writer: SpoolWriter, websub: WebSubRegistry
    ) throws(DaemonError) -> DaemonContext {
        let maildir = Maildir(root: config.spoolDir)
        do {
            try maildir.prepare()
        } catch {
            throw DaemonError(.io, "spool \(config.spoolDir) is not usable: \(error.message)", cause: error)
        }
        let log: AlertLog
        do {
            log = try AlertLog(path: config.logFile)
        } catch {
            throw DaemonError(.io, "alert log \(config.logFile) is not writable: \(error.message)", cause: error)
        }
        if let metricsFile = config.metricsFile {
            let dir = PathText.directory(of: metricsFile)
            if !dir.isEmpty, !FileManager.default.isWritableFile(atPath: dir) {
                throw DaemonError(.io, "metrics_file directory \(dir) is not writable")
            }
        }
        return DaemonContext(
            config: config, store: store, fetcher: fetcher, maildir: maildir, log: log, logger: logger,
            metrics: metrics, writer: writer, websub: websub)
    }

    static func makeDirectory(_ path: String) throws(DaemonError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o750])
        } catch {
            throw DaemonError(.io, "cannot create \(path): \(error.localizedDescription)", cause: error)
        }
    }
}

extension DaemonContext {
    /// Applies `state.entry_retention` and `state.alert_retention` (hourly in `run`; `once`: `pruneStateIfDue`).
    func pruneState() async {
        let now = Int64(Date().timeIntervalSince1970)
        do {
            let pruned = try await store.prune(
                entriesUnlistedSince: now - Int64(config.state.entryRetention),
                alertsDeliveredBefore: now - Int64(config.state.alertRetention))
            if pruned != PruneReport() {
                logger.info(
                    "state pruned: \(pruned.entries) entries no longer listed, \(pruned.payloads) delivered alert payloads, \(pruned.stories) stories"
                )
            }
        } catch {
            logger.warning("cannot prune the state: \(error)")
        }
    }

    /// `pruneState` when the last prune (`state_dir/pruned`, its time) is older than an hour, or than the
    /// shorter retention when that is less: `run` prunes hourly too. Its statements scan whole tables
    /// (60 ms at 10,000 feeds), and cron runs `once` every few minutes.
    func pruneStateIfDue() async {
        let marker = config.stateDir + "/pruned"
        let every = Int64(min(3600, config.state.entryRetention, config.state.alertRetention))
        let now = Int64(Date().timeIntervalSince1970)
        if let last = (try? FileManager.default.attributesOfItem(atPath: marker))?[.modificationDate] as? Date,
            now - Int64(last.timeIntervalSince1970) < every
        {
            return
        }
        await pruneState()
        _ = FileManager.default.createFile(atPath: marker, contents: Data())
    }

    /// The heartbeat file and the metrics file, through the writer.
    func writeHeartbeatAndMetrics() async {
        await writer.writeHeartbeat(stateDir: config.stateDir, now: Int64(Date().timeIntervalSince1970))
        await metrics.write(self)
    }
}
