import FeedHTTP
import FeedTestSupport
import Foundation
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
                return FetchRequest(
                    url: "http://\(host):\(port)/feed\(round)", addressPolicy: .allowEverything,
                    resolve: ["\(host):\(port):127.0.0.1"])
            }
        }
        let clock = ContinuousClock()
        let started = clock.now
        let results = await fetcher.fetchAll(requests)
        let elapsed = clock.now - started
        #expect(results.count == requests.count)
        for r in results {
            guard case .body = r.outcome else {
                Issue.record("\(r.url): \(r.outcome)")
                continue
            }
        }
        return (results, elapsed)
    }

    /// Arrival times at the server, whose threads are its own (not the cooperative pool).
    final class Arrivals: @unchecked Sendable {
        private let lock = NSLock()
        private var times: [ContinuousClock.Instant] = []

        /// Records an arrival and returns how many came before it.
        func record() -> Int {
            lock.withLock {
                times.append(.now)
                return times.count - 1
            }
        }
        /// From the second arrival to the last.
        var spanAfterFirst: Duration { lock.withLock { times.count > 2 ? times[times.count - 1] - times[1] : .zero } }
    }

    /// The first answer is held for two seconds, so every request is in the fetcher's queue by then
    /// (submission runs on the cooperative pool, which a loaded test run can delay). After it, the other
    /// 29 transfers go one after another through the one slot on the fetcher's own thread: milliseconds
    /// in all, or 29 seconds with the one-second sleep between them. The bound sits far from both (a
    /// cycle-time property, not a speed measurement: that is bench/scale.sh).
    @Test("freed slots are refilled at once: 30 transfers through one slot, 30 hosts")
    func slotsRefillAtOnce() async throws {
        let arrivals = Arrivals()
        let server = try TestHTTPServer { _ in
            arrivals.record() == 0
                ? .delayed(seconds: 2, status: 200, headers: [], body: rss)
                : .respond(status: 200, headers: [], body: rss)
        }
        defer { server.stop() }
        _ = try await cycle(hosts: 30, rounds: 1, concurrency: 1, perHost: 1, port: Int(server.port))
        let span = arrivals.spanAfterFirst
        #expect(span < .seconds(10), "29 instant transfers took \(span) after the first: the loop waits between them")
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
