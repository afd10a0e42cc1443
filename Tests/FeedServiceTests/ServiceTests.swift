import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

let goldTitle = "Gold prices rise as the dollar weakens"
let plainTitle = "Local bakery wins a prize"

/// An installation (the shared `DaemonHarness`) with one feed on a loopback server.
func install(metrics: Bool = false) throws -> DaemonHarness {
    let h = try DaemonHarness()
    h.serve("/feed.xml", items: [(goldTitle, "g1")])
    try h.writeConfig(feeds: ["/feed.xml"], extra: metrics ? "metrics_file: \(h.dir)/feedwatch.prom" : "")
    return h
}

@Suite("Running as a service", .serialized)
struct ServiceTests {
    @Test(
        "sd_notify: READY=1, STATUS=, WATCHDOG=1, RELOADING=1 then READY=1, STOPPING=1; the watchdog stops when the fetcher is wedged"
    )
    func notify() throws {
        let install = try install()
        let socket = try NotifySocket(path: install.dir + "/notify.sock")
        try FileManager.default.createDirectory(atPath: install.dir + "/faults", withIntermediateDirectories: true)
        let wedge = install.dir + "/faults/fetcher-wedged"
        let p = try RunningDaemon(
            harness: install,
            environment: [
                "NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "4000000",
                "FEEDWATCH_FAULTS": install.dir + "/faults",
            ]
        ).process
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }

        #expect(eventually { socket.count("READY=1") >= 1 }, "\(socket.messages)")
        #expect(socket.messages.first?.hasPrefix("READY=1") == true)
        #expect(eventually { socket.count("STATUS=1 feeds") >= 1 }, "\(socket.messages)")
        #expect(eventually { socket.count("WATCHDOG=1") >= 2 }, "\(socket.messages)")

        kill(p.processIdentifier, SIGHUP)
        #expect(eventually { socket.count("RELOADING=1") == 1 && socket.count("READY=1") >= 2 }, "\(socket.messages)")
        let reloading = socket.messages.firstIndex { $0.hasPrefix("RELOADING=1") } ?? -1
        let readyAgain = socket.messages.lastIndex { $0.hasPrefix("READY=1") } ?? -1
        #expect(reloading >= 0 && readyAgain > reloading)

        // Wedge the fetcher's thread: pings stop once its progress is older than the watchdog timeout.
        _ = FileManager.default.createFile(atPath: wedge, contents: nil)
        Thread.sleep(forTimeInterval: 6)
        let quietSince = Date()
        Thread.sleep(forTimeInterval: 5)
        #expect(socket.count("WATCHDOG=1", since: quietSince) == 0, "\(socket.messages)")
        try FileManager.default.removeItem(atPath: wedge)
        #expect(eventually { socket.count("WATCHDOG=1", since: quietSince) >= 1 }, "pings resume once the fetcher moves")

