@_spi(Faults) import FeedCore
import FeedHTTP
import FeedSpool
import FeedStore
import FeedXML
import Logging

/// WebSub on the poll path (issue 25): content a hub pushed goes through the same stages as a polled
/// document, and a poll notes the hub a feed names and keeps a pushed feed as a safety net.
extension FeedPoller {
    /// A pushed document: parse, identify, classify, story, commit, as a poll does, without a request
    /// and without touching the feed's schedule, validators or lease (`PollCommit.pushed`), so a push
    /// may land on any node and alongside a poll. Entries already known alert nothing, so a retried
    /// push or a poll of the same entries adds nothing.
    func push(_ feed: DaemonConfig.Feed, document: FetchResult.Body, now: Int64) async throws -> Summary {
        var logger = context.logger
        logger[metadataKey: "feed"] = "\(URLRedaction.redact(feed.url))"
        var state = try await context.store.feed(feed.url) ?? FeedState(key: feed.url, currentURL: feed.url)
        state.polls = max(state.polls, 2)  // a push is never a first poll: its entries are news
        var summary = Summary(feed: feed.url, name: feed.name, result: .ok)
        let parsed: ParsedFeed
        switch ParseStage(metrics: context.metrics).run(document, feed: feed) {
        case .success(let p): parsed = p
        case .failure(let failure):
            logger.warning("WebSub: pushed content is not a feed: \(failure.message)")
            return Summary(feed: feed.url, name: feed.name, result: .error, message: failure.message)
        }
        var commit = PollCommit(feed: state, seenAt: now)
        commit.pushed = true
        var alertTopics: [String: [String]] = [:]
        try await entries(
            parsed, feed: feed, state: &state, commit: &commit, summary: &summary, alertTopics: &alertTopics, now: now,
            logger: logger)
        commit.listed = []  // a push lists what is new, not what the feed still carries
        CrashPoint.beforePushCommit.reach()
        (summary.alerts, summary.merged) = try await CommitStage(store: context.store, metrics: context.metrics)
            .run(commit, alertTopics: alertTopics)
        CrashPoint.afterPushCommit.reach()
        return summary
    }

    /// After a poll's document: a hub the feed names is noted for `WebSubService` to subscribe to, and a
    /// feed its hub pushes is polled 12 times less often (NewsBlur's factor), as a safety net. A poll
    /// that finds entries no push brought shows the hub is not pushing: the feed is polled at its own
    /// rhythm again until a push comes.
    func websub(
        _ feed: DaemonConfig.Feed, parsed: ParsedFeed, body: FetchResult.Body, plan: Cadence.Plan, newEntries: Int,
        now: Int64, logger: Logger
    ) async -> Cadence.Plan {
        let config = context.config
        guard config.websubEnabled else { return plan }
        var known = context.websub[feed.url]
        let discovered = WebSubLinks.discover(header: body.link, parsed: parsed, polled: body.finalURL)
        if discovered != nil, known == nil {
            // Not in memory yet (a start, before WebSubService's first round): the state may have it.
            known = ((try? await context.store.subscriptions()) ?? []).first { $0.feedKey == feed.url }
            if let known { context.websub.set(known) }
        }
        if let (hub, topic) = discovered, known == nil || known?.hub != hub || known?.topic != topic {
            let fresh = WebSubSubscriber.new(feedKey: feed.url, hub: hub, topic: topic)
            do {
                if let old = known, old.state == .active {
                    logger.info("WebSub: the feed moved from hub \(old.hub) to \(hub)")
                }
                try await context.store.save(fresh)
                context.websub.set(fresh)
                logger.info("WebSub: the feed names a hub, \(hub); subscribing")
            } catch {
                logger.warning("WebSub: cannot keep the hub the feed names: \(error)")
            }
            return plan
        }
        guard var s = known, s.isPushing(at: now) else { return plan }
        if newEntries > 0 {
            s = ((try? await context.store.subscription(token: s.token)) ?? nil) ?? s
            s.missed = true
            try? await context.store.save(s)
            context.websub.set(s)
            logger.warning(
                "WebSub: a poll found \(newEntries) entries the hub \(s.hub) did not push; polling at the feed's own rhythm until it pushes again"
            )
            return plan
        }
        return Self.safetyNet(plan, schedule: config.schedule)
    }

    /// A pushed feed's plan: 12 times less often than its own rhythm, within `max_interval`.
    static func safetyNet(_ plan: Cadence.Plan, schedule: DaemonConfig.Schedule) -> Cadence.Plan {
        let every = min(schedule.maxInterval, max(plan.every, 1) * 12)
        return Cadence.Plan(every: every, reason: "WebSub: pushed by its hub; polled as a safety net", gap: plan.gap)
    }
}
