import ArgumentParser
import FeedDaemon
import Logging
import ServiceLifecycle
import UnixSignals

/// `feedwatch run [--config PATH]`: the daemon in the foreground (systemd Type=notify, deploy/feedwatch.service).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon in the foreground until SIGTERM or SIGINT; SIGHUP reloads.")

    /// How long the services may take to stop after SIGTERM (polls in flight are cancelled; the last
    /// delivery round and the state's checkpoint need a moment) before the group gives up on them.
    static let shutdownLimit = Duration.seconds(20)

    @OptionGroup var config: ConfigOption
    @OptionGroup var log: LogOption

    func run() async throws {
        let logger = OperationalLog.logger(level: try log.level())
        try await StateScope.withDaemon(config.resolved, logger: logger) { resources in
            logger.info("feedwatch \(FeedwatchVersion.string) starting")
            var configuration = ServiceGroupConfiguration(
                services: resources.services().map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger)
            configuration.maximumGracefulShutdownDuration = Self.shutdownLimit
            try await ServiceGroup(configuration: configuration).run()
        }
        logger.info("stopped")
    }
}
