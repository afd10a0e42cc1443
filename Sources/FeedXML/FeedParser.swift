public import FeedCore

/// Reads RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1 documents into `ParsedFeed` values, safely: hostile
/// documents are refused quickly with bounded memory (reliability.md §1), broken ones are recovered
/// where a careful reader would and flagged `bozo`, and every text comes out as valid, capped UTF-8.
public struct FeedParser: Sendable {
    public struct Limits: Sendable {
        /// Documents larger than this are refused (the fetcher caps bodies below it).
        public var documentBytes = 32 * 1024 * 1024
        /// One tag (`<…>`) longer than this is refused as hostile.
        public var markupRunBytes = 64 * 1024
        public var titleBytes = 1024
        public var summaryBytes = 64 * 1024
        public var maxEntries = 10_000
        /// Also convert each entry's full content (`FeedEntry.content`). Off by default: titles and
        /// summaries are what identity, classification and alerts use, and full-article HTML is the
        /// costliest thing in a feed to convert. Content still fills a missing summary either way.
        public var readContent = false
        public var contentBytes = 256 * 1024

        public init() {}
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Parses one document. `documentURL` resolves relative links (the feed's final URL; nil for files,
    /// like the oracle); `httpCharset` is the Content-Type charset when the document came over HTTP.
    /// `defaultDateOffset` (seconds east of UTC) applies to dates written without a zone.
    public func parse(
        _ bytes: [UInt8], documentURL: String? = nil, httpCharset: String? = nil,
        defaultDateOffset: Int = 0
    ) throws(ParseError) -> ParsedFeed {
        guard bytes.count <= limits.documentBytes else {
            throw ParseError(.tooLarge, "document is \(bytes.count) bytes, over the \(limits.documentBytes)-byte limit")
        }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw ParseError(.empty, "empty document")
        }
        // JSON Feed is told apart by its first byte, whatever the server called it (application/feed+json,
        // application/json or text/plain alike).
        if JSONFeedReader.looksLikeJSON(bytes) {
            return try JSONFeedReader(limits: limits, documentURL: documentURL, dateOffset: defaultDateOffset).read(bytes)
        }
        let decoded = try TextDecoding.decode(bytes, httpCharset: httpCharset)
        var utf8 = decoded.utf8
        if PreScan.isHTMLPage(utf8) { throw ParseError(.notAFeed, "an HTML page, not a feed") }
        var problems: [String] = []
        if let p = decoded.problem { problems.append(p) }
        if let p = PreScan.repairProlog(&utf8) { problems.append(p) }
        let found = decoded.controlCharacters ?? UTF8Scan.scan(utf8).controlCharacters
        let controls = found > 0 ? PreScan.blankControlCharacters(&utf8) : 0
        if controls > 0 { problems.append("\(controls) control character(s) not allowed in XML replaced by spaces") }
        try PreScan.checkShape(utf8, maxMarkupRun: limits.markupRunBytes)

        // Every attempt reads a document whose C0 controls are blanked, so CDATA sections may be read by us.
        let clean = utf8
        func parse(_ bytes: [UInt8], recover: Bool) -> XMLDocument.Attempt {
            XMLDocument.parse(bytes, recover: recover, withoutControls: true)
        }
        // Mapped at most once, for however many attempts need it.
        lazy var mapped = PreScan.mapHTMLEntities(clean)
        var attempt = parse(clean, recover: false)
        try refuseHostile(attempt)
        if attempt.document == nil || !attempt.wellFormed {
            let first = describe(attempt)
            // Undefined HTML entities (no DTD): map them to numeric references and parse strictly again.
            if attempt.errorCode == 26 || attempt.errorCode == 27 {
                let retry = parse(mapped, recover: false)
                try refuseHostile(retry)
                if retry.document != nil, retry.wellFormed {
                    attempt = retry
                    problems.append(first)
                }
            }
            if attempt.document == nil || !attempt.wellFormed {
                // Recovery: libxml2 keeps what it can; entity refs that remain are never expanded.
                let recovered = parse(mapped, recover: true)
                try refuseHostile(recovered)
                guard recovered.document?.root != nil else {
                    throw ParseError(.malformed, attempt.errorMessage ?? "not well-formed XML", line: attempt.errorLine)
                }
                attempt = recovered
                problems.append(first)
            }
        } else if attempt.errorCode == 27 {
            // Well-formed, but undefined entities (declared DTD we never load) were dropped: map and reparse.
            let retry = parse(mapped, recover: false)
            if retry.document != nil, retry.wellFormed { attempt = retry }
            problems.append(describe(attempt))
        }
        if attempt.namespaceProblem { problems.append("undeclared namespace prefix") }
        guard let doc = attempt.document, let root = doc.root else {
            throw ParseError(.malformed, "no root element")
        }
        let mapper = FeedMapper(
            limits: limits, documentURL: documentURL, utf8Document: decoded.encoding == "UTF-8",
            dateOffset: defaultDateOffset)
        // Nodes hold no reference to their document: it must outlive the mapping.
        var feed = try withExtendedLifetime(doc) { () throws(ParseError) in try mapper.map(root) }
        if !attempt.wellFormed, feed.title == nil, feed.entries.isEmpty {
            // Recovery kept a root but nothing of a feed: a truncated document, not an empty feed.
            throw ParseError(.malformed, problems.last ?? "not well-formed XML")
        }
        feed.encoding = decoded.encoding
        feed.bozo = !problems.isEmpty
        feed.bozoReason = problems.isEmpty ? nil : problems.joined(separator: "; ")
        return feed
    }

    private func refuseHostile(_ a: XMLDocument.Attempt) throws(ParseError) { try a.refuseHostile() }

    private func describe(_ a: XMLDocument.Attempt) -> String {
        let m = a.errorMessage ?? "not well-formed"
        if let l = a.errorLine { return "line \(l): \(m)" }
        return m
    }
}
