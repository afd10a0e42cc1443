import ArgumentParser
import FeedCore
import FeedDaemon
import FeedListener
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
            var services = resources.services()
            if let listen = resources.config.http.listen {
                services.append(Self.listener(listen, resources: resources, logger: logger))
                logger.info("listening on http://\(listen)/ (healthz, metrics)")
            }
            var configuration = ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger)
            configuration.maximumGracefulShutdownDuration = Self.shutdownLimit
            try await ServiceGroup(configuration: configuration).run()
        }
        logger.info("stopped")
    }

    /// `http.listen`: health from the state as `status --json` reads it, metrics as the file holds them.
    static func listener(_ listen: DaemonConfig.HTTP.Listen, resources: DaemonResources, logger: Logger) -> any Service {
        HTTPListener.service(
            host: listen.host, port: listen.port,
            routes: HTTPListener.Routes(
                health: {
                    do {
                        let report = try await StatusReport.make(resources.config)
                        return (report.healthy, report.json)
                    } catch {
                        let message = JSONWriter.quoted("cannot read the state: \(error)")
                        return (false, #"{"healthy":false,"problems":["# + message + "]}")
                    }
                },
                metrics: { await resources.metricsText() }),
            logger: logger)
    }
}
