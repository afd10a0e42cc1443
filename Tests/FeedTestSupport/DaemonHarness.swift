public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A temporary installation for end-to-end tests: a configuration, state, spool and log in a fresh
/// directory, feeds served by a real HTTP server on 127.0.0.1, and the real `feedwatch` binary.
public final class DaemonHarness: @unchecked Sendable {
    public let dir: String
    public let server: TestHTTPServer

    public init() throws {
        dir = try TestPaths.temporaryDirectory("daemon")
        let docs = Box()
        server = try TestHTTPServer { req in
            guard let body = docs.get(req.path) else { return .respond(status: 404, headers: [], body: []) }
            // A document set to "HTTP <code>" answers with that status and no body.
            if body.hasPrefix("HTTP "), let code = Int(body.dropFirst(5)) {
                return .respond(status: code, headers: [], body: [])
            }
            // JSON Feeds (paths ending in .json) go out as their registered media type.
            let type = req.path.hasSuffix(".json") ? "application/feed+json" : "application/rss+xml; charset=utf-8"
            let delay = docs.delay
            guard delay > 0 else { return .respond(status: 200, headers: [("Content-Type", type)], body: Array(body.utf8)) }
            // A slow server: half the document, a pause, the rest (a poll that holds its lease a while).
            let bytes = Array(body.utf8)
            return .drip(status: 200, headers: [("Content-Type", type)], body: bytes, chunk: bytes.count / 2 + 1, delay: delay)
        }
        box = docs
    }

    private let box: Box

    final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var docs: [String: String] = [:]
        private var _delay = 0.0
        var delay: Double {
            get { lock.withLock { _delay } }
            set { lock.withLock { _delay = newValue } }
        }
        func get(_ path: String) -> String? { lock.withLock { docs[path] } }
        func set(_ path: String, _ body: String) { lock.withLock { docs[path] = body } }
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Serves an RSS document at `path` with the given items (title, guid); titles are markup.
    public func serve(_ path: String, items: [(String, String)]) {
        serve(
            path,
            rss: items.map { "<item><title>\($0.0)</title><guid>\($0.1)</guid><link>https://example.test/\($0.1)</link></item>" })
    }

