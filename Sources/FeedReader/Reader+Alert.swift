import FeedCore
import FeedSpool
import Foundation

/// `GET /alerts/<id>`: one alert: the headline, the link, the summary, the words that matched and why,
/// and every source of its story.
extension Reader {
    struct Detail: Decodable {
        struct Topic: Decodable {
            var name: String?
            var score: Double?
            var matched: [String]?
        }
        struct Entry: Decodable { var summary: String? }
        var topics: [Topic]?
        var entry: Entry?
    }

    func alert(_ id: String, _ c: Context) async -> PageResponse {
        let l = c.labels
        let root = backend.spool()
        let snapshot = await index.snapshot(root: root)
        let m = Maildir(root: root)
        guard let a = snapshot.alert(id: id),
            let data = FileManager.default.contents(atPath: (a.acked ? m.cur : m.new) + "/" + a.name),
            let detail = try? JSONDecoder().decode(Detail.self, from: data)
        else {
            return Layout.problem(l, status: 404, l.notFound, setLanguage: c.setLanguage)
        }
        let names = backend.feedNames()
        let summary = detail.entry?.summary
        let direction = HTML.direction(language: a.language, text: a.title)

        var out = "<p><a href=\"/\">\(HTML.text(l.back))</a></p>\n"
        out += "<article class=\"alert-view\" data-id=\"\(HTML.text(a.id))\">"
        out += "<h1 class=\"title\" \(direction)><bdi>\(HTML.text(a.title.isEmpty ? "—" : a.title))</bdi></h1>\n"
        out += "<div class=\"meta\"><span class=\"feed\">"
        out += HTML.outLink(a.feedURL, HTML.isolated(Self.feedLabel(url: a.feedURL, title: a.feedTitle, names: names)))
        out += "</span>"
        if let published = a.published { out += "<span>\(HTML.text(l.published)): \(HTML.time(published))</span>" }
        out += "<span>\(HTML.text(l.created)): \(HTML.time(a.createdAt))</span>"
        out += "<span>\(HTML.text(a.acked ? l.acknowledged : l.unread))</span></div>\n"
        out += "<p>" + HTML.outLink(a.link, HTML.text(l.openArticle), cls: "original")
        if !a.acked { out += " " + ackForm(a.id, back: "/alerts/" + a.id, labels: l) }
        out += "</p>\n"
        if let summary, !summary.isEmpty {
            out += "<h2>\(HTML.text(l.summary))</h2><div class=\"summary\" \(direction)>\(HTML.text(summary))</div>\n"
        }

        let why = backend.explain(a.title, summary)
        out += "<h2>\(HTML.text(l.whyMatched))</h2>\n<table class=\"why\"><thead><tr><th>\(HTML.text(l.topic))</th>"
        out +=
            "<th>\(HTML.text(l.score))</th><th>\(HTML.text(l.matchedWords))</th><th>\(HTML.text(l.why))</th></tr></thead><tbody>"
        for t in detail.topics ?? [] {
            let name = t.name ?? "?"
            out += "<tr><td>\(HTML.text(name))</td><td><bdi>\(t.score.map { String($0) } ?? "-")</bdi></td><td>"
            out += (t.matched ?? []).map { HTML.isolated($0) }.joined(separator: l.rightToLeft ? "، " : ", ")
            out += "</td><td dir=\"ltr\" lang=\"en\">\(HTML.text(why[name] ?? "-"))</td></tr>"
        }
        out += "</tbody></table><p class=\"note\">\(HTML.text(l.why)): \(HTML.text(l.whyNote))</p>\n"

        out += "<h2>\(HTML.text(l.storySources))</h2>\n"
        if let story = a.storyID {
            if let sources = await backend.sources(story) {
                if sources.count <= 1 { out += "<p>\(HTML.text(l.soleSource))</p>" }
                out += "<ul class=\"sources\">"
                for s in sources {
                    let title = s.title ?? "—"
                    out += "<li><span \(HTML.direction(language: nil, text: title))>"
                    out += HTML.outLink(s.link, "<bdi>\(HTML.text(title))</bdi>") + "</span>"
                    out +=
                        "<div class=\"meta\"><span>\(HTML.isolated(Self.feedLabel(url: s.feedURL, title: nil, names: names)))</span>"
                    out += "<span>\(HTML.time(s.at))</span></div></li>"
                }
                out += "</ul>\n"
            } else {
                out += "<p class=\"problem\">\(HTML.text(l.stateUnknown))</p>\n"
            }
        } else {
            out += "<p>\(HTML.text(l.soleSource))</p>\n"
        }
        out += "</article>\n"
        return Layout.page(l, title: a.title, section: "", path: "/alerts/" + a.id, body: out, setLanguage: c.setLanguage)
    }
}
