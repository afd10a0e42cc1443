import FeedCore
import FeedXML

/// The `feedwatch parse` output line (design.md): one JSON object per input, keys in the order of
/// feed_oracle.py so the two can be compared line for line. `bozo_reason` is added when `bozo` is true.
enum ParseReport {
    /// The line as UTF-8 bytes: written out as they are, never made a String (which validates them again).
    static func line(file: String, feed: ParsedFeed) -> [UInt8] {
        var w = JSONWriter()
        w.reserveCapacity(
            feed.entries.reduce(512 + file.utf8.count) {
                $0 + 160 + ($1.title?.utf8.count ?? 0) + ($1.summary?.utf8.count ?? 0) + ($1.link?.utf8.count ?? 0)
                    + ($1.id?.utf8.count ?? 0)
            })
        w.beginObject()
        w.field("file", file)
        w.field("format", feed.format.rawValue)
        w.field("bozo", feed.bozo)
        if let reason = feed.bozoReason {
            w.field("bozo_reason", reason)
        }
        w.key("feed")
        w.beginObject()
        w.field("title", feed.title)
        w.field("link", feed.link)
        w.endObject()
        w.key("items")
        w.beginArray()
        for e in feed.entries {
            w.beginObject()
            w.field("id", e.id)
            w.field("title", e.title)
            w.field("link", e.link)
            w.field("published", e.date?.iso8601)
            w.field("summary_text", e.summary)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }

    static func errorLine(file: String, message: String) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("file", file)
        w.field("error", message)
        w.endObject()
        return w.bytes
    }
}
