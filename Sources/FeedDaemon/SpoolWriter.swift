import Dispatch
import FeedSpool
import FeedStore
import Foundation

/// The one writer of the daemon's files: alert files in the maildir, alert-log lines, the heartbeat
/// file and the metrics file. An actor whose executor is a serial dispatch queue (as GRDB runs its
/// database access), so every write and fsync happens off the cooperative pool and in order.
public actor SpoolWriter {
    private let executor = QueueExecutor(label: "feedwatch.writer")

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init() {}

    /// One outbox row: its file (an alert) and its log line. Every step may have happened already
    /// before a crash: a file already in the spool is not written again, and neither is the log line of
    /// a row that is the log's last line. Returns the line when it was written now (nil: already there).
    func deliver(_ alert: StoredAlert, maildir: Maildir, log: AlertLog) throws(SpoolError) -> Delivery.Written {
        var fresh = false
        if alert.kind == .file { fresh = try maildir.deliver(name: alert.fileName, payload: alert.payload) }
        guard fresh || !log.endsWith(alert.logLine) else { return .alreadyDone }
        do {
            try log.append(alert.logLine)
        } catch {
            return .logFailed(error)
        }
        if alert.kind == .logLine { CrashPoint.afterAlsoLine.reach() }
        return .written
    }

    /// Other file work of the daemon (a reload's configuration read, spool check and log open), run
    /// here so that it, too, stays off the cooperative pool.
    func perform<T: Sendable>(_ body: @Sendable () -> T) -> T { body() }

    /// `state_dir/heartbeat`: the time of the daemon's last sign of life, for `status` health checks.
    func writeHeartbeat(stateDir: String, now: Int64) {
        try? Data("\(now)\n".utf8).write(to: URL(fileURLWithPath: stateDir + "/heartbeat"), options: .atomic)
    }

    /// The metrics file, replaced atomically (temporary file, rename) so the textfile collector never
    /// reads half of it.
    func writeMetrics(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// A serial executor on a dispatch queue: jobs run one at a time on the queue's thread.
final class QueueExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
