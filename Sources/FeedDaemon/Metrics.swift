import FeedCore
import FeedStore
import Foundation
import Logging
import Synchronization

/// Counters for the Prometheus textfile collector (node_exporter `--collector.textfile.directory`):
/// written atomically (temporary file, rename) to `metrics_file` when one is configured.
public final class Metrics: Sendable {
    private struct State {
        var fetchResults: [String: Int] = [:]
        var alertsByTopic: [String: Int] = [:]
        var fetchSeconds = (sum: 0.0, count: 0)
        var parseSeconds = (sum: 0.0, count: 0)
        var delivered = 0
        var merged = 0
    }

    private let state = Mutex(State())

    public init() {}

    func fetched(_ outcome: String, seconds: Double) {
        state.withLock {
            $0.fetchResults[outcome, default: 0] += 1
            $0.fetchSeconds.sum += seconds
            $0.fetchSeconds.count += 1
        }
    }

    func parsed(seconds: Double) {
        state.withLock {
            $0.parseSeconds.sum += seconds
            $0.parseSeconds.count += 1
        }
    }

    func alerted(topics: [String]) {
        state.withLock { s in for t in topics { s.alertsByTopic[t, default: 0] += 1 } }
    }

    func delivered(_ n: Int) { state.withLock { $0.delivered += n } }

    func merged(_ n: Int) { if n > 0 { state.withLock { $0.merged += n } } }

    /// The text format (https://prometheus.io/docs/instrumenting/exposition_formats/).
    func render(feeds: [(status: String, count: Int)], pending: Int) -> String {
        let s = state.withLock { $0 }
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Double)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            // A summary's samples are `name_sum` and `name_count`: the "labels" here carry that suffix.
            for (labels, v) in samples { out += "\(name)\(labels) \(format(v))\n" }
        }
        metric(
            "feedwatch_feeds", "gauge", "Configured feeds by last result.",
            feeds.map { ("{status=\"\(escape($0.status))\"}", Double($0.count)) })
        metric(
            "feedwatch_fetch_results_total", "counter", "Fetches by outcome since start.",
            s.fetchResults.sorted { $0.key < $1.key }.map { ("{outcome=\"\(escape($0.key))\"}", Double($0.value)) })
        metric(
            "feedwatch_fetch_duration_seconds", "summary", "Time spent in fetches.",
            [("_sum", s.fetchSeconds.sum), ("_count", Double(s.fetchSeconds.count))])
        metric(
            "feedwatch_parse_duration_seconds", "summary", "Time spent parsing feeds.",
            [("_sum", s.parseSeconds.sum), ("_count", Double(s.parseSeconds.count))])
        metric(
            "feedwatch_alerts_total", "counter", "Alerts raised by topic since start.",
            s.alertsByTopic.sorted { $0.key < $1.key }.map { ("{topic=\"\(escape($0.key))\"}", Double($0.value)) })
        metric("feedwatch_alerts_delivered_total", "counter", "Alert files delivered since start.", [("", Double(s.delivered))])
        metric("feedwatch_alerts_pending", "gauge", "Alerts waiting for delivery.", [("", Double(pending))])
        metric(
            "feedwatch_story_merged_total", "counter", "Reports merged into a story already alerted, since start.",
            [("", Double(s.merged))])
        metric(
            "feedwatch_last_update_timestamp_seconds", "gauge", "When this file was written.",
            [("", Date().timeIntervalSince1970.rounded())])
        return out
    }

    /// Writes the file for `context` (when `metrics_file` is set), through the writer.
    func write(_ context: DaemonContext) async {
        guard let path = context.config.metricsFile else { return }
        var byStatus: [String: Int] = [:]
        let states = (try? await context.store.allFeeds()) ?? []
        let known = Dictionary(states.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        for f in context.config.feeds {
            byStatus[FeedStatus(enabled: f.enabled, state: known[f.url]).name, default: 0] += 1
        }
        let pending = (try? await context.store.alertCounts().pending) ?? 0
        let text = render(feeds: byStatus.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, pending: pending)
        do {
            try await context.writer.writeMetrics(text, to: path)
        } catch {
            context.logger.warning("cannot write metrics to \(path): \(error.localizedDescription)")
        }
    }

    private func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
