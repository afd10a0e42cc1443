import ArgumentParser
import FeedDaemon

/// `feedwatch check [--config PATH]`: validate; exit 0, or 78 with `file:line:column: message`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Validate the configuration.")

    @OptionGroup var config: ConfigOption

    @Flag(help: "Print every configuration key (type, default, bounds) as Markdown tables instead.")
    var keys = false

    func run() throws {
        if keys {
            print(DaemonConfig.keyReference, terminator: "")
            return
        }
        let c = try config.load()
        // The whole URL and the password file are checked here too; whether the server answers is not
        // (`status` says that).
        _ = try StateScope.postgresURL(c)
        for warning in c.warnings { warn("warning: \(warning)") }
        print("\(config.resolved): ok (\(c.feeds.count) feed(s), \(c.topics.count) topic(s))")
    }
}
