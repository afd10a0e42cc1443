import FeedCore
import FeedSpool
import FeedStore
import FeedTestSupport
import Foundation
import Testing

@testable import FeedDaemon

/// The poll pipeline and delivery in process: a real HTTP server on 127.0.0.1 and a real spool, with the
/// state in memory (`MemoryStateStore`) and the log captured (`LogCapture`).
@Suite("Poll pipeline and delivery, in process", .serialized)
struct PipelineTests {
    /// Resources over an in-memory state, for a harness configuration.
    static func resources(_ h: DaemonHarness, log: LogCapture) throws -> (DaemonResources, MemoryStateStore) {
        let store = MemoryStateStore()
        let config = try DaemonConfig.load(path: h.configPath)
        return (try DaemonResources(config: config, logger: log.logger) { _ in store }, store)
    }

    @Test("a poll raises an alert, delivery writes its file and line once, the next poll finds nothing new")
    func pollThenDeliver() async throws {
        let h = try DaemonHarness()
        h.serve("/a", items: [(goldTitle, "g1"), (plainTitle, "p1")])
        try h.writeConfig(feeds: ["/a"])
        let log = LogCapture()
        let (resources, store) = try Self.resources(h, log: log)
        let ctx = resources.context
        let feed = try #require(ctx.config.feeds.first)
        let poller = FeedPoller(context: ctx)

        let first = try await poller.poll(feed, known: nil, now: 1_800_000_000)
        #expect(first.result == .ok)
        #expect((first.newEntries, first.alerts, first.merged) == (2, 1, 0))
        #expect(try await store.alertCounts() == (total: 1, pending: 1))
        #expect(h.alertFiles.isEmpty)  // committed, not yet delivered

        let delivered = await Delivery(context: ctx).deliverPending()
        #expect((delivered.delivered, delivered.pending) == (1, 0))
        #expect(h.alertTitles == [goldTitle])
        #expect(h.logLines.count == 1)
        #expect(log.contains("info: alert: "))
        let again = await Delivery(context: ctx).deliverPending()
        #expect(again.delivered == 0 && h.alertFiles.count == 1 && h.logLines.count == 1)

        let state = try #require(try await store.feed(feed.url))
        #expect(state.lastResult == "ok" && state.polls == 1)
        let second = try await poller.poll(feed, known: state, now: 1_800_000_000 + 1000)
        #expect(second.result == .ok)  // the test server sends no validators: a 200 with nothing new
        #expect(second.alerts == 0 && second.newEntries == 0)
    }

    @Test("a page that is not a feed after a good poll: an error, back-off, no alert, entries and validators kept")
    func brokenDocument() async throws {
        let h = try DaemonHarness()
        h.serve("/a", items: [(plainTitle, "p1")])
        try h.writeConfig(feeds: ["/a"])
        let (resources, store) = try Self.resources(h, log: LogCapture())
        let ctx = resources.context
        let feed = try #require(ctx.config.feeds.first)
        let poller = FeedPoller(context: ctx)
        let now: Int64 = 1_800_000_000
        _ = try await poller.poll(feed, known: nil, now: now)
        let good = try #require(try await store.feed(feed.url))
        let entries = try await store.entries(feedKey: feed.url, keys: ["g:p1"])
        // Now the server answers with a page that is not a feed, whose text would alert if it were read.
        h.serveRaw("/a", "<!DOCTYPE html><html><body><h1>\(goldTitle)</h1><p>g2</p></body></html>")
        let broken = try await poller.poll(feed, known: good, now: now + 1000)
        #expect(broken.result == .error)
        #expect(broken.alerts == 0 && broken.newEntries == 0)
        let after = try #require(try await store.feed(feed.url))
        #expect(after.errorStreak == 1 && after.notBefore > now + 1000)
        #expect(after.etag == good.etag && after.lastModified == good.lastModified && after.title == good.title)
        #expect(try await store.entries(feedKey: feed.url, keys: ["g:p1", "g:g2"]) == entries)
        #expect(try await store.alertCounts().total == 0)
    }

