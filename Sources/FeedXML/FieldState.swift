import FeedCore

/// The fields of one channel or entry as its child elements are read in order, with feedparser's
/// precedence: the first non-empty title wins; a later link replaces an earlier one; a guid/id that
/// is a permalink stands in for a link only while there is none; the last date of each kind wins;
/// the first description/summary is the summary and content fills it only when there is none.
struct FieldState {
    let base: String?
    var title: String?
    var link: String?
    var id: String?
    var language: String?
    var ttl: Int?
    /// `rel="hub"` and `rel="self"` links (read for the channel; WebSub).
    var hubs: [String] = []
    var selfLink: String?
    var published: Timestamp??
    var updated: Timestamp??
    var summary: String?
    /// The element holding the entry's content, converted to text only when asked for.
    var contentSource: (XMLNode, String)?
    /// Content standing in for a missing summary (feedparser's copyToSummary), converted at the end.
    var summaryFromContent: (XMLNode, String)?
    var hasContent = false
    var hasSummary: Bool { summary != nil || summaryFromContent != nil }
    /// media:description, used as the summary only when the entry has no other (YouTube, podcasts).
    var mediaDescription: String?
    /// media:title, the title only when the entry has none.
    var mediaTitle: String?
    var authors: [String] = []
    var categories: [String] = []

    let dateOffset: Int

    init(base: String?, dateOffset: Int = 0) {
        self.base = base
        self.dateOffset = dateOffset
    }

    mutating func read(_ node: XMLNode, text: TypedText, limits: FeedParser.Limits, entryContext: Bool) {
        let (vocab, name) = Vocabulary.of(node)
        switch (vocab, name) {
        case (.core, "title"), (.dc, "title"):
            if title == nil {
                title = text.read(node, defaultType: "text/plain", cap: limits.titleBytes)
            }
        case (.core, "link"):
            readLink(node, text: text)
        case (.core, "guid"), (.core, "id"):
            guard let value = text.plain(node) else { return }
            let permalink = (node.attribute("isPermaLink") ?? node.attribute("ispermalink") ?? "true") == "true"
            id = value
            if permalink, link == nil { link = SafeURL.resolve(value, against: nodeBase(node)) }
        case (.core, "pubDate"), (.core, "pubdate"), (.core, "published"), (.core, "issued"), (.dcterms, "issued"):
            published = .some(text.plain(node).flatMap { DateParser.parse($0, defaultOffsetSeconds: dateOffset) })
        case (.core, "updated"), (.core, "modified"), (.core, "lastBuildDate"), (.dc, "date"), (.dcterms, "modified"):
            updated = .some(text.plain(node).flatMap { DateParser.parse($0, defaultOffsetSeconds: dateOffset) })
        case (.core, "description"), (.dc, "description"), (.core, "summary"), (.core, "abstract"), (.dcterms, "abstract"),
            (.itunes, "summary"):
            let defaultType = name == "description" && vocab != .dcterms ? "text/html" : "text/plain"
            if hasSummary, !hasContent {
                // feedparser: a second description when there is no content is the content.
                hasContent = true
                contentSource = (node, defaultType)
            } else {
                summary = text.read(node, defaultType: defaultType, cap: limits.summaryBytes)
                summaryFromContent = nil
            }
        case (.core, "content"), (.content, "encoded"), (.xhtml, "body"), (.core, "fullitem"):
            hasContent = true
            let defaultType = vocab == .core && name == "content" ? "text/plain" : "text/html"
            contentSource = (node, defaultType)
            if !hasSummary, vocab != .core || name != "content" || copiesToSummary(node, text: text) {
                // Converted only if nothing replaces it: full-article HTML is the parser's costliest input.
                summaryFromContent = (node, defaultType)
            }
        case (.media, "description"):
            if mediaDescription == nil {
                mediaDescription = text.read(node, defaultType: "text/plain", cap: limits.summaryBytes)
            }
        case (.media, "title"):
            if mediaTitle == nil { mediaTitle = text.read(node, defaultType: "text/plain", cap: limits.titleBytes) }
        case (.media, "group"):
            // YouTube nests title/description in media:group.
            for child in node.elements { read(child, text: text, limits: limits, entryContext: entryContext) }
        case (.core, "language"), (.dc, "language"):
            language = text.plain(node, cap: 64)
        case (.core, "ttl"):
            if let v = text.plain(node, cap: 16).flatMap({ Int($0) }), v > 0, v <= 525_600 { ttl = v }
        case (.core, "author"), (.core, "managingEditor"), (.dc, "creator"), (.dc, "author"):
            if node.hasElementChildren {
                for n in node.elements where Vocabulary.of(n).1 == "name" {
                    if let v = text.plain(n, cap: 512) { authors.append(v) }
                    break
                }
            } else if let v = text.plain(node, cap: 512) {
                authors.append(v)
            }
        case (.core, "category"), (.dc, "subject"):
            if let term = node.attribute("term").flatMap({ PlainText.collapse($0) }) ?? text.plain(node, cap: 512) {
                categories.append(term)
            }
        default:
            break
        }
    }

    /// Atom `<content>` fills an empty summary only when it is text or HTML (feedparser's copyToSummary).
    private func copiesToSummary(_ node: XMLNode, text: TypedText) -> Bool {
        guard let t = node.attribute("type") else { return true }
        switch t.lowercased() {
        case "text", "plain", "text/plain", "html", "text/html", "xhtml", "application/xhtml+xml": return true
        default: return false
        }
    }

    private func nodeBase(_ node: XMLNode) -> String? {
        URLResolver.resolveOptional(node.attribute("base", xmlPrefix: true), against: base)
    }

    /// RSS `<link>text</link>` or Atom `<link rel="alternate" type="text/html" href="…"/>`.
    private mutating func readLink(_ node: XMLNode, text: TypedText) {
        if let href = node.attribute("href") ?? node.attribute("url") ?? node.attribute("uri") {
            let rel = node.attribute("rel") ?? "alternate"
            if rel == "hub" || rel == "self" {
                let resolved = SafeURL.resolve(PlainText.collapse(href) ?? "", against: nodeBase(node))
                if let resolved, rel == "hub" { hubs.append(resolved) } else if rel == "self" { selfLink = resolved }
                return
            }
            let type = node.attribute("type") ?? (rel == "self" ? "application/atom+xml" : "text/html")
            guard rel == "alternate", TypedText.kind(of: type) != .plain || type.lowercased() == "text/html" else { return }
            guard ["text/html", "application/xhtml+xml", "html", "xhtml"].contains(type.lowercased()) else { return }
            let h = PlainText.collapse(href) ?? ""
            link = SafeURL.resolve(h, against: nodeBase(node))
        } else if let value = text.plain(node) {
            link = SafeURL.resolve(value, against: nodeBase(node))
        }
    }

    func entry(language: String?, text: TypedText, limits: FeedParser.Limits) -> FeedEntry {
        let summaryText =
            summary
            ?? summaryFromContent.flatMap { text.read($0.0, defaultType: $0.1, cap: limits.summaryBytes) }
            ?? mediaDescription
        let contentText =
            limits.readContent
            ? contentSource.flatMap { text.read($0.0, defaultType: $0.1, cap: limits.contentBytes) } : nil
        return FeedEntry(
            id: id, title: title ?? mediaTitle, link: link, published: published ?? nil, updated: updated ?? nil,
            summary: summaryText, content: contentText, authors: authors, categories: categories,
            language: self.language ?? language)
    }
}
