import FeedClassify
import FeedCore
public import FeedYAML
import Foundation

extension DaemonConfig {
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
                // A path someone named is simply not there; the last default place means none was found.
                message =
                    path == ConfigFile.localPath && ConfigFile.lookup(option: nil) == nil
                    ? "no configuration file found (looked for --config, then $FEEDWATCH_CONFIG, then "
                        + "/etc/feedwatch/feedwatch.yaml, then config/feedwatch.yaml); name one with --config PATH or "
                        + "FEEDWATCH_CONFIG=PATH"
                    : "no such configuration file (check the path given with --config or $FEEDWATCH_CONFIG)"
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
        let top = section(root, ConfigTable.top.names())
        let base = directory(of: file)
        ConfigTable.top.read(top, into: &c, base: base, problems: &problems)
        if let v = top["fetch"] {
            ConfigTable.fetch.read(section(v, ConfigTable.fetch.names()), into: &c.fetch, base: base, problems: &problems)
        }
        if let v = top["alerts"] {
            ConfigTable.alerts.read(section(v, ConfigTable.alerts.names()), into: &c.alerts, base: base, problems: &problems)
        }
        if let v = top["state"] {
            ConfigTable.state.read(section(v, ConfigTable.state.names()), into: &c.state, base: base, problems: &problems)
        }
        if let v = top["http"] {
            ConfigTable.http.read(section(v, ConfigTable.http.names()), into: &c.http, base: base, problems: &problems)
        }
        if let v = top["cluster"] {
            ConfigTable.cluster.read(section(v, ConfigTable.cluster.names()), into: &c.cluster, base: base, problems: &problems)
        }
        if let v = top["schedule"] {
            let m = section(v, ConfigTable.schedule.names())
            ConfigTable.schedule.read(m, into: &c.schedule, base: base, problems: &problems)
            c.schedule.intervalAt = m["interval"].map { Located(value: "interval", line: $0.line, column: $0.column) }
            if c.schedule.minInterval > c.schedule.maxInterval, let v = m["min_interval"] {
                problems.append(v.error("min_interval is larger than max_interval"))
            }
        }
        /// Each item of a list section, parsed; an item whose key an earlier one had is a problem naming
        /// that line. Every item's problems are collected.
        func items<T>(
            _ list: YAMLValue, parse: (YAMLValue) throws(ConfigError) -> T, key: (T) -> String,
            twice: (T, Int) -> String
        ) -> [T] {
            var seen: [String: Int] = [:]
            var out: [T] = []
            collect { () throws(ConfigError) in
                for item in try list.sequence() {
                    collect { () throws(ConfigError) in
                        let value = try parse(item)
                        let k = key(value)
                        if let previous = seen[k] { throw item.error(twice(value, previous)) }
                        seen[k] = item.line
                        out.append(value)
                    }
                }
            }
            return out
        }
        if let list = top["feeds"] {
            c.feeds = items(
                list, parse: { (item) throws(ConfigError) in try parseFeed(item, baseDirectory: base) },
                key: { sameFeedKey($0.url) }, twice: { "feed \($0.url) is listed twice (first at line \($1))" })
        }
        if let list = top["sinks"] {
            c.sinks = items(
                list, parse: { (item) throws(ConfigError) in try parseSink(item, baseDirectory: base) }, key: \.name,
                twice: { "sink name \($0.name) is used twice (first at line \($1))" })
        }
        if let v = top["feed_files"] {
            c.addFeedFiles(v, base: base, problems: &problems)
        }
        if let t = top["topics"] {
            collect { () throws(ConfigError) in
                c.topics = TopicCatalog.merged(try TopicDefinition.list(from: t, bases: TopicCatalog.defaults))
            }
        }
        problems += c.resolveSinkRoutes()
        // The configuration's own problems in line order, then the feed files' in the order they were read.
        let own = problems.filter { $0.file == file }.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        if let problem = ConfigError.combined(own + problems.filter { $0.file != file }) {
            throw problem
        }
        return c
    }

    /// A feed entry's keys, built once: a configuration lists thousands of feeds.
    private static let feedKeyNames = ConfigTable.feed.names()

    static func parseFeed(_ item: YAMLValue, baseDirectory: String?) throws(ConfigError) -> Feed {
        let m = try item.fields(allowed: feedKeyNames)
        guard let urlValue = m["url"] else { throw item.error("a feed needs a url") }
        let raw = try urlValue.string()
        let url: String
        do {
            url = try watchableURL(raw, base: baseDirectory)
        } catch {
            throw urlValue.error(error.message)
        }
        var feed = Feed(url: url, line: item.line)
        feed.urlAt = Located(value: url, line: urlValue.line, column: urlValue.column)
        var problems: [ConfigError] = []
        ConfigTable.feed.read(m, into: &feed, base: baseDirectory, problems: &problems)
        if let first = problems.first { throw first }
        if let u = m["username"] {
            guard let p = m["password"] else { throw u.error("username needs a password") }
            feed.credentials = "\(try u.string()):\(try p.string())"
        }
        feed.configHash = feed.settingsHash()
        return feed
    }

    static func parseSink(_ item: YAMLValue, baseDirectory: String?) throws(ConfigError) -> Sink {
        let m = try item.fields(allowed: ConfigTable.sink.names())
        guard let nameValue = m["name"] else { throw item.error("a sink needs a name") }
        let name = try nameValue.string().trimming(" ")
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw nameValue.error("a sink name is letters, digits, '-', '_' and '.' (it names the sink in logs and metrics)")
        }
        var sink = Sink(name: name)
        sink.line = item.line
        var problems: [ConfigError] = []
        ConfigTable.sink.read(m, into: &sink, base: baseDirectory, problems: &problems)
        if let first = problems.first { throw first }
        switch sink.type {
        case .webhook:
            guard let u = m["url"] else { throw item.error("a webhook sink needs a url") }
            let url = try u.string().trimming(" ")
            let lower = url.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), URLAuthority(of: url)?.host.isEmpty == false,
                !url.utf8.contains(where: { $0 <= 0x20 })
            else { throw u.error("a webhook url is http:// or https:// with a host") }
            if let c = m["command"] { throw c.error("command is for exec sinks") }
            if let e = m["env"] { throw e.error("env is for exec sinks") }
            sink.url = url
            sink.urlAt = Located(value: url, line: u.line, column: u.column)
        case .exec:
            guard m["command"] != nil else { throw item.error("an exec sink needs a command") }
            if let u = m["url"] { throw u.error("url is for webhook sinks") }
            if let h = m["headers"] { throw h.error("headers are for webhook sinks") }
        }
        return sink
    }

    /// Why a URL cannot be watched.
    struct URLRejection: Error {
        var message: String
    }

    /// `raw` as the feed's URL, or why it cannot be one. `file:relative/path` is resolved against `base`
    /// (the directory of the file listing it), so the shipped configuration can watch the sample feeds
    /// from any checkout.
    static func watchableURL(_ raw: String, base: String?) throws(URLRejection) -> String {
        var url = raw.trimming(" ")
        if url.hasPrefix("file:"), !url.hasPrefix("file://") {
            let rest = url.dropFirst(5)
            if rest.hasPrefix("/") {
                url = "file://" + PathText.normalized(String(rest))  // file:/absolute/path (RFC 8089's short form)
            } else if let base {
                url = "file://" + PathText.normalized(base + "/" + rest)
            }
        }
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("file:///") else {
            throw URLRejection(
                message: "only http://, https:// and file:/// URLs can be watched (got '\(URLRedaction.redact(url))')")
        }
        if lower.hasPrefix("http") {
            let authority = URLAuthority(of: url)
            if authority?.userinfo != nil {
                throw URLRejection(message: "credentials in the URL would be logged; use username and password instead")
            }
            guard let host = authority?.host, !host.isEmpty, host != "[", host != "[]" else {
                throw URLRejection(message: "the URL has no host (got '\(url)')")
            }
        }
        guard url.utf8.count <= 2048, !url.utf8.contains(where: { $0 <= 0x20 }) else {
            throw URLRejection(message: "not a valid URL")
        }
        return url
    }

    /// What makes two feed URLs the same feed: scheme and host in any case, no fragment (never sent to
    /// the server), no default port, `/` for an empty path.
    static func sameFeedKey(_ url: String) -> String {
        // On bytes, like URLAuthority: this runs for every feed of a configuration.
        let base = url.utf8.firstIndex(of: 0x23).map { String(url[..<$0]) } ?? url
        guard let authority = URLAuthority(of: base) else { return base }
        let separator = base.utf8.index(authority.text.startIndex, offsetBy: -3)  // "://" ends where the authority starts
        let scheme = base[..<separator].lowercased()
        var hostPort = authority.hostPort.lowercased()
        if (scheme == "http" && hostPort.hasSuffix(":80")) || (scheme == "https" && hostPort.hasSuffix(":443")) {
            hostPort = String(hostPort.dropLast(scheme == "http" ? 3 : 4))
        }
        let path = base[authority.text.endIndex...]
        return scheme + "://" + hostPort + (path.isEmpty ? "/" : path)
    }

    /// The absolute directory holding `file`.
    static func directory(of file: String) -> String {
        PathText.directory(of: file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file)
    }

    /// The configuration path (`ConfigFile.lookup`), or where the daemon's commands expect one when
    /// there is none (loading it then says where they looked).
    public static func path(option: String?) -> String {
        ConfigFile.lookup(option: option) ?? ConfigFile.localPath
    }
}
