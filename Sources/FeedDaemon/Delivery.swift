import FeedCore
import FeedSpool
import FeedStore
import Foundation
import Logging

/// Delivers pending outbox rows, then marks them delivered: an alert is a file in the spool and its log
/// line; a report that joined a story is an "also" line only. Runs at start (recovery after a crash),
/// after every poll that raised something, and every 30 seconds while rows stay pending (a full disk).
/// The writes themselves are `SpoolWriter`'s, off the cooperative pool.
struct Delivery: Sendable {
    let context: DaemonContext

    struct Outcome: Sendable {
        /// Alert files (an "also" line is not an alert).
        var delivered = 0
        var pending = 0
        /// Why rows stay pending.
        var error: (any Error)?
    }

    /// What `SpoolWriter.deliver` did with one row.
    enum Written: Sendable {
        case written
        /// The file and line were there already (a delivery interrupted by a crash).
        case alreadyDone
        /// The file is in the spool but the log line could not be appended: the row still counts as
        /// delivered (the file is what scripts read), and the failure is logged.
        case logFailed(SpoolError)
    }

    func deliverPending() async -> Outcome {
        var outcome = Outcome()
        let pending: [StoredAlert]
        do {
            pending = try await context.store.pendingAlerts()
        } catch {
            return Outcome(error: DaemonError(.io, "cannot read pending alerts: \(error)", cause: error))
        }
        for (i, alert) in pending.enumerated() {
            let written: Written
            do {
                written = try await context.writer.deliver(alert, maildir: context.maildir, log: context.log)
            } catch {
                outcome.pending = pending.count - i
                outcome.error = error
                context.logger.error("alert delivery failed, \(pending.count - i) alert(s) stay pending: \(error.message)")
                return outcome
            }
            switch written {
            case .alreadyDone: break
            case .logFailed(let e):
                context.logger.error("cannot write the alert log: \(e)")
                fallthrough
            case .written:
                // The operational log says so too, so a foreground `run` shows its alerts as they arrive.
                context.logger.info(
                    "\(alert.kind == .file ? "alert" : "also"): \(alert.logLine.replacingOccurrences(of: "\t", with: " "))")
            }
            CrashPoint.beforeDeliveredMark.reach()
            do {
                let at = Int64(Date().timeIntervalSince1970)
                try await context.store.markDelivered(
                    alert.id, at: at, queueing: context.config.sinkQueueing(for: alert, at: at))
                if alert.kind == .file {
                    outcome.delivered += 1
                    context.metrics.delivered(1)
                }
            } catch {
                outcome.pending = pending.count - i
                outcome.error = error
                return outcome
            }
        }
        return outcome
    }
}
