import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Daemon: run and signals", .serialized)
struct RunTests {
    @Test("run delivers, SIGHUP adds a feed and reopens a rotated log, SIGTERM exits 0")
    func reloadAndStop() throws {
        let h = try DaemonHarness()
        h.serve("/one.xml", items: [(goldTitle, "g1")])
        h.serve("/two.xml", items: [(aiTitle, "n1")])
        try h.writeConfig(feeds: ["/one.xml"])
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(eventually { h.alertTitles == [goldTitle] }, "\(daemon.stderr)")
        #expect(eventually { h.logLines.count == 1 })  // the log line follows the file by a moment

        // logrotate: rename the log, then SIGHUP with a configuration that adds a feed.
        try FileManager.default.moveItem(atPath: h.logFile, toPath: h.logFile + ".1")
        try h.writeConfig(feeds: ["/one.xml", "/two.xml"])
        daemon.signal(SIGHUP)
        #expect(eventually { h.alertTitles == [aiTitle, goldTitle].sorted() }, "\(daemon.stderr)")
        #expect(eventually { h.logLines.count == 1 && h.logLines[0].contains("ai-partnerships") })

        // A bad configuration on SIGHUP keeps the running one.
        try "feeds: [\n".write(toFile: h.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(eventually { daemon.stderr.contains("reload refused") })
        #expect(daemon.process.isRunning)

        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 20) == 0, "\(daemon.stderr)")
    }

    @Test("SIGHUP keeps the schedule of unchanged feeds; a feed it adds is polled at once")
    func reloadKeepsSchedule() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [("A quiet day in the village", "a1")])
        h.serve("/b.xml", items: [("Another quiet day", "b1")])
        try h.writeConfig(feeds: ["/a.xml"])  // the default interval: the next poll of a is 15 minutes away
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        func polls(_ path: String) -> Int { h.server.requests.filter { $0.path == path }.count }
        #expect(eventually { polls("/a.xml") == 1 }, "\(daemon.stderr)")
        // Its poll committed (a reload cancels polls still in flight, and a cancelled first poll runs again).
        #expect(
            await eventually {
                ((try? await h.run(["status", "--json"]))?.stdout ?? "").contains(#""result":"ok""#)
            })
        try h.writeConfig(feeds: ["/a.xml", "/b.xml"])
        daemon.signal(SIGHUP)
        #expect(eventually { polls("/b.xml") == 1 }, "\(daemon.stderr)")
        // b's poll committed too before the next reload, which would cancel it in flight.
        #expect(
            await eventually {
                ((try? await h.run(["status", "--json"]))?.stdout ?? "").components(separatedBy: #""result":"ok""#).count == 3
            })
        daemon.signal(SIGHUP)
        #expect(eventually { daemon.stderr.components(separatedBy: "configuration reloaded").count == 3 })
        // Two reloads later, a is still waiting for its turn: the schedule lives in the state.
        #expect(polls("/a.xml") == 1)
        #expect(polls("/b.xml") == 1)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 20) == 0, "\(daemon.stderr)")
    }

    @Test("SIGTERM during transfers to a server that never answers exits cleanly (BI-38)")
    func stopDuringTransfers() throws {
        let h = try DaemonHarness()
        let hanging = try TestHTTPServer { _ in .hang }
        defer { hanging.stop() }
        try h.writeConfig(feeds: [])
        let config =
            try String(contentsOfFile: h.configPath, encoding: .utf8)
            + (0..<5).map { "\n  - url: \(hanging.baseURL)/feed\($0).xml" }.joined()
        // Transfers that would hang for 10 minutes: only an abort ends them in time.
        try config.replacingOccurrences(of: "feeds:\n", with: "feeds:").replacingOccurrences(
            of: "timeout: 10s", with: "timeout: 10m"
        ).write(toFile: h.configPath, atomically: true, encoding: .utf8)
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(eventually { hanging.connections >= 2 }, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 15) == 0, "the transfers were not aborted: \(daemon.stderr)")
    }
}
