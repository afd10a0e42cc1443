public import FeedCore

/// What one fetch gave, typed so the scheduler can act on it without parsing messages.
public struct FetchResult: Sendable {
    public enum Outcome: Sendable {
        /// A new body to parse.
        case body(Body)
        /// 304: nothing changed since the validators we sent; no parse needed.
        case notModified
        /// 410: the feed is gone; disable it until the configuration changes.
        case gone
        /// 429, or 503 with Retry-After: do not ask again before `until`.
        case rateLimited(until: Timestamp, status: Int)
        /// Anything else: HTTP errors, timeouts, TLS, refused addresses, oversized bodies.
        case failed(FetchError)
    }

    public struct Body: Sendable {
        public var bytes: [UInt8]
        public var status: Int
        /// Where the body came from after redirects.
        public var finalURL: String
        public var contentType: String?
        /// The `charset` parameter of Content-Type, for the parser.
        public var charset: String?
        /// Validators to store, only when clean enough to echo (no CR/LF/NUL, bounded length).
        public var etag: String?
        public var lastModified: String?
        /// Cache-Control max-age, in seconds, for the scheduler's interval.
        public var maxAge: Int?
        /// The Link header (RFC 8288), where a feed may name its WebSub hub and its own URL.
        public var link: String? = nil

        public init(
            bytes: [UInt8], status: Int, finalURL: String, contentType: String? = nil, charset: String? = nil,
            etag: String? = nil, lastModified: String? = nil, maxAge: Int? = nil, link: String? = nil
        ) {
            self.bytes = bytes
            self.status = status
            self.finalURL = finalURL
            self.contentType = contentType
            self.charset = charset
            self.etag = etag
            self.lastModified = lastModified
            self.maxAge = maxAge
            self.link = link
        }
    }

    public var url: String
    public var outcome: Outcome
    /// Set when the first redirects were permanent (301/308): the URL the feed should be polled at from now on.
    public var permanentRedirect: String?
    /// Wall time of the transfer, for metrics.
    public var seconds: Double
}

/// Why a fetch failed, with a code a scheduler can branch on and a message a person can read.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case http, timeout, tooLarge, refusedAddress, refusedScheme, tooManyRedirects, tls, dns, connect,
            cancelled, protocolError, notModifiedWithoutValidators, other
    }

    public var code: Code
    public var message: String
    public var status: Int?
    /// Retry-After on a 5xx, when given.
    public var retryAfter: Timestamp?

    public init(_ code: Code, _ message: String, status: Int? = nil, retryAfter: Timestamp? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
    }

    public var description: String { message }
}
