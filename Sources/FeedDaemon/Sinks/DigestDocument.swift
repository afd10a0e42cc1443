import FeedCore
public import FeedStore
import Foundation

/// One digest as its receivers get it (design.md, Wave 3): `{"digest": {id, sink, from, to, count},
/// "alerts": [...], "sources": {...}}`. The alerts are the alert files' objects, byte for byte, ordered
/// by topic (an alert's first), then by story; `sources` gives, per story id, the other reports of
/// that story (feeds that carried it too), so that a reader sees every source once.
public enum DigestDocument {
    /// One alert file of the digest.
    public struct Member: Sendable {
        public var id: String
        public var payload: [UInt8]
        /// Every topic's name, and the first, which the member is grouped under.
        public var topics: [String]
        public var topic: String { topics.first ?? "" }
        public var story: String?
        public var createdAt: String

        /// Reads what ordering needs from the alert file; nil if it is not an alert file's object.
        public init?(id: String, payload: [UInt8]) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else { return nil }
            self.id = id
            // The object as stored, without the newline a file ends with.
            var bytes = payload[...]
            while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 { bytes = bytes.dropLast() }
            self.payload = Array(bytes)
            topics = (object["topics"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            story = (object["story"] as? [String: Any])?["id"] as? String
            createdAt = object["created_at"] as? String ?? ""
        }
    }

    /// A digest's id: the sink, the end of its period and its members, hashed. The id is stored when the
    /// digest is formed, so a retry sends the same one (a webhook's `Idempotency-Key`).
    public static func id(sink: String, to: Int64, members: [String]) -> String {
        "d" + Digest.hex(([sink, String(to)] + members.sorted()).joined(separator: "\n"), length: 23)
    }

    /// Grouped by topic, then story (the story's earliest alert first), then time.
    public static func ordered(_ members: [Member]) -> [Member] {
        var storyStart: [String: String] = [:]
        for m in members { if let s = m.story { storyStart[s] = min(storyStart[s] ?? m.createdAt, m.createdAt) } }
        func key(_ m: Member) -> (String, String, String, String, String) {
            (m.topic, m.story.flatMap { storyStart[$0] } ?? m.createdAt, m.story ?? m.id, m.createdAt, m.id)
        }
        return members.sorted { key($0) < key($1) }
    }

    /// The document's bytes (one line of JSON).
    public static func render(
        id: String, sink: String?, from: Int64, to: Int64, members: [Member], sources: [String: [StorySource]],
        feedTitles: [String: String]
    ) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("digest")
        w.beginObject()
        w.field("id", id)
        w.field("sink", sink)
        w.field("from", Timestamp(secondsSinceEpoch: from).iso8601)
        w.field("to", Timestamp(secondsSinceEpoch: to).iso8601)
        w.field("count", members.count)
        w.endObject()
        w.key("alerts")
        w.beginArray()
        let ordered = ordered(members)
        for m in ordered { w.raw(m.payload) }
        w.endArray()
        w.key("sources")
        w.beginObject()
        var written = Set<String>()
        for m in ordered {
            guard let story = m.story, written.insert(story).inserted else { continue }
            let others = (sources[story] ?? []).filter { $0.role != .opened }
            guard !others.isEmpty else { continue }
            w.key(story)
            w.beginArray()
            for s in others {
                w.beginObject()
                w.key("feed")
                w.beginObject()
                w.field("url", s.feedKey)
                w.field("title", feedTitles[s.feedKey])
                w.endObject()
                w.field("title", s.title)
                w.field("link", s.link)
                w.field("at", Timestamp(secondsSinceEpoch: s.at).iso8601)
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
        w.endObject()
        return w.bytes
    }
}