    /// Serves an RSS document at `path` with one item per report (title and summary as text).
    public func serve(_ path: String, reports: [SyndicationSet.Report]) {
        func text(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        serve(
            path,
            rss: reports.enumerated().map { i, r in
                "<item><title>\(text(r.title))</title><guid>\(path)#\(i)</guid><link>https://example.test\(path)/\(i)</link>"
                    + (r.summary.map { "<description>\(text($0))</description>" } ?? "") + "</item>"
            })
    }

    private func serve(_ path: String, rss items: [String]) {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test \(path)</title>
            <link>http://example.test/</link>
            \(items.joined())
            </channel></rss>
            """
        box.set(path, xml)
    }

    /// Seconds every answer pauses halfway through its document (0: none).
    public var responseDelay: Double {
        get { box.delay }
        set { box.delay = newValue }
    }

    /// Serves `text` at `path` as it is (a broken document, a web page).
    public func serveRaw(_ path: String, _ text: String) { box.set(path, text) }

    /// `path` answers with this HTTP status and an empty body from now on (410 Gone, 500…).
    public func serveStatus(_ path: String, _ status: Int) { box.set(path, "HTTP \(status)") }

    public var configPath: String { dir + "/feedwatch.yaml" }

    /// The environment that arms faults (`Fault`): a directory in which a file per armed fault exists
    /// (`crash-at-<point>`, `spool-full`); remove the file to disarm it.
    public func faults(_ names: String...) throws -> [String: String] {
        let faults = dir + "/faults"
        try FileManager.default.createDirectory(atPath: faults, withIntermediateDirectories: true)
        for name in names { _ = FileManager.default.createFile(atPath: faults + "/" + name, contents: nil) }
        return ["FEEDWATCH_FAULTS": faults]
    }
    public var spool: String { dir + "/spool" }
    public var logFile: String { dir + "/log/alerts.log" }

    /// `extra`: more top-level YAML (a `state:` or `schedule:` section). `path`: another file than
    /// `configPath` (a second node), whose state directory and alert log are suffixed with `instance`.
    public func writeConfig(
        feeds: [String], alerts: String = "max_age: 0", extra: String = "", path: String? = nil, instance: String = ""
    ) throws {
        let text = """
            \(extra)
            state_dir: \(dir)/state\(instance)
            spool_dir: \(spool)
            log_file: \(dir)/log/alerts\(instance).log
            fetch:
              allow_private_networks: true
              timeout: 10s
            alerts:
              \(alerts.replacingOccurrences(of: "\n", with: "\n  "))
            feeds:
            \(feeds.map { "  - url: \(server.baseURL)\($0)" }.joined(separator: "\n"))
            """
        try text.write(toFile: path ?? configPath, atomically: true, encoding: .utf8)
    }

    /// `writeConfig` with one webhook sink, `hook`, posting to `url` (loopback allowed), and its timeout.
    public func writeConfig(feeds: [String], webhook url: String, timeout: String = "10s") throws {
        try writeConfig(
            feeds: feeds,
            extra: """
                sinks:
                  - {name: hook, type: webhook, url: "\(url)", allow_private: true, timeout: \(timeout)}
                """)
    }

    /// Runs `feedwatch ARGS --config <ours>` to completion.
    @discardableResult
    public func run(_ args: [String], environment: [String: String] = [:]) async throws -> Program.Result {
        try await Program.run(TestPaths.binary, args + ["--config", configPath], environment: environment)
    }

    /// Alert files delivered (new/ and cur/).
    public var alertFiles: [String] {
        ["new", "cur"].flatMap { sub in
            ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + sub)) ?? []).map { sub + "/" + $0 }
        }.sorted()
    }

    /// The parsed alert files.
    public var alerts: [[String: Any]] {
        alertFiles.compactMap { f in
            FileManager.default.contents(atPath: spool + "/" + f)
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
    }

    public var alertTitles: [String] {
        alerts.compactMap { ($0["entry"] as? [String: Any])?["title"] as? String }.sorted()
    }

    public var logLines: [String] {
        ((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Log lines of reports that joined a story: `time alert-id also feed title`.
    public var alsoLines: [String] { logLines.filter { $0.split(separator: "\t").dropFirst(2).first == "also" } }
}

/// A long-running `feedwatch run` (or another command that runs until stopped, such as `alerts follow`),
/// for signal tests.
public final class RunningDaemon: @unchecked Sendable {
    public let process = Process()
    public let stderrFile: String
    public let stdoutFile: String

    /// `environment`: added to the test's own (NOTIFY_SOCKET, WATCHDOG_USEC, FEEDWATCH_FAULTS).
    /// `config`: another configuration than the harness's (a second node); `label` names its output files.
    public init(
        harness: DaemonHarness, command: [String] = ["run"], environment: [String: String] = [:], config: String? = nil,
        label: String? = nil
    ) throws {
        let label = label ?? command.joined(separator: "-")
        stderrFile = harness.dir + "/\(label).stderr"
        stdoutFile = harness.dir + "/\(label).stdout"
        _ = FileManager.default.createFile(atPath: stderrFile, contents: nil)
        _ = FileManager.default.createFile(atPath: stdoutFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: TestPaths.binary)
        process.arguments = command + ["--config", config ?? harness.configPath]
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutFile))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrFile))
        try process.run()
    }

    public func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits up to `seconds` for the process to exit; nil if it is still running.
    public func waitForExit(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { return nil }
        return process.terminationStatus
    }

    public func kill9() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    public var stderr: String { (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "" }
    public var stdout: String { (try? String(contentsOfFile: stdoutFile, encoding: .utf8)) ?? "" }
}
