import ArgumentParser
import FeedCore
import FeedDaemon
import FeedStore
import FeedYAML
import Foundation

/// `feedwatch status [--config PATH] [--json]`: one row per configured feed from the state database.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show each feed's state.")

    @OptionGroup var config: ConfigOption

    @Flag(help: "One JSON object for scripts.") var json = false

    func run() async throws {
        let cfg = try config.load()
        let report: StatusReport
        do {
            report = try await StatusReport.make(cfg)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(
                "feedwatch: cannot read the state in \(cfg.stateURL ?? cfg.stateDir): \(String(reflecting: error))", .ioError)
        }
        print(json ? report.json : report.text)
        // For monitoring: non-zero (69, EX_UNAVAILABLE) when the daemon is not healthy.
        if !report.healthy { throw ExitCode(69) }
    }
}

/// What `status` prints, as text and as JSON, and whether the daemon is healthy: for the command and
/// for the listener's `GET /healthz`.
struct StatusReport {
    var healthy: Bool
    var json: String
    var text: String

    static func make(_ cfg: DaemonConfig) async throws -> StatusReport {
        let state = try await StatusState.load(cfg)
        let rows = state.rows
        let states = Dictionary(rows.compactMap { r in r.state.map { (r.url, $0) } }, uniquingKeysWith: { a, _ in a })
        let holder = state.cluster == nil ? StateLock.holder(directory: cfg.stateDir) : nil
        let now = Int64(Date().timeIntervalSince1970)
        var problems = Health.problems(
            cfg, states: states, running: holder != nil || state.cluster?.running == true,
            signOfLife: state.cluster?.signOfLife ?? Health.lastSignOfLife(stateDir: cfg.stateDir), now: now)
        if let cluster = state.cluster { problems += cluster.problems(now: now) }
        let json = StatusRow.json(
            rows, stories: state.stories, window: cfg.alerts.storyWindow, holder: holder, problems: problems,
            sinks: state.sinks, cluster: state.cluster)
        let daemon =
            state.cluster.map { $0.headline }
            ?? holder.map { "daemon: running (pid \($0.pid), feedwatch \($0.command))" } ?? "daemon: not running"
        let text =
            daemon + (state.cluster.map { "\n" + $0.table(now: now) } ?? "") + "\n" + StatusRow.table(rows) + "\n"
            + StatusRow.storyLine(state.stories, window: cfg.alerts.storyWindow)
            + state.sinks.map { "\n" + $0.line }.joined() + "\nhealth: "
            + (problems.isEmpty ? "ok" : "UNHEALTHY: " + problems.joined(separator: "; "))
        return StatusReport(healthy: problems.isEmpty, json: json, text: text)
    }
}

/// What `status` reads from the state, in one opening of it.
struct StatusState {
    var rows: [StatusRow]
    var stories: StoryStatistics
    var sinks: [SinkRow]
    /// The nodes of a shared state; nil for SQLite.
    var cluster: ClusterStatus?

    /// The feeds' rows, the story figures, the sinks' rows and a cluster's nodes, from one opening.
    static func load(_ cfg: DaemonConfig) async throws -> StatusState {
        let opened = try await StateScope.reading(cfg) { store, leases in
            var state = try await read(cfg, store)
            if let leases, let url = cfg.stateURL {
                state.cluster = ClusterStatus(
                    url: url, lease: cfg.cluster.lease, nodes: try await leases.nodes(lease: cfg.cluster.lease),
                    expired: try await leases.expiredLeases())
            }
            return state
        }
        return opened
            ?? StatusState(
                rows: cfg.feeds.map { StatusRow(url: $0.url, name: $0.name, enabled: $0.enabled, state: nil, stats: .none) },
                stories: StoryStatistics(stories: 0, merged: 0), sinks: SinkRow.rows(cfg, counts: [:]))
    }

