import FeedClassify
import FeedCore
import FeedHTTP
import FeedSpool
import FeedStore
import FeedXML
import Foundation
import Logging

/// One poll of one feed, from request to committed state: fetch, parse, identify entries, classify the
/// new and edited ones, and commit the feed's state, its entries, the story decisions of its on-topic
/// reports (`StoryStage`) and the alerts and log lines they raise in one transaction (the outbox).
/// Delivery is `Delivery`'s job.
public struct FeedPoller: Sendable {
    let context: DaemonContext

    public struct Summary: Sendable {
        public var feed: String
        public var result: String
        public var newEntries = 0
        public var alerts = 0
        /// Reports that joined a story already alerted: no file, an "also" line.
        public var merged = 0
        public var message: String?
        /// When the feed is next due (seconds since the epoch: the later of next poll and not-before);
        /// nil for a feed that is gone.
        public var nextDue: Int64?
        /// The topics each possible alert adds, by alert id, for metrics.
        var alertTopics: [String: [String]] = [:]
    }

    /// The one place a poll is decided: a gone feed is not polled, and neither is one still waiting out
    /// back-off or Retry-After (its summary says until when). `known`: the feed's stored state when the
    /// caller has just read it (nil: none stored yet).
    func poll(_ feed: DaemonConfig.Feed, known: FeedState?, now: Int64) async throws -> Summary {
        let config = context.config
        var logger = context.logger
        logger[metadataKey: "feed"] = "\(DaemonConfig.redact(feed.url))"
        var state = known ?? FeedState(key: feed.url, currentURL: feed.url)
        let hash = feed.configHash
        if state.configHash != hash {
            // A changed configuration entry re-enables a gone feed and forgets its back-off.
            state.gone = false
            state.errorStreak = 0
            state.notBefore = 0
            state.currentURL = feed.url
            state.configHash = hash
        }
        if state.gone { return Summary(feed: feed.url, result: "gone", message: "disabled after HTTP 410; change its configuration to re-enable") }
        if state.notBefore > now {
            let at = Timestamp(secondsSinceEpoch: state.notBefore).iso8601
            return Summary(feed: feed.url, result: "waiting", message: "back-off or Retry-After until \(at)",
                           nextDue: state.notBefore)
        }

        let request = config.request(for: feed, url: state.currentURL, etag: state.etag, lastModified: state.lastModified)
        let result = await context.fetcher.fetch(request)
        context.metrics.fetched(FeedPoller.outcomeName(result.outcome), seconds: result.seconds)
        state.lastPoll = now
        state.polls += 1
        if let moved = result.permanentRedirect, moved != state.currentURL {
            logger.info("permanent redirect: polling \(DaemonConfig.redact(moved)) from now on")
            state.currentURL = moved
        }
        let interval = config.interval(of: feed)
        var summary = Summary(feed: feed.url, result: "ok")
        var commit = PollCommit(feed: state, seenAt: now)

        switch result.outcome {
        case .notModified:
            succeed(&state, now: now, interval: interval, hint: nil)
            summary.result = "not_modified"
        case .gone:
            state.gone = true
            state.lastResult = "gone"
            state.lastError = "HTTP 410 Gone"
            logger.warning("feed is gone (HTTP 410); disabled until its configuration changes")
            summary.result = "gone"
        case .rateLimited(let until, let status):
            state.notBefore = until.secondsSinceEpoch
            state.nextPoll = until.secondsSinceEpoch
            state.lastResult = "rate_limited"
            state.lastError = "HTTP \(status); retry after \(until.iso8601)"
            summary.result = "rate_limited"
            summary.message = state.lastError
        case .failed(let error):
            fail(&state, message: error.message, now: now, interval: interval, retryAfter: error.retryAfter, logger: logger)
            summary.result = "error"
            summary.message = error.message
        case .body(let body):
            do {
                var parser = FeedParser()
                parser.limits.readContent = false
                let started = Heartbeat.now()
                defer { context.metrics.parsed(seconds: Double(Heartbeat.now() - started) / 1000) }
                let parsed = try parser.parse(body.bytes, documentURL: body.finalURL, httpCharset: body.charset,
                                              defaultDateOffset: feed.timezoneOffset ?? 0)
                if parsed.bozo { logger.notice("feed is malformed, read by recovery: \(parsed.bozoReason ?? "")") }
                state.etag = body.etag
                state.lastModified = body.lastModified
                state.title = parsed.title ?? state.title
                let ttl = parsed.ttlMinutes.map { $0 * 60 }
                succeed(&state, now: now, interval: interval, hint: [ttl, body.maxAge].compactMap { $0 }.max())
                commit.feed = state
                try await entries(parsed, feed: feed, state: &state, commit: &commit, summary: &summary, now: now, logger: logger)
            } catch let error as ParseError {
                var message = error.description
                if error.code == .notAFeed {
                    let advertised = FeedDiscovery.advertisedFeeds(html: body.bytes, pageURL: body.finalURL)
                    message = "not a feed: \(message)" + (advertised.isEmpty ? "" : "; the page advertises \(advertised.joined(separator: ", "))")
                }
                // Nothing about the feed's entries or validators changes; only the error streak.
                fail(&state, message: message, now: now, interval: interval, retryAfter: nil, logger: logger)
                summary.result = "error"
                summary.message = message
            }
        }
        commit.feed = state
        CrashPoint.beforePendingCommit.reach()
        let rows = try await context.store.commit(commit)
        CrashPoint.afterStoryCommit.reach()
        for row in rows where row.kind == .file { context.metrics.alerted(topics: summary.alertTopics[row.id] ?? []) }
        summary.alerts = rows.filter { $0.kind == .file }.count
        summary.merged = rows.count - summary.alerts
        context.metrics.merged(summary.merged)
        summary.nextDue = state.gone ? nil : state.dueAt
        logger.debug("polled: \(summary.result), \(summary.newEntries) new, \(summary.alerts) alert(s), \(summary.merged) merged")
        return summary
    }

