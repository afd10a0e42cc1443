import FeedCore

/// One HTTP(S) request for a feed, with everything the fetcher needs to be polite and safe.
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
    public var addressPolicy: AddressPolicy
    /// Extra request headers (`Name: value`), for feeds that need them.
    public var headers: [String]
    /// `user:password` for HTTP authentication (never sent to another host on redirect).
    public var credentials: String?
    /// An explicit proxy (`http://host:port`); environment proxies are never used.
    public var proxy: String?
    /// `host:port:address` entries that pin name resolution (tests, split-horizon setups).
    public var resolve: [String]
    /// Allow `file://` (only for URLs written in the configuration, never after a redirect).
    public var allowFileScheme: Bool
    /// A CA bundle to trust instead of the system's (intranet feeds with a private CA).
    public var caFile: String?
    /// When set, the request is a POST of these bytes (a webhook sink), and redirects are not followed:
    /// a 3xx answer is a failure, not a reason to send the alert elsewhere.
    public var postBody: [UInt8]?
    /// The answer's body is read and dropped, never kept or capped: a webhook's receipt, where success is
    /// the status code (a 2xx with a large body is still delivered).
    public var discardsBody = false

    public init(
        url: String, etag: String? = nil, lastModified: String? = nil, maxBodyBytes: Int = 10 * 1024 * 1024,
        connectTimeoutSeconds: Int = 10, totalTimeoutSeconds: Int = 60, lowSpeedBytesPerSecond: Int = 1024,
        lowSpeedSeconds: Int = 30, addressPolicy: AddressPolicy = AddressPolicy(), headers: [String] = [],
        credentials: String? = nil, proxy: String? = nil, resolve: [String] = [], allowFileScheme: Bool = false,
        caFile: String? = nil
    ) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.maxBodyBytes = maxBodyBytes
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.totalTimeoutSeconds = totalTimeoutSeconds
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedSeconds = lowSpeedSeconds
        self.addressPolicy = addressPolicy
        self.headers = headers
        self.credentials = credentials
        self.proxy = proxy
        self.resolve = resolve
        self.allowFileScheme = allowFileScheme
        self.caFile = caFile
    }

    /// The host part, lower-cased, for per-host politeness.
    var hostKey: String {
        (URLAuthority(of: url)?.hostPort ?? Substring(url)).lowercased()
    }
}
