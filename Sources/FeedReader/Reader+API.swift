import FeedCore
import FeedSpool
import Foundation

/// `GET /api/alerts`: the list of `GET /` as JSON, with the same filters, for scripts:
/// `{"total", "page", "per_page", "pages", "alerts": [each alert file's object, unchanged, with "state"
/// (`new` or `acked`), "file" and "sources" (the reports of its story, each {feed, title, link, time,
/// role}; null when the state cannot tell) appended, as `feedwatch alerts list --json` prints them]}`.
extension Reader {
    func api(_ c: Context) async -> PageResponse {
        let query: AlertQuery
        do {
            query = try AlertQuery(c.request.queryFields)
        } catch {
            var w = JSONWriter()
            w.beginObject()
            w.field("error", error.description)
            w.endObject()
            return PageResponse(status: 400, headers: Self.json, body: w.bytes + [0x0A])
        }
        let root = backend.spool()
        let snapshot = await index.snapshot(root: root)
        let (page, total) = query.run(on: snapshot.alerts, now: c.now)
        var sources: [String: [Source]] = [:]
        for story in Set(page.compactMap(\.storyID)) { sources[story] = await backend.sources(story) }
        let m = Maildir(root: root)
        var out: [UInt8] = []
        out.reserveCapacity(page.count * 1500)
        var head = JSONWriter()
        head.beginObject()
        head.field("total", total)
        head.field("page", query.page)
        head.field("per_page", query.perPage)
        head.field("pages", query.pages(total: total))
        head.key("alerts")
        out += head.bytes + [0x5B]  // [
        var first = true
        for a in page {
            // A file retention removed since the listing is left out.
            guard let data = FileManager.default.contents(atPath: (a.acked ? m.cur : m.new) + "/" + a.name) else { continue }
            if !first { out.append(0x2C) }
            first = false
            out += JSONObjectSplice.appending(to: Array(data)) { w in
                w.field("state", a.acked ? "acked" : "new")
                w.field("file", a.name)
                w.key("sources")
                guard let story = a.storyID, let list = sources[story] else { return w.null() }
                w.beginArray()
                for s in list { w.storySource(feed: s.feedURL, title: s.title, link: s.link, at: s.at, role: s.role) }
                w.endArray()
            }
        }
        out += Array("]}\n".utf8)
        return PageResponse(status: 200, headers: Self.json, body: out)
    }

    static let json: [(String, String)] = [
        ("Content-Type", "application/json"), ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"),
    ]
}
