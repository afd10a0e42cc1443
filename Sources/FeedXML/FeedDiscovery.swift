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
        TreeWalk.walk(xmlNodePtr(OpaquePointer(doc))) { node, entering in
            guard entering, node.pointee.type == XML_ELEMENT_NODE else { return .proceed }
            let element = XMLNode(ptr: node)
            guard element.name.lowercased() == "link" else { return found.count >= 20 ? .stop : .proceed }
            let rel = (element.attribute("rel") ?? "").lowercased().split(separator: " ")
            let type = (element.attribute("type") ?? "").lowercased().split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if rel.contains("alternate"), let type, feedTypes.contains(type), let href = element.attribute("href"),
                let h = PlainText.collapse(href), let url = SafeURL.resolve(h, against: pageURL),
                !found.contains(where: { $0.url == url })
            {
                let title = element.attribute("title").flatMap { PlainText.collapse($0, maxUTF8Bytes: 256) }
                found.append(Advertised(type: type, title: title, url: url))
            }
            return .skipChildren
        }
        return found
    }
}
