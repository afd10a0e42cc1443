import FeedYAML
import Foundation

extension DaemonConfig {
    /// One sink: a webhook that receives each alert file by POST, or a program that reads it on its
    /// standard input. The spool stays the source of truth; a sink gets each alert once it is there.
    public struct Sink: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            case webhook
            case exec
        }

        /// Unique; shown by `status`, in the metrics and in logs (the URL never is: webhook URLs carry
        /// secrets in their path).
        public var name: String
        public var type = Kind.webhook
        public var url: String?
        /// `Name: value` lines sent with each POST; never logged.
        public var headers: [String] = []
        /// argv of the program (no shell).
        public var command: [String] = []
        /// exec: variables the program gets beside the minimal environment (`SinkAttemptRunner`); the
        /// daemon's own environment (a database password, the systemd sockets) is never passed on.
        public var env: [String: String] = [:]
        /// Seconds one attempt may take (a program past it is killed with its process group).
        public var timeout = 30
        public var allowPrivate = false
        /// Seconds after which a delivery still failing is given up and logged.
        public var giveUpAfter = 86_400
        public var line = 0
        /// Where the webhook's `url` and the exec's `command` were written, for `check`'s warnings.
        public var urlAt: Located?
        public var commandAt: Located?
        /// Routing (issue 24): the `topics`, `feeds` and `tags` the sink takes, as written (with where,
        /// for `check`), and the feeds and tags resolved to the feed URLs they stand for (nil: no filter).
        public var topicFilter: [Located] = []
        public var feedFilter: [Located] = []
        public var tagFilter: [Located] = []
        public var routeFeedURLs: Set<String>?
        public var routeTagURLs: Set<String>?
        /// Batching (issue 24): one digest per period, quiet hours, an hourly cap.
        public var digest: Period?
        public var quietHours: QuietHours?
        public var maxPerHour: Int?

        public init(name: String) { self.name = name }
    }

    /// A value of the configuration and where it was written.
    public struct Located: Sendable, Equatable {
        public var value: String
        public var line: Int
        public var column: Int
    }
}

extension DaemonConfig {
    /// An exec sink whose program is not there or not executable (as the user running `check` sees it):
    /// a warning, since the daemon may run as another user, or the program may be installed later.
    var sinkWarnings: [String] {
        sinks.compactMap { sink in
            guard sink.type == .exec, let program = sink.command.first, program.hasPrefix("/"),
                !FileManager.default.isExecutableFile(atPath: program)
            else { return nil }
            let at = sink.commandAt.map { "\($0.line):\($0.column)" } ?? "\(sink.line)"
            return "\(file):\(at): sink \(sink.name): \(program) is not an executable file; its deliveries will fail"
        }
    }
}

extension DaemonConfig {
    /// Resolves each sink's `feeds` and `tags` to the feed URLs they stand for, and reports a filter that
    /// can never match (a topic no enabled topic is, a feed or a tag no feed has) where it was written.
    mutating func resolveSinkRoutes() -> [ConfigError] {
        var problems: [ConfigError] = []
        let topicNames = Set(topics.filter(\.enabled).map(\.name))
        func problem(_ at: Located, _ message: String) {
            problems.append(ConfigError(file: file, line: at.line, column: at.column, message: message))
        }
        for i in sinks.indices {
            let sink = sinks[i]
            for t in sink.topicFilter where !topicNames.contains(t.value) {
                problem(
                    t,
                    "sink \(sink.name): no enabled topic is named \(t.value); it would never match (topics: \(topicNames.sorted().joined(separator: ", ")))"
                )
            }
            if !sink.feedFilter.isEmpty {
                var urls = Set<String>()
                for f in sink.feedFilter {
                    let key = Self.sameFeedKey(f.value)
                    let matching = feeds.filter { $0.name == f.value || Self.sameFeedKey($0.url) == key }.map(\.url)
                    if matching.isEmpty {
                        problem(f, "sink \(sink.name): no configured feed has the name or URL \(f.value); it would never match")
                    }
                    urls.formUnion(matching)
                }
                sinks[i].routeFeedURLs = urls
            }
            if !sink.tagFilter.isEmpty {
                var urls = Set<String>()
                for t in sink.tagFilter {
                    let matching = feeds.filter { $0.tags.contains(t.value) }.map(\.url)
                    if matching.isEmpty { problem(t, "sink \(sink.name): no feed has the tag \(t.value); it would never match") }
                    urls.formUnion(matching)
                }
                sinks[i].routeTagURLs = urls
            }
        }
        return problems
    }
}
