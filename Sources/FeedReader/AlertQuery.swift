import FeedCore
import Foundation

/// The list's filters and page, from the query string of `GET /` and `GET /api/alerts`:
/// `topic`, `feed` (a feed URL), `state` (`new`, the default, `acked` or `all`), `since` (a duration back
/// from now such as `24h`, or a date such as `2026-11-29`), `q` (words to search), `page` (from 1) and,
/// for scripts, `per_page` (at most 500).
public struct AlertQuery: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        case new, acked, all
    }

    public var topic: String?
    public var feed: String?
    public var state: State = .new
    public var since: String?
    public var text: String?
    public var page = 1
    public var perPage = 50

    static let maxPerPage = 500

    public init() {}

    /// The query of `fields` (repeated or unknown fields: the first one counts; others are ignored).
    /// Throws a message naming the field when a value cannot be used.
    public init(_ fields: [(String, String)]) throws(QueryError) {
        func value(_ name: String) -> String? {
            fields.first { $0.0 == name }.map { $0.1.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        topic = value("topic")
        feed = value("feed")
        if let s = value("state") {
            guard let parsed = State(rawValue: s) else { throw QueryError("state: expected new, acked or all (got '\(s)')") }
            state = parsed
        }
        since = value("since")
        if let since, Self.sinceTime(since, now: 0) == nil {
            throw QueryError("since: expected a duration such as 24h or 7d, or a date such as 2026-11-29 (got '\(since)')")
        }
        text = value("q")
        if let p = value("page") {
            guard let n = Int(p), n >= 1 else { throw QueryError("page: expected a number from 1 (got '\(p)')") }
            page = n
        }
        if let p = value("per_page") {
            guard let n = Int(p), (1...Self.maxPerPage).contains(n) else {
                throw QueryError("per_page: expected a number from 1 to \(Self.maxPerPage) (got '\(p)')")
            }
            perPage = n
        }
    }

    /// The fields that give this query back (page excluded unless asked), for links and forms.
    func fields(page: Int? = nil) -> [(String, String)] {
        var out: [(String, String)] = []
        if let topic { out.append(("topic", topic)) }
        if let feed { out.append(("feed", feed)) }
        if state != .new { out.append(("state", state.rawValue)) }
        if let since { out.append(("since", since)) }
        if let text { out.append(("q", text)) }
        if perPage != 50 { out.append(("per_page", "\(perPage)")) }
        if let page, page > 1 { out.append(("page", "\(page)")) }
        return out
    }

    /// `since` as seconds since the epoch: `now` less a duration, or a date's start.
    static func sinceTime(_ text: String, now: Int64) -> Int64? {
        if let seconds = DurationText.seconds(text) { return now - Int64(seconds) }
        return (DateParser.parse(text) ?? DateParser.parse(text + "T00:00:00Z"))?.secondsSinceEpoch
    }

    /// One page of the alerts that pass every filter, newest first, and how many pass in all.
    public func run(on alerts: [IndexedAlert], now: Int64) -> (page: ArraySlice<IndexedAlert>, total: Int) {
        let after = since.flatMap { Self.sinceTime($0, now: now) }
        let words = text.map(SearchWords.query) ?? []
        let first = (page - 1) * perPage
        var matched: [Int] = []
        var total = 0
        for (i, a) in alerts.enumerated() {
            switch state {
            case .new where a.acked, .acked where !a.acked: continue
            default: break
            }
            if let topic, !a.topics.contains(topic) { continue }
            if let feed, a.feedURL != feed { continue }
            if let after, a.created < after { continue }
            if !words.isEmpty, !a.record.contains(all: words) { continue }
            if total >= first, total < first + perPage { matched.append(i) }
            total += 1
        }
        return (ArraySlice(matched.map { alerts[$0] }), total)
    }

    /// Pages for `total` alerts (at least one, shown empty).
    func pages(total: Int) -> Int { max(1, (total + perPage - 1) / perPage) }
}

/// A query field that cannot be used, said in the words of the field.
public struct QueryError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
