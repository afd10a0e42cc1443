/// Why the PostgreSQL state could not be opened or used. Messages name the server as
/// `PostgresStateURL.description` shows it (never with a password); the database's own errors stay
/// PostgresNIO's `PSQLError`, whose description hides the query and its values.
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// `state_url` is not a `postgresql://` URL we can use.
        case invalidURL
        /// The password file could not be read.
        case passwordFile
        /// The database holds migrations this build does not know: a newer feedwatch wrote it.
        case newerSchema
        /// A node's lease on a feed ran out and another node took the feed over: its poll is not committed.
        case leaseLost
        /// `state copy` into a state that already holds feeds.
        case notEmpty
    }

    public var code: Code
    public var message: String
    public var description: String { message }

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }
}
