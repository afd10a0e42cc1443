import ArgumentParser
import FeedDaemon
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `feedwatch reload [--config PATH]`: checks the configuration, then sends SIGHUP to the `run` that
/// holds its state's lock (the lock file names its pid), which reads the configuration again (a bad one
/// is refused there too, and the running one kept). Under systemd, `systemctl reload feedwatch` does
/// the same.
struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Check the configuration, then make the running daemon read it again (SIGHUP to the pid in its lock).")

    @OptionGroup var config: ConfigOption

    func run() throws {
        // A configuration the daemon would refuse is said here, with its line, and nothing is sent.
        let c = try config.load()
        for warning in c.warnings { warn("warning: \(warning)") }
        if c.stateURL != nil {
            throw fail(
                "\(c.file) uses state_url: each node reloads on its own machine (systemctl reload feedwatch, or feedwatch reload there)",
                .usage)
        }
        guard let holder = StateLock.holder(directory: c.stateDir), holder.pid > 0 else {
            throw fail("no feedwatch daemon is running on \(c.stateDir); start one with `feedwatch run`", ExitCode(69))
        }
        guard holder.command == "run" else {
            throw fail(
                "feedwatch \(holder.command) (pid \(holder.pid)) holds \(c.stateDir), not a daemon; it reads the configuration when it starts",
                ExitCode(69))
        }
        guard kill(holder.pid, SIGHUP) == 0 else {
            let why =
                errno == EPERM
                ? "permission denied: run it as the daemon's user or root (sudo systemctl reload feedwatch)"
                : String(cString: strerror(errno))
            throw fail("cannot signal feedwatch run (pid \(holder.pid)): \(why)", errno == EPERM ? .ioError : ExitCode(69))
        }
        print(
            "feedwatch run (pid \(holder.pid)) is reading \(c.file) again; its log says when it has (\"configuration reloaded\")")
    }
}