    /// New and edited entries: identity, deduplication, churn, first-poll and age rules, classification.
    private func entries(_ parsed: ParsedFeed, feed: DaemonConfig.Feed, state: inout FeedState, commit: inout PollCommit,
                         summary: inout Summary, now: Int64, logger: Logger) async throws {
        let config = context.config
        var seen = Set<String>()
        let items = parsed.entries.compactMap { e -> (String, FeedEntry)? in
            let k = EntryIdentity.key(e)
            return seen.insert(k).inserted ? (k, e) : nil   // duplicates within one document collapse
        }
        commit.listed = items.map(\.0)
        let known = try await context.store.entries(feedKey: feed.url, keys: commit.listed)
        let fresh = items.filter { known[$0.0] == nil }
        summary.newEntries = fresh.count
        noteRhythm(&state, newEntries: !fresh.isEmpty, now: now, interval: context.config.interval(of: feed), logger: logger)
        let firstPoll = commit.feed.polls <= 1 && known.isEmpty
        let baseline = firstPoll && config.alerts.firstPoll == .baseline
        let churn = !firstPoll && fresh.count > config.alerts.churnLimit
        if churn {
            logger.warning("feed presented \(fresh.count) new entries at once (identifier churn?); recorded without alerting")
            summary.result = "churn"
            state.lastResult = "churn"
        }
        var stage = StoryStage(window: config.alerts.storyWindow, now: now)
        for (key, entry) in items {
            let hash = EntryIdentity.contentHash(entry)
            let old = known[key]
            if let old, old.contentHash == hash { continue }
            if baseline || churn || tooOld(entry, now: now) {
                commit.entries.append(EntryRecord(key: key, contentHash: hash, topics: old?.topics ?? [], firstSeen: old?.firstSeen ?? now))
                continue
            }
            let c = context.classifier.classify(title: entry.title, summary: entry.summary)
            let topics = c.topics.sorted()
            let alreadyAlerted = Set(old?.topics ?? [])
            let added = topics.filter { !alreadyAlerted.contains($0) }
            commit.entries.append(EntryRecord(key: key, contentHash: hash, topics: Array(alreadyAlerted.union(topics)).sorted(),
                                              firstSeen: old?.firstSeen ?? now))
            // An edit alerts again only when it adds a topic.
            guard !added.isEmpty else { continue }
            let report = StoryStage.Report(feedURL: feed.url, feedTitle: parsed.title ?? feed.name, entryKey: key, entry: entry,
                                           classification: c, at: now)
            summary.alertTopics[report.alertID] = added
            stage.reports.append(report)
        }
        if !stage.reports.isEmpty { commit.stories = stage }
    }

