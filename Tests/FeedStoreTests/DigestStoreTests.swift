import FeedStore
import FeedTestSupport
import Foundation
import Testing

/// Digests at the store (issue 24), the same on every backend: held deliveries are released into a
/// digest by their release time, each alert into one digest only, the digest is retried under its id,
/// and delivering or giving it up settles its members.
enum DigestStoreBehaviour {
    static let feed = FeedState(key: "https://a.test/rss", currentURL: "https://a.test/rss")

    static func alert(_ id: String, at: Int64) -> StoredAlert {
        StoredAlert(
            id: id, feedKey: feed.key, entryKey: "g:\(id)", createdAt: at, fileName: "\(at).\(id).json",
            payload: Array("{\"id\":\"\(id)\"}".utf8), logLine: id)
    }

    static func draft(_ jobs: [SinkJob], id: String, sink: String = "mail", to: Int64, now: Int64) -> DigestDraft {
        DigestDraft(
            id: id, sink: sink, from: jobs.map(\.createdAt).min() ?? to, to: to, members: jobs.map(\.alertID),
            payload: Array("{\"digest\":{\"id\":\"\(id)\"}}".utf8), createdAt: now)
    }

    static func digests(_ store: any StateStore) async throws {
        try await store.commit(
            PollCommit(feed: feed, alerts: ["a1", "a2", "a3", "b1"].map { alert($0, at: 100) }, seenAt: 100))
        // The period [60, 120): a1 queued inside it, a2 at the instant it closes (so in the next one), a3
        // after; b1 on its own for another sink, and for `mail` never on its own.
        try await store.markDelivered("a1", at: 119, queueing: [SinkQueueing(sink: "mail", releaseAt: 120)])
        try await store.markDelivered("a2", at: 120, queueing: [SinkQueueing(sink: "mail", releaseAt: 180)])
        try await store.markDelivered(
            "a3", at: 130, queueing: [SinkQueueing(sink: "mail", releaseAt: 180), SinkQueueing(sink: "hook")])
        try await store.markDelivered("a3", at: 131, queueing: [SinkQueueing(sink: "mail", releaseAt: 240)])  // replayed
        #expect(try await store.dueSinkJobs(sink: "mail", now: 10_000, limit: 10).isEmpty, "held alerts never go alone")
        #expect(try await store.dueSinkJobs(sink: "hook", now: 130, limit: 10).map(\.alertID) == ["a3"])
        #expect(try await store.releasedSinkJobs(sink: "mail", now: 119).isEmpty)
        var counts = try await store.digestCounts()["mail"]
        #expect(counts?.held == 3 && counts?.nextRelease == 120, "\(String(describing: counts))")

        let first = try await store.releasedSinkJobs(sink: "mail", now: 120)
        #expect(first.map(\.alertID) == ["a1"] && first.first?.releaseAt == 120)
        #expect(first.first?.payload == alert("a1", at: 100).payload)
        #expect(try await store.formDigest(draft(first, id: "d1", to: 120, now: 120)))
        #expect(try await store.releasedSinkJobs(sink: "mail", now: 120).isEmpty)
        // A draft with a member another digest took is dropped whole: a2 stays free.
        let both = try await store.releasedSinkJobs(sink: "mail", now: 180)
        #expect(both.map(\.alertID) == ["a2", "a3"])
        #expect(try await !store.formDigest(draft(first + both, id: "dx", to: 180, now: 180)))
        #expect(try await store.releasedSinkJobs(sink: "mail", now: 180).map(\.alertID) == ["a2", "a3"])
        #expect(try await store.formDigest(draft(both, id: "d2", to: 180, now: 181)))

        // d1 fails, then is delivered under the same id; its member follows.
        let due = try await store.dueDigests(sink: "mail", now: 181, limit: 10, hold: 0)
        #expect(due.map(\.id) == ["d1", "d2"] && due.map(\.count) == [1, 2])
        #expect(due.first?.payload == Array("{\"digest\":{\"id\":\"d1\"}}".utf8))
        try await store.recordDigestAttempt(due[0], outcome: .retry(at: 300, error: "HTTP 503"), at: 181)
        // (A shared state hands d2 out again under a new claim: its result is recorded under that one.)
        let second = try await store.dueDigests(sink: "mail", now: 299, limit: 10, hold: 0)
        #expect(second.map(\.id) == ["d2"])
        #expect(try await store.sinkCounts()["mail"]?.pending == 3, "members of a retried digest stay pending")
        try await store.recordDigestAttempt(second[0], outcome: .failed(error: "gave up"), at: 299)
        let retried = try #require(try await store.dueDigests(sink: "mail", now: 300, limit: 5, hold: 0).first)
        #expect(retried.id == "d1" && retried.attempts == 1)
        try await store.recordDigestAttempt(retried, outcome: .delivered, at: 300)
        await #expect(throws: SinkClaimLost.self) {
            try await store.recordDigestAttempt(retried, outcome: .retry(at: 400, error: "late"), at: 301)
        }
        let sinks = try await store.sinkCounts()["mail"]
        #expect(sinks?.delivered == 1 && sinks?.failed == 2 && sinks?.pending == 0, "\(String(describing: sinks))")
        counts = try await store.digestCounts()["mail"]
        #expect(counts == DigestCounts(held: 0, nextRelease: nil, delivered: 1, pending: 0, failed: 1))
        #expect(try await store.dueDigests(sink: "mail", now: 10_000, limit: 10, hold: 0).isEmpty)
    }

    /// `max_per_hour: 2`: the first two alerts of the hour go on their own, the third is held for the
    /// hour's end; the next hour starts again.
    static func hourlyCap(_ store: any StateStore) async throws {
        try await store.commit(PollCommit(feed: feed, alerts: (1...4).map { alert("c\($0)", at: 3600) }, seenAt: 3600))
        let cap = { (at: Int64) in
            SinkQueueing(sink: "push", cap: .init(limit: 2, since: at - at % 3600, releaseAt: at - at % 3600 + 3600))
        }
        for (id, at) in [("c1", Int64(3601)), ("c2", 3700), ("c3", 7199), ("c4", 7200)] {
            try await store.markDelivered(id, at: at, queueing: [cap(at)])
        }
        #expect(try await store.dueSinkJobs(sink: "push", now: 7200, limit: 10).map(\.alertID) == ["c1", "c2", "c4"])
        #expect(try await store.releasedSinkJobs(sink: "push", now: 7200).map(\.alertID) == ["c3"])
    }
}

