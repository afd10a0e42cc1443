import FeedClassify
import FeedCore
import FeedYAML
import Foundation

extension DaemonConfig {
    static let topKeys: Set<String> = ["state_dir", "spool_dir", "log_file", "metrics_file", "fetch", "alerts",
                                       "schedule", "state", "feeds", "topics"]
    static let stateKeys: Set<String> = ["entry_retention", "alert_retention"]
    static let fetchKeys: Set<String> = ["concurrency", "per_host", "allow_private_networks", "connect_timeout",
                                         "timeout", "max_body_bytes", "proxy", "ca_file"]
    static let alertKeys: Set<String> = ["first_poll", "max_age", "churn_limit", "story_window"]
    static let scheduleKeys: Set<String> = ["interval", "min_interval", "max_interval", "jitter", "max_backoff"]
    static let feedKeys: Set<String> = ["url", "name", "interval", "enabled", "allow_private", "headers",
                                        "username", "password", "timezone"]

    /// Reads and validates a configuration file. Every problem is a `ConfigError` with file, line and
    /// column; relative paths are resolved against the configuration file's directory (design.md), so
    /// `feedwatch once --config /etc/x/feedwatch.yaml` finds the same state from any working directory.
    public static func load(path: String) throws(ConfigError) -> DaemonConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            var message = "cannot read: \(error.localizedDescription)"
            if !FileManager.default.fileExists(atPath: path) {
                message = "no configuration file here (looked for --config, then $FEEDWATCH_CONFIG, then "
                    + "/etc/feedwatch/feedwatch.yaml, then config/feedwatch.yaml); name one with --config PATH or "
                    + "FEEDWATCH_CONFIG=PATH"
            }
            throw ConfigError(file: path, line: 0, column: 0, message: message)
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(ConfigError) -> DaemonConfig {
        var c = DaemonConfig(file: file)
        guard let root = try YAMLValue.parse(text, file: file) else {
            throw ConfigError(file: file, line: 1, column: 1, message: "the configuration is empty")
        }
        // Every problem is collected and reported together (one line each), so a user fixes them in one pass.
        var problems: [ConfigError] = []
        func collect(_ body: () throws(ConfigError) -> Void) {
            do { try body() } catch { problems.append(error) }
        }
        /// A section's known fields; unknown keys and a section that is not a mapping are problems.
        func section(_ v: YAMLValue, _ keys: Set<String>) -> [String: YAMLValue] {
            do {
                let (known, unknown) = try v.fieldsAndUnknown(allowed: keys)
                problems += unknown
                return known
            } catch {
                problems.append(error)
                return [:]
            }
        }
        let top = section(root, topKeys)
        let base = directory(of: file)
        if let v = top["state_dir"] { collect { () throws(ConfigError) in c.stateDir = try path(v, base: base) } }
        if let v = top["spool_dir"] { collect { () throws(ConfigError) in c.spoolDir = try path(v, base: base) } }
        if let v = top["log_file"] { collect { () throws(ConfigError) in c.logFile = try path(v, base: base) } }
        if let v = top["metrics_file"] { collect { () throws(ConfigError) in c.metricsFile = try optionalPath(v, base: base) } }
        if let f = top["fetch"] {
            let m = section(f, fetchKeys)
            if let v = m["concurrency"] { collect { () throws(ConfigError) in c.fetch.concurrency = try v.int(in: 1...1024) } }
            if let v = m["per_host"] { collect { () throws(ConfigError) in c.fetch.perHost = try v.int(in: 1...64) } }
            if let v = m["allow_private_networks"] { collect { () throws(ConfigError) in c.fetch.allowPrivateNetworks = try v.bool() } }
            if let v = m["connect_timeout"] { collect { () throws(ConfigError) in c.fetch.connectTimeout = try duration(v, in: 1...300) } }
            if let v = m["timeout"] { collect { () throws(ConfigError) in c.fetch.timeout = try duration(v, in: 1...3600) } }
            if let v = m["max_body_bytes"] { collect { () throws(ConfigError) in c.fetch.maxBodyBytes = try v.int(in: 1024...(256 * 1024 * 1024)) } }
            if let v = m["proxy"] { collect { () throws(ConfigError) in c.fetch.proxy = try optionalString(v) } }
            if let v = m["ca_file"] { collect { () throws(ConfigError) in c.fetch.caFile = try optionalPath(v, base: base) } }
        }
        if let a = top["alerts"] {
            let m = section(a, alertKeys)
            if let v = m["first_poll"] {
                collect { () throws(ConfigError) in
                    guard let fp = Alerts.FirstPoll(rawValue: try v.string()) else { throw v.error("expected alert or baseline") }
                    c.alerts.firstPoll = fp
                }
            }
            if let v = m["max_age"] { collect { () throws(ConfigError) in c.alerts.maxAge = try duration(v, in: 0...(3650 * 86_400)) } }
            if let v = m["churn_limit"] { collect { () throws(ConfigError) in c.alerts.churnLimit = try v.int(in: 1...100_000) } }
            if let v = m["story_window"] { collect { () throws(ConfigError) in c.alerts.storyWindow = try duration(v, in: 0...(30 * 86_400)) } }
        }
        if let s = top["state"] {
            let m = section(s, stateKeys)
            if let v = m["entry_retention"] { collect { () throws(ConfigError) in c.state.entryRetention = try duration(v, in: 1...(3650 * 86_400)) } }
            if let v = m["alert_retention"] { collect { () throws(ConfigError) in c.state.alertRetention = try duration(v, in: 1...(3650 * 86_400)) } }
        }
        if let s = top["schedule"] {
            let m = section(s, scheduleKeys)
            if let v = m["interval"] { collect { () throws(ConfigError) in c.schedule.interval = try duration(v, in: 30...(30 * 86_400)) } }
            if let v = m["min_interval"] { collect { () throws(ConfigError) in c.schedule.minInterval = try duration(v, in: 1...(30 * 86_400)) } }
            if let v = m["max_interval"] { collect { () throws(ConfigError) in c.schedule.maxInterval = try duration(v, in: 60...(365 * 86_400)) } }
            if let v = m["jitter"] { collect { () throws(ConfigError) in c.schedule.jitter = try v.double(in: 0...0.5) } }
            if let v = m["max_backoff"] { collect { () throws(ConfigError) in c.schedule.maxBackoff = try duration(v, in: 60...(30 * 86_400)) } }
            if c.schedule.minInterval > c.schedule.maxInterval, let v = m["min_interval"] {
                problems.append(v.error("min_interval is larger than max_interval"))
            }
        }
        if let f = top["feeds"] {
            var seen: [String: Int] = [:]
            collect { () throws(ConfigError) in
                for item in try f.sequence() {
                    collect { () throws(ConfigError) in
                        let feed = try parseFeed(item, baseDirectory: directory(of: file))
                        if let previous = seen[feed.url] {
                            throw item.error("feed \(feed.url) is listed twice (first at line \(previous))")
                        }
                        seen[feed.url] = item.line
                        c.feeds.append(feed)
                    }
                }
            }
        }
        if let t = top["topics"] { collect { () throws(ConfigError) in c.topics = TopicCatalog.merged(try TopicDefinition.list(from: t)) } }
        if let problem = ConfigError.combined(problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) {
            throw problem
        }
        return c
    }

