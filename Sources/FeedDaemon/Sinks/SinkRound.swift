@_spi(Faults) import FeedCore
import FeedSpool
import FeedStore
import Foundation
import Logging
import Synchronization

/// Delivers what is due to one sink, one alert at a time, until nothing more is due: each attempt is
/// recorded (delivered, retried later with back-off, or given up after `give_up_after`). One round per
/// sink runs at a time, so a slow sink holds up only itself.
struct SinkRound: Sendable {
    let context: DaemonContext
    let sink: DaemonConfig.Sink
    /// Checked between attempts: true once the daemon is stopping (the attempt under way finishes).
    var stopping: @Sendable () -> Bool = { false }
    /// Results the state could not record, kept across rounds (`run` keeps one for the daemon's life).
    var unrecorded = UnrecordedResults()

    /// Deliveries read at a time. In a cluster they are held for this node for as long as attempting them
    /// all may take (`timeout` each): a node that dies holds at most this many for that long.
    static let batch = 8

    struct Outcome: Sendable {
        var delivered = 0
        var failed = 0
        /// Digests delivered (their alerts are not counted in `delivered`).
        var digests = 0
        /// The state could not be read or written: the caller waits before the next round.
        var stateError = false
    }

    func run() async -> Outcome {
        var outcome = Outcome()
        var logger = context.logger
        logger[metadataKey: "sink"] = "\(sink.name)"
        let runner = SinkAttemptRunner(
            sink: sink, fetcher: context.fetcher, config: context.config, newDirectory: context.maildir.new)
        // A result the state could not take is recorded first; until it is, nothing more is attempted, and
        // never that alert again: the receiver has it (issue 23, finding 2).
        for held in unrecorded.take(sink: sink.name) {
            do {
                try await context.store.recordSinkAttempt(held.job, outcome: held.result, at: held.at)
                logger.info("recorded the held result of alert \(held.job.alertID) for sink \(sink.name)")
            } catch {
                unrecorded.keep(held, sink: sink.name)
                logger.error("still cannot record a sink delivery: \(error); kept, the alert is not sent again")
                outcome.stateError = true
            }
        }
        for held in unrecorded.takeDigests(sink: sink.name) {
            do {
                try await context.store.recordDigestAttempt(held.job, outcome: held.result, at: held.at)
                logger.info("recorded the held result of digest \(held.job.id) for sink \(sink.name)")
            } catch {
                unrecorded.keep(digest: held, sink: sink.name)
                logger.error("still cannot record a digest delivery: \(error); kept, the digest is not sent again")
                outcome.stateError = true
            }
        }
        if outcome.stateError { return outcome }
        // Digests first: those released are formed, then what is due is sent. In quiet hours nothing is
        // sent at all (a retry would buzz as much as a new alert); what is due goes out when they end.
        let start = Self.now()
        guard await formDigests(now: start, logger: logger) else {
            outcome.stateError = true
            return outcome
        }
        if let quiet = sink.quietHours, quiet.contains(start) { return outcome }
        guard await deliverDigests(runner: runner, logger: logger, outcome: &outcome) else {
            outcome.stateError = true
            return outcome
        }
        while !Task.isCancelled, !stopping() {
            let now = Int64(Date().timeIntervalSince1970)
            let jobs: [SinkJob]
            do {
                if Fault.sinkStateDown.isArmed { throw Fault.Injected(fault: Fault.sinkStateDown.fileName) }
                jobs = try await context.store.dueSinkJobs(
                    sink: sink.name, now: now, limit: Self.batch, hold: Int64(sink.timeout * Self.batch + 30))
            } catch {
                logger.error("cannot read the sink's pending deliveries: \(error)")
                outcome.stateError = true
                return outcome
            }
            guard !jobs.isEmpty else { return outcome }
            for job in jobs {
                guard !Task.isCancelled, !stopping() else { return outcome }
                let at: Int64
                let result: SinkAttempt
                if job.payload.isEmpty {
                    // Retention dropped the stored copy (the sink was gone for longer than alert_retention).
                    at = Int64(Date().timeIntervalSince1970)
                    result = .failed(error: "the alert's stored copy was dropped by state.alert_retention")
                } else {
                    let failure = await runner.attempt(job)
                    at = Int64(Date().timeIntervalSince1970)
                    result = Self.decide(failure, attempts: job.attempts, createdAt: job.createdAt, sink: sink, now: at)
                }
                report(result, job: job, logger: logger)
                switch result {
                case .delivered: outcome.delivered += 1
                case .failed: outcome.failed += 1
                case .retry: break
                }
                do {
                    try await context.store.recordSinkAttempt(job, outcome: result, at: at)
                } catch let lost as SinkClaimLost {
                    // Another node holds the delivery now; its result stands (docs/cluster.md).
                    logger.warning("\(lost); this node's result is not recorded")
                } catch {
                    unrecorded.keep(.init(job: job, result: result, at: at), sink: sink.name)
                    logger.error(
                        "cannot record a sink delivery: \(error); the result is kept and recorded when the state can take it, the alert is not sent again"
                    )
                    outcome.stateError = true
                    return outcome
                }
            }
        }
        return outcome
    }

