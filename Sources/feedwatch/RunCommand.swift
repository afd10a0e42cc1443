import ArgumentParser
import FeedCore
import FeedDaemon
import FeedListener
import FeedReader
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
            let requests = DeliveryRequests()
            var services = resources.services(requests: requests).map {
                ServiceGroupConfiguration.ServiceConfiguration(service: $0)
            }
            if let listen = resources.config.http.listen {
                let websub = resources.config.http.publicURL != nil && resources.config.fetch.websub == .auto
                let reader = ReaderPage.reader(resources)
                services.append(
                    .init(
                        service: Self.listener(listen, resources: resources, reader: reader, requests: requests, logger: logger)))
                // Reads the spool once at start, so the first visitor of a large spool does not wait; it
                // ends when done, which the group ignores.
                services.append(.init(service: ReaderPage.Warmup(reader: reader), successTerminationBehavior: .ignore))
                logger.info(
                    "listening on http://\(listen)/ (reader page, api, healthz, metrics\(websub ? ", websub" : "")\(resources.config.http.passwordFile != nil ? "; basic authentication" : ""))"
                )
            }
            var configuration = ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger)
            configuration.maximumGracefulShutdownDuration = Self.shutdownLimit
            try await ServiceGroup(configuration: configuration).run()
        }
        logger.info("stopped")
    }

    /// `http.listen`: health from the state as `status --json` reads it, metrics as the file holds them,
    /// hubs' requests to `/websub/<token>` (`WebSubCallbacks`), and the reader page (`ReaderPage`).
    static func listener(
        _ listen: DaemonConfig.HTTP.Listen, resources: DaemonResources, reader: Reader, requests: DeliveryRequests,
        logger: Logger
    ) -> any Service {
        let callbacks = WebSubCallbacks(resources: resources, requests: requests)
        return HTTPListener.service(
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
                metrics: { await resources.metricsText() },
                websub: callbacks.route,
                page: { request in await reader.handle(request) },
                // The password file in force (none: everyone): a reload that adds, changes or removes
                // it applies from the next request.
                authorize: { header in resources.config.http.authorizes(header) }),
            logger: logger)
    }
}

extension WebSubCallbacks {
    /// The listener's `/websub/<token>` route.
    var route: @Sendable (HTTPListener.Callback) async -> HTTPListener.Answer {
        { request in
            let (status, body) = await answer(
                method: request.method, token: request.token, query: request.query, headers: request.headers,
                body: request.body)
            return HTTPListener.Answer(status: status, body: body)
        }
    }
}
