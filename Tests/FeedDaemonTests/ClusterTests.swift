import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 15, end to end: `feedwatch run` nodes sharing one real PostgreSQL state (a throwaway server
/// started by the suite), feeds on a real HTTP server, one spool for all nodes.
@Suite(
    "Daemon: nodes sharing a PostgreSQL state", .serialized, .enabled(if: PostgresTrait.skipped == nil, PostgresTrait.skipped),
    .postgres)
struct ClusterTests {
    var server: PostgresServer { get throws { try #require(PostgresTrait.server) } }

    /// 40 feeds: each syndication outlet at four addresses, so that every story is carried by many feeds
    /// polled by different nodes at the same moment.
    static let feeds: [(path: String, outlet: SyndicationSet.Outlet)] = SyndicationSet.outlets.flatMap { o in
        (0..<4).map { ("\(o.path)/copy\($0)", o) }
    }
    static let labels: [String: String] = Dictionary(
        SyndicationSet.outlets.flatMap { $0.reports.map { ($0.title, $0.story) } }, uniquingKeysWith: { a, _ in a })
    static let reportCount = feeds.reduce(0) { $0 + $1.outlet.reports.count }

    /// A harness serving the 40 feeds, and the top-level YAML of a node on `database`.
    func cluster(_ database: String) throws -> (DaemonHarness, String) {
        let h = try DaemonHarness()
        for f in Self.feeds { h.serve(f.path, reports: f.outlet.reports) }
        h.serveRaw("/hook", "ok")  // the webhook sink's receiver: every node posts every alert it finds due
        let yaml = """
            state_url: \(try server.url(database))
            schedule:
              adaptive: false
              interval: 30s
              min_interval: 1s
              jitter: 0
            sinks:
              - name: hook
                type: webhook
                url: \(h.server.baseURL)/hook
                allow_private: true
            """
        return (h, yaml)
    }

    /// `count` nodes named n0, n1…, each with its own configuration file (own state_dir for the heartbeat,
    /// own alert log), the same feeds, state_url and spool, and a lease of 5 s.
    func startNodes(_ h: DaemonHarness, yaml: String, count: Int) throws -> [RunningDaemon] {
        try (0..<count).map { i in
            let path = h.dir + "/node\(i).yaml"
            try h.writeConfig(
                feeds: Self.feeds.map(\.path), extra: yaml + "\ncluster:\n  node: n\(i)\n  lease: 5s", path: path,
                instance: "\(i)")
            // Two transfers per node: each holds a few leases at a time, so that all three share the work.
            let text = try String(contentsOfFile: path, encoding: .utf8)
                .replacingOccurrences(of: "fetch:\n", with: "fetch:\n  concurrency: 2\n")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return try RunningDaemon(
                harness: h, environment: ["PGPASSWORD": try server.password], config: path, label: "node\(i)")
        }
    }

    /// Every alert-log line of every node.
    func logLines(_ h: DaemonHarness) -> [String] {
        let dir = h.dir + "/log"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().flatMap { name in
            ((try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    func title(_ alert: [String: Any]) -> String { (alert["entry"] as? [String: Any])?["title"] as? String ?? "" }

    /// The story labels of the spool's alert files, sorted (one per story when nothing is repeated).
    func storyLabels(_ h: DaemonHarness) -> [String] {
        h.alerts.map { Self.labels[title($0)] ?? "unknown: \(title($0))" }.sorted()
    }

    /// `feedwatch status` with the first node's configuration.
    func status(_ h: DaemonHarness, json: Bool) async throws -> Program.Result {
        try await Program.run(
            TestPaths.binary, ["status", "--config", h.dir + "/node0.yaml"] + (json ? ["--json"] : []),
            environment: ["PGPASSWORD": try server.password])
    }

    func stop(_ nodes: [RunningDaemon]) {
        for n in nodes { n.signal(SIGTERM) }
        for n in nodes where n.waitForExit(seconds: 30) == nil { n.kill9() }
    }

    @Test(
        "three nodes share 40 feeds: each polled once per interval, all nodes poll, one spool holds what one SQLite node delivers"
    )
    func shareFeeds() async throws {
        let db = try await server.createDatabase()
        let (h, yaml) = try cluster(db)
        h.responseDelay = 1  // each poll holds its lease a second: no node can keep up alone
        let started = Date()
        let nodes = try startNodes(h, yaml: yaml, count: 3)
        defer { stop(nodes) }
        // Three rounds: the first polls, then two intervals.
        #expect(
            await eventually(120) {
                let polled = (try? await server.psql(db, "SELECT count(*) FROM feed WHERE polls >= 3")) ?? ""
                return polled == "40"
            }, "\(nodes.map(\.stderr))")
        stop(nodes)
        let elapsed = Date().timeIntervalSince(started)
        // A node's lease renewal and its commits touch the same rows: never in an order that deadlocks.
        for node in nodes { #expect(!node.stderr.contains("deadlock"), "\(node.stderr)") }

        // Each feed: no two polls closer than the interval (less the second the schedule rounds down to), and
        // no more polls than intervals fit in the run.
        let byPath = Dictionary(grouping: h.server.requests.filter { $0.method == "GET" && $0.path != "/hook" }, by: \.path)
        #expect(byPath.count == 40)
        for (path, requests) in byPath {
            let times = requests.map(\.receivedAt).sorted()
            let gaps = zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) }
            #expect(gaps.allSatisfy { $0 >= 28.9 }, "\(path) polled \(gaps.map { Int($0) }) s apart")
            #expect(times.count <= Int(elapsed / 30) + 1, "\(path) polled \(times.count) times in \(Int(elapsed)) s")
        }
        // Every request was a committed poll: the state counts each one once, whichever node made it.
        let polls = try await server.psql(db, "SELECT sum(polls) FROM feed")
        #expect(polls == "\(byPath.values.reduce(0) { $0 + $1.count })")
        // Every node polled: the nodes' poll counts add up to the same total.
        let perNode = try await server.psql(db, "SELECT string_agg(name || ' ' || polls, ', ' ORDER BY name) FROM node")
        let total = try await server.psql(db, "SELECT sum(polls) FROM node WHERE polls > 0 HAVING count(*) = 3")
        #expect(total == polls, "polls per node: \(perNode), \(polls) in all")
        let status = try await status(h, json: true)
        #expect(status.stdout.contains("\"nodes\"") && status.stdout.contains("\"name\":\"n2\""), "\(status.stdout)")

        // One spool: one file per story, every other report an "also" line, each exactly once.
        let clusterLabels = storyLabels(h)
        #expect(clusterLabels == Set(Self.labels.values).sorted())
        #expect(Set(h.alerts.compactMap { $0["id"] as? String }).count == h.alertFiles.count)
        let lines = logLines(h)
        #expect(lines.count == Self.reportCount, "\(lines.count) log lines for \(Self.reportCount) reports")
        let fileLines = lines.filter { $0.split(separator: "\t")[2] != "also" }
        #expect(fileLines.count == h.alertFiles.count)
        #expect(Set(fileLines.map { $0.split(separator: "\t")[1] }).count == fileLines.count)

        // The webhook got each alert file once, from whichever node held its delivery.
        let posts = h.server.requests.filter { $0.method == "POST" && $0.path == "/hook" }
        let keys = posts.compactMap { $0.headers["idempotency-key"] }
        #expect(keys.count == h.alertFiles.count && Set(keys).count == keys.count, "\(keys.count) posts: \(keys.sorted())")
        #expect(Set(keys) == Set(h.alerts.compactMap { $0["id"] as? String }))

        // `alerts show` reads the story's sources from PostgreSQL: one per report of the story, on any node.
        let first = try #require(h.alerts.first)
        let label = Self.labels[title(first)]
        let reports = Self.feeds.reduce(0) { $0 + $1.outlet.reports.filter { $0.story == label }.count }
        let shown = try await Program.run(
            TestPaths.binary, ["alerts", "show", "--config", h.dir + "/node0.yaml", try #require(first["id"] as? String)],
            environment: ["PGPASSWORD": try server.password])
        #expect(shown.stdout.contains("sources: \(reports)"), "\(shown.stdout)\(shown.stderr)")

        // The same feeds through one SQLite node: the same stories, files and lines.
        let single = try DaemonHarness()
        for f in Self.feeds { single.serve(f.path, reports: f.outlet.reports) }
        try single.writeConfig(feeds: Self.feeds.map(\.path))
        let once = try await single.run(["once"])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(storyLabels(single) == clusterLabels)
        #expect(single.alertFiles.count == h.alertFiles.count)
        #expect(single.logLines.count == lines.count)
    }

    @Test("kill -9 a node: the feeds it held are polled again within a lease by the others")
    func takeover() async throws {
        let db = try await server.createDatabase()
        let (h, yaml) = try cluster(db)
        h.responseDelay = 4  // long polls: the victim holds leases when it dies
        let nodes = try startNodes(h, yaml: yaml, count: 3)
        defer { stop(nodes) }
        var held: [String] = []
        #expect(
            await eventually(60) {
                let keys =
                    (try? await server.psql(db, "SELECT key FROM feed WHERE lease_owner = 'n2' AND lease_until IS NOT NULL"))
                held = keys.map { $0.split(separator: "\n").map(String.init) } ?? []
                return !held.isEmpty
            }, "\(nodes[2].stderr)")
        nodes[2].kill9()
        let killed = Date()
        // Each is polled again by another node and committed: 5 s of lease, a claim a second, and the
        // 4 s poll itself, with room to spare on a loaded machine.
        let list = held.map { "'\($0)'" }.joined(separator: ",")
        #expect(
            await eventually(30) {
                let done =
                    (try? await server.psql(
                        db,
                        "SELECT count(*) FROM feed WHERE key IN (\(list)) AND lease_owner IN ('n0', 'n1') AND lease_until IS NULL AND polls >= 1"
                    ))
                return done == "\(held.count)"
            }, "\(held) not taken over: \(nodes[0].stderr)")
        for key in held {
            let path = String(key.dropFirst(h.server.baseURL.count))
            let again = h.server.requests.filter { $0.path == path && $0.receivedAt > killed }
            #expect(!again.isEmpty, "\(path) not requested again after the kill")
        }
        // `status` names the dead node as silent once its lease has run out.
        var shown = ""
        #expect(
            await eventually(20) {
                let r = try? await status(h, json: false)
                shown = (r?.stdout ?? "") + (r?.stderr ?? "")
                return shown.contains("n2") && shown.contains("silent")
            }, "\(shown)")
    }

    @Test("state copy: a SQLite state moves to PostgreSQL; its pending alerts are delivered once, nothing alerts again")
    func stateCopy() async throws {
        let db = try await server.createDatabase()
        let password = ["PGPASSWORD": try server.password]
        let h = try DaemonHarness()
        let outlets = Array(SyndicationSet.english.prefix(3))
        for o in outlets { h.serve(o.path, reports: o.reports) }
        try h.writeConfig(feeds: outlets.map(\.path))
        let url = try server.url(db)
        // While a daemon uses the SQLite state, it cannot be copied.
        let busy = try RunningDaemon(harness: h)
        #expect(await eventually { busy.stderr.contains("watching") })
        let refused = try await h.run(["state", "copy", "--to", url], environment: password)
        #expect(refused.status != 0 && refused.stderr.contains("stop the daemon"), "\(refused.stderr)")
        busy.signal(SIGTERM)
        _ = busy.waitForExit(seconds: 30)
        // A fresh state whose first run met a full spool: every alert stays pending in it.
        try FileManager.default.removeItem(atPath: h.dir + "/state")
        try FileManager.default.removeItem(atPath: h.spool)
        let full = try await h.run(["once"], environment: try h.faults("spool-full"))
        #expect(full.status == 74, "\(full.stderr)")
        #expect(h.alertFiles.isEmpty)

        let copy = try await h.run(["state", "copy", "--to", url], environment: password)
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(copy.stdout.contains("feed: 3 row(s)"), "\(copy.stdout)")
        let entries = try await server.psql(db, "SELECT count(*) FROM entry")
        let alertRows = try await server.psql(db, "SELECT count(*) FROM alert WHERE state = 'pending'")
        #expect(entries == "18" && alertRows != "0", "\(entries) entries, \(alertRows) pending")

        // The same feeds on PostgreSQL: the pending alerts are delivered, once; nothing is new.
        try h.writeConfig(feeds: outlets.map(\.path), extra: "state_url: \(url)")
        let first = try await h.run(["once"], environment: password)
        #expect(first.status == 0, "\(first.stderr)")
        let files = h.alertFiles
        #expect(files.count == Set(outlets.flatMap { $0.reports.map(\.story) }).count)
        #expect(first.stdout.contains("alerts delivered: 0 (+\(files.count) recovered)"), "\(first.stdout)")
        let second = try await h.run(["once"], environment: password)
        #expect(second.status == 0 && second.stdout.contains("alerts delivered: 0\n"), "\(second.stdout)")
        #expect(h.alertFiles == files)
        #expect(try await server.psql(db, "SELECT count(*) FROM entry") == "18")
        // A second copy finds the state in use and loads nothing.
        let again = try await h.run(["state", "copy", "--to", url], environment: password)
        #expect(again.status == 74 && again.stderr.contains("already holds 3 feed(s)"), "\(again.stderr)")
    }

    /// Issue 23, finding 1: `once` beside running nodes, with the same configuration file as one of them
    /// (so the same `cluster.node`), runs as a node of its own: the running node keeps its name, its feed
    /// list and its leases, and is not marked stopped.
    @Test("once beside running nodes, with a node's own configuration file, does not take over that node")
    func onceBesideNodes() async throws {
        let db = try await server.createDatabase()
        let (h, yaml) = try cluster(db)
        let nodes = try startNodes(h, yaml: yaml, count: 2)
        defer { stop(nodes) }
        func query(_ sql: String) async throws -> String { try await server.psql(db, sql) }
        let listed = await eventually(30) { (try? await query("SELECT count(*) FROM node_feed WHERE node = 'n0'")) == "40" }
        #expect(listed, "n0 registered its 40 feeds")
        let once = try await Program.run(
            TestPaths.binary, ["once", "--config", h.dir + "/node0.yaml"], environment: ["PGPASSWORD": try server.password])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(try await query("SELECT left_at IS NULL FROM node WHERE name = 'n0'") == "t", "n0 still running")
        #expect(try await query("SELECT count(*) FROM node_feed WHERE node = 'n0'") == "40", "n0 keeps its feed list")
        let onceNodes: String = try await query("SELECT name FROM node WHERE name LIKE 'n0.once-%' AND left_at IS NOT NULL")
        #expect(onceNodes.hasPrefix("n0.once-"), "once ran as a node of its own, and left: \(onceNodes)")
        let shown = try await status(h, json: true)
        #expect(shown.stdout.contains("\"name\":\"n0\""), "\(shown.stdout)")
        #expect(nodes.allSatisfy { $0.process.isRunning })
    }

    /// Issue 23, finding 7 on a shared state: a `once` on PostgreSQL paused between its write and its link,
    /// another deliverer of the same alert meanwhile, and still one whole file.
    @Test("two deliverers of one alert into one spool, the first a node on PostgreSQL: one whole file, tmp/ empty")
    func twoDeliverersOnPostgres() async throws {
        let db = try await server.createDatabase()
        try await SpoolDelivererTests.twoDeliverers(
            try DaemonHarness(), extra: "state_url: \(try server.url(db))", environment: ["PGPASSWORD": try server.password])
    }
}
