import FeedHTTP
import FeedTestSupport
import Testing

/// More hosts than transfer slots, as on the real web (issue "The data path at scale"). The daemon was
/// held at `concurrency` transfers a second: the fetcher's loop slept up to a second before refilling
/// slots that had just emptied. libcurl's own connection limits, a second cap that could park transfers
/// as "pending" behind idle cached connections (curl issues 2369, 6744), are gone as well.
@Suite("Fetcher with more hosts than slots")
struct ManyHostsTests {
    /// `rounds` requests to each of `hosts` distinct host names, all pinned to one server on loopback,
    /// through the given slots.
    func cycle(hosts: Int, rounds: Int, concurrency: Int, perHost: Int, port: Int) async throws -> ([FetchResult], Duration) {
        let fetcher = Fetcher(options: .init(concurrency: concurrency, perHost: perHost))
        defer { fetcher.shutdown() }
        let requests = (0..<rounds).flatMap { round in
            (0..<hosts).map { h in
                let host = "h\(h).feedwatch.test"
                return FetchRequest(url: "http://\(host):\(port)/feed\(round)", addressPolicy: .allowEverything,
                                    resolve: ["\(host):\(port):127.0.0.1"])
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

    /// The in-process server answers at once, so 30 transfers one after another take milliseconds even
    /// on a loaded machine; with the one-second sleep between them they took 30 seconds. The bound sits
    /// far from both (a cycle-time property, not a speed measurement: that is bench/scale.sh).
    @Test("freed slots are refilled at once: 30 transfers through one slot, 30 hosts")
    func slotsRefillAtOnce() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: rss) }
        defer { server.stop() }
        let (_, elapsed) = try await cycle(hosts: 30, rounds: 1, concurrency: 1, perHost: 1, port: Int(server.port))
        #expect(elapsed < .seconds(15), "30 instant transfers took \(elapsed): the loop waits between them")
    }

    /// Keep-alive, as nginx does: idle connections to 40 hosts stay in libcurl's cache while new hosts
    /// need connections of their own; with no cap inside libcurl none of them is left pending.
    @Test("80 transfers over 40 keep-alive hosts through 4 slots all complete")
    func manyHostsFewSlots() async throws {
        let server = try KeepAliveServer(body: rss)
        defer { server.stop() }
        let (results, _) = try await cycle(hosts: 40, rounds: 2, concurrency: 4, perHost: 2, port: server.port)
        #expect(Set(results.map(\.url)).count == 80)
    }
}
