import FeedCore

/// `GET /`: the alerts, newest first, filtered and paged.
extension Reader {
    func list(_ c: Context) async -> PageResponse {
        let l = c.labels
        let query: AlertQuery
        do {
            query = try AlertQuery(c.request.queryFields)
        } catch {
            return Layout.problem(l, status: 400, "\(l.badQuery): \(error)", setLanguage: c.setLanguage)
        }
        let snapshot = await index.snapshot(root: backend.spool())
        let (page, total) = query.run(on: snapshot.alerts, now: c.now)
        let names = backend.feedNames()
        let stories = page.compactMap(\.storyID)
        let counts = stories.isEmpty ? [:] : await backend.sourceCounts(stories)
        let pages = query.pages(total: total)
        let back = HTML.href("/", query.fields(page: query.page))

        var out = "<h1>\(HTML.text(l.alerts))</h1>\n"
        out += filters(query, snapshot: snapshot, names: names, labels: l)
        out += "<div class=\"summary-line\"><span>\(HTML.text(l.count(total)))</span>"
        if total > 0 { out += "<span>\(HTML.text(l.pageOf(query.page, pages)))</span>" }
        let unread = page.filter { !$0.acked }
        if !unread.isEmpty {
            out += "<form class=\"ack-shown\" method=\"post\" action=\"/alerts/ack\">"
            out += HTML.hidden("csrf", csrfToken) + HTML.hidden("back", back)
            out += unread.map { HTML.hidden("id", $0.id) }.joined()
            out += "<button type=\"submit\">\(HTML.text(l.acknowledgeShown))</button></form>"
        }
        out += "</div>\n"
        if page.isEmpty {
            out += "<p>\(HTML.text(l.noAlerts))</p>\n"
        } else {
            out += "<ol class=\"alerts\">\n"
            for a in page { out += row(a, names: names, sources: counts?[a.storyID ?? ""], back: back, labels: l) }
            out += "</ol>\n"
        }
        out += pager(query, pages: pages, labels: l)
        return Layout.page(l, title: l.alerts, section: "alerts", path: "/", body: out, setLanguage: c.setLanguage)
    }

    private func filters(_ q: AlertQuery, snapshot: AlertIndex.Snapshot, names: [String: String], labels l: Labels) -> String {
        func option(_ value: String, _ shown: String, _ selected: Bool) -> String {
            "<option value=\"\(HTML.text(value))\"\(selected ? " selected" : "")>\(HTML.text(shown))</option>"
        }
        var out = "<form class=\"filters\" method=\"get\" action=\"/\">"
        out += "<label>\(HTML.text(l.topic))<select name=\"topic\">" + option("", l.allTopics, q.topic == nil)
        out += snapshot.topics.map { option($0, $0, q.topic == $0) }.joined() + "</select></label>"
        let feeds = snapshot.feeds.map { ($0, Self.feedLabel(url: $0, title: snapshot.feedTitles[$0], names: names)) }
        out += "<label>\(HTML.text(l.feed))<select name=\"feed\">" + option("", l.allFeeds, q.feed == nil)
        out += feeds.map { option($0.0, $0.1, q.feed == $0.0) }.joined() + "</select></label>"
        out += "<label>\(HTML.text(l.state))<select name=\"state\">"
        out +=
            [(AlertQuery.State.new, l.unread), (.acked, l.acknowledged), (.all, l.all)].map {
                option($0.0.rawValue, $0.1, q.state == $0.0)
            }.joined() + "</select></label>"
        out +=
            "<label>\(HTML.text(l.since))<input name=\"since\" size=\"10\" placeholder=\"24h\" value=\"\(HTML.text(q.since ?? ""))\"></label>"
        out +=
            "<label>\(HTML.text(l.search))<input type=\"search\" name=\"q\" value=\"\(HTML.text(q.text ?? ""))\"></label>"
        out += "<button type=\"submit\">\(HTML.text(l.filter))</button> <a href=\"/\">\(HTML.text(l.clear))</a></form>\n"
        return out
    }

    private func row(_ a: IndexedAlert, names: [String: String], sources: Int?, back: String, labels l: Labels) -> String {
        let feed = Self.feedLabel(url: a.feedURL, title: a.feedTitle, names: names)
        var out = "<li class=\"alert\(a.acked ? " acked" : "")\" id=\"a-\(HTML.text(a.id))\" data-id=\"\(HTML.text(a.id))\">"
        out += "<div class=\"body\"><h2 class=\"title\" \(HTML.direction(language: a.language, text: a.title))>"
        out += "<a href=\"/alerts/\(HTML.text(a.id))\"><bdi>\(HTML.text(a.title.isEmpty ? "—" : a.title))</bdi></a></h2>"
        out += "<div class=\"meta\"><span class=\"feed\">\(HTML.isolated(feed))</span>"
        out += a.topics.map { "<span class=\"topic\">\(HTML.text($0))</span>" }.joined()
        out += "<span>\(HTML.time(a.published ?? a.createdAt))</span>"
        if let sources, sources > 1 {
            out += "<span class=\"sources\"><bdi>\(sources)</bdi> \(HTML.text(l.sources))</span>"
        }
        out += "</div></div>"
        if !a.acked { out += ackForm(a.id, back: back, labels: l) }
        return out + "</li>\n"
    }

    func ackForm(_ id: String, back: String, labels l: Labels) -> String {
        "<form class=\"ack\" method=\"post\" action=\"/alerts/\(HTML.text(id))/ack\">" + HTML.hidden("csrf", csrfToken)
            + HTML.hidden("back", back) + "<button type=\"submit\">\(HTML.text(l.acknowledge))</button></form>"
    }

    private func pager(_ q: AlertQuery, pages: Int, labels l: Labels) -> String {
        guard pages > 1 else { return "" }
        var out = "<nav class=\"pager\">"
        if q.page > 1 {
            out +=
                "<a rel=\"prev\" href=\"\(HTML.text(HTML.href("/", q.fields(page: q.page - 1))))\">\(HTML.text(l.previous))</a>"
        }
        if q.page < pages {
            out += "<a rel=\"next\" href=\"\(HTML.text(HTML.href("/", q.fields(page: q.page + 1))))\">\(HTML.text(l.next))</a>"
        }
        return out + "</nav>\n"
    }
}
