import FeedCore

/// `GET /feeds`: each configured feed's status, last and next poll, interval, last error, and how
/// many alerts it raised in the last 7 days (from the spool, as the list counts them).
extension Reader {
    func feeds(_ c: Context) async -> PageResponse {
        let l = c.labels
        let snapshot = await index.snapshot(root: backend.spool())
        let weekAgo = c.now - 7 * 86_400
        var week: [String: Int] = [:]
        for a in snapshot.alerts {
            guard a.created >= weekAgo else { break }  // newest first
            week[a.feedURL, default: 0] += 1
        }
        var out = "<h1>\(HTML.text(l.feeds))</h1>\n"
        guard let feeds = await backend.feeds() else {
            out += "<p class=\"problem\">\(HTML.text(l.stateUnknown))</p>"
            return Layout.page(l, title: l.feeds, section: "feeds", path: "/feeds", body: out, setLanguage: c.setLanguage)
        }
        out += "<table class=\"feeds\"><thead><tr>"
        for h in [l.feed, l.status, l.lastPoll, l.nextPoll, l.interval, l.lastError, l.alertsWeek] {
            out += "<th>\(HTML.text(h))</th>"
        }
        out += "</tr></thead><tbody>\n"
        for f in feeds {
            let label = f.name ?? Self.feedLabel(url: f.url, title: f.title, names: [:])
            let count = week[f.url] ?? 0
            out += "<tr><td>\(HTML.outLink(f.url, HTML.isolated(label)))</td><td>\(HTML.text(f.result))</td>"
            out += "<td>\(f.lastPoll.map { HTML.time($0) } ?? HTML.text(l.never))</td>"
            out += "<td>\(f.nextPoll.map { HTML.time($0) } ?? "-")</td>"
            out += "<td><bdi dir=\"ltr\">\(HTML.text(f.interval ?? "-"))</bdi></td>"
            out += "<td class=\"error\">\(f.lastError.map(HTML.isolated) ?? "")</td>"
            out +=
                "<td>"
                + (count > 0
                    ? "<a href=\"\(HTML.text(HTML.href("/", [("feed", f.url), ("state", "all"), ("since", "7d")])))\">\(count)</a>"
                    : "0")
            out += "</td></tr>\n"
        }
        out += "</tbody></table>\n"
        return Layout.page(l, title: l.feeds, section: "feeds", path: "/feeds", body: out, setLanguage: c.setLanguage)
    }
}
