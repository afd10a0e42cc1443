#if canImport(Glibc)
import Glibc
#endif

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
        guard let href = node.namespaceHref else {
            // An undeclared prefix leaves the QName whole ("dc:date"); read it by the usual prefix.
            guard name.utf8.contains(UInt8(ascii: ":")), let colon = name.firstIndex(of: ":") else { return (.core, name) }
            let prefix = String(name[..<colon])
            let local = String(name[name.index(after: colon)...])
            return (byPrefix[prefix.lowercased()] ?? .other, local)
        }
        // strcmp over the few known URIs: no String per element on the hot path.
        for (uri, v) in knownURIs where strcmp(href, uri) == 0 { return (v, name) }
        for (uri, v) in knownURIs where strcasecmp(href, uri) == 0 { return (v, name) }
        // Unknown namespace: core when it is the default namespace of a feed-looking document.
        let hasPrefix = node.hasNamespacePrefix
        return (hasPrefix ? .other : .core, name)
    }

    static let byPrefix: [String: Vocabulary] = [
        "dc": .dc, "dcterms": .dcterms, "content": .content, "rdf": .rdf, "xhtml": .xhtml, "media": .media,
        "itunes": .itunes, "atom": .core, "rss": .core,
    ]

    /// Known namespace URIs as C strings, most frequent first.
    nonisolated(unsafe) static let knownURIs: [(UnsafePointer<CChar>, Vocabulary)] = byURI.sorted {
        frequency($0.key, $0.value) > frequency($1.key, $1.value)
    }.map { uri, v in
        (UnsafePointer(strdup(uri)!), v)  // kept for the life of the process
    }

    /// Atom first: an Atom document names every element's namespace.
    private static func frequency(_ uri: String, _ v: Vocabulary) -> Int {
        if uri == atom10 { return 4 }
        switch v {
        case .core: return 3
        case .dc, .content: return 2
        default: return 1
        }
    }

    static let byURI: [String: Vocabulary] = [
        "http://purl.org/rss/1.0/": .core,
        "http://my.netscape.com/rdf/simple/0.9/": .core,
        "http://www.w3.org/2005/Atom": .core,  // as written, so strcmp finds it (Atom names every element)
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
