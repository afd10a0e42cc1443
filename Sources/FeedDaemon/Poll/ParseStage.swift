import FeedCore
import FeedHTTP
import FeedXML

/// Stage 2 of a poll: the fetched document parsed into a feed, or the reason it is not one (for a web
/// page, with the feeds it advertises, so the user can fix the URL).
struct ParseStage: Sendable {
    let metrics: Metrics

    func run(_ body: FetchResult.Body, feed: DaemonConfig.Feed) -> Result<ParsedFeed, ParseFailure> {
        var parser = FeedParser()
        parser.limits.readContent = false  // full content only stands in for a missing summary
        let clock = ContinuousClock()
        let started = clock.now
        defer { metrics.parsed(seconds: (clock.now - started).seconds) }
        do {
            return .success(
                try parser.parse(
                    body.bytes, documentURL: body.finalURL, httpCharset: body.charset,
                    defaultDateOffset: feed.timezoneOffset ?? 0))
        } catch {
            guard error.code == .notAFeed else { return .failure(ParseFailure(message: error.description, cause: error)) }
            let advertised = FeedDiscovery.advertised(html: body.bytes, pageURL: body.finalURL)
            return .failure(
                ParseFailure(
                    message: FeedDiscovery.notAFeedMessage(error.description, advertised: advertised.map(\.url)),
                    cause: error, advertisedFeed: advertised.first(where: \.isFeedFormat)?.url))
        }
    }
}

/// Why a fetched document could not be read as a feed: the message for the state and the log, and the
/// parser's error itself.
struct ParseFailure: Error {
    var message: String
    var cause: ParseError
    /// For a web page: the first RSS, Atom or JSON feed it advertises, which the poll follows.
    var advertisedFeed: String? = nil
}

extension Duration {
    /// The duration in seconds, as a Double (for metrics).
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
