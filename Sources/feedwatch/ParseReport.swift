import FeedCore
import FeedXML

/// The `feedwatch parse` output line (design.md): one JSON object per input, keys in the order of
/// feed_oracle.py so the two can be compared line for line. `bozo_reason` is added when `bozo` is true.
enum ParseReport {
    static func line(file: String, feed: ParsedFeed) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("file")
        w.string(file)
        w.key("format")
        w.string(feed.format.rawValue)
        w.key("bozo")
        w.bool(feed.bozo)
        if let reason = feed.bozoReason {
            w.key("bozo_reason")
            w.string(reason)
        }
        w.key("feed")
        w.beginObject()
        w.key("title")
        w.string(feed.title)
        w.key("link")
        w.string(feed.link)
        w.endObject()
        w.key("items")
        w.beginArray()
        for e in feed.entries {
            w.beginObject()
            w.key("id")
            w.string(e.id)
            w.key("title")
            w.string(e.title)
            w.key("link")
            w.string(e.link)
            w.key("published")
            w.string(e.date?.iso8601)
            w.key("summary_text")
            w.string(e.summary)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.output
    }

    static func errorLine(file: String, message: String) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("file")
        w.string(file)
        w.key("error")
        w.string(message)
        w.endObject()
        return w.output
    }
}
