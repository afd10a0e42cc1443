/// The syntax family a document was written in, as `feedwatch parse` reports it.
public enum FeedFormat: String, Sendable, Equatable {
    case rss20 = "rss2.0"
    case rss10 = "rss1.0"
    case rss09x = "rss0.9x"
    case atom10 = "atom1.0"
    case atom03 = "atom0.3"
    /// JSON Feed (jsonfeed.org) 1.0 and 1.1.
    case json10 = "json1.0"
    case json11 = "json1.1"
}

/// A parsed feed document: channel-level fields and its entries in document order.
public struct ParsedFeed: Sendable, Equatable {
    public var format: FeedFormat
    /// The document was not well-formed or had an encoding problem, and was read by recovery (feedparser's "bozo").
    public var bozo: Bool
    /// Why `bozo` is set, for logs and `parse` output.
    public var bozoReason: String?
    /// The encoding the bytes were read as (IANA name, upper case).
    public var encoding: String
    public var title: String?
    public var link: String?
    public var language: String?
    /// RSS `<ttl>` in minutes, when present and sane.
    public var ttlMinutes: Int?
    /// WebSub: the hubs the feed names (`<atom:link rel="hub">`, Atom `<link rel="hub">`) and its own
    /// URL (`rel="self"`), the topic to subscribe to.
    public var hubs: [String] = []
    public var selfURL: String?
    public var entries: [FeedEntry]

    public init(
        format: FeedFormat, bozo: Bool = false, bozoReason: String? = nil, encoding: String = "UTF-8",
        title: String? = nil, link: String? = nil, language: String? = nil, ttlMinutes: Int? = nil,
        entries: [FeedEntry] = []
    ) {
        self.format = format
        self.bozo = bozo
        self.bozoReason = bozoReason
        self.encoding = encoding
        self.title = title
        self.link = link
        self.language = language
        self.ttlMinutes = ttlMinutes
        self.entries = entries
    }
}

/// One item (RSS) or entry (Atom). Text fields are plain text: tags removed, entities decoded,
/// whitespace collapsed, valid UTF-8, capped in length; empty becomes nil.
public struct FeedEntry: Sendable, Equatable {
    /// RSS `<guid>`, Atom `<id>`, RDF `rdf:about`; as the feed gives it.
    public var id: String?
    public var title: String?
    /// Absolute when the feed or its base made it so.
    public var link: String?
    public var published: Timestamp?
    public var updated: Timestamp?
    /// The publication time as reported: published, else updated.
    public var date: Timestamp? { published ?? updated }
    public var summary: String?
    public var content: String?
    public var authors: [String]
    public var categories: [String]
    public var language: String?

    public init(
        id: String? = nil, title: String? = nil, link: String? = nil, published: Timestamp? = nil,
        updated: Timestamp? = nil, summary: String? = nil, content: String? = nil,
        authors: [String] = [], categories: [String] = [], language: String? = nil
    ) {
        self.id = id
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.summary = summary
        self.content = content
        self.authors = authors
        self.categories = categories
        self.language = language
    }
}
