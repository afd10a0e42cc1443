import ArgumentParser
import FeedDaemon
import FeedYAML
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `feedwatch run [--config PATH]`: the daemon in the foreground (systemd Type=notify, deploy/feedwatch.service).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon in the foreground until SIGTERM or SIGINT; SIGHUP reloads.")

    @OptionGroup var config: ConfigOption
    @OptionGroup var log: LogOption

    func run() async throws {
        let logger = OperationalLog.logger(level: try log.level())
        let daemon = try OperationalLog.open(config.resolved, logger: logger)
        logger.info("feedwatch \(FeedwatchVersion.string) starting")
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: SchedulerService(daemon: daemon))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

/// `feedwatch once [--config PATH]`: one cycle over every enabled feed, deliver, exit.
struct OnceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "once", abstract: "Poll every enabled feed once now, deliver alerts, and exit.")

    @OptionGroup var config: ConfigOption
    @OptionGroup var log: LogOption

    func run() async throws {
        let logger = OperationalLog.logger(level: try log.level())
        let daemon = try OperationalLog.open(config.resolved, logger: logger)
        let report = await daemon.once()
        for line in report.lines { print(line) }
        // Alerts left pending (disk full, unwritable spool) are an I/O failure for scripts to see.
        if report.pending > 0 { throw ExitCode.ioError }
        // Every feed polled failed (network down, all servers broken): a temporary failure, so a cron job
        // sees it (design.md: 75). Feeds not polled (waiting out back-off, gone) do not count.
        if report.everyPolledFeedFailed { throw ExitCode.temporaryFailure }
    }
}

/// `feedwatch check [--config PATH]`: validate; exit 0, or 78 with `file:line:column: message`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Validate the configuration.")

    @OptionGroup var config: ConfigOption

    func run() throws {
        let path = config.resolved
        do {
            let c = try DaemonConfig.load(path: path)
            for warning in c.clampWarnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            print("\(path): ok (\(c.feeds.count) feed(s), \(c.topics.count) topic(s))")
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode.configError
        }
    }
}

/// Operational messages go to stderr (journald), one line each, with the feed as metadata.
enum OperationalLog {
    /// `level`: from `-v` or `--log-level`; else `$FEEDWATCH_LOG_LEVEL`; else info.
    static func logger(level: Logger.Level? = nil) -> Logger {
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            let env = ProcessInfo.processInfo.environment["FEEDWATCH_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) }
            h.logLevel = level ?? env ?? .info
            return h
        }
        return Logger(label: "feedwatch")
    }

    static func open(_ path: String, logger: Logger) throws -> Daemon {
        do {
            return try Daemon(configPath: path, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("feedwatch: \(error.message)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }
}
