public import FeedClassify
import FeedCore
import FeedHTTP
import Foundation

/// The daemon's configuration (config/README.md documents every key with its type, default and bounds).
public struct DaemonConfig: Sendable {
    public struct Fetch: Sendable, Equatable {
        public var concurrency = 16
        public var perHost = 2
        public var allowPrivateNetworks = false
        public var connectTimeout = 10
        public var timeout = 60
        public var maxBodyBytes = 10 * 1024 * 1024
        public var proxy: String?
        public var caFile: String?
        /// WebSub (issue 25): subscribe to the feeds that name a hub, when `http.public_url` is set.
        public var websub = WebSubMode.auto
    }

    public struct Alerts: Sendable, Equatable {
        public enum FirstPoll: String, Sendable, CaseIterable { case alert, baseline }
        public var firstPoll: FirstPoll = .alert
        /// Seconds; 0 = no limit.
        public var maxAge = 48 * 3600
        /// More new entries than this in one poll of a known feed is churn: one warning, no alerts.
        public var churnLimit = 50
        /// Seconds a story stays open for other reports to join (docs/stories.md); 0 = stories off.
        public var storyWindow = 48 * 3600
    }

    /// How long the state remembers (it would otherwise grow for ever).
    public struct State: Sendable, Equatable {
        /// Seconds after a feed last listed an entry before the entry is forgotten (`alerts.max_age` keeps a
        /// forgotten entry that reappears from alerting again).
        public var entryRetention = 90 * 86_400
        /// Seconds after delivery before an alert's payload is dropped (its id stays, so a replay is still
        /// recognised), and before a closed story's sources are forgotten.
        public var alertRetention = 30 * 86_400
    }

    /// Nodes sharing a PostgreSQL state (`state_url`; docs/cluster.md).
    /// The HTTP listener of `run` (issue 25): health, metrics and WebSub callbacks. Off by default.
    public enum WebSubMode: String, Sendable, CaseIterable {
        case auto, off
    }

    public struct HTTP: Sendable, Equatable {
        /// Where it listens: a host (loopback unless configured otherwise) and a port; nil: no listener.
        public var listen: Listen?
        /// The address the world reaches the listener at (behind a reverse proxy), for WebSub callbacks;
        /// nil: no WebSub subscriptions.
        public var publicURL: String?
        /// `http.password_file`: the users that HTTP basic authentication lets in, each with the
        /// SHA-256 of its password (`PasswordFile`); nil: no authentication.
        public var passwordFile: String?
        public var credentials: [String: [UInt8]] = [:]

        /// Whether an `Authorization` header value lets a request in: always without a password file.
        public func authorizes(_ authorization: String?) -> Bool {
            passwordFile == nil || PasswordFile.authorizes(authorization, credentials)
        }

        public struct Listen: Sendable, Equatable, CustomStringConvertible {
            public var host: String
            public var port: Int
            public var description: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }

