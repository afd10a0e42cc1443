/// Writes feeds as an OPML 2.0 document that `OPMLDocument.parse` reads back to the same feeds:
/// categories become nested outlines (a feed's categories are a path, outermost first), each feed an
/// `<outline type="rss" text=… title=… xmlUrl=…/>` inside its innermost category.
public enum OPMLWriter: Sendable {
    public static func document(_ feeds: [OPMLFeed], title: String) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="2.0">
              <head>
                <title>\(escaped(title))</title>
              </head>
              <body>

            """
        outlines(feeds, depth: 0, into: &out)
        out += "  </body>\n</opml>\n"
        return out
    }

    /// The feeds whose path ends at `depth` in their order, then one outline per category at `depth`, in
    /// the order of first appearance, holding the rest.
    private static func outlines(_ feeds: [OPMLFeed], depth: Int, into out: inout String) {
        let indent = String(repeating: "  ", count: depth + 2)
        var order: [String] = []
        var inside: [String: [OPMLFeed]] = [:]
        for feed in feeds {
            guard depth < feed.categories.count else {
                // OPML 2.0 requires `text`; a feed without a name shows its URL, which reads back as no name.
                let name = feed.name.map { " title=\"\(escaped($0))\"" } ?? ""
                out += "\(indent)<outline type=\"rss\" text=\"\(escaped(feed.name ?? feed.url))\"\(name)"
                out += " xmlUrl=\"\(escaped(feed.url))\"/>\n"
                continue
            }
            let category = feed.categories[depth]
            if inside[category] == nil { order.append(category) }
            inside[category, default: []].append(feed)
        }
        for category in order {
            out += "\(indent)<outline text=\"\(escaped(category))\">\n"
            outlines(inside[category] ?? [], depth: depth + 1, into: &out)
            out += "\(indent)</outline>\n"
        }
    }

    /// Text for an attribute value or element content. Tabs and line breaks are written as character
    /// references, since a parser turns literal ones in attributes into spaces; other C0 controls cannot
    /// appear in XML 1.0 at all and become spaces.
    static func escaped(_ s: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case _ where c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF: out += " "
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
