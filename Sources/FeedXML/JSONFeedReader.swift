import FeedCore
import Foundation

/// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) into a `ParsedFeed`, with the field rules of
/// feed_oracle.py (which maps JSON Feed itself): titles and `content_text` are plain text as written,
/// `content_html` goes through the HTML rules, the summary is `summary`, else `content_text`, else
/// `content_html`, and the date is `date_published`, else `date_modified`.
///
/// JSON is read by Foundation's JSONSerialization, which refuses nesting deeper than 512 levels and
/// invalid UTF-8; everything after that is read defensively: a field of the wrong type is absent, an
/// item that is not an object is skipped (and makes the feed bozo), NUL and other control characters
/// never reach a text.
struct JSONFeedReader {
    let limits: FeedParser.Limits
    let documentURL: String?
    let dateOffset: Int

    /// The document is JSON, not XML: its first byte after a UTF-8 BOM and white space is `{` or `[`.
    static func looksLikeJSON(_ bytes: [UInt8]) -> Bool {
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        return i < bytes.count && (bytes[i] == 0x7B || bytes[i] == 0x5B)
    }

    func read(_ bytes: [UInt8]) throws(ParseError) -> ParsedFeed {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(body), options: [])
        } catch {
            throw Self.describe(error, in: body)
        }
        guard let doc = object as? [String: Any] else {
            throw ParseError(.notAFeed, "a JSON \(object is [Any] ? "array" : "value"), not a JSON Feed (an object)")
        }
        guard let version = doc["version"] as? String, version.contains("jsonfeed.org") else {
            throw ParseError(.notAFeed, "a JSON document without a jsonfeed.org \"version\": not a JSON Feed")
        }
        var problems: [String] = []
        var feed = ParsedFeed(format: version.contains("/version/1.1") ? .json11 : .json10)
        feed.title = text(doc["title"], cap: limits.titleBytes)
        feed.link = url(doc["home_page_url"])
        feed.language = text(doc["language"], cap: 64)
        let feedAuthors = authors(doc)
        guard let items = doc["items"] else {
            feed.bozo = true
            feed.bozoReason = "no \"items\" array"
            return feed
        }
        guard let list = items as? [Any] else {
            throw ParseError(.notAFeed, "\"items\" is not an array")
        }
        var skipped = 0
        for element in list {
            guard feed.entries.count < limits.maxEntries else { break }
            guard let item = element as? [String: Any] else {
                skipped += 1
                continue
            }
            feed.entries.append(entry(item, feedAuthors: feedAuthors, language: feed.language))
        }
        if skipped > 0 { problems.append("\(skipped) item(s) not an object, skipped") }
        feed.bozo = !problems.isEmpty
        feed.bozoReason = problems.isEmpty ? nil : problems.joined(separator: "; ")
        return feed
    }

    private func entry(_ item: [String: Any], feedAuthors: [String], language: String?) -> FeedEntry {
        let html = (item["content_html"] as? String).map(Self.clean)
        let summary =
            text(item["summary"], cap: limits.summaryBytes) ?? text(item["content_text"], cap: limits.summaryBytes)
            ?? html.flatMap { HTMLText.plainText(html: $0, cap: limits.summaryBytes) }
        let content =
            limits.readContent
            ? html.flatMap { HTMLText.plainText(html: $0, cap: limits.contentBytes) }
                ?? text(item["content_text"], cap: limits.contentBytes) : nil
        let tags = (item["tags"] as? [Any] ?? []).compactMap { text($0, cap: 256) }
        let ownAuthors = authors(item)
        return FeedEntry(
            id: identifier(item["id"]), title: text(item["title"], cap: limits.titleBytes), link: url(item["url"]),
            published: date(item["date_published"]), updated: date(item["date_modified"]), summary: summary,
            content: content, authors: ownAuthors.isEmpty ? feedAuthors : ownAuthors, categories: tags,
            language: text(item["language"], cap: 64) ?? language)
    }

    /// `authors` (1.1), else `author` (1.0): their names.
    private func authors(_ object: [String: Any]) -> [String] {
        let list = object["authors"] as? [Any] ?? (object["author"].map { [$0] } ?? [])
        return list.compactMap { ($0 as? [String: Any]).flatMap { text($0["name"], cap: 256) } }
    }

    /// A string, or a number written as its decimal digits (ids are strings by the spec, numbers in practice).
    private func identifier(_ value: Any?) -> String? {
        if let s = value as? String { return PlainText.collapse(Self.clean(s), maxUTF8Bytes: 8 * 1024) }
        guard let n = value as? NSNumber else { return nil }
        let d = n.doubleValue
        return d == d.rounded() && abs(d) < 1e18 ? String(n.int64Value) : n.stringValue
    }

    private func text(_ value: Any?, cap: Int) -> String? {
        (value as? String).flatMap { PlainText.collapse(Self.clean($0), maxUTF8Bytes: cap) }
    }

    private func url(_ value: Any?) -> String? {
        guard let s = text(value, cap: 8 * 1024) else { return nil }
        return SafeURL.resolve(s, against: documentURL)
    }

    private func date(_ value: Any?) -> Timestamp? {
        text(value, cap: 128).flatMap { DateParser.parse($0, defaultOffsetSeconds: dateOffset) }
    }

    /// Control characters (NUL included) become spaces: a JSON string may hold any of them escaped.
    static func clean(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    /// JSONSerialization's reason, with the line it names ("around character N").
    private static func describe(_ error: any Error, in body: [UInt8]) -> ParseError {
        let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        if reason.contains("Too many nested") {
            return ParseError(.hostileShape, "JSON nested deeper than 512 levels; refused as hostile")
        }
        var line: Int?
        if let r = reason.range(of: "around character "),
            let offset = Int(reason[r.upperBound...].prefix(while: \.isNumber))
        {
            line = 1 + body.prefix(offset).count(where: { $0 == 0x0A })
        }
        return ParseError(.malformed, "not valid JSON: \(reason)", line: line)
    }
}
