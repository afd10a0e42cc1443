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
        commandName: "alerts", abstract: "List, show, acknowledge and digest alerts in the spool.",
        subcommands: [List.self, Show.self, Ack.self, Follow.self, DigestCommand.self])

    struct Options: ParsableArguments {
        @OptionGroup var config: ConfigOption

        func load() throws -> DaemonConfig { try config.load() }

        func maildir() throws -> Maildir { Maildir(root: try load().spoolDir) }
    }

    /// The alert's file, by its id or a unique prefix of at least 6 characters; exit 65 otherwise.
    static func locate(_ id: String, in m: Maildir) throws -> Maildir.Located {
        let matches = m.matching(prefix: id)
        if let exact = matches.first(where: { $0.id == id }) { return exact }
        guard id.count >= 6 else {
            throw fail("\(id): give the alert id, or at least its first 6 characters", .dataError)
        }
        let ids = Set(matches.map(\.id))
        guard let only = matches.first, ids.count == 1 else {
            if ids.isEmpty { throw fail("no alert \(id) in \(m.root)", .dataError) }
            throw fail("\(id) is the start of \(ids.count) alert ids: \(ids.sorted().joined(separator: ", "))", .dataError)
        }
        return only
    }

    /// The names the configuration gives its feeds, by URL (alerts show them instead of URLs).
    static func feedNames(_ config: DaemonConfig) -> [String: String] {
        Dictionary(config.feeds.compactMap { f in f.name.map { (f.url, $0) } }, uniquingKeysWith: { a, _ in a })
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