    static func parseFeed(_ item: YAMLValue, baseDirectory: String?) throws(ConfigError) -> Feed {
        let m = try item.fields(allowed: feedKeys)
        guard let urlValue = m["url"] else { throw item.error("a feed needs a url") }
        var url = try urlValue.string().trimming(" ")
        // `file:relative/path` is resolved against the configuration file's directory, so the shipped
        // configuration can watch the sample feeds from any checkout.
        if url.hasPrefix("file:"), !url.hasPrefix("file://") {
            let rest = url.dropFirst(5)
            if rest.hasPrefix("/") {
                url = "file://" + standardize(String(rest))   // file:/absolute/path (RFC 8089's short form)
            } else if let base = baseDirectory {
                url = "file://" + standardize(base + "/" + rest)
            }
        }
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("file:///") else {
            throw urlValue.error("only http://, https:// and file:/// URLs can be watched (got '\(URLRedaction.redact(url))')")
        }
        if lower.hasPrefix("http") {
            let afterScheme = url[url.index(url.firstIndex(of: ":")!, offsetBy: 3)...]
            let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if authority.contains("@") {
                throw urlValue.error("credentials in the URL would be logged; use username and password instead")
            }
            let host = authority.hasPrefix("[") ? authority.prefix { $0 != "]" } : authority.prefix { $0 != ":" }
            guard !host.isEmpty, host != "[" else { throw urlValue.error("the URL has no host (got '\(url)')") }
        }
        guard url.utf8.count <= 2048, !url.contains(" "), !url.utf8.contains(where: { $0 < 0x20 }) else {
            throw urlValue.error("not a valid URL")
        }
        var feed = Feed(url: url, line: item.line)
        if let v = m["name"] { feed.name = try v.string() }
        if let v = m["interval"] { feed.interval = try duration(v, in: 30...(30 * 86_400)) }
        if let v = m["enabled"] { feed.enabled = try v.bool() }
        if let v = m["allow_private"] { feed.allowPrivate = try v.bool() }
        if let v = m["headers"] {
            for (name, value) in try v.mapping() {
                let header = "\(name): \(try value.string())"
                guard !header.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                    throw value.error("header values cannot contain line breaks")
                }
                feed.headers.append(header)
            }
        }
        if let u = m["username"] {
            guard let p = m["password"] else { throw u.error("username needs a password") }
            feed.credentials = "\(try u.string()):\(try p.string())"
        }
        if let v = m["timezone"] {
            let text = try v.string()
            guard let offset = parseOffset(text) else { throw v.error("expected an offset such as +03:00 or UTC") }
            feed.timezoneOffset = offset
        }
        feed.configHash = feed.settingsHash()
        return feed
    }

    /// The absolute directory holding `file`.
    static func directory(of file: String) -> String? {
        let absolute = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        guard let slash = absolute.lastIndex(of: "/") else { return nil }
        return String(absolute[..<slash])
    }

    /// Folds `.` and `..` segments of an absolute path.
    static func standardize(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.split(separator: "/") {
            if p == "." { continue }
            if p == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(p)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func duration(_ v: YAMLValue, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let text: String
        if let i = v.intValue {
            // A bare number would silently mean seconds to some readers and minutes to others.
            guard i == 0 else { throw v.error("\(i) has no unit: write \(i)s, \(i)m, \(i)h or \(i)d") }
            text = "0"
        } else {
            text = try v.string()
        }
        guard let s = DurationText.seconds(text) else {
            throw v.error("expected a duration such as 30s, 10m, 1h30m or 7d (got '\(text)')")
        }
        guard range.contains(s) else {
            throw v.error("\(text) is out of range \(DurationText.format(range.lowerBound))…\(DurationText.format(range.upperBound))")
        }
        return s
    }

    /// A path as written, or, when relative, joined to `base` (the configuration file's directory).
    static func path(_ v: YAMLValue, base: String?) throws(ConfigError) -> String {
        let p = try v.string()
        guard !p.isEmpty, !p.utf8.contains(0) else { throw v.error("expected a path") }
        guard !p.hasPrefix("/"), let base else { return p }
        return base + "/" + (p.hasPrefix("./") ? String(p.dropFirst(2)) : p)
    }

    static func optionalPath(_ v: YAMLValue, base: String?) throws(ConfigError) -> String? {
        if let s = v.scalarText, s.isEmpty || s == "null" || s == "~" { return nil }
        return try path(v, base: base)
    }

    static func optionalString(_ v: YAMLValue) throws(ConfigError) -> String? {
        if let s = v.scalarText, s.isEmpty || s == "null" || s == "~" { return nil }
        return try v.string()
    }

    /// `+03:00`, `-0500`, `+3`, `UTC`.
    static func parseOffset(_ text: String) -> Int? {
        let t = text.trimming(" ")
        if t.uppercased() == "UTC" || t.uppercased() == "GMT" || t == "Z" { return 0 }
        guard let sign = t.first, sign == "+" || sign == "-" else { return nil }
        let digits = t.dropFirst().filter { $0 != ":" }
        guard !digits.isEmpty, digits.count <= 4, let n = Int(digits) else { return nil }
        let (h, m) = digits.count <= 2 ? (n, 0) : (n / 100, n % 100)
        guard h <= 14, m < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (h * 3600 + m * 60)
    }
    /// The configuration path: `--config`, else $FEEDWATCH_CONFIG, else /etc/feedwatch/feedwatch.yaml,
    /// else config/feedwatch.yaml (design.md).
    public static func path(option: String?) -> String {
        if let option { return option }
        if let env = ProcessInfo.processInfo.environment["FEEDWATCH_CONFIG"], !env.isEmpty { return env }
        if FileManager.default.fileExists(atPath: "/etc/feedwatch/feedwatch.yaml") { return "/etc/feedwatch/feedwatch.yaml" }
        return "config/feedwatch.yaml"
    }
}
