@_spi(Faults) import FeedCore
import FeedSpool
import FeedStore
import Foundation
import Logging

/// The digest half of a sink's round (issue 24): held alerts whose release time has come become one
/// digest per release time, formed in one transaction; formed digests are delivered, retried and given
/// up like single alerts, under their own id.
extension SinkRound {
    /// The time a round works at: now (a day on with the test fault `sink-clock-ahead`).
    static func now() -> Int64 {
        Int64(Date().timeIntervalSince1970) + (Fault.sinkClockAhead.isArmed ? 86_400 : 0)
    }

    /// Forms the digests released by `now`. Returns false when the state failed.
    func formDigests(now: Int64, logger: Logger) async -> Bool {
        let released: [SinkJob]
        do {
            released = try await context.store.releasedSinkJobs(sink: sink.name, now: now)
        } catch {
            logger.error("cannot read the sink's held alerts: \(error)")
            return false
        }
        guard !released.isEmpty else { return true }
        let titles = Dictionary(context.config.feeds.compactMap { f in f.name.map { (f.url, $0) } }) { a, _ in a }
        for (release, jobs) in Dictionary(grouping: released, by: { $0.releaseAt ?? now }).sorted(by: { $0.key < $1.key }) {
            var members: [DigestDocument.Member] = []
            for job in jobs {
                if let member = DigestDocument.Member(id: job.alertID, payload: job.payload) {
                    members.append(member)
                    continue
                }
                // Retention dropped the stored copy (held longer than alert_retention): it cannot be sent.
                let error = "the alert's stored copy was dropped by state.alert_retention"
                logger.error("sink \(sink.name) gave up on alert \(job.alertID): \(error)")
                try? await context.store.recordSinkAttempt(job, outcome: .failed(error: error), at: now)
            }
            guard !members.isEmpty else { continue }
            var sources: [String: [StorySource]] = [:]
            for story in Set(members.compactMap(\.story)) {
                sources[story] = (try? await context.store.storySources(story)) ?? []
            }
            let ids = members.map(\.id)
            let from = min(jobs.map(\.createdAt).min() ?? release, release)
            let id = DigestDocument.id(sink: sink.name, to: release, members: ids)
            let payload = DigestDocument.render(
                id: id, sink: sink.name, from: from, to: release, members: members, sources: sources, feedTitles: titles)
            do {
                let formed = try await context.store.formDigest(
                    DigestDraft(
                        id: id, sink: sink.name, from: from, to: release, members: ids, payload: payload, createdAt: now))
                if formed {
                    CrashPoint.afterDigestFormed.reach()
                    logger.info(
                        "digest \(id) for sink \(sink.name): \(ids.count) alert(s) up to \(Timestamp(secondsSinceEpoch: release).iso8601)"
                    )
                }
                // Not formed: another node took some of them first; the rest are read again next round.
            } catch {
                logger.error("cannot form a digest for sink \(sink.name): \(error)")
                return false
            }
        }
        return true
    }

    /// Delivers the formed digests that are due. Returns false when the state failed.
    func deliverDigests(runner: SinkAttemptRunner, logger: Logger, outcome: inout Outcome) async -> Bool {
        while !Task.isCancelled, !stopping() {
            let jobs: [DigestJob]
            do {
                jobs = try await context.store.dueDigests(
                    sink: sink.name, now: Self.now(), limit: 2, hold: Int64(sink.timeout * 2 + 30))
            } catch {
                logger.error("cannot read the sink's pending digests: \(error)")
                return false
            }
            guard !jobs.isEmpty else { return true }
            for job in jobs {
                guard !Task.isCancelled, !stopping() else { return true }
                let failure = await runner.attempt(job)
                if failure == nil { CrashPoint.beforeDigestRecord.reach() }
                let at = Self.now()
                let result = Self.decide(failure, attempts: job.attempts, createdAt: job.createdAt, sink: sink, now: at)
                switch result {
                case .delivered:
                    outcome.digests += 1
                    logger.info("digest \(job.id) (\(job.count) alert(s)) delivered to sink \(sink.name)")
                case .retry(let next, let error):
                    let text =
                        "sink \(sink.name) failed on digest \(job.id) (attempt \(job.attempts + 1)): \(error); next try at \(Timestamp(secondsSinceEpoch: next).iso8601)"
                    if job.attempts == 0 { logger.warning("\(text)") } else { logger.info("\(text)") }
                case .failed(let error):
                    outcome.failed += job.count
                    logger.error(
                        "sink \(sink.name) gave up on digest \(job.id) (\(job.count) alert(s)) after \(job.attempts + 1) attempt(s): \(error)"
                    )
                }
                do {
                    try await context.store.recordDigestAttempt(job, outcome: result, at: at)
                } catch let lost as SinkClaimLost {
                    logger.warning("\(lost); this node's result is not recorded")
                } catch {
                    // As for a single alert: the receiver has it, so it is not sent again before a restart.
                    unrecorded.keep(digest: .init(job: job, result: result, at: at), sink: sink.name)
                    logger.error("cannot record a digest delivery: \(error); kept, and recorded when the state can take it")
                    return false
                }
            }
        }
        return true
    }
}
