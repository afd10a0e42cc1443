import FeedHTTP
import FeedTestSupport
import Testing

/// More hosts than transfer slots, as on the real web (issue "The data path at scale"). The daemon was
/// held at `concurrency` transfers a second: the fetcher's loop slept up to a second before refilling
/// slots that had just emptied. libcurl's own connection limits, a second cap that could park transfers
/// as "pending" behind idle cached connections (curl issues 2369, 6744), are gone as well.
@Suite("Fetcher with more hosts than slots")
struct ManyHostsTests {
    /// `rounds` requests to each of `hosts` distinct host names, all pinned to one keep-alive server on
    /// loopback (idle connections stay in libcurl's cache, as with nginx), through the given slots.
    func cycle(hosts: Int, rounds: Int, concurrency: Int, perHost: Int) async throws -> ([FetchResult], Duration) {
        let server = try KeepAliveServer(body: rss)
        defer { server.stop() }
        let fetcher = Fetcher(options: .init(concurrency: concurrency, perHost: perHost))
        defer { fetcher.shutdown() }
        let requests = (0..<rounds).flatMap { round in
            (0..<hosts).map { h in
                let host = "h\(h).feedwatch.test"
                return FetchRequest(url: "http://\(host):\(server.port)/feed\(round)", addressPolicy: .allowEverything,
                                    resolve: ["\(host):\(server.port):127.0.0.1"])
            }
        }
        let clock = ContinuousClock()
        let started = clock.now
        let results = await fetcher.fetchAll(requests)
        let elapsed = clock.now - started
        #expect(results.count == requests.count)
        for r in results { guard case .body = r.outcome else { Issue.record("\(r.url): \(r.outcome)"); continue } }
        return (results, elapsed)
    }

    /// The server answers at once, so a sequence of transfers takes milliseconds; with a one-second sleep
    /// between them it takes at least as many seconds as transfers. The bounds sit far from both (a
    /// cycle-time property, not a speed measurement: that is bench/scale.sh).
    @Test("freed slots are refilled at once: 20 transfers through one slot, 20 hosts")
    func slotsRefillAtOnce() async throws {
        let (_, elapsed) = try await cycle(hosts: 20, rounds: 1, concurrency: 1, perHost: 1)
        #expect(elapsed < .seconds(8), "20 instant transfers took \(elapsed): the loop waits between them")
    }

    @Test("80 transfers over 40 keep-alive hosts through 4 slots")
    func manyHostsFewSlots() async throws {
        let (_, elapsed) = try await cycle(hosts: 40, rounds: 2, concurrency: 4, perHost: 2)
        #expect(elapsed < .seconds(15), "80 instant transfers through 4 slots took \(elapsed)")
    }
}