    /// Learns how often the feed brings new entries and reports, once, a silence far longer than that.
    private func noteRhythm(_ state: inout FeedState, newEntries: Bool, now: Int64, interval: Int, logger: Logger) {
        if newEntries {
            if let last = state.lastNewEntry {
                let gap = now - last
                state.newEntryGap = state.newEntryGap == 0 ? gap : (state.newEntryGap * 4 + gap) / 5
            }
            state.lastNewEntry = now
            if state.silenceReported { logger.notice("feed has new entries again") }
            state.silenceReported = false
            return
        }
        guard let last = state.lastNewEntry, state.newEntryGap > 0, !state.silenceReported else { return }
        let silence = now - last
        if silence > max(10 * state.newEntryGap, Int64(3 * interval), 86_400) {
            logger.warning("feed has brought nothing new for \(DurationText.format(Int(silence))); it usually does every \(DurationText.format(Int(state.newEntryGap)))")
            state.silenceReported = true
        }
    }

    /// Older than `alerts.max_age` (dates in the future count as now).
    private func tooOld(_ e: FeedEntry, now: Int64) -> Bool {
        let maxAge = Int64(context.config.alerts.maxAge)
        guard maxAge > 0, let date = e.date?.secondsSinceEpoch else { return false }
        return min(date, now) < now - maxAge
    }

    private func succeed(_ state: inout FeedState, now: Int64, interval: Int, hint: Int?) {
        let s = context.config.schedule
        var every = max(interval, hint ?? 0)
        every = min(max(every, s.minInterval), s.maxInterval)
        let jittered = Double(every) * (1 + s.jitter * (2 * Double.random(in: 0..<1) - 1))
        state.nextPoll = now + Int64(jittered)
        state.notBefore = 0
        state.errorStreak = 0
        state.lastError = nil
        state.lastResult = "ok"
        state.lastSuccess = now
    }

    private func fail(_ state: inout FeedState, message: String, now: Int64, interval: Int, retryAfter: Timestamp?,
                      logger: Logger) {
        state.errorStreak += 1
        state.lastError = message
        state.lastResult = "error"
        var delay = Int64(context.backoff.delay(errorStreak: state.errorStreak, interval: interval))
        if let r = retryAfter { delay = max(delay, r.secondsSinceEpoch - now) }
        state.notBefore = now + delay
        state.nextPoll = now + delay
        let text = "fetch failed \(state.errorStreak) time(s) in a row: \(message); next try in \(DurationText.format(Int(delay)))"
        // A warning at the 1st, 3rd and 10th failure and every 50th; every other failure at info.
        if [1, 3, 10].contains(state.errorStreak) || state.errorStreak % 50 == 0 { logger.warning("\(text)") } else { logger.info("\(text)") }
    }

    static func outcomeName(_ o: FetchResult.Outcome) -> String {
        switch o {
        case .body: return "body"
        case .notModified: return "not_modified"
        case .gone: return "gone"
        case .rateLimited: return "rate_limited"
        case .failed(let e): return e.code.rawValue
        }
    }
}
