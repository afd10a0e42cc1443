import Dispatch
import FeedCore
import FeedSpool
import FeedStore
import Foundation
import Logging

/// Delivers pending outbox rows, then marks them delivered: an alert is a file in the spool and its log
/// line; a report that joined a story is an "also" line only. Runs again at start (recovery after a
/// crash) and after every poll; a full disk leaves rows pending and is retried. File and log writes and
/// fsyncs run on a serial queue of their own, never on the cooperative pool.
struct Delivery: Sendable {
    let context: DaemonContext
    private static let queue = DispatchQueue(label: "feedwatch.delivery")

    struct Outcome: Sendable {
        /// Alert files (an "also" line is not an alert).
        var delivered = 0
        var pending = 0
        var error: String?
    }

    func deliverPending() async -> Outcome {
        var outcome = Outcome()
        let pending: [StoredAlert]
        do {
            pending = try await context.store.pendingAlerts()
        } catch {
            return Outcome(error: "cannot read pending alerts: \(error)")
        }
        for (i, alert) in pending.enumerated() {
            let written: Result<Void, SpoolError> = await withCheckedContinuation { c in
                Delivery.queue.async { c.resume(returning: Result { () throws(SpoolError) in try write(alert) }) }
            }
            switch written {
            case .failure(let e):
                outcome.pending = pending.count - i
                outcome.error = e.message
                context.logger.error("alert delivery failed, \(pending.count - i) alert(s) stay pending: \(e.message)")
                return outcome
            case .success:
                CrashPoint.beforeDeliveredMark.reach()
                do {
                    try await context.store.markDelivered(alert.id, at: Int64(Date().timeIntervalSince1970))
                    if alert.kind == .file {
                        outcome.delivered += 1
                        context.metrics.delivered(1)
                    }
                } catch {
                    outcome.pending = pending.count - i
                    outcome.error = "\(error)"
                    return outcome
                }
            }
        }
        return outcome
    }

    /// One row's file (for an alert) and log line; on the delivery queue. Every step may have happened
    /// already before a crash: a file already in the spool is not written again, and neither is the log
    /// line of a row that is the log's last line.
    private func write(_ alert: StoredAlert) throws(SpoolError) {
        var fresh = false
        if alert.kind == .file { fresh = try context.maildir.deliver(name: alert.fileName, payload: alert.payload) }
        guard fresh || !context.log.endsWith(alert.logLine) else { return }
        do { try context.log.append(alert.logLine) } catch { context.logger.error("cannot write the alert log: \(error)") }
        // The operational log says so too, so a foreground `run` shows its alerts as they arrive.
        context.logger.info("\(alert.kind == .file ? "alert" : "also"): \(alert.logLine.replacingOccurrences(of: "\t", with: " "))")
        if alert.kind == .logLine { CrashPoint.afterAlsoLine.reach() }
    }
}
