import ArgumentParser
import FeedCore
import FeedDaemon
import FeedSpool
import FeedStore
import FeedYAML
import Foundation

extension AlertsCommand {
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
}
