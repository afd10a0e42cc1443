import FeedCore
import Foundation

/// A digest document (`DigestDocument`) as text or as an HTML page, for `feedwatch alerts digest` and
/// for sink programs (`--input`): grouped by topic (an alert's first), each alert once, with its story's
/// other sources. In HTML each alert's direction comes from its language, or from its title's script
/// when the feed gives none (`dir="auto"` would take a leading Latin brand name as the direction), and
/// titles and feed names sit in `<bdi>`, so that mixed Arabic and Latin text and counts keep their order.
public enum DigestText {
    public enum Format: String, Sendable, CaseIterable {
        case json, text, html
    }

    struct Item {
        var title: String
        var link: String?
        var feed: String
        var published: String?
        var language: String?
        var topics: [String]
        var sources: [(title: String, link: String?, feed: String)]

        var rightToLeft: Bool { TextDirection.isRightToLeft(language: language, text: title) }
    }

    struct Parsed {
        var count: Int
        var from: String
        var to: String
        var groups: [(topic: String, items: [Item])]
    }

    /// Nil when `bytes` is not a digest document. `feedNames`: the names a configuration gives feed URLs,
    /// shown instead of the feeds' own titles.
    static func parse(_ bytes: [UInt8], feedNames: [String: String] = [:]) -> Parsed? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let digest = object["digest"] as? [String: Any], let alerts = object["alerts"] as? [[String: Any]]
        else { return nil }
        let sources = object["sources"] as? [String: [[String: Any]]] ?? [:]
        var groups: [(topic: String, items: [Item])] = []
        for alert in alerts {
            let entry = alert["entry"] as? [String: Any] ?? [:]
            let feed = alert["feed"] as? [String: Any] ?? [:]
            let feedName = (feed["url"] as? String).flatMap { feedNames[$0] }
            let topics = (alert["topics"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            let story = (alert["story"] as? [String: Any])?["id"] as? String
            let item = Item(
                title: entry["title"] as? String ?? "(untitled)", link: entry["link"] as? String,
                feed: feedName ?? feed["title"] as? String ?? feed["url"] as? String ?? "",
                published: entry["published"] as? String,
                language: entry["language"] as? String, topics: topics,
                sources: (story.flatMap { sources[$0] } ?? []).map { s in
                    let f = s["feed"] as? [String: Any] ?? [:]
                    return (
                        s["title"] as? String ?? "(untitled)", s["link"] as? String,
                        (f["url"] as? String).flatMap { feedNames[$0] } ?? f["title"] as? String ?? f["url"] as? String ?? ""
                    )
                })
            let topic = topics.first ?? "-"
            if let i = groups.firstIndex(where: { $0.topic == topic }) {
                groups[i].items.append(item)
            } else {
                groups.append((topic, [item]))
            }
        }
        return Parsed(
            count: digest["count"] as? Int ?? alerts.count, from: digest["from"] as? String ?? "",
            to: digest["to"] as? String ?? "", groups: groups)
    }

    /// `text` or `html` of the document; nil when it is not a digest.
    public static func render(_ bytes: [UInt8], as format: Format, feedNames: [String: String] = [:]) -> String? {
        guard let d = parse(bytes, feedNames: feedNames) else { return nil }
        guard format != .json else { return String(decoding: bytes, as: UTF8.self) }
        return format == .text ? text(d) : html(d)
    }

    static func heading(_ d: Parsed) -> String {
        "feedwatch digest: \(d.count) alert\(d.count == 1 ? "" : "s"), \(d.from.minutePrecision) – \(d.to.minutePrecision) UTC"
    }

    static func text(_ d: Parsed) -> String {
        var out = heading(d) + "\n"
        for group in d.groups {
            out += "\n== \(group.topic) (\(group.items.count)) ==\n"
            for item in group.items {
                out += "* \(item.title)\n"
                if let link = item.link { out += "  \(link)\n" }
                out += "  \(item.feed)" + (item.published.map { " · \($0.minutePrecision)" } ?? "") + "\n"
                for s in item.sources {
                    out += "  also: \(s.feed): \(s.title)" + (s.link.map { " <\($0)>" } ?? "") + "\n"
                }
            }
        }
        return out
    }

    static func html(_ d: Parsed) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en" dir="ltr"><head><meta charset="utf-8"><title>\(heading(d).htmlEscaped)</title>
            <style>body{font-family:sans-serif;max-width:48em;margin:auto}li{margin:.6em 0}.meta,.also{color:#555;font-size:90%}</style>
            </head><body>
            <h1>\(heading(d).htmlEscaped)</h1>

            """
        for group in d.groups {
            out += "<section><h2><bdi>\(group.topic.htmlEscaped)</bdi> (\(group.items.count))</h2><ul>\n"
            for item in group.items {
                let (dir, lang) = (item.rightToLeft ? "rtl" : "ltr", item.language.map { " lang=\"\($0.htmlEscaped)\"" } ?? "")
                let title = "<bdi>\(item.title.htmlEscaped)</bdi>"
                out += "<li dir=\"\(dir)\"\(lang)>"
                out += item.link.map { "<a href=\"\($0.htmlEscaped)\">\(title)</a>" } ?? title
                out += "<div class=\"meta\"><bdi>\(item.feed.htmlEscaped)</bdi>"
                out +=
                    item.published.map { " · <time datetime=\"\($0.htmlEscaped)\">\($0.minutePrecision.htmlEscaped)</time>" }
                    ?? ""
                out += "</div>"
                if !item.sources.isEmpty {
                    out += "<ul class=\"also\">"
                    for s in item.sources {
                        let t = "<bdi>\(s.title.htmlEscaped)</bdi>"
                        out +=
                            "<li><bdi>\(s.feed.htmlEscaped)</bdi>: "
                            + (s.link.map { "<a href=\"\($0.htmlEscaped)\">\(t)</a>" } ?? t)
                            + "</li>"
                    }
                    out += "</ul>"
                }
                out += "</li>\n"
            }
            out += "</ul></section>\n"
        }
        return out + "</body></html>\n"
    }

}

extension String {
    /// `2026-11-29T21:05:00Z` → `2026-11-29 21:05`.
    fileprivate var minutePrecision: String {
        count >= 16 ? String(prefix(16)).replacingOccurrences(of: "T", with: " ") : self
    }
}
