import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What a new user trips over in the first hour (issue 27), on the real binary: advice that names the
/// setting of the place an address was refused, `check` warnings for what the first poll or delivery
/// would refuse, exec commands relative to the configuration, and a `once` that says why deliveries wait.
@Suite("First hour")
struct FirstHourTests {
    @Test(
        "a webhook on loopback: check warns at its url, once says it is pending and names the sink's allow_private; fixed, it delivers and status forgets the error"
    )
    func loopbackSink() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        let hook = try TestHTTPServer { _ in .respond(status: 204, headers: [], body: []) }
        defer { hook.stop() }
        func config(allow: Bool) throws {
            try h.writeConfig(
                feeds: ["/a.xml"],
                extra: """
                    sinks:
                      - name: hook
                        type: webhook
                        url: "\(hook.baseURL)/in"\(allow ? "\n    allow_private: true" : "")
                    """)
        }
        try config(allow: false)
        let check = try await h.run(["check"])
        #expect(check.status == 0)
        #expect(
            check.stderr.contains(
                "feedwatch.yaml:4:10: sink hook: its url is in a blocked range (127.0.0.0/8); its deliveries will be refused: set allow_private: true on sink 'hook'"
            ), "\(check.stderr)")

        let once = try await h.run(["once"])
        #expect(once.stdout.contains("sink hook: 0 delivered, 1 pending (last error: "), "\(once.stdout)")
        #expect(once.stdout.contains("set allow_private: true on sink 'hook' to reach it"), "\(once.stdout)")
        #expect(!once.stdout.contains("fetch.allow_private_networks"), "advice for feeds given for a sink: \(once.stdout)")
        let status = try await h.run(["status"])
        #expect(
            status.stdout.contains("last error: ") && status.stdout.contains("on sink 'hook' to reach it"), "\(status.stdout)")

        try config(allow: true)
        // The retry waits out its back-off; a restart of the cycle later delivers it.
        #expect(
            await eventually(30) {
                _ = try? await h.run(["once"])
                return hook.requests.contains { $0.method == "POST" }
            })
        let healed = try await h.run(["status"])
        #expect(healed.stdout.contains("sink hook (webhook): 1 delivered, 0 pending, 0 failed"), "\(healed.stdout)")
        #expect(!healed.stdout.contains("last error"), "an error that a delivery has since overcome: \(healed.stdout)")
    }

    @Test("check warns, with file:line:column, about a missing file: feed and a loopback feed without allow_private")
    func checkWarnings() async throws {
        let h = try DaemonHarness()
        try """
        state_dir: \(h.dir)/state
        spool_dir: \(h.dir)/spool
        log_file: \(h.dir)/alerts.log
        feeds:
          - url: file:feeds/missing.xml
          - url: http://127.0.0.1:9/feed.xml
          - {url: "http://localhost:9/ok.xml", allow_private: true}
        """.write(toFile: h.configPath, atomically: true, encoding: .utf8)
        let check = try await h.run(["check"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(
            check.stderr.contains("feedwatch.yaml:5:10: feed ")
                && check.stderr.contains("/feeds/missing.xml does not exist; its polls will fail"), "\(check.stderr)")
        #expect(
            check.stderr.contains(
                "feedwatch.yaml:6:10: feed http://127.0.0.1:9/feed.xml is in a blocked range (127.0.0.0/8); its polls will be refused: set allow_private: true on this feed"
            ), "\(check.stderr)")
        #expect(!check.stderr.contains("ok.xml"), "a feed that allows private addresses was warned about")
    }

    @Test("an exec sink's relative command is found beside the configuration and delivers")
    func relativeExecCommand() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        try FileManager.default.createDirectory(atPath: h.dir + "/sinks", withIntermediateDirectories: true)
        let script = h.dir + "/sinks/record.sh"
        try "#!/bin/sh\ncat > \"$(dirname \"$0\")/received.json\"\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                sinks:
                  - {name: record, type: exec, command: [sinks/record.sh]}
                """)
        // From another working directory: the path is the configuration's, not the shell's.
        let once = try await Program.run(TestPaths.binary, ["once", "--config", h.configPath], cwd: "/")
        #expect(once.status == 0 && once.stdout.contains("sink record: 1 delivered"), "\(once.stdout)\(once.stderr)")
        let received = try #require(FileManager.default.contents(atPath: h.dir + "/sinks/received.json"))
        #expect(String(decoding: received, as: UTF8.self).contains(goldTitle))
    }
}
