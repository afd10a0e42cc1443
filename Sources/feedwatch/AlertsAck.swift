import ArgumentParser
import FeedDaemon
import FeedSpool

extension AlertsCommand {
    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack",
            abstract: "Acknowledge alerts: move them from new/ to cur/.")
        @OptionGroup var options: Options
        @Flag(help: "Every alert in new/.") var all = false
        @Argument(help: "Alert ids, or unique prefixes of at least 6 characters.") var ids: [String] = []

        func validate() throws {
            if all != ids.isEmpty { throw ValidationError("give alert ids, or --all") }
        }

        func run() throws {
            let m = try options.maildir()
            let files = all ? m.alerts(in: [m.new]) : try ids.map { try AlertsCommand.locate($0, in: m) }
            for file in files {
                do {
                    print(try m.acknowledge(file) ? "\(file.id): acknowledged" : "\(file.id): already acknowledged")
                } catch {
                    throw fail("cannot move \(file.name) to \(m.cur): \(error.message)", .ioError)
                }
            }
            if all, files.isEmpty { print("no new alerts") }
        }
    }
}
