import FeedClassify
import FeedCore
import Foundation

/// One alert of the list: what its file holds (`AlertRecord`, read once and shared) and where it is now.
@dynamicMemberLookup
public struct IndexedAlert: Sendable {
    public let record: AlertRecord
    /// In `cur/`: acknowledged.
    public var acked: Bool
    /// The record's, kept here too so that sorting compares without following the reference.
    public let created: Int64

    init(record: AlertRecord, acked: Bool) {
        self.record = record
        self.acked = acked
        created = record.created
    }

    public subscript<T>(dynamicMember field: KeyPath<AlertRecord, T>) -> T { record[keyPath: field] }
}

/// What the reader page keeps of one alert file for its list: the fields a row shows and a filter
/// tests, and the words of its headline and summary for the search. Alert files never change, so a
/// record is read once and shared (a reference: sorting 100,000 of them moves pointers, not fields).
/// The detail page reads the file itself.
public final class AlertRecord: Sendable {
    /// `<seconds>.<id>.json` (with maildir flags once a mail reader has seen it).
    public let name: String
    public let id: String
    /// Seconds since the epoch, from the file name (the order of the list).
    public let created: Int64
    /// `created_at` as the file gives it.
    public var createdAt: String { Timestamp(secondsSinceEpoch: created).iso8601 }
    public let topics: [String]
    public let feedURL: String
    public let feedTitle: String?
    public let title: String
    public let link: String?
    public let published: String?
    public let language: String?
    public let storyID: String?
    /// The search keys of the headline, summary and feed title (`SearchWords`), sorted.
    let words: [UInt32]

    /// Reads `path`; nil when it is not an alert file (not JSON).
    init?(path: String, name: String) {
        guard let data = FileManager.default.contents(atPath: path),
            let file = try? JSONDecoder().decode(AlertFileFields.self, from: data)
        else { return nil }
        self.name = name
        let parts = name.split(separator: ".", maxSplits: 2)
        id = file.id ?? (parts.count > 1 ? String(parts[1]) : name)
        created = parts.first.flatMap { Int64($0) } ?? 0
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
    func contains(all query: [[UInt32]]) -> Bool {
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
    var topics: [Topic]?
    var feed: Feed?
    var entry: Entry?
    var story: Story?

    enum CodingKeys: String, CodingKey {
        case id, topics, feed, entry, story
    }
}

/// Search by words as the classifier reads them (`NormalizedWords`): one Arabic or English word finds
/// its other spellings and forms (الذهب finds ذهب، بالذهب and الذّهب; "rates" finds "rate").
enum SearchWords {
    /// How much of a summary is searched: enough for its lead, without holding every summary in memory.
    static let summaryLength = 400

    /// The classifier's 64-bit word keys folded to 32 bits: half the memory for 100,000 alerts, and a
    /// word of a query matches another by chance about once in four billion comparisons.
    static func fold(_ key: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: key ^ (key >> 32)) }

    static func keys(of texts: [String]) -> [UInt32] {
        var keys: [UInt32] = []
        for text in texts where !text.isEmpty {
            for w in NormalizedWords(text).words where w.script != .symbol {
                keys.append(fold(w.stem))
                if let bare = w.barestem { keys.append(fold(bare)) }
            }
        }
        keys.sort()
        var unique: [UInt32] = []
        unique.reserveCapacity(keys.count)
        for k in keys where unique.last != k { unique.append(k) }
        return unique
    }

    /// Each word of the query as the keys any of which finds it (its stem, and its stem without a
    /// proclitic).
    static func query(_ text: String) -> [[UInt32]] {
        NormalizedWords(text).words.filter { $0.script != .symbol }.map { w in
            [fold(w.stem)] + (w.barestem.map { [fold($0)] } ?? [])
        }
    }

    /// Binary search in sorted keys.
    static func contains(_ sorted: [UInt32], _ key: UInt32) -> Bool {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == key
    }
}
