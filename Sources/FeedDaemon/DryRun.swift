import FeedClassify
public import FeedCore
import FeedHTTP
import Foundation

/// `feedwatch once --dry-run` (issue 27): every enabled feed fetched now, and every item it carries
/// classified with the configured topics, seen before or not, as Huginn's dry run tries an agent. It
/// says what would alert and why, and what came near and why not, and writes nothing: no state is
/// opened (it takes no lock, so it runs beside a running daemon), no spool, no log, no sink.
public struct DryRun: Sendable {
    public struct Alert: Sendable {
        public var title: String
        public var link: String?
        public var published: Timestamp?
        /// The topics it would raise, each with why (concept met, score against threshold).
        public var topics: [(name: String, why: String)]
        /// Older than `alerts.max_age`: the daemon keeps such an item without classifying it.
        public var tooOld: Bool
    }

    /// An item that matched words of a topic without applying, and why not.
    public struct NearMiss: Sendable {
        public var title: String
        public var topic: String
        public var whyNot: String
    }

    public struct FeedResult: Sendable {
        public var url: String
        public var name: String?
        /// Why the feed could not be read (nil: it was).
        public var error: String?
        public var items = 0
        public var alerts: [Alert] = []
        public var nearMisses: [NearMiss] = []
    }

    let config: DaemonConfig

    public init(config: DaemonConfig) { self.config = config }

    /// Every enabled feed, in configuration order.
    public func run() async -> [FeedResult] {
        let fetcher = Fetcher(options: .init(concurrency: config.fetch.concurrency, perHost: config.fetch.perHost))
        defer { fetcher.shutdown() }
        let classifier = Classifier(topics: config.topics)
        let parse = ParseStage(metrics: Metrics())
        let feeds = config.feeds.filter(\.enabled)
        let now = Int64(Date().timeIntervalSince1970)
        return await withTaskGroup(of: (Int, FeedResult).self) { group in
            for (i, feed) in feeds.enumerated() {
                group.addTask {
                    let result = await fetcher.fetch(
                        config.request(for: feed, url: feed.url, etag: nil, lastModified: nil))
                    return (i, self.read(result, feed: feed, parse: parse, classifier: classifier, now: now))
                }
            }
            var out = [FeedResult?](repeating: nil, count: feeds.count)
            for await (i, r) in group { out[i] = r }
            return out.compactMap { $0 }
        }
    }

    private func read(
        _ result: FetchResult, feed: DaemonConfig.Feed, parse: ParseStage, classifier: Classifier, now: Int64
    ) -> FeedResult {
        var out = FeedResult(url: feed.url, name: feed.name)
        let body: FetchResult.Body
        switch result.outcome {
        case .body(let b): body = b
        case .notModified: return with(out, error: "304 Not Modified without validators sent")
        case .gone: return with(out, error: "HTTP 410: the feed is gone")
        case .rateLimited(let until, let status): return with(out, error: "HTTP \(status): asked to wait until \(until.iso8601)")
        case .failed(let e): return with(out, error: e.message)
        }
        let parsed: ParsedFeed
        switch parse.run(body, feed: feed) {
        case .success(let p): parsed = p
        case .failure(let f): return with(out, error: f.message)
        }
        let stage = EntryStage(alerts: config.alerts)
        for (_, entry) in EntryStage.identify(parsed.entries) {
            out.items += 1
            let c = classifier.classify(title: entry.title, summary: entry.summary, explain: true)
            let title = entry.title ?? "(untitled)"
            let raised = c.results.filter(\.assigned)
            if !raised.isEmpty {
                out.alerts.append(
                    Alert(
                        title: title, link: entry.link, published: entry.date,
                        topics: raised.map { ($0.name, $0.reason) }, tooOld: stage.tooOld(entry, now: now)))
            }
            for r in c.results where !r.assigned && r.shortfall != nil {
                out.nearMisses.append(NearMiss(title: title, topic: r.name, whyNot: r.explanation))
            }
        }
        return out
    }

    private func with(_ r: FeedResult, error: String) -> FeedResult {
        var r = r
        r.error = error
        return r
    }
}
