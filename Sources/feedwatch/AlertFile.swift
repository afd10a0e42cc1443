import FeedCore
import FeedSpool
import Foundation

/// One alert file as the `alerts` commands read it: the fields they show, and the bytes as the daemon
/// wrote them (`--json` output keeps the file's own keys, order and numbers, and appends its fields).
struct AlertFile {
    var location: Maildir.Located
    /// `new` or `acked`.
    var state: String
    var bytes: [UInt8]
    var id: String
    var createdAt: String
    var topics: [(name: String, score: Double, matched: [String])]
    var feedURL: String
    var feedTitle: String?
    var title: String
    var link: String?
    var published: String?
    var summary: String?
    var language: String?
    var storyID: String?

    init?(_ location: Maildir.Located, state: String) {
        guard let data = FileManager.default.contents(atPath: location.path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        self.location = location
        self.state = state
        bytes = Array(data)
        id = object["id"] as? String ?? location.id
        createdAt = object["created_at"] as? String ?? ""
        topics = (object["topics"] as? [[String: Any]] ?? []).map {
            ($0["name"] as? String ?? "?", ($0["score"] as? NSNumber)?.doubleValue ?? 0, $0["matched"] as? [String] ?? [])
        }
        let feed = object["feed"] as? [String: Any] ?? [:]
        feedURL = feed["url"] as? String ?? ""
        feedTitle = feed["title"] as? String
        let entry = object["entry"] as? [String: Any] ?? [:]
        title = entry["title"] as? String ?? ""
        link = entry["link"] as? String
        published = entry["published"] as? String
        summary = entry["summary"] as? String
        language = entry["language"] as? String
        storyID = (object["story"] as? [String: Any])?["id"] as? String
    }

    /// The file's JSON object, one line, with the fields `extra` writes appended before its closing brace.
    func json(appending extra: (inout JSONWriter) -> Void) -> String {
        String(decoding: JSONObjectSplice.appending(to: bytes, extra), as: UTF8.self)
    }

    /// The feed as a reader knows it: the name the configuration gives its URL, else its title, else its host.
    func feedLabel(names: [String: String]) -> String {
        names[feedURL] ?? feedTitle ?? URLAuthority(of: feedURL).map { String($0.host) } ?? feedURL
    }
}

extension String {
    /// The text between Unicode direction isolates for a terminal (issue 27): right-to-left text (by
    /// its language, else its letters) between RLI and PDI, other text holding right-to-left letters
    /// between FSI and PDI, plain Latin text as it is. In a terminal that orders bidirectional text,
    /// the punctuation and numbers of an Arabic title then stay with it, and the columns beside it keep
    /// their order; `--json` output never carries them.
    func isolated(language: String? = nil) -> String {
        if TextDirection.isRightToLeft(language: language, text: self) { return "\u{2067}" + self + "\u{2069}" }
        if TextDirection.containsRightToLeftLetters(self) { return "\u{2068}" + self + "\u{2069}" }
        return self
    }

    /// Characters as a terminal advances over them: the direction isolates take no column.
    var columns: Int { unicodeScalars.contains { (0x2066...0x2069).contains($0.value) } ? filter { !$0.isIsolate }.count : count }

    /// At most `limit` characters, cut at a word boundary with "…" when longer (an Arabic or English
    /// title is never cut mid-word).
    func shortened(to limit: Int) -> String {
        let flat = String(map { $0.isNewline || $0 == "\t" ? " " : $0 })
        guard flat.count > limit else { return flat }
        let head = flat.prefix(limit - 1)
        let cut = head.lastIndex(of: " ").map { head[..<$0] } ?? head
        return cut.trimmingCharacters(in: .whitespaces) + "…"
    }

    /// `2026-11-29T21:05:00Z` → `2026-11-29 21:05`.
    var minutePrecision: String {
        count >= 16 ? String(prefix(16)).replacingOccurrences(of: "T", with: " ") : self
    }
}

extension Character {
    /// LRI, RLI, FSI, PDI.
    fileprivate var isIsolate: Bool { unicodeScalars.count == 1 && (0x2066...0x2069).contains(unicodeScalars.first!.value) }
}