        kill(p.processIdentifier, SIGTERM)
        #expect(eventually { !p.isRunning })
        #expect(p.terminationStatus == 0)
        #expect(socket.count("STOPPING=1") == 1)
    }

    @Test("BI-34 a refused reload says why in STATUS= and the journal, without the password it refused")
    func refusedReloadKeepsSecrets() throws {
        let install = try install()
        let socket = try NotifySocket(path: install.dir + "/notify.sock")
        let daemon = try RunningDaemon(harness: install, environment: ["NOTIFY_SOCKET": socket.path])
        defer { daemon.kill9() }
        #expect(eventually { socket.count("READY=1") >= 1 }, "\(socket.messages)")
        let config = try String(contentsOfFile: install.configPath, encoding: .utf8)
        try (config + "\n  - url: https://reader:s3cret-pass@feeds.example.test/rss\n").write(
            toFile: install.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(eventually { socket.messages.contains { $0.contains("STATUS=reload refused") } }, "\(socket.messages)")
        #expect(eventually { daemon.stderr.contains("reload refused") })
        #expect(!socket.messages.contains { $0.contains("s3cret") }, "\(socket.messages)")
        #expect(!daemon.stderr.contains("s3cret"), "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 20) == 0)
    }

    @Test("an abstract NOTIFY_SOCKET (@name) works too")
    func abstractSocket() throws {
        let install = try install()
        let socket = try NotifySocket(path: "feedwatch-test-\(getpid())-\(Int.random(in: 0..<1_000_000))", abstract: true)
        let p = try RunningDaemon(harness: install, environment: ["NOTIFY_SOCKET": socket.path]).process
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        #expect(eventually { socket.count("READY=1") >= 1 }, "\(socket.messages)")
        kill(p.processIdentifier, SIGTERM)
        #expect(eventually { !p.isRunning })
        #expect(socket.count("STOPPING=1") == 1)
        #expect(socket.count("WATCHDOG=1") == 0)  // no WATCHDOG_USEC, no pings
    }

    @Test("the metrics file parses as Prometheus text format")
    func metrics() async throws {
        let install = try install(metrics: true)
        let r = try await Program.run(TestPaths.binary, ["once", "--config", install.configPath])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: install.dir + "/feedwatch.prom", encoding: .utf8)
        let families = try PrometheusText.parse(text)
        #expect(families["feedwatch_feeds"]?.type == "gauge")
        #expect(families["feedwatch_feeds"]?.samples["feedwatch_feeds{status=\"ok\"}"] == 1)
        #expect(families["feedwatch_fetch_results_total"]?.samples["feedwatch_fetch_results_total{outcome=\"body\"}"] == 1)
        #expect(families["feedwatch_alerts_total"]?.samples["feedwatch_alerts_total{topic=\"gold-prices\"}"] == 1)
        #expect(families["feedwatch_alerts_pending"]?.samples["feedwatch_alerts_pending"] == 0)
        #expect(families["feedwatch_fetch_duration_seconds"]?.type == "histogram")
        #expect(
            families["feedwatch_fetch_duration_seconds"]?.samples["feedwatch_fetch_duration_seconds_bucket{le=\"+Inf\"}"] == 1)
        #expect(families["feedwatch_story_merged_total"]?.samples["feedwatch_story_merged_total"] == 0)
        #expect(families.filter { $0.value.help == nil }.isEmpty, "every family has its HELP line: \(text)")
        #expect(families["feedwatch_fetch_duration_seconds"]?.samples["feedwatch_fetch_duration_seconds_count"] == 1)
        #expect(families["feedwatch_parse_duration_seconds"]?.samples["feedwatch_parse_duration_seconds_count"] == 1)
    }

    @Test("status says whether the daemon runs (its lock), and exits non-zero when it is unhealthy")
    func health() async throws {
        let install = try install()
        func status() async throws -> Program.Result {
            try await Program.run(TestPaths.binary, ["status", "--json", "--config", install.configPath])
        }
        let never = try await status()
        #expect(never.status == 69)
        #expect(never.stdout.contains(#""healthy":false,"running":false,"pid":null"#), "\(never.stdout)")
        #expect(try await Program.run(TestPaths.binary, ["once", "--config", install.configPath]).status == 0)
        let daemon = try RunningDaemon(harness: install)
        defer { daemon.kill9() }
        #expect(await eventually { (try? await status())?.status == 0 })
        let fine = try await status()
        #expect(
            fine.stdout.contains(#""healthy":true,"running":true,"pid":\#(daemon.process.processIdentifier)"#), "\(fine.stdout)")
        let text = try await Program.run(TestPaths.binary, ["status", "--config", install.configPath]).stdout
        #expect(text.hasPrefix("daemon: running (pid \(daemon.process.processIdentifier), feedwatch run)"), "\(text)")
        // A stale heartbeat.
        try "\(Int(Date().timeIntervalSince1970) - 86_400)\n".write(
            toFile: install.dir + "/state/heartbeat", atomically: true, encoding: .utf8)
        let stale = try await status()
        #expect(stale.status == 69)
        #expect(stale.stdout.contains("no sign of life"))
        // Most feeds failing.
        try "\(Int(Date().timeIntervalSince1970))\n".write(
            toFile: install.dir + "/state/heartbeat", atomically: true, encoding: .utf8)
        let sql = try await Program.run(
            "/usr/bin/env", ["sqlite3", install.dir + "/state/state.sqlite", "UPDATE feed SET error_streak = 5"])
        #expect(sql.status == 0, "\(sql.stderr)")
        let failing = try await status()
        #expect(failing.status == 69)
        #expect(failing.stdout.contains("1 of 1 feeds failing"))
        // Stopped: not running, so not healthy, whatever the heartbeat says.
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 20) == 0)
        try "\(Int(Date().timeIntervalSince1970))\n".write(
            toFile: install.dir + "/state/heartbeat", atomically: true, encoding: .utf8)
        let stopped = try await status()
        #expect(stopped.status == 69)
        #expect(stopped.stdout.contains(#""running":false"#) && stopped.stdout.contains("the daemon is not running"))
        // State unreadable.
        try FileManager.default.removeItem(atPath: install.dir + "/state/state.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: install.dir + "/state/state.sqlite"))
        #expect(try await status().status == 74)
    }
}

/// A strict reader of the Prometheus text exposition format (version 0.0.4): HELP/TYPE comments, then
/// samples `name{label="value",...} number`, every sample after its family's TYPE.
enum PrometheusText {
    struct Family {
        var type: String
        var help: String?
        var samples: [String: Double] = [:]
    }
    struct Invalid: Error, CustomStringConvertible { var description: String }

    static func parse(_ text: String) throws -> [String: Family] {
        var families: [String: Family] = [:]
        var helps: [String: String] = [:]
        var current: String?
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
            if line.hasPrefix("# HELP ") {
                guard parts.count >= 4, isName(parts[2]) else { throw Invalid(description: "line \(n + 1): bad HELP") }
                helps[parts[2]] = parts[3]
            } else if line.hasPrefix("# TYPE ") {
                guard parts.count == 4, isName(parts[2]),
                    ["counter", "gauge", "summary", "histogram", "untyped"].contains(parts[3]),
                    families[parts[2]] == nil
                else { throw Invalid(description: "line \(n + 1): bad TYPE") }
                families[parts[2]] = Family(type: parts[3], help: helps[parts[2]])
                current = parts[2]
            } else if line.hasPrefix("#") {
                continue
            } else {
                guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                    throw Invalid(description: "line \(n + 1): no value")
                }
                let series = String(line[..<space])
                let name = series.prefix { $0 != "{" }
                guard isName(String(name)), let fam = current,
                    [fam, fam + "_sum", fam + "_count", fam + "_bucket"].contains(String(name))
                else {
                    throw Invalid(description: "line \(n + 1): sample \(name) outside its family")
                }
                if let brace = series.firstIndex(of: "{") {
                    let labels = series[series.index(after: brace)...]
                    guard labels.hasSuffix("}"),
                        labels.dropLast().split(separator: ",").allSatisfy({ pair in
                            let kv = pair.split(separator: "=", maxSplits: 1)
                            return kv.count == 2 && isName(String(kv[0])) && kv[1].hasPrefix("\"") && kv[1].hasSuffix("\"")
                        })
                    else { throw Invalid(description: "line \(n + 1): bad labels") }
                }
                families[fam]!.samples[series] = value
            }
        }
        return families
    }

    static func isName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || f == ":" || (f.properties.isAlphabetic && f.isASCII) else {
            return false
        }
        return s.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == ":")
        }
    }
}
