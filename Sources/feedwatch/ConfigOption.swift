import ArgumentParser
import FeedDaemon

/// `--config PATH`, shared by every command that reads the configuration.
struct ConfigOption: ParsableArguments {
    @Option(name: .customLong("config"),
            help: "Configuration file (default: $FEEDWATCH_CONFIG, /etc/feedwatch/feedwatch.yaml, config/feedwatch.yaml).")
    var path: String?

    /// The file to read, by design.md's lookup order.
    var resolved: String { DaemonConfig.path(option: path) }
}
