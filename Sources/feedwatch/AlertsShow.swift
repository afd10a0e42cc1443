import ArgumentParser
import FeedCore
import FeedDaemon
import FeedSpool
import FeedStore
import FeedYAML
import Foundation

extension AlertsCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one alert file and every source of its story.")
        @OptionGroup var options: Options
        @Flag(help: "One JSON object: the alert file with a \"sources\" array.") var json = false
        @Argument(help: "The alert id.") var id: String

        func run() async throws {
            let config = try options.load()
            let m = Maildir(root: config.spoolDir)
            let file = try AlertsCommand.locate(id, in: m)
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw fail("cannot read \(file.path)", .ioError)
            }
            let alert = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            var sources: [StorySource]?
            if let story = StoryState.id(of: alert) { sources = await StoryState(config).sources(story) }
            if json {
                var o = alert
                o["sources"] = sources.map { $0.map(AlertsCommand.object) } ?? NSNull()
                if let d = try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes]) {
                    print(String(decoding: d, as: UTF8.self))
                }
                return
            }
            FileHandle.standardOutput.write(data)
            guard let sources else { return }
            print("sources: \(sources.count)")
            for s in sources {
                let fields = [Timestamp(secondsSinceEpoch: s.at).iso8601, s.feedKey, s.title ?? "-", s.link ?? "-"]
                print("  " + fields.map { String($0.map { $0.isNewline || $0 == "\t" ? " " : $0 }) }.joined(separator: "  "))
            }
        }
    }

    /// One source as `alerts show --json` prints it.
    static func object(_ s: StorySource) -> [String: Any] {
        [
            "feed": s.feedKey, "title": s.title ?? NSNull(), "link": s.link ?? NSNull(),
            "time": Timestamp(secondsSinceEpoch: s.at).iso8601, "role": s.role.rawValue,
        ]
    }
}
