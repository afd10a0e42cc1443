import ArgumentParser
import FeedDaemon
import FeedYAML
import Foundation

/// The one way a command fails: its message on standard error, then design.md's exit code.
/// `throw fail("no alert 42 in /var/spool/feedwatch", .dataError)`.
func fail(_ message: String, _ code: ExitCode) -> ExitCode {
    warn(message)
    return code
}

/// One line on standard error (a warning, or what a failing command says before its exit code).
func warn(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}

extension ConfigOption {
    /// The configuration, or exit 78 with `file:line:column: message` for each problem.
    func load() throws -> DaemonConfig {
        do {
            return try DaemonConfig.load(path: resolved)
        } catch {
            throw fail(error.description, .configError)
        }
    }
}
