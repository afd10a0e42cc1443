import FeedTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Sinks with real parts (issue 12): a webhook receiver on 127.0.0.1, programs run by the real daemon,
/// kill -9 in the middle.
@Suite("Sinks", .serialized)
struct SinkTests {
    static let stories = [goldTitle, aiTitle, "Nikkei closes at a record high as exporters rally"]

    /// A webhook receiver: answers 500 until `healthy`, then 200; keeps every POST.
    final class Receiver: Sendable {
        final class Switch: Sendable {
            let on = Atomic<Bool>(false)
        }
        let state = Switch()
        let server: TestHTTPServer

        init() throws {
            let state = self.state
            server = try TestHTTPServer { _ in
                .respond(status: state.on.load(ordering: .relaxed) ? 200 : 500, headers: [], body: Array("ok".utf8))
            }
        }

        func heal() { state.on.store(true, ordering: .relaxed) }

        /// POSTs answered 2xx, by Idempotency-Key (the alert id), in order of arrival. Requests that
        /// arrived while unhealthy are the failures.
        var posts: [TestHTTPServer.Request] { server.requests.filter { $0.method == "POST" } }
    }

    /// The spool's alert files by alert id: their exact bytes.
    func files(_ h: DaemonHarness) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for f in h.alertFiles {
            guard let bytes = FileManager.default.contents(atPath: h.spool + "/" + f),
                let id = (try? JSONSerialization.jsonObject(with: bytes) as? [String: Any])?["id"] as? String
            else { continue }
            out[id] = Array(bytes)
        }
        return out
    }

    @Test("webhook: failing at first, then across a kill -9, every alert arrives once, as the file's exact bytes")
    func webhookAcrossKill() async throws {
        let h = try DaemonHarness()
        let receiver = try Receiver()
        h.serve("/a.xml", items: Self.stories.enumerated().map { ($0.element, "s\($0.offset)") })
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                sinks:
                  - name: hook
                    type: webhook
                    url: \(receiver.server.baseURL)/hook?token=secret
                    headers: {Authorization: "Bearer sekrit"}
                    allow_private: true
                    timeout: 5s
                """)
        let first = try RunningDaemon(harness: h)
        // Three alerts in the spool, each already refused at least once by the receiver.
        #expect(eventually { h.alertFiles.count == 3 })
        #expect(eventually { Set(receiver.posts.compactMap { $0.headers["idempotency-key"] }).count == 3 })
        first.kill9()
        #expect(!first.stderr.contains("sekrit") && !first.stderr.contains("token=secret"), "\(first.stderr)")
        let failures = receiver.posts.count

        receiver.heal()
        let second = try RunningDaemon(harness: h)
        defer { second.kill9() }
        let spool = files(h)
        #expect(eventually { receiver.posts.count >= failures + 3 })
        // Stopped, the daemon can deliver nothing more: what arrived is all that will.
        second.signal(SIGTERM)
        #expect(second.waitForExit(seconds: 30) == 0)
        let delivered = receiver.posts.dropFirst(failures)
        #expect(delivered.count == 3, "each alert once after the receiver recovered")
        for post in delivered {
            let id = try #require(post.headers["idempotency-key"])
            #expect(post.body == spool[id], "the POST carries the alert file's exact bytes")
            #expect(post.headers["content-type"] == "application/json")
            #expect(post.headers["authorization"] == "Bearer sekrit")
            #expect(post.headers["user-agent"]?.hasPrefix("feedwatch/") == true)
            #expect(post.path == "/hook?token=secret")
        }
        #expect(Set(delivered.compactMap { $0.headers["idempotency-key"] }) == Set(spool.keys))
        let status = try await h.run(["status", "--json"])
        #expect(
            status.stdout.contains(
                // The HTTP 500s were overcome by the deliveries: no longer the sink's last error.
                #""sinks":[{"name":"hook","type":"webhook","delivered":3,"pending":0,"failed":0,"last_error":null,"#),
            "\(status.stdout)")
    }

    @Test("a sink added on reload receives only the alerts delivered after it")
    func addedOnReload() async throws {
        let h = try DaemonHarness()
        let receiver = try Receiver()
        receiver.heal()
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        h.serve("/b.xml", items: [(aiTitle, "n1")])
        try h.writeConfig(feeds: ["/a.xml"])
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(eventually { h.alertTitles == [goldTitle] })
        try h.writeConfig(
            feeds: ["/a.xml", "/b.xml"],
            extra: """
                sinks:
                  - {name: hook, type: webhook, url: "\(receiver.server.baseURL)/hook", allow_private: true}
                """)
        daemon.signal(SIGHUP)
        #expect(eventually { receiver.posts.count == 1 })
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 30) == 0)
        #expect(h.alertTitles == [aiTitle, goldTitle].sorted())
        let posted = try #require(receiver.posts.first)
        let entry = (try JSONSerialization.jsonObject(with: Data(posted.body)) as? [String: Any])?["entry"] as? [String: Any]
        #expect(entry?["title"] as? String == aiTitle)
        #expect(receiver.posts.count == 1, "the alert delivered before the sink existed is not sent")
    }

    /// Writes a sink program into the harness's directory and returns its path.
    func program(_ h: DaemonHarness, _ name: String, _ body: String) throws -> String {
        let path = h.dir + "/" + name
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    @Test("exec: a program that fails once per alert is run again; each alert is recorded once, with its environment")
    func execFailsOnce() async throws {
        let h = try DaemonHarness()
        h.serve("/a.xml", items: Self.stories.enumerated().map { ($0.element, "s\($0.offset)") })
        let out = h.dir + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let script = try program(
            h, "notify.sh",
            """
            set -e
            if [ ! -e "\(out)/seen-$FEEDWATCH_ALERT_ID" ]; then touch "\(out)/seen-$FEEDWATCH_ALERT_ID"; exit 3; fi
            cat > "\(out)/$FEEDWATCH_ALERT_ID.json"
            ls /proc/self/fd > "\(out)/$FEEDWATCH_ALERT_ID.fds"
            echo "$FEEDWATCH_ALERT_ID $FEEDWATCH_TOPICS $FEEDWATCH_ALERT_FILE $1" >> "\(out)/record"
            """)
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                sinks:
                  - name: notify
                    type: exec
                    command: ["\(script)", "--quiet"]
                """)
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(
            eventually(30) {
                ((try? String(contentsOfFile: out + "/record", encoding: .utf8)) ?? "").split(separator: "\n").count == 3
            })
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 30) == 0, "\(daemon.stderr)")
        let spool = files(h)
        let record = try String(contentsOfFile: out + "/record", encoding: .utf8).split(separator: "\n")
        #expect(Set(record.compactMap { $0.split(separator: " ").first.map(String.init) }) == Set(spool.keys))
        #expect(record.count == 3, "each alert once: \(record)")
        for line in record {
            let fields = line.split(separator: " ").map(String.init)
            let id = fields[0]
            #expect(FileManager.default.contents(atPath: out + "/\(id).json").map(Array.init) == spool[id])
            #expect(!fields[1].isEmpty, "FEEDWATCH_TOPICS names the topics")
            #expect(fields[2] == h.spool + "/new/" + (h.alertFiles.first { $0.contains(id) }?.dropFirst(4) ?? ""))
            #expect(fields[3] == "--quiet")
            // ls itself opens one descriptor (3) to list them: nothing of the daemon's is inherited.
            let fds = try String(contentsOfFile: out + "/\(id).fds", encoding: .utf8).split(separator: "\n")
            #expect(fds.count <= 4, "inherited descriptors: \(fds)")
        }
        #expect(daemon.stderr.contains("sink notify failed on alert"), "a first failure is logged")
        let status = try await h.run(["status"])
        #expect(status.stdout.contains("sink notify (exec): 3 delivered, 0 pending, 0 failed"), "\(status.stdout)")
    }

    /// Whether `pid` is gone (or only a zombie waiting for its parent to reap it).
    static func gone(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return true }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return status.contains("State:\tZ")
    }

    @Test("a slow sink delays neither polling nor another sink; past its timeout its whole process group is killed")
    func slowSink() async throws {
        let h = try DaemonHarness()
        let receiver = try Receiver()
        receiver.heal()
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        h.serve("/b.xml", items: [(aiTitle, "n1")])
        let marks = h.dir + "/marks"
        try FileManager.default.createDirectory(atPath: marks, withIntermediateDirectories: true)
        let slow = try program(
            h, "slow.sh",
            """
            echo $$ > "\(marks)/pid-$FEEDWATCH_ALERT_ID"
            sleep 300 &
            echo $! > "\(marks)/child-$FEEDWATCH_ALERT_ID"
            wait
            """)
        func config(_ feeds: [String]) throws {
            try h.writeConfig(
                feeds: feeds,
                extra: """
                    sinks:
                      - name: slow
                        type: exec
                        command: ["\(slow)"]
                        timeout: 8s
                      - name: hook
                        type: webhook
                        url: \(receiver.server.baseURL)/hook
                        allow_private: true
                    """)
        }
        try config(["/a.xml"])
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(eventually { receiver.posts.count == 1 }, "the webhook got the first alert while the slow sink runs")
        let pids = try #require(
            eventually { (try? FileManager.default.contentsOfDirectory(atPath: marks))?.count == 2 }
                ? (try FileManager.default.contentsOfDirectory(atPath: marks)).sorted() : nil)
        let pidOf = { (name: String) in
            Int32(
                (try? String(contentsOfFile: marks + "/" + name, encoding: .utf8))?.trimmingCharacters(
                    in: .whitespacesAndNewlines) ?? "") ?? 0
        }
        let (child, parent) = (pidOf(pids[0]), pidOf(pids[1]))
        #expect(!Self.gone(parent) && !Self.gone(child))
        // A feed added on reload is polled at once, alerted and posted, while the slow sink still runs.
        try config(["/a.xml", "/b.xml"])
        daemon.signal(SIGHUP)
        #expect(eventually { h.alertTitles == [aiTitle, goldTitle].sorted() && receiver.posts.count == 2 })
        #expect(!Self.gone(parent), "the slow sink was still running")
        // Its timeout kills the program and the child it started (its process group).
        #expect(eventually(30) { Self.gone(parent) && Self.gone(child) })
        #expect(eventually { daemon.stderr.contains("timed out after 8s; process group killed") }, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 30) == 0, "\(daemon.stderr)")
        // Every process the slow sink started is gone after the daemon stops (attempts cut short are killed too).
        for name in (try FileManager.default.contentsOfDirectory(atPath: marks)) {
            let pid = pidOf(name)
            #expect(eventually { Self.gone(pid) }, "\(name) \(pid) still running")
        }
    }
}
