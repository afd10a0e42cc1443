import ArgumentParser
import FeedDaemon
import FeedStore
import Foundation
import Logging

#if PostgreSQL
import FeedStorePostgres
#endif

/// Opens the configured state for the duration of a command: SQLite in `state_dir` (locked by the
/// daemon's commands), or the shared PostgreSQL state of `state_url`, whose connection pool lives
/// exactly as long as the command's body (a scope, so nothing runs on after it).
enum StateScope {
    #if PostgreSQL
    /// `state_url` with its password (from `state_password_file` or `PGPASSWORD`), or exit 78 naming what is wrong.
    static func postgresURL(_ config: DaemonConfig) throws -> PostgresStateURL? {
        guard let raw = config.stateURL else { return nil }
        do {
            return try PostgresStateURL(raw, passwordFile: config.statePasswordFile)
        } catch {
            throw fail("feedwatch: \(config.file): \(error)", .configError)
        }
    }

    /// The PostgreSQL state at `url` for `body`; a server that cannot be reached, refuses the login or
    /// holds a newer schema is exit 74 with its reason.
    static func withPostgres<R: Sendable>(
        _ url: PostgresStateURL, node: ClusterNode?, logger: Logger, _ body: (PostgresStateStore) async throws -> R
    ) async throws -> R {
        do {
            return try await withPostgresStateStore(url: url, node: node, logger: logger, body)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail("feedwatch: cannot use the PostgreSQL state at \(url): \(String(reflecting: error))", .ioError)
        }
    }
    #else
    /// Without the PostgreSQL trait, a `state_url` is a configuration this build cannot serve: said at once.
    static func postgresURL(_ config: DaemonConfig) throws -> Never? {
        guard config.stateURL != nil else { return nil }
        throw fail(
            "feedwatch: \(config.file): state_url needs a feedwatch built with PostgreSQL support: swift build --traits PostgreSQL (deploy/install.sh --postgresql)",
            .configError)
    }
    #endif

    /// The configured state, read-only, for `body`: SQLite in `state_dir` (nil when no daemon has made it
    /// yet), or the PostgreSQL state with its leases. Errors are the store's own, for the caller to word.
    static func reading<R: Sendable>(
        _ config: DaemonConfig, _ body: (any StateStore, (any FeedLeases)?) async throws -> R
    ) async throws -> R? {
        #if PostgreSQL
        if let url = try postgresURL(config) {
            return try await withPostgresStateStore(url: url) { try await body($0, $0) }
        }
        #else
        _ = try postgresURL(config)
        #endif
        // Opening runs SQLite's integrity check, which reads the whole file: once per command.
        guard FileManager.default.fileExists(atPath: config.stateDir + "/state.sqlite") else { return nil }
        return try await body(try SQLiteStateStore(directory: config.stateDir, readOnly: true), nil)
    }

    /// The daemon's resources (`run`, `once`) for `body`. As a node of a cluster, the node leaves when
    /// `body` returns: its leases are given up at once and its pending alerts go to the other nodes.
    /// `oneCycle` (`once`): the node takes a name of its own, never a running node's.
    static func withDaemon<R: Sendable>(
        _ path: String, logger: Logger, oneCycle: Bool = false, _ body: (DaemonResources) async throws -> R
    ) async throws -> R {
        let config: DaemonConfig
        do {
            config = try DaemonResources.loadConfiguration(path)
        } catch {
            throw fail("feedwatch: \(error.message)", ExitCode(error.exitCode))
        }
        for warning in config.warnings { logger.warning("\(warning)") }
        #if PostgreSQL
        guard let url = try postgresURL(config) else {
            return try await body(try open { () throws(DaemonError) in try DaemonResources(config: config, logger: logger) })
        }
        let name = oneCycle ? config.cluster.onceNodeName : config.cluster.nodeName
        let node = ClusterNode(name: name, lease: config.cluster.lease)
        return try await withPostgres(url, node: node, logger: logger) { store in
            let resources = try open { () throws(DaemonError) in
                try DaemonResources(config: config, logger: logger, shared: store)
            }
            logger.info("state: \(url), node \(node.name)")
            do {
                let result = try await body(resources)
                try? await store.leave()
                return result
            } catch {
                try? await store.leave()
                throw error
            }
        }
        #else
        _ = try postgresURL(config)
        return try await body(try open { () throws(DaemonError) in try DaemonResources(config: config, logger: logger) })
        #endif
    }

    private static func open(_ make: () throws(DaemonError) -> DaemonResources) throws -> DaemonResources {
        do {
            return try make()
        } catch {
            throw fail("feedwatch: \(error.message)", ExitCode(error.exitCode))
        }
    }
}
