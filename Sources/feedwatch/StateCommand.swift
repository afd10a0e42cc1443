import ArgumentParser
import FeedDaemon
import FeedStore
import Foundation
import Logging

#if PostgreSQL
import FeedStorePostgres
#endif

/// `feedwatch state copy --to postgresql://…`: moves a SQLite state to PostgreSQL (docs/cluster.md).
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state", abstract: "Move the state between backends.", subcommands: [Copy.self])

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy the SQLite state in state_dir into an empty PostgreSQL state, without re-alerting.",
            discussion: """
                Feeds (schedule, validators, back-off), entries, alerts (pending ones stay pending and are \
                delivered by the first node), stories and sink deliveries are copied in one transaction. \
                The daemon must be stopped (the state's lock is taken). Then set state_url to the same URL.
                """)

        @OptionGroup var config: ConfigOption

        @Option(help: "The PostgreSQL state: postgresql://user@host:5432/db?sslmode=… (no password in it).")
        var to: String

        @Option(help: "A file whose first line is the password (default: $PGPASSWORD).")
        var passwordFile: String?

        func run() async throws {
            #if PostgreSQL
            try await copy()
            #else
            throw fail(
                "feedwatch: state copy needs a feedwatch built with PostgreSQL support: swift build --traits PostgreSQL (deploy/install.sh --postgresql)",
                .usage)
            #endif
        }

        #if PostgreSQL
        private func copy() async throws {
            let cfg = try config.load()
            let url: PostgresStateURL
            do {
                url = try PostgresStateURL(to, passwordFile: passwordFile)
            } catch {
                throw fail("feedwatch: --to: \(error)", .usage)
            }
            guard FileManager.default.fileExists(atPath: cfg.stateDir + "/state.sqlite") else {
                throw fail("feedwatch: no state to copy in \(cfg.stateDir)", .dataError)
            }
            // Held for the whole copy: a daemon writing meanwhile would leave the copy behind.
            let lock: StateLock
            do {
                lock = try StateLock(directory: cfg.stateDir)
            } catch {
                throw fail("feedwatch: \(error.message); stop the daemon before copying its state", ExitCode(error.exitCode))
            }
            let source: SQLiteStateStore
            do {
                source = try SQLiteStateStore(directory: cfg.stateDir, readOnly: true)
            } catch {
                throw fail("feedwatch: cannot read the state in \(cfg.stateDir): \(error)", .ioError)
            }
            let copied = try await StateScope.withPostgres(url, node: nil, logger: Logger(label: "feedwatch.state")) {
                store in try await store.load(from: source)
            }
            withExtendedLifetime(lock) {}
            print("copied \(cfg.stateDir)/state.sqlite to \(url):")
            for (table, rows) in copied { print("  \(table): \(rows) row(s)") }
            print("now set state_url: \(url) and start the nodes")
        }
        #endif
    }
}
