import FeedCore
import FeedHTTP
import FeedStore
import Logging

/// Stage 1 of a poll: the request (with the stored validators) and what its outcome does to the feed's
/// state. A document goes on to be parsed; every other outcome ends the poll here.
struct FetchStage: Sendable {
    let fetcher: Fetcher
    let config: DaemonConfig
    let backoff: Backoff
    let metrics: Metrics

    enum Outcome {
        case document(FetchResult.Body)
        case finished(PollResult, message: String?)
    }

    func run(_ feed: DaemonConfig.Feed, state: inout FeedState, now: Int64, logger: Logger) async -> Outcome {
        let request = config.request(for: feed, url: state.currentURL, etag: state.etag, lastModified: state.lastModified)
        let result = await fetcher.fetch(request)
        metrics.fetched(result.outcome.metricName, seconds: result.seconds)
        state.lastPoll = now
        state.polls += 1
        if let moved = result.permanentRedirect, moved != state.currentURL {
            logger.info("permanent redirect: polling \(URLRedaction.redact(moved)) from now on")
            state.currentURL = moved
        }
        switch result.outcome {
        case .body(let body):
            return .document(body)
        case .notModified:
            state.succeeded(now: now, interval: config.interval(of: feed), hint: nil, schedule: config.schedule)
            let plan = Cadence(config: config, feed: feed).plan(state, .unchanged, hint: nil, now: now)
            state.schedule(plan, now: now, jitter: config.schedule.jitter)
            return .finished(.notModified, message: nil)
        case .gone:
            state.markGone()
            logger.warning("feed is gone (HTTP 410); disabled until its configuration changes")
            return .finished(.gone, message: nil)
        case .rateLimited(let until, let status):
            state.rateLimited(until: until, status: status)
            return .finished(.rateLimited, message: state.lastError)
        case .failed(let error):
            fail(&state, error.message, feed: feed, now: now, retryAfter: error.retryAfter, logger: logger)
            return .finished(.error, message: error.message)
        }
    }

    /// A failed fetch or parse: back-off, and a warning at the 1st, 3rd and 10th failure in a row and
    /// every 50th (every other one at info, so a long outage does not flood the journal).
    func fail(
        _ state: inout FeedState, _ message: String, feed: DaemonConfig.Feed, now: Int64, retryAfter: Timestamp?,
        logger: Logger
    ) {
        let delay = state.failed(
            message, now: now, interval: config.interval(of: feed), retryAfter: retryAfter,
            backoff: backoff)
        let text =
            "fetch failed \(state.errorStreak) time(s) in a row: \(message); next try in \(DurationText.format(Int(delay)))"
        if [1, 3, 10].contains(state.errorStreak) || state.errorStreak % 50 == 0 {
            logger.warning("\(text)")
        } else {
            logger.info("\(text)")
        }
    }
}

extension FetchResult.Outcome {
    /// The `feedwatch_fetch_results_total{outcome=…}` label.
    var metricName: String {
        switch self {
        case .body: return "body"
        case .notModified: return PollResult.notModified.rawValue
        case .gone: return PollResult.gone.rawValue
        case .rateLimited: return PollResult.rateLimited.rawValue
        case .failed(let e): return e.code.rawValue
        }
    }
}
