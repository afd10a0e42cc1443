import ArgumentParser
import FeedCore
import FeedDaemon
import FeedSpool
import FeedStore
import FeedYAML
import Foundation

/// `feedwatch alerts list | show ID | ack ID`: reads the spool (maildir) that the daemon writes, and for
/// the sources of each alert's story, the state.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "List, show and acknowledge alerts in the spool.",
        subcommands: [List.self, Show.self, Ack.self])

    struct Options: ParsableArguments {
        @OptionGroup var config: ConfigOption

        func load() throws -> DaemonConfig { try config.load() }

        func maildir() throws -> Maildir { Maildir(root: try load().spoolDir) }
    }

    /// The alert's file, or exit 65 for an unknown id.
    static func locate(_ id: String, in m: Maildir) throws -> Maildir.Located {
        guard let found = m.find(id) else { throw fail("no alert \(id) in \(m.root)", .dataError) }
        return found
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
