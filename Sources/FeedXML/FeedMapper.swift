import FeedCore

/// Maps a parsed XML tree to a `ParsedFeed`: finds the format, the channel and the entries, and reads
/// their fields with feedparser's precedence rules (first title wins, last link wins, description before
/// content for the summary, a permalink guid stands in for a missing link), so `parse` agrees with the oracle.
struct FeedMapper {
    let limits: FeedParser.Limits
    let documentURL: String?
    let utf8Document: Bool
    let dateOffset: Int

    func map(_ root: XMLNode) throws(ParseError) -> ParsedFeed {
        let (vocab, name) = Vocabulary.of(root)
        let rootBase = URLResolver.resolveOptional(root.attribute("base", xmlPrefix: true), against: documentURL)
        switch (vocab, name.lowercased()) {
        case (.core, "rss"), (.core, "channel"):
            let version = root.attribute("version") ?? ""
            let format: FeedFormat = version.hasPrefix("0.9") ? .rss09x : .rss20
            let channel = name.lowercased() == "channel" ? root : root.elements.first { isCore($0, "channel") }
            return build(format: format, atom: false, channel: channel, entryParents: [channel, root], base: rootBase)
        case (.rdf, "rdf"), (.core, "rdf"):
            let channel = root.elements.first { isCore($0, "channel") }
            let is090 = root.elements.contains { $0.namespaceURI == Vocabulary.rss090 }
            return build(
                format: is090 ? .rss09x : .rss10, atom: false, channel: channel,
                entryParents: [root, channel], base: rootBase)
        case (.core, "feed"):
            let ns = root.namespaceURI
            let format: FeedFormat =
                ns == Vocabulary.atom03 || (ns == nil && root.attribute("version") == "0.3")
                ? .atom03 : .atom10
            return build(format: format, atom: true, channel: root, entryParents: [root], base: rootBase)
        default:
            if name.lowercased() == "html" {
                throw ParseError(.notAFeed, "an HTML page, not a feed")
            }
            throw ParseError(.notAFeed, "root element <\(name)> is not RSS, RDF or Atom")
        }
    }

    private func isCore(_ n: XMLNode, _ local: String) -> Bool {
        let (v, name) = Vocabulary.of(n)
        return v == .core && name == local
    }

    private func build(
        format: FeedFormat, atom: Bool, channel: XMLNode?, entryParents: [XMLNode?],
        base: String?
    ) -> ParsedFeed {
        let text = TypedText(atom: atom, utf8Document: utf8Document)
        var feed = ParsedFeed(format: format)
        let channelBase =
            channel.flatMap { URLResolver.resolveOptional($0.attribute("base", xmlPrefix: true), against: base) } ?? base
        if let channel {
            var fields = FieldState(base: channelBase, dateOffset: dateOffset)
            for child in channel.elements {
                fields.read(child, text: text, limits: limits, entryContext: false)
            }
            feed.title = fields.title
            feed.link = fields.link
            feed.language = fields.language ?? channel.attribute("lang", xmlPrefix: true)
            feed.ttlMinutes = fields.ttl
            feed.hubs = fields.hubs
            feed.selfURL = fields.selfLink
        }
        for parent in entryParents {
            guard let parent else { continue }
            for child in parent.elements where isEntry(child) {
                guard feed.entries.count < limits.maxEntries else { break }
                readEntry(child, base: channelBase, text: text, into: &feed)
            }
        }
        // Entries in document order (RDF items follow the channel; RSS may put strays under <rss>).
        return feed
    }

    private func isEntry(_ n: XMLNode) -> Bool { isCore(n, "item") || isCore(n, "entry") }

    /// Reads one entry. An entry nested inside another (seen in real feeds) starts a new entry, and the
    /// outer entry's later fields then belong to it, as in any streaming reader (feedparser included).
    private func readEntry(_ node: XMLNode, base: String?, text: TypedText, into feed: inout ParsedFeed) {
        let entryBase = URLResolver.resolveOptional(node.attribute("base", xmlPrefix: true), against: base)
        var fields = FieldState(base: entryBase, dateOffset: dateOffset)
        if let about = node.attribute("about", namespaceURI: rdfURI) ?? node.attribute("about") {
            fields.id = PlainText.collapse(about)
        }
        let language = node.attribute("lang", xmlPrefix: true) ?? feed.language
        for f in node.elements {
            if isEntry(f), feed.entries.count + 1 < limits.maxEntries {
                feed.entries.append(fields.entry(language: language, text: text, limits: limits))
                fields = FieldState(base: entryBase, dateOffset: dateOffset)
                // The nested entry's own children, then the rest of the outer one, fill the new entry.
                for g in f.elements { fields.read(g, text: text, limits: limits, entryContext: true) }
                continue
            }
            fields.read(f, text: text, limits: limits, entryContext: true)
        }
        feed.entries.append(fields.entry(language: language, text: text, limits: limits))
    }

    private let rdfURI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
}

extension URLResolver {
    /// Resolves an optional reference (an `xml:base` attribute); nil reference keeps the base.
    static func resolveOptional(_ ref: String?, against base: String?) -> String? {
        guard let ref, let r = PlainText.collapse(ref) else { return base }
        return resolve(r, against: base)
    }
}
