import ArgumentParser
import FeedCore
import FeedDaemon
import FeedSpool
import FeedStore
import FeedYAML
import Foundation

extension AlertsCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List new alerts (with --all, acknowledged ones too).")
        @OptionGroup var options: Options
        @Flag(help: "Include acknowledged alerts (cur/).") var all = false
        @Flag(help: "One JSON object per line, with the number of sources of the alert's story.") var json = false

        func run() async throws {
            let config = try options.load()
            let m = Maildir(root: config.spoolDir)
            var rows: [(String, String, [String: Any])] = []
            for (dir, state) in [(m.new, "new")] + (all ? [(m.cur, "acked")] : []) {
                for name in Maildir.list(dir) where name.contains(".json") {
                    guard let data = FileManager.default.contents(atPath: dir + "/" + name),
                        let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
                    else { continue }
                    rows.append((state, name, obj))
                }
            }
            if json {
                let stories = rows.compactMap { StoryState.id(of: $0.2) }
                let counts = stories.isEmpty ? [:] : await StoryState(config).counts(stories)
                for (state, name, obj) in rows {
                    var o = obj
                    o["state"] = state
                    o["file"] = name
                    // Reports of the alert's story, itself included; null when the state cannot tell.
                    o["sources"] = StoryState.id(of: obj).map { id in counts?[id].map { $0 as Any } ?? NSNull() } ?? 1
                    if let d = try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes]) {
                        print(String(decoding: d, as: UTF8.self))
                    }
                }
                return
            }
            print("ID                                STATE  CREATED               TOPICS                       TITLE")
            for (state, _, obj) in rows {
                let id = obj["id"] as? String ?? "?"
                let created = obj["created_at"] as? String ?? "?"
                let topics = (obj["topics"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }.joined(separator: ",")
                let title = (obj["entry"] as? [String: Any])?["title"] as? String ?? ""
                print(
                    [id.padding(33), state.padding(6), created.padding(21), topics.padding(28), String(title.prefix(80))]
                        .joined(separator: " "))
            }
        }
    }
}
