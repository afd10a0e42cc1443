import Dispatch
import FeedCore
import FeedSpool
import FeedStore
import Foundation
import Logging

/// Delivers pending alerts from the outbox to the spool, then marks them delivered. Runs again at start
/// (recovery after a crash) and after every poll; a full disk leaves alerts pending and is retried.
/// File writes and fsyncs run on a serial queue of their own, never on the cooperative pool.
struct Delivery: Sendable {
    let context: DaemonContext
    private static let queue = DispatchQueue(label: "feedwatch.delivery")

    struct Outcome: Sendable {
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
            let written: Result<Bool, SpoolError> = await withCheckedContinuation { c in
                Delivery.queue.async {
                    do {
                        c.resume(returning: .success(try context.maildir.deliver(name: alert.fileName, payload: alert.payload)))
                    } catch let error as SpoolError {
                        c.resume(returning: .failure(error))
                    } catch {
                        c.resume(returning: .failure(SpoolError(.io, "\(error)")))
                    }
                }
            }
            switch written {
            case .failure(let e):
                outcome.pending = pending.count - i
                outcome.error = e.message
                context.logger.error("alert delivery failed, \(pending.count - i) alert(s) stay pending: \(e.message)")
                return outcome
            case .success(let fresh):
                if fresh {
                    do { try context.log.append(alert.logLine) } catch {
                        context.logger.error("cannot write the alert log: \(error)")
                    }
                }
                CrashPoint.beforeDeliveredMark.reach()
                do {
                    try await context.store.markDelivered(alert.id, at: Int64(Date().timeIntervalSince1970))
                    outcome.delivered += 1
                    context.metrics.delivered(1)
                } catch {
                    outcome.pending = pending.count - i
                    outcome.error = "\(error)"
                    return outcome
                }
            }
        }
        return outcome
    }
}
