import ArgumentParser
import FeedCore
import FeedDaemon
import FeedSpool
import FeedStore
import Foundation

extension AlertsCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one alert (a readable view, or --json) and every source of its story.")
        @OptionGroup var options: Options
        @Flag(help: "One JSON object: the alert file with a \"sources\" array.") var json = false
        @Argument(help: "The alert id, or a unique prefix of at least 6 characters.") var id: String

        func run() async throws {
            let config = try options.load()
            let m = Maildir(root: config.spoolDir)
            let located = try AlertsCommand.locate(id, in: m)
            guard let alert = AlertFile(located, state: located.directory == m.cur ? "acked" : "new") else {
                throw fail("cannot read \(located.path)", .ioError)
            }
            var sources: [StorySource]?
            if let story = alert.storyID { sources = await StoryState.sources(config, story) }
            if json {
                print(
                    alert.json { w in
                        w.key("sources")
                        guard let sources else { return w.null() }
                        w.beginArray()
                        for s in sources { Self.write(s, to: &w) }
                        w.endArray()
                    })
                return
            }
            print(Self.view(alert, feed: alert.feedLabel(names: AlertsCommand.feedNames(config))))
            guard let sources else { return }
            print("sources: \(sources.count)")
            for s in sources {
                let fields = [Timestamp(secondsSinceEpoch: s.at).iso8601, s.feedKey, (s.title ?? "-").isolated(), s.link ?? "-"]
                print("  " + fields.map { String($0.map { $0.isNewline || $0 == "\t" ? " " : $0 }) }.joined(separator: "  "))
            }
        }

        /// The alert as a person reads it: headline, where it comes from, why it matched, the summary.
        static func view(_ a: AlertFile, feed: String) -> String {
            var lines = [a.title.shortened(to: 200).isolated(language: a.language), ""]
            lines.append("  feed:       \(feed.isolated()) <\(a.feedURL)>")
            if let published = a.published { lines.append("  published:  \(published)") }
            if let link = a.link { lines.append("  link:       \(link)") }
            for t in a.topics {
                lines.append(
                    "  topic:      \(t.name), score \(t.score): \(t.matched.map { $0.isolated() }.joined(separator: ", "))")
            }
            lines.append("  alert:      \(a.id), \(a.state), created \(a.createdAt)")
            if let summary = a.summary, !summary.isEmpty {
                lines += ["", summary.shortened(to: 1200).isolated(language: a.language)]
            }
            lines.append("")
            return lines.joined(separator: "\n")
        }

        /// One source as `alerts show --json` prints it.
        static func write(_ s: StorySource, to w: inout JSONWriter) {
            w.storySource(feed: s.feedKey, title: s.title, link: s.link, at: s.at, role: s.role.rawValue)
        }
    }
}