@Suite("Digests at the store")
struct DigestStoreTests {
    static func open(_ backend: String, _ dir: String) throws -> any StateStore {
        backend == "sqlite" ? try SQLiteStateStore(directory: dir) : MemoryStateStore()
    }

    @Test(
        "held alerts are released into one digest each, by release time; a digest is retried under its id and settles its members",
        arguments: ["sqlite", "memory"])
    func digests(backend: String) async throws {
        let dir = try TestPaths.temporaryDirectory("digest")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await DigestStoreBehaviour.digests(try Self.open(backend, dir))
    }

    @Test("an hourly cap holds what comes past it for the hour's end", arguments: ["sqlite", "memory"])
    func hourlyCap(backend: String) async throws {
        let dir = try TestPaths.temporaryDirectory("digest")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await DigestStoreBehaviour.hourlyCap(try Self.open(backend, dir))
    }

    @Test("a SQLite state of the last release migrates: its deliveries stay, on their own")
    func migrates() async throws {
        let dir = try TestPaths.temporaryDirectory("digest")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStateStore(directory: dir)
        try await store.commit(
            PollCommit(feed: DigestStoreBehaviour.feed, alerts: [DigestStoreBehaviour.alert("o1", at: 5)], seenAt: 5))
        try await store.markDelivered("o1", at: 6, sinks: ["hook"])
        let reopened = try SQLiteStateStore(directory: dir)
        #expect(try await reopened.dueSinkJobs(sink: "hook", now: 6, limit: 5).map(\.alertID) == ["o1"])
    }
}
