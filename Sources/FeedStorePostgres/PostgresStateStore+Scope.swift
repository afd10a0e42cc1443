public import FeedStore
public import Logging
import PostgresNIO

/// Opens the PostgreSQL state at `url` for the duration of `body`. The schema is migrated first, on a
/// connection of its own: a wrong password, a server that refuses TLS or a newer schema fails here at
/// once, with the server's reason (the pool would retry for a minute before giving up). Then the pool
/// runs as a child task of this call (PostgresNIO's `PostgresClient.run()`), and is shut down when `body`
/// returns or throws. A scope rather than a ServiceLifecycle service, so that no caller can use the
/// store before the migration or after the pool has stopped, and no unstructured task is left behind;
/// the daemon's ServiceGroup can run inside this scope.
public func withPostgresStateStore<Result: Sendable>(
    url: PostgresStateURL, node: ClusterNode? = nil,
    logger: Logger = Logger(label: "feedwatch.state", factory: { _ in SwiftLogNoOpLogHandler() }),
    _ body: (PostgresStateStore) async throws -> Result
) async throws -> Result {
    let connection = try await PostgresConnection.connect(
        configuration: try url.connectionConfiguration(), id: 0, logger: logger)
    do {
        try await PostgresMigrations.migrate(connection, logger: logger)
        try await connection.close()
    } catch {
        try? await connection.close()
        throw error
    }
    let client = PostgresClient(configuration: url.clientConfiguration(), backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(PostgresStateStore(client: client, logger: logger, cluster: node))
    }
}
