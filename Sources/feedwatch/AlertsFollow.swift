import ArgumentParser
import FeedCore
import FeedDaemon
import FeedSpool
import Foundation

extension AlertsCommand {
    /// `feedwatch alerts follow [--json]`: each alert as it lands in `new/`, until interrupted; inotify
    /// wakes it, so it costs nothing while nothing arrives.
    struct Follow: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "follow",
            abstract: "Print each new alert as it arrives in the spool, until interrupted.")
        @OptionGroup var options: Options
        @Flag(help: "One JSON object per line: the alert file as written, with its file name.") var json = false

        func run() throws {
            let config = try options.load()
            let m = Maildir(root: config.spoolDir)
            let names = AlertsCommand.feedNames(config)
            guard FileManager.default.fileExists(atPath: m.new) else {
                throw fail("\(m.new) does not exist: is spool_dir right, and has the daemon started once?", .ioError)
            }
            if !json { Self.emit(Columns.row(Self.columns.map(\.name), widths: Self.columns.map(\.width))) }
            func arrived(_ name: String) -> Bool {
                let located = Maildir.Located(directory: m.new, name: name)
                // A reader may acknowledge it at once; then it is gone from new/ and not shown.
                guard let a = AlertFile(located, state: "new") else { return true }
                if json {
                    Self.emit(a.json { $0.field("file", name) })
                } else {
                    Self.emit(
                        Columns.row(
                            [
                                a.id, a.createdAt.minutePrecision, a.feedLabel(names: names).shortened(to: 24).isolated(),
                                a.topics.map(\.name).joined(separator: ","),
                                a.title.shortened(to: 70).isolated(language: a.language),
                            ], widths: Self.columns.map(\.width)))
                }
                return true
            }
            do {
                try m.follow(
                    ready: { warn("following \(m.new) (interrupt to stop)") },
                    overflowed: {
                        warn(
                            "the inotify event queue overflowed (a burst of deliveries); listed \(m.new) again: \($0) alert(s) not yet shown follow"
                        )
                    }, arrived)
            } catch {
                throw fail("\(error)", .ioError)
            }
        }

        static let columns: [(name: String, width: Int)] = [
            ("ID", 32), ("CREATED", 16), ("FEED", 24), ("TOPICS", 24), ("TITLE", 0),
        ]

        /// One line, flushed at once: a reader of a pipe sees each alert when it arrives.
        static func emit(_ line: String) {
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }
}
