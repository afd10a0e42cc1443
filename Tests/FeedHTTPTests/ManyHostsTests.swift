import FeedHTTP
import FeedTestSupport
import Testing

/// More hosts than transfer slots, as on the real web (issue "The data path at scale"). Two stalls held
/// the daemon at `concurrency` transfers a second: the fetcher's loop slept up to a second before
/// refilling slots that had just emptied, and libcurl's own connection limits parked transfers as
/// "pending" behind idle cached connections until a timer (curl issues 2369, 6744).
@Suite("Fetcher with more hosts than slots")
struct ManyHostsTests {
    /// The server answers at once on loopback, so a sequence of transfers takes milliseconds; with a
    /// one-second sleep between them it takes at least as many seconds as transfers. The bound sits far
    /// from both (a cycle-time property, not a speed measurement: that is bench/scale.sh).
    @Test("freed slots are refilled at once: 20 transfers through one slot, 20 hosts")
    func slotsRefillAtOnce() async throws {
        let server = try KeepAliveServer(body: rss)
        defer { server.stop() }
        let hosts = (0..<20).map { "h\($0).feedwatch.test" }
        let fetcher = Fetcher(options: .init(concurrency: 1, perHost: 1))
        defer { fetcher.shutdown() }
        let requests = hosts.map { host in
            FetchRequest(url: "http://\(host):\(server.port)/feed", addressPolicy: .allowEverything,
                         resolve: ["\(host):\(server.port):127.0.0.1"])
        }
        let clock = ContinuousClock()
        let started = clock.now
        let results = await fetcher.fetchAll(requests)
        let elapsed = clock.now - started
        #expect(results.count == 20)
        for r in results { guard case .body = r.outcome else { Issue.record("\(r.url): \(r.outcome)"); continue } }
        #expect(elapsed < .seconds(8), "20 instant transfers took \(elapsed): the loop waits between them")
    }

    @Test("80 transfers over 40 keep-alive hosts through 4 slots all complete")
    func manyHostsFewSlots() async throws {
        // Keep-alive, as nginx does: idle connections stay in libcurl's cache and, with libcurl's own
        // total-connection limit, new hosts had to wait for them.
        let server = try KeepAliveServer(body: rss)
        defer { server.stop() }
        let hosts = (0..<40).map { "h\($0).feedwatch.test" }
        let fetcher = Fetcher(options: .init(concurrency: 4, perHost: 2))
        defer { fetcher.shutdown() }
        let requests = (0..<2).flatMap { round in
            hosts.map { host in
                FetchRequest(url: "http://\(host):\(server.port)/feed\(round)", addressPolicy: .allowEverything,
                             resolve: ["\(host):\(server.port):127.0.0.1"])
            }
        }
        let clock = ContinuousClock()
        let started = clock.now
        let results = await fetcher.fetchAll(requests)
        let elapsed = clock.now - started
        #expect(results.count == 80)
        for r in results { guard case .body = r.outcome else { Issue.record("\(r.url): \(r.outcome)"); continue } }
        #expect(elapsed < .seconds(15), "80 instant transfers through 4 slots took \(elapsed)")
    }
}
