import ArgumentParser
import FeedDaemon
import Foundation
import Logging

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

}
