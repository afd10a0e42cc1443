import FeedCore
import FeedYAML

/// Every key of the configuration, a table per section: the loader reads with these, `check` is the
/// loader, and `feedwatch check --keys` prints them as config/README.md shows them (a test keeps the
/// two equal).
enum ConfigTable {
    static let top: [ConfigKey<DaemonConfig>] = [
        .path(
            "state_dir", \.stateDir,
            "holds `state.sqlite` and `feedwatch.lock` (one daemon per state); with `state_url`, only the heartbeat file"),
        ConfigKey(
            name: "state_url", type: "string", bounds: "",
            doc:
                "`postgresql://user@host:5432/db?sslmode=verify-full`: the state in PostgreSQL, shared by every node with the same URL (`docs/cluster.md`); no password in the URL",
            shows: { _ in "none (SQLite in state_dir)" },
            reads: { c, v, _ throws(ConfigError) in
                let url = try v.string()
                let lower = url.lowercased()
                guard lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") else {
                    throw v.error("state_url must be a postgresql:// URL")
                }
                c.stateURL = url
            }),
        .optionalPath(
            "state_password_file", \.statePasswordFile,
            "the PostgreSQL password, first line of this file (else `PGPASSWORD`); keep it mode 0600"),
        .own("cluster", "mapping", default: "", "below: nodes sharing a `state_url`"),
        .own(
            "http", "mapping", default: "",
            "below: the HTTP listener (the reader page, health, metrics, WebSub), off by default"),
        .path(
            "spool_dir", \.spoolDir,
            "maildir: `tmp/ new/ cur/`, created if missing; `tmp` and `new` must be on one filesystem"),
        .path("log_file", \.logFile, "one line per delivered alert, reopened on SIGHUP"),
        .optionalPath(
            "metrics_file", \.metricsFile,
            "Prometheus text format for node_exporter's textfile collector, rewritten atomically every 30 s (and after `once`); its directory must be writable"
        ),
        .own("fetch", "mapping", default: "", "below"),
        .own("alerts", "mapping", default: "", "below"),
        .own("schedule", "mapping", default: "", "below"),
        .own("state", "mapping", default: "", "below: how long the state remembers"),
        .own("feeds", "list", default: "[]", "below"),
        .own("sinks", "list", default: "[]", "below: where each alert also goes once it is in the spool (`docs/sinks.md`)"),
        .own(
            "feed_files", "list of paths", default: "[]",
            "OPML files whose outlines with an `xmlUrl` are feeds too, read again on SIGHUP; an entry may be `{path: FILE, allow_file_urls: true}` to watch its `file:` outlines, left out otherwise (see \"Feeds from OPML\" below)"
        ),
        .own(
            "topics", "list", default: "built-in",
            "override, disable (`enabled: false`) or add topics; format in `docs/classifier.md`"),
    ]

    static let fetch: [ConfigKey<DaemonConfig.Fetch>] = [
        .choice(
            "websub", \.websub,
            "`auto`: with `http.listen` and `http.public_url` set, subscribe to each feed that names a WebSub hub (Link header or `<atom:link rel=\"hub\">`), take signed pushes as polls, and keep polling it 12 times less often as a safety net (`docs/daemon.md`)"
        ),
        .int("concurrency", \.concurrency, in: 1...1024, "transfers in flight"),
        .int("per_host", \.perHost, in: 1...64, "transfers per host"),
        .bool(
            "allow_private_networks", \.allowPrivateNetworks,
            "when false, loopback, private, link-local and other special addresses are refused (see `docs/fetcher.md`)"),
        .duration("connect_timeout", \.connectTimeout, in: 1...300, ""),
        .duration("timeout", \.timeout, in: 1...3600, "per transfer"),
        .int("max_body_bytes", \.maxBodyBytes, in: 1024...(256 * 1024 * 1024), "counted on decoded bytes"),
        .optionalString(
            "proxy", \.proxy,
            "e.g. `http://proxy:3128`; environment proxies are never used; through a proxy the address gate is off (the proxy decides what it reaches)"
        ),
        .optionalPath("ca_file", \.caFile, "a CA bundle to trust instead of the system's"),
    ]

    static let alerts: [ConfigKey<DaemonConfig.Alerts>] = [
        .choice("first_poll", \.firstPoll, "`baseline`: what a new feed already carries is marked seen, without alerts"),
        .duration("max_age", \.maxAge, in: 0...(3650 * 86_400), "0 is no limit; older entries are marked seen, never alerted"),
        .int(
            "churn_limit", \.churnLimit, in: 1...100_000,
            "more new entries than this in one poll of a known feed means identifier churn: one warning, no alerts"),
        .duration(
            "story_window", \.storyWindow, in: 0...(30 * 86_400),
            "an on-topic report of a story that already alerted within this window (from any feed) joins that story: no new file, an \"also\" line in the log (`docs/stories.md`); `0` turns merging off"
        ),
    ]

    static let state: [ConfigKey<DaemonConfig.State>] = [
        .duration(
            "entry_retention", \.entryRetention, in: 1...(3650 * 86_400),
            "an entry its feed has not listed for this long is forgotten (if it ever comes back, `alerts.max_age` keeps it from alerting again)"
        ),
        .duration(
            "alert_retention", \.alertRetention, in: 1...(3650 * 86_400),
            "a delivered alert's stored copy (payload and log line) is dropped after this long, its id kept so a replay is still recognised; stories opened before then are forgotten, sources included"
        ),
    ]

    static let http: [ConfigKey<DaemonConfig.HTTP>] = [
        ConfigKey(
            name: "listen", type: "`host:port` or null", bounds: "",
            doc:
                "`127.0.0.1:8089`: serve the reader page (`/`, `/alerts/<id>`, `/feeds`, `/api/alerts`; docs/reader.md), `GET /healthz` (the `status --json` object; 200 healthy, 503 not), `GET /metrics` (Prometheus text) and WebSub callbacks under `/websub/` there; read at start (a change needs a restart). Keep it on loopback, or set `password_file`, or put a proxy that authenticates in front",
            shows: { _ in "null" },
            reads: { h, v, _ throws(ConfigError) in
                guard !ConfigValues.isNull(v) else { return h.listen = nil }
                guard let listen = DaemonConfig.HTTP.Listen.parse(try v.string()) else {
                    throw v.error("expected host:port, such as 127.0.0.1:8089 or [::1]:8089")
                }
                h.listen = listen
            }),
        ConfigKey(
            name: "public_url", type: "string or null", bounds: "",
            doc:
                "`https://feeds.example.org/feedwatch`: where hubs reach the listener (through your proxy); set, it subscribes to the feeds that advertise a WebSub hub (`fetch.websub`)",
            shows: { _ in "null" },
            reads: { h, v, _ throws(ConfigError) in
                guard !ConfigValues.isNull(v) else { return h.publicURL = nil }
                let url = try v.string().trimming(" ")
                let lower = url.lowercased()
                guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), URLAuthority(of: url)?.host.isEmpty == false
                else { throw v.error("public_url is an http:// or https:// URL") }
                h.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            }),
        ConfigKey(
            name: "password_file", type: "path or null", bounds: "",
            doc:
                "a file of `user:password` lines (or `user:sha256:<hex of the password's SHA-256>`), readable by the daemon and by nobody else (mode 600 or 640): every route but the WebSub callbacks then asks for HTTP basic authentication. Read at start and on reload. Over anything but loopback, put TLS in front (a reverse proxy)",
            shows: { _ in "null" },
            reads: { h, v, base throws(ConfigError) in
                guard let path = try ConfigValues.optionalPath(v, base: base) else {
                    h.passwordFile = nil
                    h.credentials = [:]
                    return
                }
                do throws(PasswordFile.Problem) {
                    h.credentials = try PasswordFile.load(path)
                } catch {
                    throw v.error("password_file \(path): \(error.description)")
                }
                h.passwordFile = path
            }),
    ]

    static let cluster: [ConfigKey<DaemonConfig.Cluster>] = [
        ConfigKey(
            name: "node", type: "string", bounds: "",
            doc: "this node's name in `status` and in the leases it holds; unique per running node",
            shows: { _ in "hostname-pid" },
            reads: { c, v, _ throws(ConfigError) in
                let name = try v.string()
                guard !name.isEmpty, name.count <= 200, !name.contains(where: { $0.isWhitespace || $0.isNewline }) else {
                    throw v.error("a node name is up to 200 characters without spaces")
                }
                c.node = name
            }),
        .duration(
            "lease", \.lease, in: 5...3600,
            "how long a node holds a feed it polls (renewed every third of it while the node lives); a dead node's feeds are polled by the others once its leases run out"
        ),
    ]

    static let schedule: [ConfigKey<DaemonConfig.Schedule>] = [
        .bool(
            "adaptive", \.adaptive,
            "each feed's interval follows its publication rhythm: a quarter of its average gap between entries (from the dates it lists over the last seven `max_interval`s, else from what polls find new), within `min_interval` and `max_interval`, never below its `ttl` or max-age; a feed's own `interval:` fixes it (`docs/daemon.md`)"
        ),
        .duration(
            "interval", \.interval, in: 10...(30 * 86_400),
            "for feeds without their own when `adaptive` is false, and for a feed's first polls until its rhythm is learned"),
        .duration(
            "min_interval", \.minInterval, in: 1...(30 * 86_400),
            "no feed is polled more often (a feed's `<ttl>` and Cache-Control max-age can lengthen, never shorten, the interval)"),
        .duration("max_interval", \.maxInterval, in: 60...(365 * 86_400), ""),
        .double("jitter", \.jitter, in: 0...0.5, "each interval is varied by ± this fraction"),
        .duration(
            "max_backoff", \.maxBackoff, in: 60...(30 * 86_400),
            "failures back off exponentially up to this, and are retried for ever"),
    ]

    static let feed: [ConfigKey<DaemonConfig.Feed>] = [
        .own(
            "url", "string", default: "required",
            "`http://`, `https://`, `file:///absolute`, `file:/absolute` or `file:relative` (resolved against the configuration file's directory). No credentials in the URL (they would be logged): use `username`/`password`. Listed once."
        ),
        ConfigKey(
            name: "name", type: "string", bounds: "", doc: "shown by `status` and in alerts when the feed has no title",
            shows: { _ in "URL" }, reads: { f, v, _ throws(ConfigError) in f.name = try v.string() }),
        ConfigKey(
            name: "interval", type: "duration", bounds: ConfigValues.durationBounds(30...(30 * 86_400)),
            doc: "clamped to `[min_interval, max_interval]`", shows: { _ in "schedule.interval" },
            reads: { f, v, _ throws(ConfigError) in f.interval = try ConfigValues.duration(v, in: 30...(30 * 86_400)) }),
        ConfigKey(
            name: "tags", type: "list of strings", bounds: "",
            doc: "labels shown by `feeds list` and written as nested categories by `feeds export`, outermost first",
            shows: { _ in "[]" },
            reads: { f, v, _ throws(ConfigError) in
                f.tags = []
                for item in try v.sequence() {
                    // Collapsed as an OPML reader collapses a category's text, so an export reads back the same.
                    guard let tag = PlainText.collapse(try item.string()) else { throw item.error("a tag cannot be empty") }
                    f.tags.append(tag)
                }
            }),
        .bool("enabled", \.enabled, ""),
        .bool("allow_private", \.allowPrivate, "this feed may be on a private or loopback address (intranet feeds)"),
        ConfigKey(
            name: "headers", type: "mapping", bounds: "", doc: "extra request headers, e.g. `{X-Api-Key: abc}`",
            shows: { _ in "none" }, reads: { f, v, _ throws(ConfigError) in f.headers = try ConfigValues.headers(v) }),
        .own(
            "username", "string", default: "none",
            "HTTP basic authentication, with `password`; never sent to another host on a redirect"),
        .own("password", "string", default: "none", "with `username`"),
        ConfigKey(
            name: "timezone", type: "`+03:00`, `-0500`, `UTC`", bounds: "",
            doc: "the offset for dates written without a zone (common on Arabic news sites)", shows: { _ in "UTC" },
            reads: { f, v, _ throws(ConfigError) in
                guard let offset = ConfigValues.offset(try v.string()) else {
                    throw v.error("expected an offset such as +03:00 or UTC")
                }
                f.timezoneOffset = offset
            }),
    ]

    static let sink: [ConfigKey<DaemonConfig.Sink>] = [
        .own("name", "string", default: "required", "unique; shown by `status`, in the metrics and in logs"),
        .choice(
            "type", \.type, "`webhook`: POST the alert file; `exec`: run a program with the alert file on its standard input"),
        .own(
            "url", "string", default: "required for webhook",
            "`http://` or `https://`; never logged (webhook URLs carry secrets); the fetcher's address rules apply"),
        ConfigKey(
            name: "headers", type: "mapping", bounds: "",
            doc: "webhook: extra request headers, e.g. `{Authorization: \"Bearer …\"}`; never logged",
            shows: { _ in "none" }, reads: { s, v, _ throws(ConfigError) in s.headers = try ConfigValues.headers(v) }),
        ConfigKey(
            name: "command", type: "list of strings", bounds: "",
            doc:
                "exec: the program and its arguments (argv, no shell); required for exec. A program path with a `/` that is relative is resolved against the configuration file's directory, like every other path; a bare name is looked up in PATH",
            shows: { _ in "none" },
            reads: { s, v, base throws(ConfigError) in
                s.command = try v.sequence().map { (item: YAMLValue) throws(ConfigError) -> String in try item.string() }
                guard let program = s.command.first, !program.isEmpty else { throw v.error("command needs a program") }
                if program.contains("/"), !program.hasPrefix("/"), let base {
                    s.command[0] = PathText.normalized(base + "/" + program)
                }
                s.commandAt = DaemonConfig.Located(value: s.command[0], line: v.line, column: v.column)
            }),
        ConfigKey(
            name: "env", type: "mapping", bounds: "",
            doc:
                "exec: environment variables for the program, e.g. `{NTFY_TOPIC: gold}`; it gets only these, PATH, HOME, LANG, LC_ALL, TZ, TMPDIR and the FEEDWATCH_* ones, never the daemon's own environment",
            shows: { _ in "none" }, reads: { s, v, _ throws(ConfigError) in s.env = try ConfigValues.environment(v) }),
        .duration("timeout", \.timeout, in: 1...3600, "one attempt; a program past it is killed with its process group"),
        .bool("allow_private", \.allowPrivate, "webhook: the URL may be on a private or loopback address"),
        .duration(
            "give_up_after", \.giveUpAfter, in: 60...(30 * 86_400),
            "a delivery still failing this long after the alert is marked failed and logged; failures are retried with exponential back-off and jitter from 1 s to 15 min"
        ),
        .filter(
            "topics", \.topicFilter,
            "only alerts with one of these topics; a name that is not an enabled topic is an error (it would never match)"),
        .filter(
            "feeds", \.feedFilter,
            "only alerts from these feeds, by configured `name` or URL; one that names no feed is an error"),
        .filter("tags", \.tagFilter, "only alerts from feeds with one of these `tags`; a tag no feed has is an error"),
        ConfigKey(
            name: "digest", type: "mapping", bounds: "",
            doc:
                "`{every: 1h}` (1m–7d; periods end on multiples of the duration since the epoch: on the hour, at midnight UTC) or `{at: \"07:00\", timezone: Europe/London}` (daily at that local time; `timezone` an offset such as `+03:00` or a zone name, default the system's): one digest per period instead of one call per alert; a period without alerts sends nothing",
            shows: { _ in "none" }, reads: { s, v, _ throws(ConfigError) in s.digest = try ConfigValues.period(v) }),
        ConfigKey(
            name: "quiet_hours", type: "mapping", bounds: "",
            doc:
                "`{from: \"22:00\", to: \"07:00\", timezone: …}`: nothing is sent in these hours; what arrives is held and goes out as one digest when they end (never dropped)",
            shows: { _ in "none" }, reads: { s, v, _ throws(ConfigError) in s.quietHours = try ConfigValues.quietHours(v) }),
        ConfigKey(
            name: "max_per_hour", type: "int", bounds: "1–10000",
            doc: "past this many alerts in a clock hour, the rest of the hour's go out as one digest when it ends",
            shows: { _ in "none" },
            reads: { s, v, _ throws(ConfigError) in s.maxPerHour = try v.int(in: 1...10_000) }),
    ]

    /// The key tables in Markdown, as config/README.md carries them: (section heading, table).
    static func markdownTables() -> [(title: String, table: String)] {
        func table<S>(_ keys: [ConfigKey<S>], _ defaults: S) -> String {
            (["| key | type | default | bounds and notes |", "|---|---|---|---|"] + keys.map { $0.row(defaults: defaults) })
                .joined(separator: "\n")
        }
        return [
            ("Top level", table(top, DaemonConfig(file: ""))),
            ("`fetch`", table(fetch, DaemonConfig.Fetch())),
            ("`alerts`", table(alerts, DaemonConfig.Alerts())),
            ("`state`", table(state, DaemonConfig.State())),
            ("`schedule`", table(schedule, DaemonConfig.Schedule())),
            ("`cluster`", table(cluster, DaemonConfig.Cluster())),
            ("`http`", table(http, DaemonConfig.HTTP())),
            ("`feeds` (each item)", table(feed, DaemonConfig.Feed(url: ""))),
            ("`sinks` (each item)", table(sink, DaemonConfig.Sink(name: ""))),
        ]
    }
}

extension DaemonConfig {
    /// Every configuration key as Markdown (`feedwatch check --keys`): a heading and a table per section.
    public static var keyReference: String {
        ConfigTable.markdownTables().map { "## \($0.title)\n\n\($0.table)" }.joined(separator: "\n\n") + "\n"
    }
}

extension Array {
    /// The names of the keys of a section table: what the section allows.
    func names<S>() -> Set<String> where Element == ConfigKey<S> { Set(map(\.name)) }

    /// Reads each known key of `fields` into `section`, collecting every problem.
    func read<S>(
        _ fields: [String: YAMLValue], into section: inout S, base: String?,
        problems: inout [ConfigError]
    ) where Element == ConfigKey<S> {
        for key in self {
            guard let reads = key.reads, let value = fields[key.name] else { continue }
            do { try reads(&section, value, base) } catch { problems.append(error) }
        }
    }
}
