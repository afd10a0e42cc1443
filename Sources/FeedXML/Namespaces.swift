/// Which vocabulary an element belongs to. Feeds mix RSS, Atom, Dublin Core and others freely, and
/// feedparser (our oracle) reads them by namespace, so we do too.
enum Vocabulary {
    /// RSS 0.9x/2.0 (no namespace), RSS 1.0, Atom 0.3/1.0, and an unknown *default* namespace.
    case core
    case dc, dcterms, content, rdf, xhtml, media, itunes
    /// A prefixed element in a namespace we do not read.
    case other

    static func of(_ node: XMLNode) -> (Vocabulary, String) {
        let name = node.name
        guard let uri = node.namespaceURI else {
            // An undeclared prefix leaves the QName whole ("dc:date"); read it by the usual prefix.
            guard let colon = name.firstIndex(of: ":") else { return (.core, name) }
            let prefix = String(name[..<colon])
            let local = String(name[name.index(after: colon)...])
            return (byPrefix[prefix.lowercased()] ?? .other, local)
        }
        if let v = byURI[uri.lowercased()] { return (v, name) }
        // Unknown namespace: core when it is the default namespace of a feed-looking document.
        let hasPrefix = node.hasNamespacePrefix
        return (hasPrefix ? .other : .core, name)
    }

    static let byPrefix: [String: Vocabulary] = [
        "dc": .dc, "dcterms": .dcterms, "content": .content, "rdf": .rdf, "xhtml": .xhtml, "media": .media,
        "itunes": .itunes, "atom": .core, "rss": .core,
    ]

    static let byURI: [String: Vocabulary] = [
        "http://purl.org/rss/1.0/": .core,
        "http://my.netscape.com/rdf/simple/0.9/": .core,
        "http://www.w3.org/2005/atom": .core,
        "http://purl.org/atom/ns#": .core,
        "http://backend.userland.com/rss": .core,
        "http://backend.userland.com/rss2": .core,
        "http://blogs.law.harvard.edu/tech/rss": .core,
        "http://purl.org/dc/elements/1.1/": .dc,
        "http://purl.org/dc/elements/1.0/": .dc,
        "http://purl.org/dc/terms/": .dcterms,
        "http://purl.org/rss/1.0/modules/content/": .content,
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#": .rdf,
        "http://www.w3.org/1999/xhtml": .xhtml,
        "http://search.yahoo.com/mrss/": .media,
        "http://search.yahoo.com/mrss": .media,
        "http://www.itunes.com/dtds/podcast-1.0.dtd": .itunes,
    ]

    static let atom10 = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
}
