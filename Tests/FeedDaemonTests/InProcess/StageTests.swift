import FeedClassify
import FeedCore
import FeedStore
import FeedXML
import Testing

@testable import FeedDaemon
@testable import FeedHTTP

/// The stages of a poll, each on its own, in process: no server, no database, no binary.
@Suite("Poll stages")
struct StageTests {
    static let now: Int64 = 1_800_000_000

    func entry(_ id: String, _ title: String, age: Int64 = 0) -> FeedEntry {
        FeedEntry(id: id, title: title, published: Timestamp(secondsSinceEpoch: Self.now - age))
    }

    @Test("identify: keys by guid, a key listed twice is one entry, document order kept")
    func identify() {
        let items = EntryStage.identify([entry("a", "One"), entry("b", "Two"), entry("a", "One again")])
        #expect(items.map(\.key) == ["g:a", "g:b"])
        #expect(items[0].entry.title == "One")
    }

    @Test("decide: new and edited entries are classified; unchanged ones are not; counts")
    func decideChanged() {
        let stage = EntryStage(alerts: DaemonConfig.Alerts())
        let items = EntryStage.identify([entry("a", "Same"), entry("b", "Edited"), entry("c", "New")])
        let known = [
            "g:a": EntryRecord(key: "g:a", contentHash: EntryIdentity.contentHash(entry("a", "Same")), topics: [], firstSeen: 1),
            "g:b": EntryRecord(key: "g:b", contentHash: "old", topics: ["markets"], firstSeen: 2),
        ]
        let d = stage.decide(items, known: known, firstPoll: false, now: Self.now)
        #expect(d.newEntries == 1)
        #expect(!d.churn)
        #expect(d.toClassify.map(\.key) == ["g:b", "g:c"])
        #expect(d.toClassify[0].old?.topics == ["markets"])
        #expect(d.recorded.isEmpty)
    }

    @Test("decide: baseline first poll, churn and max age record without classifying")
    func decideRecordOnly() {
        var alerts = DaemonConfig.Alerts()
        alerts.firstPoll = .baseline
        alerts.churnLimit = 2
        alerts.maxAge = 3600
        let stage = EntryStage(alerts: alerts)
        let three = EntryStage.identify([entry("a", "A"), entry("b", "B"), entry("c", "C")])
        let baseline = stage.decide(three, known: [:], firstPoll: true, now: Self.now)
        #expect(baseline.toClassify.isEmpty && baseline.recorded.count == 3 && !baseline.churn)
        let churn = stage.decide(three, known: [:], firstPoll: false, now: Self.now)
        #expect(churn.churn && churn.toClassify.isEmpty && churn.recorded.count == 3)
        let old = stage.decide(
            EntryStage.identify([entry("a", "A", age: 7200), entry("b", "B", age: 60)]), known: [:],
            firstPoll: false, now: Self.now)
        #expect(old.recorded.map(\.key) == ["g:a"])
        #expect(old.toClassify.map(\.key) == ["g:b"])
    }

    @Test("classify: an edit alerts again only when it adds a topic; records keep every topic")
    func classifyStage() {
        let stage = ClassifyStage(classifier: Classifier(topics: TopicCatalog.defaults))
        let gold = entry("g", "Gold prices rise to a record as the dollar weakens")
        let changed = [
            EntryStage.Changed(key: "g:g", entry: gold, contentHash: "h1", old: nil),
            EntryStage.Changed(
                key: "g:h", entry: gold, contentHash: "h2",
                old: EntryRecord(key: "g:h", contentHash: "h0", topics: ["gold-prices"], firstSeen: 5)),
        ]
        let out = stage.run(changed, feedURL: "https://f.test/rss", feedTitle: "F", now: Self.now)
        #expect(out.records.map(\.topics) == [["gold-prices"], ["gold-prices"]])
        #expect(out.records[1].firstSeen == 5)
        #expect(out.reports.count == 1)
        #expect(out.alertTopics.values.map { $0 } == [["gold-prices"]])
    }

    @Test("parse: a web page is not a feed, and the message names the feeds it advertises")
    func parseStage() {
        let page = Array(
            """
            <html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>Hi</body></html>
            """.utf8)
        let body = FetchResult.Body(bytes: page, status: 200, finalURL: "https://site.test/news")
        let feed = DaemonConfig.Feed(url: "https://site.test/news")
        guard case .failure(let failure) = ParseStage(metrics: Metrics()).run(body, feed: feed) else {
            Issue.record("a web page parsed as a feed")
            return
        }
        #expect(failure.cause.code == .notAFeed)
        #expect(failure.message.hasPrefix("not a feed: "))
        #expect(failure.message.hasSuffix("; the page advertises https://site.test/rss.xml"))
    }

    @Test("schedule on the state: success clamps and jitters, failure backs off, Retry-After wins, 410 stops")
    func schedule() {
        var s = DaemonConfig.Schedule()
        s.jitter = 0
        var state = FeedState(key: "k", currentURL: "k")
        state.succeeded(now: Self.now, interval: 60, hint: nil, schedule: s)
        #expect(state.nextPoll == Self.now + Int64(s.minInterval))  // clamped up to min_interval
        state.succeeded(now: Self.now, interval: 900, hint: 7200, schedule: s)
        #expect(state.nextPoll == Self.now + 7200)  // the feed's TTL, when longer
        #expect(state.lastResult == PollResult.ok.rawValue && state.errorStreak == 0)

        let backoff = Backoff(cap: 6 * 3600, jitter: 0)
        let first = state.failed("boom", now: Self.now, interval: 900, retryAfter: nil, backoff: backoff)
        let second = state.failed("boom", now: Self.now, interval: 900, retryAfter: nil, backoff: backoff)
        #expect((first, second) == (900, 1800))
        #expect(state.notPolled(at: Self.now)?.0 == .waiting)
        #expect(state.notPolled(at: Self.now + 1800) == nil)
        let long = state.failed(
            "busy", now: Self.now, interval: 900, retryAfter: Timestamp(secondsSinceEpoch: Self.now + 50_000),
            backoff: backoff)
        #expect(long == 50_000)

        state.markGone()
        #expect(state.notPolled(at: Self.now + 100_000)?.0 == .gone)
        #expect(state.nextDue == nil)
        var feed = DaemonConfig.Feed(url: "k")
        feed.name = "renamed"
        feed.configHash = feed.settingsHash()
        state.adopt(feed)  // an edited entry re-enables the feed and forgets its back-off
        #expect(!state.gone && state.errorStreak == 0 && state.notBefore == 0)
    }

    @Test("a log line keeps no invisible character: zero-width space, word joiner, BOM, bidi controls")
    func invisibleInLogLines() {
        let line = AlertRenderer.oneLine("Gold\u{200B} rises\u{2060}\u{FEFF}\u{202E} today")
        #expect(line == "Gold rises today")
    }

    @Test("the result names a poll as the state, metrics and status spell it")
    func resultNames() {
        #expect(
            PollResult.allCases.map(\.rawValue)
                == ["ok", "not_modified", "gone", "rate_limited", "error", "churn", "waiting"])
        #expect(!PollResult.waiting.polled && !PollResult.gone.polled && PollResult.error.polled)
        #expect(FeedStatus(enabled: true, state: nil).name == "never_polled")
        #expect(FeedStatus(enabled: false, state: nil).name == "disabled")
    }
}
