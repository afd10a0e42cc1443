// Built with the PostgreSQL trait only (Package.swift): the module under test exists only then.
#if PostgreSQL
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import Testing

/// Nodes sharing one PostgreSQL state (docs/cluster.md), at the store: claims never overlap, a lease
/// that ran out is taken over and the late commit is refused, a gone node's pending alerts are adopted,
/// sink deliveries are held for one node, and a SQLite state copies over whole.
@Suite("PostgreSQL leases and copy", .enabled(if: PostgresTrait.skipped == nil, PostgresTrait.skipped), .postgres)
struct PostgresLeaseTests {
    var server: PostgresServer { get throws { try #require(PostgresTrait.server) } }

    /// Stores on one new database, one per node name, for the duration of `body`.
    func withNodes(
        _ names: [String], lease: Int = 60, _ body: ([PostgresStateStore]) async throws -> Void
    ) async throws {
        let server = try server
        let db = try await server.createDatabase()
        let url = try PostgresStateURL(server.url(db), environment: ["PGPASSWORD": server.password])
        func open(_ rest: ArraySlice<String>, _ opened: [PostgresStateStore]) async throws {
            guard let name = rest.first else { return try await body(opened) }
            try await withPostgresStateStore(url: url, node: ClusterNode(name: name, lease: lease)) { store in
                try await open(rest.dropFirst(), opened + [store])
            }
        }
        try await open(names[...], [])
    }

    static let keys = (1...12).map { "https://feeds.test/\($0)" }
    static let seeds = keys.map { FeedSeed(key: $0, configHash: "h") }

    @Test("nodes claiming together get disjoint feeds, all of the due ones, and none twice")
    func disjointClaims() async throws {
        try await withNodes(["a", "b", "c"]) { nodes in
            for node in nodes { try await node.join(Self.seeds) }
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for node in nodes {
                    group.addTask { try await node.claim(limit: 5, dueOnly: true).map(\.key) }
                }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == Self.keys.count)
            #expect(Set(all) == Set(Self.keys))
            #expect(try await nodes[0].claim(limit: 5, dueOnly: true).isEmpty)
            #expect(try await nodes[0].nodes(lease: 60).map(\.leased).reduce(0, +) == 12)
        }
    }

    @Test("joining spreads only the feeds new to the state: a fresh state over the spacing, one added feed at once")
    func firstPolls() async throws {
        try await withNodes(["a"]) { nodes in
            var counts: [Int] = []
            try await nodes[0].join(Array(Self.seeds.prefix(3)), now: 10_000_000) {
                counts.append($0)
                return 700
            }
            try await nodes[0].join(Array(Self.seeds.prefix(4)), now: 20_000_000) {
                counts.append($0)
                return $0 > 1 ? 700 : 0
            }
            #expect(counts == [3, 1])
            let due = Dictionary(uniqueKeysWithValues: try await nodes[0].allFeeds().map { ($0.key, $0.nextPoll) })
            #expect(Self.keys.prefix(4).map { due[$0] } == [10_000, 10_000, 10_001, 20_000])
        }
    }

    @Test("a node claims only the feeds its configuration lists; joining again replaces them")
    func ownFeeds() async throws {
        try await withNodes(["a", "b"]) { nodes in
            try await nodes[0].join(Array(Self.seeds.prefix(6)))
            try await nodes[1].join(Array(Self.seeds.suffix(6)))
            #expect(try await nodes[1].claim(limit: 12, dueOnly: true).map(\.key).sorted() == Self.keys.suffix(6).sorted())
            try await nodes[1].join(Array(Self.seeds.prefix(2)))
            #expect(try await nodes[1].claim(limit: 12, dueOnly: true).map(\.key).sorted() == Self.keys.prefix(2).sorted())
            #expect(try await nodes[0].claim(limit: 12, dueOnly: true).count == 4)
        }
    }

    @Test("a poll's commit releases its lease and schedules the feed; a feed not due is not claimed")
    func commitReleases() async throws {
        try await withNodes(["a", "b"]) { nodes in
            for node in nodes { try await node.join(Array(Self.seeds.prefix(1))) }
            let claimed = try #require(try await nodes[0].claim(limit: 1, dueOnly: true).first)
            #expect(claimed.polls == 0 && claimed.currentURL == Self.keys[0] && claimed.configHash == "h")
            var polled = claimed
            polled.nextPoll = Int64(Date().timeIntervalSince1970) + 600
            polled.polls = 1
            try await nodes[0].commit(PollCommit(feed: polled, seenAt: 1))
            #expect(try await nodes[0].nodes(lease: 60).first { $0.name == "a" }?.leased == 0)
            #expect(try await nodes[1].claim(limit: 1, dueOnly: true).isEmpty)
            // `once` takes feeds that are not due, but never one another node holds.
            #expect(try await nodes[1].claim(limit: 1, dueOnly: false).map(\.key) == [Self.keys[0]])
            #expect(try await nodes[0].claim(limit: 1, dueOnly: false).isEmpty)
        }
    }

    @Test("a lease that runs out is taken over, and the old holder's late commit is refused whole")
    func takeover() async throws {
        try await withNodes(["a", "b"], lease: 1) { nodes in
            for node in nodes { try await node.join(Array(Self.seeds.prefix(1))) }
            let held = try #require(try await nodes[0].claim(limit: 1, dueOnly: true).first)
            #expect(try await nodes[1].claim(limit: 1, dueOnly: true).isEmpty)
            try await Task.sleep(for: .seconds(2.2))
            #expect(try await nodes[1].expiredLeases().map(\.owner) == ["a"])
            #expect(try await nodes[1].claim(limit: 1, dueOnly: true).map(\.key) == [held.key])
            let alert = StoredAlert(
                id: "late", feedKey: held.key, entryKey: "g:1", createdAt: 1, fileName: "1.late.json", payload: [1],
                logLine: "late")
            let late = PollCommit(
                feed: held, entries: [EntryRecord(key: "g:1", contentHash: "c", topics: [], firstSeen: 1)], alerts: [alert],
                seenAt: 1)
            await #expect(throws: PostgresStoreError.self) { try await nodes[0].commit(late) }
            #expect(try await nodes[1].entries(feedKey: held.key, keys: ["g:1"]).isEmpty)
            #expect(try await nodes[1].alertCounts() == (0, 0))
            // The new holder's commit goes through.
            try await nodes[1].commit(late)
            #expect(try await nodes[1].alertCounts() == (1, 1))
        }
    }

    @Test("a node delivers the alerts it committed; another adopts them once it has left")
    func adoption() async throws {
        try await withNodes(["a", "b"]) { nodes in
            for node in nodes { try await node.join(Array(Self.seeds.prefix(1))) }
            let feed = try #require(try await nodes[0].claim(limit: 1, dueOnly: true).first)
            let alert = StoredAlert(
                id: "x", feedKey: feed.key, entryKey: "g:1", createdAt: 1, fileName: "1.x.json", payload: [1], logLine: "x")
            try await nodes[0].commit(PollCommit(feed: feed, alerts: [alert], seenAt: 1))
            #expect(try await nodes[1].pendingAlerts().isEmpty)
            #expect(try await nodes[0].pendingAlerts().map(\.id) == ["x"])
            try await nodes[0].leave()
            #expect(try await nodes[1].pendingAlerts().map(\.id) == ["x"])
            #expect(try await nodes[0].pendingAlerts().isEmpty)
        }
    }

    /// One alert queued for the sink `hook` (delivered long ago, so due at once).
    static func queueSinkDelivery(_ node: PostgresStateStore) async throws {
        let feed = FeedState(key: Self.keys[0], currentURL: Self.keys[0])
        let alert = StoredAlert(
            id: "s", feedKey: feed.key, entryKey: "g:1", createdAt: 1, fileName: "1.s.json", payload: [1], logLine: "s")
        try await node.commit(PollCommit(feed: feed, alerts: [alert], seenAt: 1))
        try await node.markDelivered("s", at: 100, sinks: ["hook"])
    }

    @Test("a sink delivery due on two nodes is handed to one of them until its hold runs out (the database's clock)")
    func sinkHold() async throws {
        try await withNodes(["a", "b"]) { nodes in
            try await Self.queueSinkDelivery(nodes[0])
            #expect(try await nodes[0].dueSinkJobs(sink: "hook", now: 1000, limit: 8, hold: 3).map(\.alertID) == ["s"])
            // A node whose clock runs far ahead does not see it due: the hold is on the database's clock.
            #expect(try await nodes[1].dueSinkJobs(sink: "hook", now: Int64.max / 2, limit: 8, hold: 60).isEmpty)
            try await Task.sleep(for: .seconds(4.2))
            #expect(try await nodes[1].dueSinkJobs(sink: "hook", now: 1000, limit: 8, hold: 60).map(\.alertID) == ["s"])
        }
    }

    /// Issue 23, finding 6: a result is recorded under its claim only. After a lapsed hold and another
    /// node's delivery, the first node's late result is refused and the newer one stands.
    @Test("a late sink result after the hold ran out is refused; the newer node's result stands")
    func sinkFence() async throws {
        try await withNodes(["a", "b"]) { nodes in
            try await Self.queueSinkDelivery(nodes[0])
            let late = try #require(try await nodes[0].dueSinkJobs(sink: "hook", now: 1000, limit: 8, hold: 1).first)
            try await Task.sleep(for: .seconds(2.2))
            let current = try #require(try await nodes[1].dueSinkJobs(sink: "hook", now: 1000, limit: 8, hold: 60).first)
            // Still pending, now under node b's claim: node a's late result is refused (the claim fence).
            await #expect(throws: SinkClaimLost.self) {
                try await nodes[0].recordSinkAttempt(late, outcome: .retry(at: 300, error: "timed out"), at: 250)
            }
            try await nodes[1].recordSinkAttempt(current, outcome: .delivered, at: 200)
            // Delivered: a late result is refused too (the state fence), and never turns it back to pending.
            await #expect(throws: SinkClaimLost.self) {
                try await nodes[0].recordSinkAttempt(late, outcome: .retry(at: 300, error: "timed out"), at: 250)
            }
            let counts = try await nodes[0].sinkCounts()["hook"]
            #expect(counts?.delivered == 1 && counts?.pending == 0, "\(String(describing: counts))")
        }
    }

    /// Issue 25: a WebSub push may reach any node. Its commit leaves the feed's row (and the lease on it)
    /// alone, and its alert, committed again by the node polling the feed, exists once.
    @Test("a push committed on a node that does not hold the feed's lease: accepted once, the lease and schedule untouched")
    func pushOnAnyNode() async throws {
        try await withNodes(["a", "b"]) { nodes in
            for node in nodes { try await node.join(Array(Self.seeds.prefix(1))) }
            let feed = try #require(try await nodes[0].claim(limit: 1, dueOnly: true).first)
            var polled = feed
            polled.nextPoll = 5000
            let alert = StoredAlert(
                id: "p1", feedKey: feed.key, entryKey: "g:p", createdAt: 10, fileName: "10.p1.json", payload: [1],
                logLine: "p1")
            var push = PollCommit(
                feed: FeedState(key: feed.key, currentURL: feed.key, nextPoll: 1),
                entries: [
                    EntryRecord(key: "g:p", contentHash: "h", topics: ["gold-prices"], firstSeen: 10)
                ], alerts: [alert], seenAt: 10)
            push.pushed = true
            #expect(try await nodes[1].commit(push).map(\.id) == ["p1"])
            // The polling node's commit of the same entry and alert: its feed row is written, the alert is not doubled.
            try await nodes[0].commit(PollCommit(feed: polled, alerts: [alert], seenAt: 11))
            #expect(try await nodes[0].feed(feed.key)?.nextPoll == 5000)
            let pending = try await nodes[0].pendingAlerts() + nodes[1].pendingAlerts()
            #expect(pending.map(\.id) == ["p1"])
            #expect(try await nodes[1].entries(feedKey: feed.key, keys: ["g:p"]).count == 1)
        }
    }

    @Test("digests on PostgreSQL: released by release time, one digest per alert, retried under its id")
    func digests() async throws {
        try await withNodes(["a"]) { nodes in
            try await DigestStoreBehaviour.digests(nodes[0])
            try await DigestStoreBehaviour.hourlyCap(nodes[0])
        }
    }

    @Test("two nodes forming a digest of the same alerts at once: one forms it, the other's draft is dropped whole")
    func digestOnce() async throws {
        try await withNodes(["a", "b"]) { nodes in
            let ids = (1...20).map { "r\($0)" }
            try await nodes[0].commit(
                PollCommit(
                    feed: DigestStoreBehaviour.feed, alerts: ids.map { DigestStoreBehaviour.alert($0, at: 10) }, seenAt: 10))
            for id in ids { try await nodes[0].markDelivered(id, at: 11, queueing: [SinkQueueing(sink: "mail", releaseAt: 60)]) }
            for round in 0..<5 {
                let jobs = try await nodes[0].releasedSinkJobs(sink: "mail", now: 60)
                let formed = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for (i, node) in nodes.enumerated() {
                        group.addTask {
                            try await node.formDigest(
                                DigestStoreBehaviour.draft(jobs, id: "d\(round)-\(i)", to: 60, now: 60))
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(formed.filter { $0 }.count == (round == 0 ? 1 : 0), "round \(round): \(formed)")
            }
            let due = try await nodes[0].dueDigests(sink: "mail", now: 60, limit: 10, hold: 60)
            #expect(due.count == 1 && due.first?.count == 20)
            // Held for node a: node b finds nothing due until the hold runs out.
            #expect(try await nodes[1].dueDigests(sink: "mail", now: 60, limit: 10, hold: 60).isEmpty)
        }
    }

    @Test("state copy: a SQLite state loads whole into an empty PostgreSQL state, and only once")
    func copy() async throws {
        let dir = try TestPaths.temporaryDirectory("copy")
        let sqlite = try SQLiteStateStore(directory: dir)
        try await StateStoreBehaviour.sinks(sqlite)  // feeds, alerts (delivered and log lines), sink rows
        try await StoryLedgerTests.roundTrip(sqlite)  // stories with sources, prints and bands
        let pending = StoredAlert(
            id: "p", feedKey: "https://p.test/", entryKey: "g:9", createdAt: 9, fileName: "9.p.json", payload: [9],
            logLine: "p")
        try await sqlite.commit(
            PollCommit(
                feed: FeedState(key: "https://p.test/", currentURL: "https://p.test/", etag: "\"v\"", polls: 4),
                entries: [EntryRecord(key: "g:9", contentHash: "c", topics: ["gold"], firstSeen: 9)], alerts: [pending],
                seenAt: 9))
        try await withNodes(["a"]) { nodes in
            let pg = nodes[0]
            let copied = try await pg.load(from: sqlite)
            for table in StateTable.all {
                let rows = try await sqlite.rows(of: table)
                #expect(copied.first { $0.table == table.name }?.rows == rows.count, "\(table.name)")
                let loaded = try await pg.rows(of: table)
                #expect(Set(loaded.map { "\($0)" }) == Set(rows.map { "\($0)" }), "\(table.name) differs after the copy")
            }
            #expect(try await pg.allFeeds() == (try await sqlite.allFeeds()))
            // Pending rows stay pending, for the first node to deliver.
            #expect(try await pg.pendingAlerts().contains(pending))
            #expect(try await pg.pendingAlerts() == (try await sqlite.pendingAlerts()))
            #expect(try await pg.storyStatistics() == (try await sqlite.storyStatistics()))
            await #expect(throws: PostgresStoreError.self) { _ = try await pg.load(from: sqlite) }
            #expect(try await pg.alertCounts() == (try await sqlite.alertCounts()))
        }
    }
}

extension PostgresStateStore {
    /// Joins with every new feed due at once.
    func join(_ seeds: [FeedSeed]) async throws { try await join(seeds, now: 0, spacing: { _ in 0 }) }
}
#endif
