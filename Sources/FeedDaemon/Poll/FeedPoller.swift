import FeedCore
import FeedHTTP
import FeedStore
import FeedXML
import Logging

/// One poll of one feed, from request to committed state, as a pipeline of stages:
///
///     fetch (FetchStage) → parse (ParseStage) → identify and dedup (EntryStage)
///       → classify (ClassifyStage) → story (StoryStage, inside the commit) → commit (CommitStage)
///
/// Each stage is a small type of its own; this type only runs them in order and decides the poll's
/// `PollResult`. Delivery of what the commit raised is `Delivery`'s job.
public struct FeedPoller: Sendable {
    let context: DaemonContext

    public struct Summary: Sendable {
        public var feed: String
        /// The name the configuration gives the feed, if any (what `once` prints instead of the URL).
        public var name: String?
        public var result: PollResult
        public var newEntries = 0
        public var alerts = 0
        /// Reports that joined a story already alerted: no file, an "also" line.
        public var merged = 0
        /// New or edited entries older than `alerts.max_age`: kept, never classified.
        public var tooOld = 0
        public var message: String?
        /// Why the state could not be read or written, when that ended the poll (nothing of it was kept).
        public var stateFailure: (any Error)?
        /// When the feed is next due (seconds since the epoch: the later of next poll and not-before);
        /// nil for a feed that is gone.
        public var nextDue: Int64?

        public init(feed: String, name: String? = nil, result: PollResult, message: String? = nil, nextDue: Int64? = nil) {
            self.feed = feed
            self.name = name
            self.result = result
            self.message = message
            self.nextDue = nextDue
        }
    }

    /// The one place a poll is decided: a gone feed is not polled, and neither is one still waiting out
    /// back-off or Retry-After (unless `force`: `once --force`). `known`: the feed's stored state (nil:
    /// none stored yet).
    func poll(_ feed: DaemonConfig.Feed, known: FeedState?, now: Int64, force: Bool = false) async throws -> Summary {
        try await commit(try await prepare(feed, known: known, now: now, force: force))
    }

    /// A poll up to its commit: what the commit writes, and the summary it completes. The fetched
    /// document and the parsed feed are gone by then, so a poll waiting here holds little memory.
    struct Prepared: Sendable {
        var summary: Summary
        /// Nil for a feed that was not polled (gone, or waiting out back-off): nothing to write.
        var commit: PollCommit?
        var alertTopics: [String: [String]] = [:]
        var logger: Logger
    }

    /// Stages 1 to 5 (fetch, parse, identify, classify); `commit` then runs the story stage and writes.
    /// `once` starts the next poll as soon as one is prepared, so a poll waiting for the shared
    /// transaction (and its fsync) does not hold a fetch slot.
    func prepare(_ feed: DaemonConfig.Feed, known: FeedState?, now: Int64, force: Bool = false) async throws -> Prepared {
        var logger = context.logger
        logger[metadataKey: "feed"] = "\(URLRedaction.redact(feed.url))"
        var state = known ?? FeedState(key: feed.url, currentURL: feed.url)
        state.adopt(feed)
        if let (result, message) = state.notPolled(at: force ? Int64.max : now) {
            return Prepared(
                summary: Summary(feed: feed.url, name: feed.name, result: result, message: message, nextDue: state.nextDue),
                commit: nil, logger: logger)
        }
        let previousPoll = state.lastPoll
        var summary = Summary(feed: feed.url, name: feed.name, result: .ok)
        var commit = PollCommit(feed: state, seenAt: now)
        var alertTopics: [String: [String]] = [:]
        let fetch = FetchStage(
            fetcher: context.fetcher, config: context.config, backoff: context.backoff,
            metrics: context.metrics)
        switch await document(feed, fetch: fetch, state: &state, now: now, logger: logger) {
        case .finished(let result, let message):
            (summary.result, summary.message) = (result, message)
            // A 304 of a feed its hub pushes keeps the safety net's pace (FetchStage planned its own).
            if result == .notModified, context.config.websubEnabled, context.websub[feed.url]?.isPushing(at: now) == true {
                let own = Cadence.Plan(every: Int(state.interval), reason: state.intervalReason ?? "", gap: state.entryGap)
                state.schedule(
                    Self.safetyNet(own, schedule: context.config.schedule), now: now, jitter: context.config.schedule.jitter)
            }
        case .parsed(let parsed, let body):
            if parsed.bozo { logger.notice("feed is malformed, read by recovery: \(parsed.bozoReason ?? "")") }
            state.etag = body.etag
            state.lastModified = body.lastModified
            state.title = parsed.title ?? state.title
            let hint = [parsed.ttlMinutes.map { $0 * 60 }, body.maxAge].compactMap { $0 }.max()
            state.succeeded(
                now: now, interval: context.config.interval(of: feed), hint: hint,
                schedule: context.config.schedule)
            try await entries(
                parsed, feed: feed, state: &state, commit: &commit, summary: &summary,
                alertTopics: &alertTopics, now: now, logger: logger)
            let seen = Cadence.Observation.document(
                dates: parsed.entries.compactMap { $0.date?.secondsSinceEpoch }, newEntries: summary.newEntries,
                previousPoll: previousPoll)
            var plan = Cadence(config: context.config, feed: feed).plan(state, seen, hint: hint, now: now)
            plan = await websub(
                feed, parsed: parsed, body: body, plan: plan, newEntries: summary.newEntries, now: now, logger: logger)
            state.schedule(plan, now: now, jitter: context.config.schedule.jitter)
        }
        commit.feed = state
        summary.nextDue = state.nextDue
        return Prepared(summary: summary, commit: commit, alertTopics: alertTopics, logger: logger)
    }

