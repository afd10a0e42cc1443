import FeedCore
import Foundation

/// Pieces of markup the pages share. Everything that came from a feed goes through `text` (escaped)
/// and sits in `<bdi>` inside an element whose `dir` and `lang` come from its language, so that mixed
/// Arabic and Latin text, counts and punctuation keep their order whatever the page's own direction.
enum HTML {
    static func text(_ s: String) -> String { s.htmlEscaped }

    /// `dir="rtl" lang="ar"` for an item in `language`, or by its letters when it has none.
    static func direction(language: String?, text: String) -> String {
        let rtl = TextDirection.isRightToLeft(language: language, text: text)
        let lang = language.flatMap { $0.isEmpty ? nil : $0 } ?? (rtl ? "ar" : nil)
        return "dir=\"\(rtl ? "rtl" : "ltr")\"" + (lang.map { " lang=\"\(HTML.text($0))\"" } ?? "")
    }

    /// Feed text (a feed name, a source's title) isolated, with a direction from its own letters.
    static func isolated(_ s: String) -> String {
        "<bdi dir=\"\(TextDirection.hasMostlyRightToLeftLetters(s) ? "rtl" : "ltr")\">\(text(s))</bdi>"
    }

    /// A link out of the page, only for http(s) addresses: it opens without telling the site where it
    /// came from.
    static func outLink(_ href: String?, _ inner: String, cls: String? = nil) -> String {
        guard let href, let scheme = href.split(separator: ":", maxSplits: 1).first?.lowercased(),
            scheme == "http" || scheme == "https"
        else { return inner }
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        return "<a\(c) href=\"\(text(href))\" rel=\"noopener noreferrer\">\(inner)</a>"
    }

    /// `2026-11-29T21:05:00Z` as `<time>`: `2026-11-29 21:05 UTC`.
    static func time(_ iso: String) -> String {
        let shown = iso.count >= 16 ? String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ") + " UTC" : iso
        return "<time datetime=\"\(text(iso))\"><bdi dir=\"ltr\">\(text(shown))</bdi></time>"
    }

    static func time(_ seconds: Int64) -> String { time(Timestamp(secondsSinceEpoch: seconds).iso8601) }

    /// A path with a query: `/` + `?topic=gold` (nothing when there are no fields).
    static func href(_ path: String, _ fields: [(String, String)]) -> String {
        fields.isEmpty ? path : path + "?" + FormFields.encode(fields)
    }

    static func hidden(_ name: String, _ value: String) -> String {
        "<input type=\"hidden\" name=\"\(text(name))\" value=\"\(text(value))\">"
    }
}
