import FeedCore
import FeedStore
import FeedTestSupport
import Foundation
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@testable import FeedDaemon

/// The services of `run`, in process, each under `testGracefulShutdown` (service-lifecycle's test kit):
/// they do their work, and return promptly when asked to stop.
@Suite("Services, in process", .serialized)
struct ServicesTests {
    /// Waits up to `seconds` for `condition` (it returns as soon as it holds). 40 s by default: under the
    /// whole suite (a browser, PostgreSQL, every commit fsynced since synchronous = FULL took effect)
    /// a delivery round once took more than 10 s on a 2-core machine.
    static func eventually(_ seconds: Double = 40, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(seconds)
        while clock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    @Test("delivery: recovers pending rows at start, delivers on request, finishes its round on shutdown")
    func deliveryService() async throws {
        let h = try DaemonHarness()
        h.serve("/a", items: [(goldTitle, "g1")])
        h.serve("/b", items: [(aiTitle, "a1")])
        try h.writeConfig(feeds: ["/a", "/b"])
        let (resources, store) = try PipelineTests.resources(h, log: LogCapture())
        let ctx = resources.context
        let poller = FeedPoller(context: ctx)
        _ = try await poller.poll(ctx.config.feeds[0], known: nil, now: 1_800_000_000)  // left pending, as by a crash
        let requests = DeliveryRequests()
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await DeliveryService(resources: resources, requests: requests).run() }
                #expect(await Self.eventually { h.alertTitles == [goldTitle] }, "recovery at start")
                _ = try await poller.poll(ctx.config.feeds[1], known: nil, now: 1_800_000_000)
                requests.request()
                #expect(await Self.eventually { h.alertTitles.count == 2 }, "delivery on request")
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(try await store.alertCounts() == (total: 2, pending: 0))
    }

    @Test("poller: polls every feed, asks for delivery, and stops on graceful shutdown with nothing half-done")
    func pollerService() async throws {
        let h = try DaemonHarness()
        h.serve("/a", items: [(goldTitle, "g1")])
        h.serve("/b", items: [(plainTitle, "p1")])
        try h.writeConfig(feeds: ["/a", "/b"])
        let log = LogCapture()
        let (resources, store) = try PipelineTests.resources(h, log: log)
        let requests = DeliveryRequests()
        let progress = Progress()
        let clock = ContinuousClock()
        var stoppedAfter = Duration.zero
        await testGracefulShutdown { trigger in
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await PollerService(
                        resources: resources, requests: requests, notifier: SystemdNotifier(environment: [:]),
                        progress: progress
                    ).run()
                }
                // Generous on a loaded machine (the whole suite runs beside a browser and PostgreSQL).
                #expect(await Self.eventually(40) { (try? await store.allFeeds().count) == 2 })
                #expect(progress.age < 5_000)
                let asked = clock.now
                trigger.triggerGracefulShutdown()
                await group.waitForAll()
                stoppedAfter = clock.now - asked
            }
        }
        // The bound that matters is the unit's TimeoutStopSec=30s; with the whole suite beside it (a
        // browser, PostgreSQL, every commit now fsynced) this stop once took 18 s on a 2-core machine.
        #expect(stoppedAfter < .seconds(25), "stopped after \(stoppedAfter)")
        #expect(try await store.alertCounts() == (total: 1, pending: 1))  // committed; delivery is another service
        var pending = requests.stream.makeAsyncIterator()
        #expect(await pending.next() != nil, "the poll that raised an alert asked for a delivery round")
        #expect(log.contains("info: watching 2 feed(s)"))
    }

    @Test("watchdog: writes the heartbeat and metrics files at start, and stops on graceful shutdown")
    func watchdogService() async throws {
        let h = try DaemonHarness()
        try h.writeConfig(feeds: ["/a"], extra: "metrics_file: METRICS")
        let text = try String(contentsOfFile: h.configPath, encoding: .utf8)
        try text.replacingOccurrences(of: "METRICS", with: h.dir + "/feedwatch.prom").write(
            toFile: h.configPath, atomically: true,
            encoding: .utf8)
        let (resources, _) = try PipelineTests.resources(h, log: LogCapture())
        let stateDir = resources.context.config.stateDir
        await testGracefulShutdown { trigger in
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await WatchdogService(
                        resources: resources, notifier: SystemdNotifier(environment: [:]),
                        pollerProgress: Progress()
                    ).run()
                }
                #expect(
                    await Self.eventually {
                        Health.lastSignOfLife(stateDir: stateDir) != nil
                            && FileManager.default.fileExists(atPath: h.dir + "/feedwatch.prom")
                    })
                trigger.triggerGracefulShutdown()
                await group.waitForAll()
            }
        }
        let metrics = try String(contentsOfFile: h.dir + "/feedwatch.prom", encoding: .utf8)
        #expect(metrics.contains("feedwatch_feeds{status=\"never_polled\"} 1.0"), "\(metrics)")
    }
}
