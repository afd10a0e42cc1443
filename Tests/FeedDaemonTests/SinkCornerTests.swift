import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Corners of exactly-once delivery to sinks (issue 23), each with real parts: the real binary, a
/// webhook receiver on 127.0.0.1, a sink program run by the daemon.
@Suite("Sinks: exactly once in the corners", .serialized)
struct SinkCornerTests {
    /// Finding 3: success is the status code. A receiver that accepts with a body larger than the
    /// fetcher's feed cap (64 KiB for sinks) must get each alert once, not again at every retry.
    @Test("a webhook that answers 2xx with a body over 64 KiB has each alert delivered once")
    func largeAcceptedBody() async throws {
        let h = try DaemonHarness()
        let receipt = [UInt8](repeating: 0x61, count: 200 * 1024)
        let server = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: receipt) }
        h.serve("/a.xml", items: [(goldTitle, "g1"), (aiTitle, "n1")])
        try h.writeConfig(feeds: ["/a.xml"], webhook: server.baseURL + "/hook", timeout: "5s")
        for round in 0..<3 {
            // Past the first retry's back-off (1 s at most), so a delivery counted as failed would be POSTed again.
            if round > 0 { try await Task.sleep(for: .seconds(2.5)) }
            let once = try await h.run(["once"])
            #expect(once.status == 0, "\(once.stderr)")
        }
        let posts = server.requests.filter { $0.method == "POST" }
        #expect(posts.count == 2, "each alert POSTed once: \(posts.count)")
        #expect(Set(posts.compactMap { $0.headers["idempotency-key"] }).count == 2)
        let status = try await h.run(["status", "--json"])
        #expect(status.stdout.contains(#""delivered":2,"pending":0,"failed":0"#), "\(status.stdout)")
    }

    /// A webhook sink sending `Authorization: Bearer <token>` (its headers line is line 5 of the file).
    static func hook(_ h: DaemonHarness, url: String, bearer: String) throws {
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                sinks:
                  - name: hook
                    type: webhook
                    url: \(url)
                    headers: {Authorization: "Bearer \(bearer)"}
                    allow_private: true
                """)
    }

    /// Finding 5: configured headers have their own bound. A bearer JWT runs past 256 bytes.
    @Test("a configured header longer than 256 bytes is sent; one past 8 KiB is refused by check with its place")
    func longHeaders() async throws {
        let h = try DaemonHarness()
        let server = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: Array("ok".utf8)) }
        let token = "eyJ" + String(repeating: "x", count: 1_200) + ".sig"
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        try Self.hook(h, url: server.baseURL + "/hook", bearer: token)
        let check = try await h.run(["check"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let once = try await h.run(["once"])
        #expect(once.status == 0, "\(once.stderr)")
        let post = try #require(server.requests.first { $0.method == "POST" })
        #expect(post.headers["authorization"] == "Bearer " + token)

        try Self.hook(h, url: server.baseURL + "/hook", bearer: String(repeating: "y", count: 9_000))
        let refused = try await h.run(["check"])
        #expect(refused.status == 78)
        #expect(
            refused.stderr.contains(":5:") && refused.stderr.contains("header Authorization is 9022 bytes; at most 8192"),
            "\(refused.stderr)")
    }

    /// Finding 8: a sink program gets a minimal environment and its `env:`, never the daemon's own
    /// (a database password, the systemd sockets).
    @Test("an exec sink gets PATH, its env: and FEEDWATCH_*, not the daemon's environment")
    func execEnvironment() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        let out = h.dir + "/env.txt"
        let script = h.dir + "/env.sh"
        try "#!/bin/sh\nenv > \"\(out)\"\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                sinks:
                  - name: notify
                    type: exec
                    command: ["\(script)"]
                    env: {NTFY_TOPIC: gold, NTFY_TOKEN: "tk_123"}
                """)
        let once = try await h.run(
            ["once"],
            environment: ["PGPASSWORD": "database-secret", "NOTIFY_SOCKET": "/run/nothing", "WATCHDOG_USEC": "1000000"])
        #expect(once.status == 0, "\(once.stderr)")
        let env = try String(contentsOfFile: out, encoding: .utf8)
        let names = Set(env.split(separator: "\n").compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        #expect(!env.contains("database-secret"), "\(env)")
        #expect(!names.contains("NOTIFY_SOCKET") && !names.contains("WATCHDOG_USEC") && !names.contains("PGPASSWORD"))
        #expect(env.contains("NTFY_TOPIC=gold\n") && env.contains("NTFY_TOKEN=tk_123\n"))
        #expect(names.isSuperset(of: ["PATH", "FEEDWATCH_ALERT_ID", "FEEDWATCH_ALERT_FILE", "FEEDWATCH_TOPICS"]), "\(names)")
        // env: is for exec sinks only.
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                sinks:
                  - {name: hook, type: webhook, url: "http://127.0.0.1:9/x", env: {A: b}}
                """)
        let check = try await h.run(["check"])
        #expect(check.status == 78 && check.stderr.contains("env is for exec sinks"), "\(check.stderr)")
    }

    /// Finding 4: graceful shutdown stops the sinks before the fetcher, so a POST under way at SIGTERM
    /// finishes and is recorded, and is not sent again after a restart.
    @Test("SIGTERM lets a webhook POST under way finish; it is recorded once and not sent again")
    func shutdownFinishesAttempt() async throws {
        let h = try DaemonHarness()
        let server = try TestHTTPServer { _ in .delayed(seconds: 4, status: 200, headers: [], body: Array("ok".utf8)) }
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/a.xml"], webhook: server.baseURL + "/hook", timeout: "30s")
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(eventually { server.requests.contains { $0.method == "POST" } }, "the POST is under way")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 30) == 0, "\(daemon.stderr)")
        #expect(!daemon.stderr.contains("shutting down"), "the attempt was not cut short: \(daemon.stderr)")
        let status = try await h.run(["status", "--json"])
        #expect(status.stdout.contains(#""delivered":1,"pending":0,"failed":0"#), "\(status.stdout)")
        // A restart has nothing left to send.
        let once = try await h.run(["once"])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(server.requests.filter { $0.method == "POST" }.count == 1)
    }

    /// Finding 11: while the state cannot be read (a database outage), a sink waits 10 s, doubling,
    /// instead of retrying and logging every second; once it can, the alert is delivered.
    @Test("a sink whose state cannot be read backs off: logged about every 10 s, not every second")
    func readErrorsBackOff() async throws {
        let h = try DaemonHarness()
        let server = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: Array("ok".utf8)) }
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/a.xml"], webhook: server.baseURL + "/hook")
        let faults = try h.faults("sink-state-down")
        let daemon = try RunningDaemon(harness: h, environment: faults)
        defer { daemon.kill9() }
        #expect(eventually { h.alertFiles.count == 1 })
        try await Task.sleep(for: .seconds(12))
        let errors = daemon.stderr.components(separatedBy: "cannot read the sink's pending deliveries").count - 1
        #expect((1...2).contains(errors), "read errors logged \(errors) times in 12 s")
        #expect(server.requests.isEmpty)
        try FileManager.default.removeItem(atPath: faults["FEEDWATCH_FAULTS"]! + "/sink-state-down")
        #expect(eventually(30) { server.requests.filter { $0.method == "POST" }.count == 1 })
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 30) == 0, "\(daemon.stderr)")
    }
}
