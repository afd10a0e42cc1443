public import CoreMetrics
import FeedCore
import FeedStore
import Foundation
import Logging
import Prometheus
import Synchronization

/// The daemon's instruments, through swift-metrics; rendered by swift-prometheus into the textfile that
/// node_exporter's textfile collector reads (`metrics_file`), written atomically by the writer.
///
/// The instruments are made by the factory given at start. The default is a Prometheus factory over a
/// registry of this daemon's own (not the global bootstrap, so that several daemons in one test process
/// keep their counts apart); an embedder can pass any other swift-metrics backend instead.
public final class Metrics: Sendable {
    private let factory: any MetricsFactory
    /// The registry rendered into `metrics_file` (nil with a factory of the embedder's).
    private let registry: PrometheusCollectorRegistry?
    /// Status names written before: one that no feed has any more is written as 0, not left stale.
    private let statuses = Mutex<Set<String>>([])

    /// Every family: name → help. swift-metrics carries no help text, so the rendered text gets these
    /// `# HELP` lines added above each family's `# TYPE` line.
    static let help: [String: String] = [
        "feedwatch_feeds": "Configured feeds by last result.",
        "feedwatch_fetch_results_total": "Fetches by outcome since start.",
        "feedwatch_fetch_duration_seconds": "Time spent in fetches.",
        "feedwatch_parse_duration_seconds": "Time spent parsing feeds.",
        "feedwatch_alerts_total": "Alerts raised by topic since start.",
        "feedwatch_alerts_delivered_total": "Alert files delivered since start.",
        "feedwatch_alerts_pending": "Alerts waiting for delivery.",
        "feedwatch_story_merged_total": "Reports merged into a story already alerted, since start.",
        "feedwatch_last_update_timestamp_seconds": "When this file was written.",
        "feedwatch_sink_deliveries": "Deliveries to each sink by state (delivered, pending, failed), from the state.",
        "feedwatch_sink_digests": "Digests of each sink by state (delivered, pending, failed), from the state.",
        "feedwatch_sink_held": "Alerts each sink holds for a digest (its period, quiet hours or hourly cap), from the state.",
    ]

    public init(factory: any MetricsFactory) {
        self.factory = factory
        self.registry = nil
    }

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Fetches take from milliseconds (a 304 on loopback) to the transfer timeout; parses rarely
        // take more than a few milliseconds.
        factory.durationHistogramBuckets = [
            "feedwatch_fetch_duration_seconds": [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60].map { Duration.seconds($0) },
            "feedwatch_parse_duration_seconds": [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1].map { Duration.seconds($0) },
        ]
        self.factory = factory
        self.registry = registry
    }

    func fetched(_ outcome: String, seconds: Double) {
        CoreMetrics.Counter(label: "feedwatch_fetch_results_total", dimensions: [("outcome", outcome)], factory: factory)
            .increment()
        CoreMetrics.Timer(label: "feedwatch_fetch_duration_seconds", factory: factory).recordNanoseconds(Int64(seconds * 1e9))
    }

    func parsed(seconds: Double) {
        CoreMetrics.Timer(label: "feedwatch_parse_duration_seconds", factory: factory).recordNanoseconds(Int64(seconds * 1e9))
    }

    func alerted(topics: [String]) {
        for topic in topics {
            CoreMetrics.Counter(label: "feedwatch_alerts_total", dimensions: [("topic", topic)], factory: factory).increment()
        }
    }

    func delivered(_ n: Int) {
        CoreMetrics.Counter(label: "feedwatch_alerts_delivered_total", factory: factory).increment(by: n)
    }

    func merged(_ n: Int) {
        CoreMetrics.Counter(label: "feedwatch_story_merged_total", factory: factory).increment(by: n)
    }

    /// Sets the gauges and renders the text format (https://prometheus.io/docs/instrumenting/exposition_formats/);
    /// nil when the instruments go to an embedder's backend.
    func render(
        feeds: [String: Int], pending: Int, sinks: [String: SinkCounts] = [:], digests: [String: DigestCounts] = [:]
    ) -> String? {
        let gone = statuses.withLock { seen in
            defer { seen.formUnion(feeds.keys) }
            return seen.subtracting(feeds.keys)
        }
        for (status, count) in feeds {
            CoreMetrics.Gauge(label: "feedwatch_feeds", dimensions: [("status", status)], factory: factory).record(count)
        }
        for status in gone {
            CoreMetrics.Gauge(label: "feedwatch_feeds", dimensions: [("status", status)], factory: factory).record(0)
        }
        CoreMetrics.Gauge(label: "feedwatch_alerts_pending", factory: factory).record(pending)
        for (sink, c) in sinks {
            for (state, n) in [("delivered", c.delivered), ("pending", c.pending), ("failed", c.failed)] {
                CoreMetrics.Gauge(
                    label: "feedwatch_sink_deliveries", dimensions: [("sink", sink), ("state", state)], factory: factory
                )
                .record(n)
            }
        }
        for (sink, d) in digests {
            for (state, n) in [("delivered", d.delivered), ("pending", d.pending), ("failed", d.failed)] {
                CoreMetrics.Gauge(
                    label: "feedwatch_sink_digests", dimensions: [("sink", sink), ("state", state)], factory: factory
                )
                .record(n)
            }
            CoreMetrics.Gauge(label: "feedwatch_sink_held", dimensions: [("sink", sink)], factory: factory).record(d.held)
        }
        CoreMetrics.Gauge(label: "feedwatch_last_update_timestamp_seconds", factory: factory).record(
            Int(Date().timeIntervalSince1970))
        // Counters that have not moved yet are still shown, at 0, so that rate() works from the start.
        delivered(0)
        merged(0)
        guard let registry else { return nil }
        return Self.withHelp(registry.emitToString())
    }

    static func withHelp(_ text: String) -> String {
        var out = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE "), let name = line.dropFirst(7).split(separator: " ").first,
                let help = help[String(name)]
            {
                out += "# HELP \(name) \(help)\n"
            }
            out += line + "\n"
        }
        return out
    }

    /// Writes the file for `context` (when `metrics_file` is set), through the writer.
    func write(_ context: DaemonContext) async {
        guard let path = context.config.metricsFile, let text = await text(context) else { return }
        do {
            try await context.writer.writeMetrics(text, to: path)
        } catch {
            context.logger.warning("cannot write metrics to \(path): \(error.localizedDescription)")
        }
    }

    /// The Prometheus text for `context`, from the state's figures and the counters since start: what
    /// the metrics file holds and `GET /metrics` serves. Nil when the instruments go to an embedder's
    /// backend.
    func text(_ context: DaemonContext) async -> String? {
        var byStatus: [String: Int] = [:]
        let states = (try? await context.store.allFeeds()) ?? []
        let known = Dictionary(states.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        for f in context.config.feeds {
            byStatus[FeedStatus(enabled: f.enabled, state: known[f.url]).name, default: 0] += 1
        }
        let pending = (try? await context.store.alertCounts().pending) ?? 0
        var sinks: [String: SinkCounts] = [:]
        var digests: [String: DigestCounts] = [:]
        if !context.config.sinks.isEmpty {
            let counts = (try? await context.store.sinkCounts()) ?? [:]
            let held = (try? await context.store.digestCounts()) ?? [:]
            for sink in context.config.sinks {
                sinks[sink.name] = counts[sink.name] ?? SinkCounts()
                digests[sink.name] = held[sink.name] ?? DigestCounts()
            }
        }
        return render(feeds: byStatus, pending: pending, sinks: sinks, digests: digests)
    }
}
