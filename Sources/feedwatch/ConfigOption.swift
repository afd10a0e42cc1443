import ArgumentParser
import FeedDaemon
import Logging

/// `--config PATH`, shared by every command that reads the configuration.
struct ConfigOption: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: "Configuration file (default: $FEEDWATCH_CONFIG, /etc/feedwatch/feedwatch.yaml, config/feedwatch.yaml).")
    var path: String?

    /// The file to read, by design.md's lookup order.
    var resolved: String { DaemonConfig.path(option: path) }
}

/// `-v` and `--log-level`, for the commands that run the daemon (`run`, `once`): how much goes to stderr.
struct LogOption: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Log every poll (debug level).")
    var verbose = false

    @Option(
        name: .long, help: "trace, debug, info, notice, warning, error or critical (default: $FEEDWATCH_LOG_LEVEL, else info).")
    var logLevel: String?

    /// The level asked for, or nil for the default.
    func level() throws -> Logger.Level? {
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw ValidationError("--log-level: expected trace, debug, info, notice, warning, error or critical")
            }
            return level
        }
        return verbose ? .debug : nil
    }
}