            /// `127.0.0.1:8089`, `[::1]:8089`, `0.0.0.0:8089`, `localhost:8089`.
            static func parse(_ text: String) -> Listen? {
                let t = text.trimmingCharacters(in: .whitespaces)
                let host: Substring
                let port: Substring
                if t.hasPrefix("[") {
                    guard let close = t.firstIndex(of: "]"), t[t.index(after: close)...].hasPrefix(":") else { return nil }
                    host = t[t.index(after: t.startIndex)..<close]
                    port = t[t.index(close, offsetBy: 2)...]
                } else {
                    guard let colon = t.lastIndex(of: ":"), !t[..<colon].contains(":") else { return nil }
                    (host, port) = (t[..<colon], t[t.index(after: colon)...])
                }
                guard !host.isEmpty, let p = Int(port), (1...65_535).contains(p) else { return nil }
                return Listen(host: String(host), port: p)
            }
        }
    }

    public struct Cluster: Sendable, Equatable {
        /// This node's name; nil: the host name and the process id.
        public var node: String?
        /// Seconds a node holds a feed it polls (renewed while it polls); a dead node's feeds are taken
        /// over by the others when its leases run out.
        public var lease = 60

        /// The node's name as it is used: `cluster.node`, or `host-pid`.
        public var nodeName: String {
            node ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        }

        /// The name `once` runs under: never a running node's, even with the same configuration file
        /// (`cluster.node` with `.once-<pid>`), so a one-off cycle neither replaces that node's feed list
        /// nor gives up its leases nor marks it stopped (issue 23, finding 1).
        public var onceNodeName: String {
            node.map { "\($0).once-\(ProcessInfo.processInfo.processIdentifier)" } ?? nodeName
        }
    }

    public struct Schedule: Sendable, Equatable {
        /// Each feed's interval follows its publication rhythm (`Cadence`); false: `interval` for all.
        public var adaptive = true
        public var interval = 15 * 60
        /// Where `interval` was written (for the clamp warning).
        public var intervalAt: Located?
        public var minInterval = 5 * 60
        public var maxInterval = 24 * 3600
        /// Fraction of the interval added or removed at random.
        public var jitter = 0.1
        /// Back-off cap after failures.
        public var maxBackoff = 6 * 3600
    }

    public struct Feed: Sendable, Equatable {
        public var url: String
        public var name: String?
        public var interval: Int?
        public var enabled = true
        public var allowPrivate = false
        public var headers: [String] = []
        public var credentials: String?
        /// Offset east of UTC for dates without a zone (Arabic news sites often omit it).
        public var timezoneOffset: Int?
        /// Labels for people and scripts (`feeds list`, `feeds export`): the YAML `tags:`, or an OPML
        /// feed's category path, outermost first.
        public var tags: [String] = []
        /// The OPML file (`feed_files`) listing the feed; nil for the configuration file itself.
        public var listedIn: String?
        /// Where the entry is in its file (for messages).
        public var line = 0
        /// Where its `url` was written in the configuration (nil for a feed of an OPML file).
        public var urlAt: Located?
        /// `settingsHash()` as loaded: the poll compares it with the stored one (a changed entry re-enables
        /// a gone feed and forgets its back-off). Computed once per load, not once per poll.
        public internal(set) var configHash = ""

        func settingsHash() -> String {
            Digest.hex(
                [
                    url, name ?? "", "\(interval ?? -1)", "\(enabled)", "\(allowPrivate)", headers.joined(separator: "\n"),
                    credentials ?? "", "\(timezoneOffset ?? 0)",
                ].joined(separator: "\u{1}"), length: 16)
        }
    }

    public var file: String
    public var stateDir = "/var/lib/feedwatch"
    /// `postgresql://user@host:port/db?sslmode=…`: the state in PostgreSQL, shared by nodes; nil: SQLite
    /// in `stateDir`.
    public var stateURL: String?
    /// The PostgreSQL password's file (else `PGPASSWORD`).
    public var statePasswordFile: String?
    public var cluster = Cluster()
    public var http = HTTP()
    public var spoolDir = "/var/spool/feedwatch"
    public var logFile = "/var/log/feedwatch/alerts.log"
    /// Prometheus textfile-collector output; nil = off.
    public var metricsFile: String?
    public var fetch = Fetch()
    public var alerts = Alerts()
    public var schedule = Schedule()
    public var state = State()
    public var feeds: [Feed] = []
    /// Where alerts also go once they are in the spool (docs/sinks.md).
    public var sinks: [Sink] = []
    public var topics: [TopicDefinition] = TopicCatalog.defaults
    /// What loading found wrong but not fatal (a feed listed twice in one OPML file, an outline that is
    /// not a feed), as `file:line: message`.
    public internal(set) var loadWarnings: [String] = []

    public init(file: String) { self.file = file }

    /// The fetch request for `feed` at `url` (its current URL, after permanent redirects).
    func request(for feed: Feed, url: String, etag: String?, lastModified: String?) -> FetchRequest {
        FetchRequest(
            url: url, etag: etag, lastModified: lastModified, maxBodyBytes: fetch.maxBodyBytes,
            connectTimeoutSeconds: fetch.connectTimeout, totalTimeoutSeconds: fetch.timeout,
            addressPolicy: .allowing(fetch.allowPrivateNetworks || feed.allowPrivate, remedy: AddressPolicy.feedRemedy),
            headers: feed.headers, credentials: feed.credentials, proxy: fetch.proxy,
            allowFileScheme: url.hasPrefix("file://") && url == feed.url, caFile: fetch.caFile)
    }

    /// WebSub is on: `fetch.websub: auto`, a listener, and a public URL hubs can reach it at.
    var websubEnabled: Bool { fetch.websub == .auto && http.listen != nil && http.publicURL != nil }

    /// The polling interval of `feed`, within the schedule's bounds.
    func interval(of feed: Feed) -> Int {
        min(max(feed.interval ?? schedule.interval, schedule.minInterval), schedule.maxInterval)
    }

    /// Every warning, for `check` to print and the daemon to log at start and on reload.
    public var warnings: [String] { loadWarnings + clampWarnings + sinkWarnings + reachWarnings }

    /// Intervals the configuration asks for but will not get, clamped to `[min_interval, max_interval]`:
    /// `check` prints these and the daemon logs them at start, so nobody waits for a 30 s poll that
    /// comes every 5 minutes.
    public var clampWarnings: [String] {
        var out: [String] = []
        func note(_ asked: Int, _ what: String, line: String?) {
            let got = min(max(asked, schedule.minInterval), schedule.maxInterval)
            guard got != asked else { return }
            let bound = got > asked ? "raised to schedule.min_interval" : "lowered to schedule.max_interval"
            out.append(
                "\(file)\(line.map { ":\($0)" } ?? ""): \(what) \(DurationText.format(asked)) is \(bound) "
                    + DurationText.format(got))
        }
        note(schedule.interval, "schedule.interval", line: schedule.intervalAt.map { "\($0.line):\($0.column)" })
        for f in feeds where f.enabled {
            if let asked = f.interval { note(asked, "interval of \(f.name ?? URLRedaction.redact(f.url))", line: "\(f.line)") }
        }
        return out
    }
}