    @Test("BI-17 an alert never carries a javascript:, data:, vbscript: or file: link, whatever the feed says")
    func unsafeLinks() async throws {
        let h = try DaemonHarness()
        let links = [
            "javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "DATA:text/html,x", " vbscript:msgbox(1)",
            "file:///etc/passwd", "\tjavascript:alert(1)",
        ]
        let stories = [
            goldTitle, aiTitle, "Nikkei closes at a record high", "Oil prices fall as OPEC raises output",
            "Microsoft and OpenAI sign a new cloud deal", "Gold hits a record above $3,000 an ounce",
        ]
        let items = zip(links, stories).enumerated().map { i, pair in
            "<item><title>\(pair.1)</title><guid>u\(i)</guid><link>\(pair.0.replacingOccurrences(of: "&", with: "&amp;"))</link></item>"
        }
        h.serveRaw("/a", "<rss version=\"2.0\"><channel><title>T</title>\(items.joined())</channel></rss>")
        try h.writeConfig(feeds: ["/a"], alerts: "max_age: 0\nstory_window: 0")
        let (resources, _) = try Self.resources(h, log: LogCapture())
        let ctx = resources.context
        let polled = try await FeedPoller(context: ctx).poll(try #require(ctx.config.feeds.first), known: nil, now: 1_800_000_000)
        #expect(polled.alerts == links.count, "every story alerts")
        _ = await Delivery(context: ctx).deliverPending()
        #expect(h.alerts.count == links.count)
        for alert in h.alerts {
            let entry = try #require(alert["entry"] as? [String: Any])
            #expect(entry["link"] is NSNull, "\(entry["link"] ?? "")")
        }
        #expect(h.logLines.allSatisfy { $0.hasSuffix("\t-") }, "\(h.logLines)")
    }

    @Test("a feed waiting out back-off is not requested; a failing fetch backs off and says so")
    func waitingAndFailing() async throws {
        let h = try DaemonHarness()
        try h.writeConfig(feeds: ["/missing"])
        let log = LogCapture()
        let (resources, store) = try Self.resources(h, log: log)
        let ctx = resources.context
        let feed = try #require(ctx.config.feeds.first)
        let poller = FeedPoller(context: ctx)
        let now: Int64 = 1_800_000_000
        let failed = try await poller.poll(feed, known: nil, now: now)
        #expect(failed.result == .error)
        #expect(log.contains("warning: fetch failed 1 time(s) in a row"))
        let state = try #require(try await store.feed(feed.url))
        #expect(state.errorStreak == 1 && state.notBefore > now)
        let requests = h.server.requests.count
        let waiting = try await poller.poll(feed, known: state, now: now + 1)
        #expect(waiting.result == .waiting)
        #expect(waiting.nextDue == state.dueAt)
        #expect(h.server.requests.count == requests)
    }

    @Test("a full spool keeps alerts pending with the errno and path; they are delivered once it frees")
    func fullSpool() async throws {
        let h = try DaemonHarness()
        h.serve("/a", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/a"])
        let (resources, store) = try Self.resources(h, log: LogCapture())
        let ctx = resources.context
        _ = try await FeedPoller(context: ctx).poll(try #require(ctx.config.feeds.first), known: nil, now: 1_800_000_000)
        // A spool whose new/ cannot be written: link(2) fails with EACCES (tests run as root: use a file).
        let newDir = h.spool + "/new"
        try FileManager.default.removeItem(atPath: newDir)
        _ = FileManager.default.createFile(atPath: newDir, contents: nil)
        let stuck = await Delivery(context: ctx).deliverPending()
        #expect(stuck.pending == 1 && stuck.delivered == 0)
        let cause = try #require(stuck.error as? SpoolError)
        #expect(cause.errno != nil && cause.path?.hasPrefix(h.spool) == true)
        #expect(try await store.alertCounts().pending == 1)
        try FileManager.default.removeItem(atPath: newDir)
        try FileManager.default.createDirectory(atPath: newDir, withIntermediateDirectories: false)
        let freed = await Delivery(context: ctx).deliverPending()
        #expect(freed.delivered == 1 && h.alertTitles == [goldTitle])
    }
}