    static func read(_ cfg: DaemonConfig, _ store: any StateStore) async throws -> StatusState {
        let states = Dictionary(try await store.allFeeds().map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let stats = try await store.statistics()
        let rows = cfg.feeds.map {
            StatusRow(url: $0.url, name: $0.name, enabled: $0.enabled, state: states[$0.url], stats: stats[$0.url] ?? .none)
        }
        // A state no daemon has opened since sinks existed has no deliveries table yet: zeros.
        let sinkCounts = cfg.sinks.isEmpty ? [:] : (try? await store.sinkCounts()) ?? [:]
        let digestCounts = cfg.sinks.isEmpty ? [:] : (try? await store.digestCounts()) ?? [:]
        return StatusState(
            rows: rows, stories: try await store.storyStatistics(),
            sinks: SinkRow.rows(cfg, counts: sinkCounts, digests: digestCounts))
    }
}

extension FeedStatistics {
    static let none = FeedStatistics(entries: 0, alerts: 0, pending: 0)
}

struct StatusRow {
    var url: String
    var name: String?
    var enabled: Bool
    var state: FeedState?
    var stats: FeedStatistics

    /// `stories: 12 opened, 36 reports merged (window 48h)`.
    static func storyLine(_ s: StoryStatistics, window: Int) -> String {
        "stories: \(s.stories) opened, \(s.merged) report(s) merged"
            + (window > 0 ? " (window \(DurationText.format(window)))" : " (merging off: story_window 0)")
    }

    var result: String { FeedStatus(enabled: enabled, state: state).name }

    /// `5m (learned: 12 entries/h, held at min_interval)`, or `-` before the first success.
    var interval: String {
        guard let state, state.interval > 0 else { return "-" }
        return DurationText.format(Int(state.interval)) + (state.intervalReason.map { " (\($0))" } ?? "")
    }

    func nextPoll(now: Int64) -> String {
        guard enabled, let due = state?.nextDue else { return "-" }
        return due <= now ? "due" : "in " + DurationText.format(Int(due - now))
    }

    static func table(_ rows: [StatusRow]) -> String {
        let now = Int64(Date().timeIntervalSince1970)
        var lines = [["FEED", "RESULT", "NEXT POLL", "INTERVAL", "ERRORS", "ENTRIES", "ALERTS", "MERGED", "LAST ERROR"]]
        for r in rows {
            lines.append([
                r.name ?? URLRedaction.redact(r.url), r.result, r.nextPoll(now: now), r.interval,
                "\(r.state?.errorStreak ?? 0)",
                "\(r.stats.entries)", "\(r.stats.alerts)" + (r.stats.pending > 0 ? " (\(r.stats.pending) pending)" : ""),
                "\(r.stats.merged)", String((r.state?.lastError ?? "").prefix(60)),
            ])
        }
        var widths = [Int](repeating: 0, count: lines[0].count)
        for l in lines { for (i, c) in l.enumerated() { widths[i] = max(widths[i], min(c.count, 48)) } }
        return lines.map { l in
            l.enumerated().map { i, c in
                let cell = c.count > 48 ? String(c.prefix(47)) + "…" : c
                return i == l.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }.joined()
        }.joined(separator: "\n")
    }

