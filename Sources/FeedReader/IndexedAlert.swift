import FeedClassify
import FeedCore
import Foundation

/// What the reader page keeps of one alert file for its list: the fields a row shows and a filter
/// tests, and the words of its headline and summary for the search. The detail page reads the file
/// itself.
public struct IndexedAlert: Sendable {
    /// `<seconds>.<id>.json` (with maildir flags once a mail reader has seen it).
    public var name: String
    public var id: String
    /// In `cur/`: acknowledged.
    public var acked: Bool
    /// Seconds since the epoch, from the file name (the order of the list).
    public var created: Int64
    public var createdAt: String
    public var topics: [String]
    public var feedURL: String
    public var feedTitle: String?
    public var title: String
    public var link: String?
    public var published: String?
    public var language: String?
    public var storyID: String?
    /// The search keys of the headline, summary and feed title (`SearchWords`), sorted.
    var words: [UInt64]

    /// Reads `path`; nil when it is not an alert file (not JSON, no id).
    init?(path: String, name: String, acked: Bool) {
        guard let data = FileManager.default.contents(atPath: path),
            let file = try? JSONDecoder().decode(AlertFileFields.self, from: data)
        else { return nil }
        self.name = name
        self.acked = acked
        let parts = name.split(separator: ".", maxSplits: 2)
        id = file.id ?? (parts.count > 1 ? String(parts[1]) : name)
        created = parts.first.flatMap { Int64($0) } ?? 0
        createdAt = file.createdAt ?? Timestamp(secondsSinceEpoch: created).iso8601
        topics = (file.topics ?? []).compactMap(\.name)
        feedURL = file.feed?.url ?? ""
        feedTitle = file.feed?.title
        title = file.entry?.title ?? ""
        link = file.entry?.link
        published = file.entry?.published
        language = file.entry?.language
        storyID = file.story?.id
        let summary = file.entry?.summary.map { String($0.prefix(SearchWords.summaryLength)) } ?? ""
        words = SearchWords.keys(of: [title, summary, feedTitle ?? ""])
    }

    /// Whether every word of the query (`SearchWords.query`) is among the alert's.
    func contains(all query: [[UInt64]]) -> Bool {
        query.allSatisfy { forms in forms.contains { SearchWords.contains(words, $0) } }
    }
}

/// The alert file's fields the list needs (design.md, "Alert files"); any other key is ignored.
struct AlertFileFields: Decodable {
    struct Topic: Decodable { var name: String? }
    struct Feed: Decodable {
        var url: String?
        var title: String?
    }
    struct Entry: Decodable {
        var title: String?
        var link: String?
        var published: String?
        var summary: String?
        var language: String?
    }
    struct Story: Decodable { var id: String? }

    var id: String?
    var createdAt: String?
    var topics: [Topic]?
    var feed: Feed?
    var entry: Entry?
    var story: Story?

    enum CodingKeys: String, CodingKey {
        case id, topics, feed, entry, story
        case createdAt = "created_at"
    }
}

/// Search by words as the classifier reads them (`NormalizedWords`): one Arabic or English word finds
/// its other spellings and forms (الذهب finds ذهب، بالذهب and الذّهب; "rates" finds "rate").
enum SearchWords {
    /// How much of a summary is searched: enough for its lead, without holding every summary in memory.
    static let summaryLength = 400

    static func keys(of texts: [String]) -> [UInt64] {
        var keys: [UInt64] = []
        for text in texts where !text.isEmpty {
            for w in NormalizedWords(text).words where w.script != .symbol {
                keys.append(w.stem)
                if let bare = w.barestem { keys.append(bare) }
            }
        }
        keys.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(keys.count)
        for k in keys where unique.last != k { unique.append(k) }
        return unique
    }

    /// Each word of the query as the keys any of which finds it (its stem, and its stem without a
    /// proclitic).
    static func query(_ text: String) -> [[UInt64]] {
        NormalizedWords(text).words.filter { $0.script != .symbol }.map { w in [w.stem] + (w.barestem.map { [$0] } ?? []) }
    }

    /// Binary search in sorted keys.
    static func contains(_ sorted: [UInt64], _ key: UInt64) -> Bool {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == key
    }
}
