import CLibXML2
import FeedCore
import Foundation

/// Feeds an HTML page advertises (`<link rel="alternate" type="application/rss+xml" href="…">`), so that
/// "not a feed" errors can say where the feed is.
public enum FeedDiscovery: Sendable {
    static let feedTypes: Set<String> = [
        "application/rss+xml", "application/atom+xml", "application/rdf+xml",
        "application/feed+json", "application/xml", "text/xml",
    ]

    /// The one message for a document that is not a feed: the parser's reason, then the feeds the page
    /// advertises, if any (`not a feed: <reason>; the page advertises <url>, <url>`).
    public static func notAFeedMessage(_ reason: String, advertised: [String]) -> String {
        "not a feed: \(reason)" + (advertised.isEmpty ? "" : "; the page advertises \(advertised.joined(separator: ", "))")
    }

    /// A feed a page advertises: its media type, its title (when the link has one) and its absolute URL.
    public struct Advertised: Sendable, Equatable {
        public var type: String
        public var title: String?
        public var url: String

        public init(type: String, title: String?, url: String) {
            self.type = type
            self.title = title
            self.url = url
        }

        /// RSS, Atom, RDF or JSON Feed by its type: what the daemon follows a page to (a bare
        /// `application/xml` link may be anything, a sitemap for one).
        public var isFeedFormat: Bool {
            ["application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"].contains(type)
        }
    }

    /// Absolute URLs of the advertised feeds, in page order.
    public static func advertisedFeeds(html bytes: [UInt8], pageURL: String?) -> [String] {
        advertised(html: bytes, pageURL: pageURL).map(\.url)
    }

    /// The feeds the page advertises (`<link rel="alternate">` with a feed type), in page order, each
    /// URL once, at most 20.
    public static func advertised(html bytes: [UInt8], pageURL: String?) -> [Advertised] {
        _ = LibXML.ready
        LibXML.silenceErrors()
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else { return [] }
        let options =
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue
        let doc = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                htmlReadMemory($0, Int32(buf.count), nil, "UTF-8", Int32(options))
            }
        }
        guard let doc else { return [] }
        defer { xmlFreeDoc(doc) }
        var found: [Advertised] = []
        // HTML pages nest deeply and badly: walk iteratively, stopping at each <link>'s children.
        var next = doc.pointee.children
        while let node = next {
            if found.count >= 20 { break }
            if node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name, XMLNode.equals(name, "link") {
                if let advertised = Self.advertised(link: node, pageURL: pageURL),
                    !found.contains(where: { $0.url == advertised.url })
                {
                    found.append(advertised)
                }
            } else if node.pointee.type == XML_ELEMENT_NODE, let child = node.pointee.children {
                next = child
                continue
            }
            next = Self.following(node, below: doc)
        }
        return found
    }

    /// The feed one `<link>` element advertises, if it advertises one.
    private static func advertised(link node: xmlNodePtr, pageURL: String?) -> Advertised? {
        let rel = (attribute(node, "rel") ?? "").lowercased().split(separator: " ")
        let type = (attribute(node, "type") ?? "").lowercased().split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard rel.contains("alternate"), let type, feedTypes.contains(type), let href = attribute(node, "href"),
            let h = PlainText.collapse(href), let url = SafeURL.resolve(h, against: pageURL)
        else { return nil }
        let title = attribute(node, "title").flatMap { PlainText.collapse($0, maxUTF8Bytes: 256) }
        return Advertised(type: type, title: title, url: url)
    }

    /// The node after `node`'s subtree in document order, nil past the end of the document.
    private static func following(_ node: xmlNodePtr, below doc: htmlDocPtr) -> xmlNodePtr? {
        var n = node
        while true {
            if let sibling = n.pointee.next { return sibling }
            guard let parent = n.pointee.parent, parent != xmlNodePtr(OpaquePointer(doc)) else { return nil }
            n = parent
        }
    }

    /// An HTML attribute's text (libxml2's HTML parser has decoded its references and lowercased names).
    private static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        var a = node.pointee.properties
        while let attr = a {
            a = attr.pointee.next
            guard let n = attr.pointee.name, XMLNode.equals(n, name) else { continue }
            var out = ""
            var c = attr.pointee.children
            while let t = c {
                if t.pointee.type == XML_TEXT_NODE, let content = t.pointee.content { out += String(cString: content) }
                c = t.pointee.next
            }
            return out
        }
        return nil
    }
}
