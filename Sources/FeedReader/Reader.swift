public import FeedCore
import FeedSpool
import Foundation

/// The reader page (issue 26): the alerts of the spool, one alert with its story's sources, the feeds'
/// health, and the same list as JSON. It reads the spool that `feedwatch alerts` reads (through
/// `AlertIndex`) and asks the daemon, through `Backend`, for what only the state knows.
///
/// Routes: `GET /`, `GET /alerts/<id>`, `POST /alerts/<id>/ack`, `POST /alerts/ack` (every id the form
/// lists: "acknowledge all shown"), `GET /feeds`, `GET /api/alerts`, and `GET /static/reader.css|js`.
public final class Reader: Sendable {
    /// What the page asks the daemon for.
    public struct Backend: Sendable {
        /// The spool directory of the configuration in force.
        public var spool: @Sendable () -> String
        /// Configured feed names by URL.
        public var feedNames: @Sendable () -> [String: String]
        /// Reports per story (the alert itself included); nil when the state cannot be read.
        public var sourceCounts: @Sendable ([String]) async -> [String: Int]?
        /// The reports of one story, oldest first; nil when the state cannot be read.
        public var sources: @Sendable (String) async -> [Source]?
        /// Why each topic applies or not to a headline and summary, by topic name, for topics that
        /// matched anything (the classifier's explanation).
        public var explain: @Sendable (_ title: String, _ summary: String?) -> [String: String]
        /// Every configured feed's health; nil when the state cannot be read.
        public var feeds: @Sendable () async -> [Feed]?

        public init(
            spool: @escaping @Sendable () -> String, feedNames: @escaping @Sendable () -> [String: String],
            sourceCounts: @escaping @Sendable ([String]) async -> [String: Int]?,
            sources: @escaping @Sendable (String) async -> [Source]?,
            explain: @escaping @Sendable (String, String?) -> [String: String],
            feeds: @escaping @Sendable () async -> [Feed]?
        ) {
            self.spool = spool
            self.feedNames = feedNames
            self.sourceCounts = sourceCounts
            self.sources = sources
            self.explain = explain
            self.feeds = feeds
        }
    }

    /// One report of a story.
    public struct Source: Sendable {
        public var feedURL: String
        public var title: String?
        public var link: String?
        public var at: Int64
        /// `first` or `also`.
        public var role: String

        public init(feedURL: String, title: String?, link: String?, at: Int64, role: String) {
            self.feedURL = feedURL
            self.title = title
            self.link = link
            self.at = at
            self.role = role
        }
    }

    /// One configured feed as `status` sees it.
    public struct Feed: Sendable {
        public var url: String
        public var name: String?
        public var title: String?
        /// `ok`, `error`, `gone`, `disabled`, `never polled`… (`status`'s RESULT).
        public var result: String
        public var lastPoll: Int64?
        public var nextPoll: Int64?
        /// `5m (learned: 12 entries/h)`, or nil before the first success.
        public var interval: String?
        public var lastError: String?

        public init(
            url: String, name: String?, title: String?, result: String, lastPoll: Int64?, nextPoll: Int64?,
            interval: String?, lastError: String?
        ) {
            self.url = url
            self.name = name
            self.title = title
            self.result = result
            self.lastPoll = lastPoll
            self.nextPoll = nextPoll
            self.interval = interval
            self.lastError = lastError
        }
    }

    let backend: Backend
    let index = AlertIndex()
    /// The token every form posts back (`csrf`): random for this process, so no other site can know it.
    let csrfToken: String

    public init(backend: Backend) {
        self.backend = backend
        var generator = SystemRandomNumberGenerator()
        csrfToken = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(16) }.joined()
    }

    /// Reads the spool into the index (what the first request would do).
    public func warm() async { _ = await index.snapshot(root: backend.spool()) }

    public func handle(_ request: PageRequest) async -> PageResponse {
        let cookieLanguage = Self.cookie("lang", in: request.headers["cookie"])
        let queryLanguage = request.queryFields.first { $0.0 == "lang" }?.1
        let labels = Labels.negotiate(
            query: queryLanguage, cookie: cookieLanguage, acceptLanguage: request.headers["accept-language"])
        let setLanguage = queryLanguage.flatMap(Labels.labels(for:)) != nil
        let context = Context(labels: labels, setLanguage: setLanguage, request: request)
        guard let route = Route(path: request.path) else {
            return Layout.problem(labels, status: 404, "\(request.path): not found", setLanguage: setLanguage)
        }
        let reading = request.method == "GET" || request.method == "HEAD"
        guard route.posts ? request.method == "POST" : reading else {
            return PageResponse(
                status: 405, headers: [("Allow", route.posts ? "POST" : "GET, HEAD")] + Self.plain,
                body: Array("method not allowed\n".utf8))
        }
        switch route {
        case .list: return await list(context)
        case .alert(let id): return await alert(id, context)
        case .acknowledge(let id): return await acknowledge([id], context)
        case .acknowledgeShown: return await acknowledge(request.formFields.filter { $0.0 == "id" }.map(\.1), context)
        case .feeds: return await feeds(context)
        case .api: return await api(context)
        case .css: return Self.asset(Assets.css, type: "text/css; charset=utf-8")
        case .js: return Self.asset(Assets.js, type: "text/javascript; charset=utf-8")
        }
    }

    enum Route: Equatable {
        case list
        case alert(String)
        case acknowledge(String)
        case acknowledgeShown, feeds, api, css, js

        init?(path: String) {
            let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            switch parts.count {
            case 0: self = .list
            case 1 where parts[0] == "feeds": self = .feeds
            case 2 where parts == ["alerts", "ack"]: self = .acknowledgeShown
            case 2 where parts[0] == "alerts": self = .alert(parts[1])
            case 2 where parts == ["api", "alerts"]: self = .api
            case 2 where parts == ["static", "reader.css"]: self = .css
            case 2 where parts == ["static", "reader.js"]: self = .js
            case 3 where parts[0] == "alerts" && parts[2] == "ack": self = .acknowledge(parts[1])
            default: return nil
            }
        }

        var posts: Bool {
            switch self {
            case .acknowledge, .acknowledgeShown: true
            default: false
            }
        }
    }

    struct Context {
        var labels: Labels
        var setLanguage: Bool
        var request: PageRequest
        var now: Int64 { Int64(Date().timeIntervalSince1970) }
    }

    static let plain: [(String, String)] = [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")]

    static func asset(_ text: String, type: String) -> PageResponse {
        PageResponse(
            status: 200,
            headers: [("Content-Type", type), ("Cache-Control", "max-age=3600"), ("X-Content-Type-Options", "nosniff")],
            body: Array(text.utf8))
    }

    static func cookie(_ name: String, in header: String?) -> String? {
        for part in (header ?? "").split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == name {
                return kv[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The feed as a reader knows it: its configured name, else its title, else its host.
    static func feedLabel(url: String, title: String?, names: [String: String]) -> String {
        if let name = names[url] { return name }
        if let title, !title.isEmpty { return title }
        guard let host = URLAuthority(of: url)?.host, !host.isEmpty else { return url }
        return String(host)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
