import ArgumentParser
import FeedCore
import FeedDaemon
import FeedSpool
import FeedStore
import Foundation

extension AlertsCommand {
    /// `feedwatch alerts digest`: the alerts of a period as one digest, the document sinks receive
    /// (design.md, Wave 3), as JSON, text or an HTML page: for cron, for mail, for reading.
    struct DigestCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "digest",
            abstract: "Print the alerts of a period (new and acknowledged) as one digest: JSON, text or HTML.")
        @OptionGroup var options: Options
        @Option(help: "Alerts created since: a duration back from now (24h, 7d) or a date (2026-11-29).")
        var since = "24h"
        @Option(help: "Only alerts of this topic (repeatable).") var topic: [String] = []
        @Option(help: "json (the document a digest sink receives), text or html.") var format = "json"
        @Option(
            help: ArgumentHelp(
                "Render this digest document (a file, or - for standard input) instead of reading the spool.",
                valueName: "file"))
        var input: String?

        func validate() throws {
            guard DigestText.Format(rawValue: format) != nil else {
                throw ValidationError("--format: expected json, text or html (got '\(format)')")
            }
        }

        func run() async throws {
            let format = DigestText.Format(rawValue: format) ?? .json
            let document: [UInt8]
            if let input { document = try Self.read(input) } else { document = try await build() }
            let names = (try? options.load()).map(AlertsCommand.feedNames) ?? [:]
            guard let out = DigestText.render(document, as: format, feedNames: names) else {
                throw fail("\(input ?? "-"): not a digest document ({\"digest\": …, \"alerts\": […]})", .dataError)
            }
            FileHandle.standardOutput.write(Data(out.utf8))
            if format == .json { FileHandle.standardOutput.write(Data("\n".utf8)) }
        }

        static func read(_ path: String) throws -> [UInt8] {
            let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
            guard let data else { throw fail("\(path): cannot read", .dataError) }
            return Array(data)
        }

        /// The spool's alerts since `--since` (of `--topic`), with their stories' sources from the state.
        func build() async throws -> [UInt8] {
            let config = try options.load()
            let m = Maildir(root: config.spoolDir)
            let now = Int64(Date().timeIntervalSince1970)
            let from = try List.sinceTimestamp(since)
            let members = m.alerts(in: [m.new, m.cur]).compactMap { located -> DigestDocument.Member? in
                guard let data = FileManager.default.contents(atPath: located.path),
                    let member = DigestDocument.Member(id: located.id, payload: Array(data)),
                    (DateParser.parse(member.createdAt)?.secondsSinceEpoch ?? 0) >= from
                else { return nil }
                if !topic.isEmpty, !member.topics.contains(where: topic.contains) { return nil }
                return member
            }
            let stories = Array(Set(members.compactMap(\.story)))
            let sources = stories.isEmpty ? [:] : (await StoryState.sources(config, stories) ?? [:])
            return DigestDocument.render(
                id: DigestDocument.id(sink: "", to: now, members: members.map(\.id)), sink: nil, from: from, to: now,
                members: members, sources: sources, feedTitles: AlertsCommand.feedNames(config))
        }
    }
}
