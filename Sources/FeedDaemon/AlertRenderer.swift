import FeedClassify
import FeedCore

/// The alert file and log line of design.md, rendered once when the alert is decided and stored with
/// the pending row, so delivery writes exactly what was decided.
enum AlertRenderer {
    struct Input: Sendable {
        var id: String
        var createdAt: Int64
        var topics: [Classification.TopicResult]
        var feedURL: String
        var feedTitle: String?
        /// The name the configuration gives the feed: the alert log shows it instead of the URL.
        var feedName: String?
        var entry: FeedEntry
        var language: String
        /// Set by the story stage once it has decided; null only for alerts raised without it.
        var storyID: String?
    }

    /// `<unix-seconds>.<alert-id>.json`: no feed text ever reaches a file name.
    static func fileName(_ i: Input) -> String { "\(i.createdAt).\(i.id).json" }

    static func json(_ i: Input) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("id", i.id)
        w.field("created_at", Timestamp(secondsSinceEpoch: i.createdAt).iso8601)
        w.key("topics")
        w.beginArray()
        for t in i.topics {
            w.beginObject()
            w.field("name", t.name)
            w.field("score", number: t.score)
            w.key("matched")
            w.beginArray()
            for m in t.matched { w.string(m) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.key("feed")
        w.beginObject()
        w.field("url", i.feedURL)
        w.field("title", i.feedTitle)
        w.endObject()
        w.key("entry")
        w.beginObject()
        w.field("id", i.entry.id)
        w.field("title", i.entry.title)
        w.field("link", safeLink(i.entry.link))
        w.field("published", i.entry.date?.iso8601)
        w.field("summary", i.entry.summary)
        w.field("language", i.language)
        w.endObject()
        w.key("story")
        if let story = i.storyID {
            w.beginObject()
            w.field("id", story)
            w.endObject()
        } else {
            w.null()
        }
        w.endObject()
        return w.bytes + [0x0A]
    }

    /// `time id topics feed title link` (the feed's configured name, else its URL), one line whatever the feed put in its title (BI-18, BI-19).
    static func logLine(_ i: Input) -> String {
        [
            Timestamp(secondsSinceEpoch: i.createdAt).iso8601, i.id, i.topics.map(\.name).joined(separator: ","),
            oneLine(i.feedName ?? i.feedURL), oneLine(i.entry.title ?? "-"), oneLine(safeLink(i.entry.link) ?? "-"),
        ].joined(separator: "\t")
    }

    /// `time alert-id also feed title`: a report that joined the story of alert `alertID`, one line
    /// whatever the title holds.
    static func alsoLine(at time: Int64, alertID: String, feed: String, title: String?) -> String {
        [Timestamp(secondsSinceEpoch: time).iso8601, alertID, "also", oneLine(feed), oneLine(title ?? "-")]
            .joined(separator: "\t")
    }

    /// Only http(s) links reach alerts (BI-17).
    static func safeLink(_ link: String?) -> String? {
        guard let link else { return nil }
        let lower = link.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") ? link : nil
    }

    /// Folds line breaks, tabs, NUL and the Unicode line/paragraph separators to spaces and drops
    /// bidi controls, so a title cannot forge or reorder a log record.
    static func oneLine(_ s: String) -> String {
        String(
            String.UnicodeScalarView(
                s.unicodeScalars.compactMap { c -> Unicode.Scalar? in
                    switch c.value {
                    case 0x00...0x1F, 0x7F, 0x85, 0x2028, 0x2029: return " "
                    case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return nil
                    // Invisible characters that would make two log lines look alike: zero-width space,
                    // word joiner, zero-width no-break space.
                    case 0x200B, 0x2060, 0xFEFF: return nil
                    default: return c
                    }
                }))
    }

    /// "ar" when Arabic letters dominate the text, else "en".
    static func language(of text: String) -> String {
        var arabic = 0
        var latin = 0
        for s in text.unicodeScalars {
            if (0x0600...0x06FF).contains(s.value) { arabic += 1 } else if s.isASCII, s.properties.isAlphabetic { latin += 1 }
        }
        return arabic > latin ? "ar" : "en"
    }
}
