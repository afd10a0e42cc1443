import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `body` in a transaction on this connection. The error `body` threw is rethrown as is
    /// (PostgresNIO wraps it, with the rollback's outcome, in a `PostgresTransactionError`), so that a
    /// caller sees the constraint or store error itself.
    func transaction<Result: Sendable>(
        logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws
        -> Result
    {
        do {
            return try await withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }
}
