/// A request to a page of the listener (the reader page), as the HTTP layer hands it over: the page
/// itself is built with no HTTP library below it.
public struct PageRequest: Sendable {
    public var method: String
    /// The path without its query: `/`, `/alerts/<id>`, `/feeds`.
    public var path: String
    /// The query string as received (percent-encoded), without `?`.
    public var query: String
    /// Header fields by lower-case name.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: String, headers: [String: String], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// What a page answers.
public struct PageResponse: Sendable {
    public var status: Int
    /// Header fields in order (names as sent).
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