    /// Stage 6: the prepared poll's transaction (shared with the polls committing beside it).
    func commit(_ prepared: Prepared) async throws -> Summary {
        guard let commit = prepared.commit else { return prepared.summary }
        var summary = prepared.summary
        (summary.alerts, summary.merged) = try await CommitStage(store: context.store, metrics: context.metrics)
            .run(commit, alertTopics: prepared.alertTopics)
        prepared.logger.debug(
            "polled: \(summary.result.rawValue), \(summary.newEntries) new, \(summary.alerts) alert(s), \(summary.merged) merged, \(summary.tooOld) older than max_age"
        )
        return summary
    }

    enum Document {
        case parsed(ParsedFeed, FetchResult.Body)
        case finished(PollResult, message: String?)
    }

    /// Stages 1 and 2: the document, parsed. A configured address that answers with a web page
    /// advertising a feed is followed, once per poll, to the first RSS, Atom or JSON feed it advertises;
    /// like a permanent redirect, the feed's URL is kept in the state (and the move logged) until the
    /// configuration entry changes.
    private func document(
        _ feed: DaemonConfig.Feed, fetch: FetchStage, state: inout FeedState, now: Int64, logger: Logger
    ) async -> Document {
        var followed = false
        while true {
            switch await fetch.run(feed, state: &state, now: now, logger: logger) {
            case .finished(let result, let message):
                return .finished(result, message: message)
            case .document(let body):
                switch ParseStage(metrics: context.metrics).run(body, feed: feed) {
                case .success(let parsed):
                    return .parsed(parsed, body)
                case .failure(let failure):
                    if !followed, let next = failure.advertisedFeed, next != state.currentURL {
                        followed = true
                        logger.notice(
                            "the address is a web page advertising \(URLRedaction.redact(next)): polling that feed from now on")
                        state.currentURL = next
                        state.etag = nil
                        state.lastModified = nil
                        state.polls -= 1  // one poll, two requests: a first poll stays a first poll
                        continue
                    }
                    // Nothing about the feed's entries or validators changes; only the error streak.
                    fetch.fail(&state, failure.message, feed: feed, now: now, retryAfter: nil, logger: logger)
                    return .finished(.error, message: failure.message)
                }
            }
        }
    }

    /// Stages 3 to 5 on a parsed document: identify, classify, and hand the reports to the story stage.
    func entries(
        _ parsed: ParsedFeed, feed: DaemonConfig.Feed, state: inout FeedState, commit: inout PollCommit,
        summary: inout Summary, alertTopics: inout [String: [String]], now: Int64,
        logger: Logger
    ) async throws {
        let config = context.config
        let items = EntryStage.identify(parsed.entries)
        commit.listed = items.map(\.key)
        // A feed's first poll finds nothing stored under it: entries are written only by a poll or a push,
        // and a push counts as a later poll. No lookup then (a cold start of 10,000 feeds made 10,000).
        let firstPoll = state.polls <= 1
        let known = firstPoll ? [:] : try await context.store.entries(feedKey: feed.url, keys: commit.listed)
        let decision = EntryStage(alerts: config.alerts).decide(items, known: known, firstPoll: firstPoll, now: now)
        summary.newEntries = decision.newEntries
        summary.tooOld = decision.tooOld
        // Entries a hub pushed since the last new one count too: a pushed feed's polls find nothing new.
        let pushed = context.websub[feed.url]?.lastPush.map { $0 > (state.lastNewEntry ?? 0) } ?? false
        switch state.noteRhythm(
            newEntries: decision.newEntries > 0 || pushed, now: now, interval: config.interval(of: feed))
        {
        case .resumed: logger.notice("feed has new entries again")
        case .silent(let seconds, let gap):
            logger.warning(
                "feed has brought nothing new for \(DurationText.format(Int(seconds))); it usually does every \(DurationText.format(Int(gap)))"
            )
        case nil: break
        }
        if decision.churn {
            logger.warning(
                "feed presented \(decision.newEntries) new entries at once (identifier churn?); recorded without alerting")
            summary.result = .churn
            state.lastResult = PollResult.churn.rawValue
        }
        let classified = ClassifyStage(classifier: context.classifier)
            .run(decision.toClassify, feedURL: feed.url, feedTitle: parsed.title ?? feed.name, feedName: feed.name, now: now)
        commit.entries = decision.recorded + classified.records
        alertTopics = classified.alertTopics
        if !classified.reports.isEmpty {
            var stories = StoryStage(window: config.alerts.storyWindow, now: now)
            stories.reports = classified.reports
            commit.stories = stories
        }
    }
}
