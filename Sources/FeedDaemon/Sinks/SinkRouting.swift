import FeedStore

extension DaemonConfig {
    /// The sinks an alert reaching the spool at `at` goes to (their `topics`, `feeds` and `tags`), each
    /// with how it is queued there (`Sink.queueing`). An "also" line goes to none.
    func sinkQueueing(for alert: StoredAlert, at: Int64) -> [SinkQueueing] {
        guard alert.kind == .file, !sinks.isEmpty else { return [] }
        // The topics are read from the alert file only when a sink filters on them.
        let topics = sinks.contains { !$0.topicFilter.isEmpty } ? SinkAttemptRunner.topics(alert.payload) : []
        return sinks.filter { $0.routes(topics: topics, feedURL: alert.feedKey) }.map { $0.queueing(at: at) }
    }
}
