import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The HTTP listener of the real `run` (issue 25): `/healthz` is the `status --json` object with 200 or
/// 503, `/metrics` is Prometheus text that promtool accepts; fetched with curl over loopback.
@Suite("HTTP listener")
struct ListenerTests {
    /// A loopback port nothing listens on (taken from the kernel, then released).
    static func freePort() throws -> UInt16 {
        let probe = try TestHTTPServer { _ in .respond(status: 404, headers: [], body: []) }
        defer { probe.stop() }
        return probe.port
    }

    /// `curl` GET: the status code and the body.
    static func get(_ url: String, dir: String) async throws -> (status: Int, body: String) {
        let out = dir + "/curl-body"
        let r = try await Program.run("/usr/bin/curl", ["-s", "-o", out, "-w", "%{http_code}", "--max-time", "10", url])
        return (Int(r.stdout) ?? 0, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
    }

    @Test("healthz answers the status JSON with 200, then 503 once the daemon is unhealthy; metrics pass promtool")
    func healthAndMetrics() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        let port = try Self.freePort()
        let base = "http://127.0.0.1:\(port)"
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                http:
                  listen: "127.0.0.1:\(port)"
                schedule:
                  interval: 30s
                  min_interval: 1s
                """)
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(eventually(20) { h.alertFiles.count == 1 })
        var health = (status: 0, body: "")
        #expect(
            await eventually(20) {
                health = (try? await Self.get(base + "/healthz", dir: h.dir)) ?? (0, "")
                return health.status == 200
            }, "\(daemon.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(health.body.utf8)) as? [String: Any])
        #expect(object["healthy"] as? Bool == true && object["running"] as? Bool == true, "\(health.body)")
        let status = try await h.run(["status", "--json"])
        #expect(Set((object["feeds"] as? [[String: Any]] ?? []).compactMap { $0["url"] as? String }).count == 1)
        #expect(status.stdout.contains(#""healthy":true"#))

        let metrics = try await Self.get(base + "/metrics", dir: h.dir)
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("feedwatch_alerts_delivered_total 1"), "\(metrics.body)")
        let file = h.dir + "/scraped.prom"
        try metrics.body.write(toFile: file, atomically: true, encoding: .utf8)
        let promtool = try await Program.run("/usr/bin/promtool", ["check", "metrics"], stdinFile: file)
        #expect(promtool.status == 0, "promtool: \(promtool.stdout)\(promtool.stderr)")
        #expect(try await Self.get(base + "/nothing", dir: h.dir).status == 404)

        // The feed is gone (410): more than half the feeds failing, the daemon is unhealthy.
        h.serveStatus("/a.xml", 410)
        #expect(
            await eventually(60) { (try? await Self.get(base + "/healthz", dir: h.dir))?.status == 503 }, "\(daemon.stderr)")
        let sick = try await Self.get(base + "/healthz", dir: h.dir)
        #expect(sick.body.contains(#""healthy":false"#) && sick.body.contains("1 of 1 feeds failing"), "\(sick.body)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 30) == 0, "\(daemon.stderr)")
    }

    @Test("a listen address in use is an error naming it; check refuses a malformed one")
    func badAddress() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        let busy = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: []) }
        try h.writeConfig(feeds: ["/a.xml"], extra: "http: {listen: \"127.0.0.1:\(busy.port)\"}")
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(daemon.waitForExit(seconds: 30) != 0)
        #expect(daemon.stderr.contains("127.0.0.1:\(busy.port)"), "\(daemon.stderr)")
        try h.writeConfig(feeds: ["/a.xml"], extra: "http: {listen: \"localhost\"}")
        let check = try await h.run(["check"])
        #expect(check.status == 78 && check.stderr.contains("expected host:port"), "\(check.stderr)")
    }
}
