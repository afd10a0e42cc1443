import FeedCore

/// One subscription of an OPML list: an outline with an `xmlUrl`.
public struct OPMLFeed: Sendable, Equatable {
    public var url: String
    /// `text`, else `title`; nil when both are empty or only repeat the URL (an export writes the URL
    /// as `text` for a feed without a name, since OPML 2.0 requires `text`).
    public var name: String?
    /// The texts of the enclosing outlines, outermost first.
    public var categories: [String]
    /// The outline's line in its file; 0 for a feed about to be written.
    public var line: Int

    public init(url: String, name: String?, categories: [String], line: Int = 0) {
        self.url = url
        self.name = name
        self.categories = categories
        self.line = line
    }
}

/// An OPML 1.0 or 2.0 subscription list as newsboat (`-e`), Miniflux and FreshRSS export it: every
/// outline with an `xmlUrl` is a feed, every other outline a category of the outlines inside it.
/// Parsed with the feeds' safety: nothing is loaded from outside, entity declarations are refused,
/// size and depth are bounded, and errors carry the line.
public struct OPMLDocument: Sendable, Equatable {
    /// An outline with an `xmlUrl` that is not a feed, left out.
    public struct Skipped: Sendable, Equatable {
        public var line: Int
        public var reason: String
    }

    /// `head/title`.
    public var title: String?
    /// In document order.
    public var feeds: [OPMLFeed] = []
    public var skipped: [Skipped] = []

    public static let maxBytes = 16 * 1024 * 1024
    public static let maxOutlines = 100_000

    /// FreshRSS's `type` for sites it scrapes itself: their `xmlUrl` is a web page or a JSON API, not a feed.
    static let scrapedTypes: Set<String> = [
        "html+xpath", "xml+xpath", "json+dotpath", "json+dotnotation", "html+xpath+json+dotnotation",
    ]

    /// Reads an OPML file's bytes. Throws `tooLarge`, `empty`, `encoding`, `entityDeclaration`,
    /// `hostileShape`, `malformed` (with its line), or `notAFeed` when the root element is not `<opml>`.
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> OPMLDocument {
        guard bytes.count <= maxBytes else {
            throw ParseError(.tooLarge, "the file is \(bytes.count) bytes, over the \(maxBytes)-byte limit")
        }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw ParseError(.empty, "the file is empty")
        }
        let utf8 = try TextDecoding.decode(bytes, httpCharset: nil).utf8
        // Attributes carry an export's whole payload (FreshRSS filters, Miniflux rules), so a tag may be
        // long; the cap only stops the pathological many-attribute tags.
        try PreScan.checkShape(utf8, maxMarkupRun: 1024 * 1024)
        var attempt = XMLDocument.parse(utf8, recover: false)
        try attempt.refuseHostile()
        if let code = attempt.firstError?.code, code == 26 || code == 27 {
            // HTML entity names (`&nbsp;`) in a hand-edited list: the same mapping as for feeds.
            attempt = XMLDocument.parse(PreScan.mapHTMLEntities(utf8), recover: false)
            try attempt.refuseHostile()
        }
        guard let doc = attempt.document, attempt.wellFormed, let root = doc.root else {
            let first = attempt.firstError
            throw ParseError(
                .malformed, first?.message ?? attempt.errorMessage ?? "not well-formed XML",
                line: first?.line ?? attempt.errorLine)
        }
        // Nodes hold no reference to their document: it must outlive the reading.
        return try withExtendedLifetime(doc) { () throws(ParseError) in
            guard root.name.lowercased() == "opml" else {
                throw ParseError(.notAFeed, "not an OPML file: the root element is <\(root.name)>", line: root.line)
            }
            var out = OPMLDocument()
            let head = root.elements.first { $0.name == "head" }
            out.title = head?.elements.first { $0.name == "title" }.flatMap { PlainText.collapse($0.text()) }
            guard let body = root.elements.first(where: { $0.name == "body" }) else { return out }
            var count = 0
            try out.collect(body, categories: [], count: &count)
            return out
        }
    }

    /// The outlines under `parent`. Recursion is bounded by libxml2's depth limit (256).
    private mutating func collect(_ parent: XMLNode, categories: [String], count: inout Int) throws(ParseError) {
        for node in parent.elements where node.name == "outline" {
            count += 1
            guard count <= Self.maxOutlines else {
                throw ParseError(.tooLarge, "more than \(Self.maxOutlines) outlines", line: node.line)
            }
            let label = ["text", "title"].lazy.compactMap { node.attribute(anyCase: $0).flatMap(PlainText.collapse) }.first
            guard let url = node.attribute(anyCase: "xmlurl").flatMap(PlainText.collapse) else {
                try collect(node, categories: label.map { categories + [$0] } ?? categories, count: &count)
                continue
            }
            if let type = node.attribute(anyCase: "type"), Self.scrapedTypes.contains(type.lowercased()) {
                skipped.append(Skipped(line: node.line, reason: "type \"\(type)\" is a page FreshRSS scrapes, not a feed"))
            } else {
                feeds.append(OPMLFeed(url: url, name: label == url ? nil : label, categories: categories, line: node.line))
            }
            // Outlines inside a feed's outline belong to the same category.
            try collect(node, categories: categories, count: &count)
        }
    }
}
