import FeedCore

/// One HTTP(S) request for a feed.
public struct FetchRequest: Sendable {
    public var url: String
    /// Validators from the last successful fetch, sent as If-None-Match / If-Modified-Since.
    public var etag: String?
    public var lastModified: String?
    /// Decoded bytes beyond this abort the transfer (a gzip bomb stops here).
    public var maxBodyBytes: Int
    public var connectTimeoutSeconds: Int
    public var totalTimeoutSeconds: Int
    /// A transfer slower than `lowSpeedBytesPerSecond` for `lowSpeedSeconds` is cut off (slow drip).
    public var lowSpeedBytesPerSecond: Int
    public var lowSpeedSeconds: Int

    public init(url: String, etag: String? = nil, lastModified: String? = nil, maxBodyBytes: Int = 10 * 1024 * 1024,
                connectTimeoutSeconds: Int = 10, totalTimeoutSeconds: Int = 60, lowSpeedBytesPerSecond: Int = 1024,
                lowSpeedSeconds: Int = 30) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.maxBodyBytes = maxBodyBytes
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.totalTimeoutSeconds = totalTimeoutSeconds
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedSeconds = lowSpeedSeconds
    }
}

/// What one fetch gave.
public struct FetchResult: Sendable {
    public enum Outcome: Sendable {
        case body(Body)
        case notModified
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
        public var etag: String?
        public var lastModified: String?
    }

    public var url: String
    public var outcome: Outcome
}

/// Why a fetch failed.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var status: Int?

    public init(_ message: String, status: Int? = nil) {
        self.message = message
        self.status = status
    }

    public var description: String { message }
}