    static func json(
        _ rows: [StatusRow], stories: StoryStatistics, window: Int, holder: (pid: Int32, command: String)?,
        problems: [String], sinks: [SinkRow], cluster: ClusterStatus?
    ) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("healthy", problems.isEmpty)
        w.field("running", holder != nil || cluster?.running == true)
        w.key("pid")
        if let holder { w.int(Int(holder.pid)) } else { w.null() }
        w.key("problems")
        w.beginArray()
        for p in problems { w.string(p) }
        w.endArray()
        w.key("stories")
        w.beginObject()
        w.field("opened", stories.stories)
        w.field("merged", stories.merged)
        w.field("window_seconds", window)
        w.endObject()
        w.key("feeds")
        w.beginArray()
        for r in rows {
            w.beginObject()
            w.field("url", r.url)
            w.field("name", r.name)
            w.field("enabled", r.enabled)
            w.field("result", r.result)
            w.field("current_url", r.state?.currentURL)
            w.field("next_poll", r.state.map { Timestamp(secondsSinceEpoch: $0.dueAt).iso8601 })
            w.field("last_poll", r.state?.lastPoll.map { Timestamp(secondsSinceEpoch: $0).iso8601 })
            w.field("last_success", r.state?.lastSuccess.map { Timestamp(secondsSinceEpoch: $0).iso8601 })
            w.key("interval_seconds")
            if let state = r.state, state.interval > 0 { w.int(Int(state.interval)) } else { w.null() }
            w.field("interval_reason", r.state?.intervalReason)
            w.field("error_streak", r.state?.errorStreak ?? 0)
            w.field("last_error", r.state?.lastError)
            w.field("entries", r.stats.entries)
            w.field("alerts", r.stats.alerts)
            w.field("pending", r.stats.pending)
            w.field("merged", r.stats.merged)
            w.endObject()
        }
        w.endArray()
        w.key("sinks")
        w.beginArray()
        for sink in sinks {
            w.beginObject()
            w.field("name", sink.sink.name)
            w.field("type", sink.sink.type.rawValue)
            w.field("delivered", sink.counts.delivered)
            w.field("pending", sink.counts.pending)
            w.field("failed", sink.counts.failed)
            w.field("last_error", sink.counts.lastError)
            w.key("filters")
            w.beginObject()
            for (key, values) in [
                ("topics", sink.sink.topicFilter), ("feeds", sink.sink.feedFilter), ("tags", sink.sink.tagFilter),
            ] {
                w.key(key)
                w.beginArray()
                for v in values { w.string(v.value) }
                w.endArray()
            }
            w.endObject()
            w.field("digest", sink.sink.digestText)
            w.field("quiet_hours", sink.sink.quietText)
            w.key("max_per_hour")
            if let cap = sink.sink.maxPerHour { w.int(cap) } else { w.null() }
            w.field("held", sink.digests.held)
            w.field("next_digest", sink.nextDigest.map { Timestamp(secondsSinceEpoch: $0).iso8601 })
            w.key("digests")
            w.beginObject()
            w.field("delivered", sink.digests.delivered)
            w.field("pending", sink.digests.pending)
            w.field("failed", sink.digests.failed)
            w.endObject()
            w.endObject()
        }
        w.endArray()
        cluster?.write(to: &w)
        w.endObject()
        return w.output
    }
}

/// A configured sink and what the state says of its deliveries.
struct SinkRow {
    var sink: DaemonConfig.Sink
    var counts: SinkCounts
    var digests = DigestCounts()
    /// When the next digest goes out (a digest sink, or alerts held by quiet hours or the cap).
    var nextDigest: Int64?

    /// Every configured sink, with zeros where the state has no delivery for it.
    static func rows(_ cfg: DaemonConfig, counts: [String: SinkCounts], digests: [String: DigestCounts] = [:]) -> [SinkRow] {
        let now = Int64(Date().timeIntervalSince1970)
        return cfg.sinks.map {
            let held = digests[$0.name] ?? DigestCounts()
            return SinkRow(
                sink: $0, counts: counts[$0.name] ?? SinkCounts(), digests: held, nextDigest: $0.nextDigest(now: now, held: held))
        }
    }

    /// `sink hook (webhook): 12 delivered, 1 pending, 0 failed; last error: HTTP 500`, then the sink's
    /// filters and batching: `; topics gold-prices; digest every 1h, next 2026-12-05T15:00:00Z, 3 held`.
    var line: String {
        var text =
            "sink \(sink.name) (\(sink.type.rawValue)): \(counts.delivered) delivered, \(counts.pending) pending, \(counts.failed) failed"
            + (counts.lastError.map { "; last error: \($0.shortened(to: 200))" } ?? "")
        if let filters = sink.filterText { text += "; " + filters }
        if let digest = sink.digestText { text += "; digest \(digest), \(digests.delivered) sent" }
        if let quiet = sink.quietText { text += "; quiet \(quiet)" }
        if let cap = sink.maxPerHour { text += "; at most \(cap) an hour" }
        if digests.held > 0 || sink.digest != nil {
            text +=
                "; \(digests.held) held" + (nextDigest.map { ", next digest \(Timestamp(secondsSinceEpoch: $0).iso8601)" } ?? "")
        }
        return text
    }
}