    /// Delivered; or retried after 1 s, 2 s, 4 s … up to 15 min (each varied down by up to half, so
    /// many alerts failing together do not come back together), never before a Retry-After; or, past
    /// `give_up_after` since the alert, failed for good.
    static func decide(
        _ failure: SinkAttemptRunner.Failure?, attempts: Int, createdAt: Int64, sink: DaemonConfig.Sink, now: Int64
    ) -> SinkAttempt {
        guard let failure else { return .delivered }
        if now - createdAt >= Int64(sink.giveUpAfter) { return .failed(error: failure.message) }
        let ceiling = Double(min(900, 1 << min(attempts, 10)))
        let delay = max(1, Int64((ceiling * Double.random(in: 0.5...1)).rounded()))
        let next = max(now + delay, failure.notBefore?.secondsSinceEpoch ?? 0)
        return .retry(at: next, error: failure.message)
    }

    /// A first failure is a warning, later ones info (a sink that is down for an hour does not flood the
    /// journal); giving up is an error.
    private func report(_ result: SinkAttempt, job: SinkJob, logger: Logger) {
        switch result {
        case .delivered:
            logger.info("alert \(job.alertID) delivered to sink \(sink.name)")
        case .retry(let at, let error):
            let text =
                "sink \(sink.name) failed on alert \(job.alertID) (attempt \(job.attempts + 1)): \(error); next try at \(Timestamp(secondsSinceEpoch: at).iso8601)"
            if job.attempts == 0 { logger.warning("\(text)") } else { logger.info("\(text)") }
        case .failed(let error):
            logger.error(
                "sink \(sink.name) gave up on alert \(job.alertID) after \(job.attempts + 1) attempt(s) and \(DurationText.format(sink.giveUpAfter)): \(error)"
            )
        }
    }
}

/// Attempt results the state could not record (a full disk, a database outage), per sink, until it can:
/// held in memory so the alert is never attempted again meanwhile. A restart before they are recorded
/// sends those alerts again, with the same Idempotency-Key (docs/sinks.md).
final class UnrecordedResults: Sendable {
    struct Held: Sendable {
        var job: SinkJob
        var result: SinkAttempt
        var at: Int64
    }

    struct HeldDigest: Sendable {
        var job: DigestJob
        var result: SinkAttempt
        var at: Int64
    }

    private let held = Mutex<[String: [Held]]>([:])
    private let heldDigests = Mutex<[String: [HeldDigest]]>([:])

    init() {}

    func keep(_ result: Held, sink: String) { held.withLock { $0[sink, default: []].append(result) } }
    func keep(digest result: HeldDigest, sink: String) { heldDigests.withLock { $0[sink, default: []].append(result) } }

    /// The sink's held results, removed (each is kept again if recording it fails once more).
    func take(sink: String) -> [Held] { held.withLock { $0.removeValue(forKey: sink) ?? [] } }
    func takeDigests(sink: String) -> [HeldDigest] { heldDigests.withLock { $0.removeValue(forKey: sink) ?? [] } }
}
