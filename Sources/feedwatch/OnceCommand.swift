import ArgumentParser
import FeedCore
import FeedDaemon

/// `feedwatch once [--config PATH]`: one cycle over every enabled feed, deliver, exit.
struct OnceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "once", abstract: "Poll every enabled feed once now, deliver alerts, and exit.")

    @OptionGroup var config: ConfigOption
    @OptionGroup var log: LogOption
    @Flag(help: "Also poll the feeds waiting out back-off or a server's Retry-After (gone feeds stay skipped).")
    var force = false
    @Flag(
        help:
            "Fetch every feed and classify every item it carries now, seen or not, with the configured topics; print what would alert and why, and change nothing (no state, no spool, no lock)."
    )
    var dryRun = false
    @Flag(help: "With --dry-run: also list the items that matched words of a topic without applying, and why not.")
    var nearMisses = false

    func validate() throws {
        if force, dryRun { throw ValidationError("--force polls for real; --dry-run changes nothing: give one") }
        if nearMisses, !dryRun { throw ValidationError("--near-misses goes with --dry-run") }
    }

    func run() async throws {
        if dryRun { return try await OnceDryRun.run(config: config, nearMisses: nearMisses) }
        let logger = OperationalLog.logger(level: try log.level())
        let report = try await StateScope.withDaemon(config.resolved, logger: logger, oneCycle: true) { resources in
            await OnceCycle(resources, force: force).run()
        }
        for line in Self.lines(report) { print(line) }
        // Alerts left pending (disk full, unwritable spool), or polls the state could not keep (state
        // full or broken), are an I/O failure for scripts to see.
        if report.pending > 0 || report.stateFailed { throw ExitCode.ioError }
        // Every feed polled failed (network down, all servers broken): a temporary failure, so a cron job
        // sees it (design.md: 75). Feeds not polled (waiting out back-off, gone) do not count.
        if report.everyPolledFeedFailed { throw ExitCode.temporaryFailure }
    }

    /// A line per feed (`url: result, 2 new, 1 alert(s) — message`), then the delivery line.
    static func lines(_ report: OnceReport) -> [String] {
        var out = report.feeds.map { s in
            var line = "\(s.name ?? URLRedaction.redact(s.feed)): \(s.result.rawValue)"
            if s.newEntries > 0 || s.alerts > 0 { line += ", \(s.newEntries) new, \(s.alerts) alert(s)" }
            if s.merged > 0 { line += ", \(s.merged) joined a story" }
            // Why a feed full of new items raised nothing: they were older than the age limit.
            if s.tooOld > 0 { line += ", \(s.tooOld) older than alerts.max_age (not classified)" }
            if let m = s.message { line += " — \(m)" }
            return line
        }
        let error = report.deliveryError.map { "\($0)" } ?? "delivery failed"
        out.append(
            "alerts delivered: \(report.delivered)" + (report.recovered > 0 ? " (+\(report.recovered) recovered)" : "")
                + (report.pending > 0 ? ", pending: \(report.pending) (\(error))" : ""))
        for (name, o) in report.sinks.sorted(by: { $0.key < $1.key }) {
            out.append(
                "sink \(name): \(o.delivered) delivered" + (o.digests > 0 ? ", \(o.digests) digest(s)" : "")
                    + (o.failed > 0 ? ", \(o.failed) given up" : "")
                    + (o.pending > 0 ? ", \(o.pending) pending" : "")
                    + (o.lastError.map { " (last error: \($0))" } ?? "")
                    + (o.held > 0
                        ? ", \(o.held) held for a digest"
                            + (o.nextDigest.map { " (due \(Timestamp(secondsSinceEpoch: $0).iso8601))" } ?? "") : ""))
        }
        return out
    }
}
