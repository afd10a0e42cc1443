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

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move an alert from new/ to cur/.")
        @OptionGroup var options: Options
        @Argument(help: "The alert id.") var id: String

        func run() throws {
            let m = try options.maildir()
            let file = try AlertsCommand.locate(id, in: m)
            do {
                print(try m.acknowledge(file) ? "\(id): acknowledged" : "\(id): already acknowledged")
            } catch {
                throw fail("cannot move \(file.name) to \(m.cur): \(error.message)", .ioError)
            }
        }
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
