import ArgumentParser
import FeedCore
import FeedDaemon
import FeedSpool
import Foundation

extension AlertsCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List new alerts (with --all, acknowledged ones too), oldest first.")
        @OptionGroup var options: Options
        @Flag(help: "Include acknowledged alerts (cur/).") var all = false
        @Flag(help: "One JSON object per line: the alert file, with its state, file name and the sources of its story.")
        var json = false
        @Option(help: "Only alerts of this topic (repeatable).") var topic: [String] = []
        @Option(help: "Only alerts of feeds whose name, title or URL contains this text.") var feed: String?
        @Option(help: "Only alerts created since: a duration back from now (2h, 1d) or a date (2026-11-29).")
        var since: String?

        func run() async throws {
            let config = try options.load()
            let m = Maildir(root: config.spoolDir)
            let names = AlertsCommand.feedNames(config)
            let after = try since.map(Self.sinceTimestamp)
            let files = m.alerts(in: all ? [m.new, m.cur] : [m.new]).compactMap { located in
                AlertFile(located, state: located.directory == m.cur ? "acked" : "new")
            }
            // A topic nobody has: a typo, said as one instead of an empty list.
            let known = Set(config.topics.map(\.name)).union(files.flatMap { $0.topics.map(\.name) })
            if let unknown = topic.first(where: { !known.contains($0) }) {
                throw fail(
                    "--topic \(unknown): no topic has that name (topics: \(known.sorted().joined(separator: ", ")))", .usage)
            }
            let alerts = files.filter { a in
                (topic.isEmpty || a.topics.contains { topic.contains($0.name) })
                    && (feed.map { f in
                        [a.feedLabel(names: names), a.feedURL, a.feedTitle ?? ""].contains {
                            $0.localizedCaseInsensitiveContains(f)
                        }
                    } ?? true)
                    && (after.map { t in (DateParser.parse(a.createdAt)?.secondsSinceEpoch ?? 0) >= t } ?? true)
            }.sorted {
                ($0.createdAt, $0.feedURL, $0.published ?? "", $0.id) < ($1.createdAt, $1.feedURL, $1.published ?? "", $1.id)
            }
            if json {
                // Each alert's story sources, as `alerts show --json` gives them: one read of the state.
                let stories = alerts.compactMap(\.storyID)
                let sources = stories.isEmpty ? [:] : await StoryState.sources(config, stories)
                var out = LineWriter()
                for a in alerts {
                    out.write(
                        a.json { w in
                            w.field("state", a.state)
                            w.field("file", a.location.name)
                            // The reports of the alert's story, itself included; null when the state cannot tell.
                            w.key("sources")
                            guard let story = a.storyID, let list = sources?[story] else { return w.null() }
                            w.beginArray()
                            for s in list { AlertsCommand.Show.write(s, to: &w) }
                            w.endArray()
                        })
                }
                out.flush()
                return
            }
            var rows = [["ID", "STATE", "CREATED", "FEED", "TOPICS", "PUBLISHED", "TITLE"]]
            for a in alerts {
                rows.append([
                    a.id, a.state, a.createdAt.minutePrecision, a.feedLabel(names: names).shortened(to: 24).isolated(),
                    a.topics.map(\.name).joined(separator: ","), a.published?.minutePrecision ?? "-",
                    a.title.shortened(to: 70).isolated(language: a.language),
                ])
            }
            print(Columns.render(rows))
        }

        /// `2h`, `1d` back from now, or a date (`2026-11-29`, `2026-11-29T10:00:00Z`).
        static func sinceTimestamp(_ text: String) throws -> Int64 {
            if let seconds = DurationText.seconds(text) { return Int64(Date().timeIntervalSince1970) - Int64(seconds) }
            if let date = DateParser.parse(text) ?? DateParser.parse(text + "T00:00:00Z") { return date.secondsSinceEpoch }
            throw ValidationError("--since: expected a duration such as 2h or 1d, or a date such as 2026-11-29 (got '\(text)')")
        }
    }
}

/// Plain-text columns: each padded to its widest cell, the last one left as it is.
enum Columns {
    /// One row of fixed widths (for output that streams, where the widest cell is not known yet).
    static func row(_ cells: [String], widths: [Int]) -> String {
        cells.enumerated().map { i, cell in i == cells.count - 1 ? cell : cell.padding(max(widths[i], cell.columns) + 2) }
            .joined()
    }

    static func render(_ rows: [[String]]) -> String {
        guard let width = rows.first?.count else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.columns) } }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(widths[i] + 2) }.joined()
        }.joined(separator: "\n")
    }
}
