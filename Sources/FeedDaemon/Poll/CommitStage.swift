import FeedSpool
import FeedStore

/// Stage 6 of a poll: one transaction for the feed's state, its entries, the story decisions and the
/// outbox rows they raise (an alert is committed before it is delivered: reliability.md §5). Returns how
/// many alert files and "also" lines the poll raised.
struct CommitStage: Sendable {
    let store: any StateStore
    let metrics: Metrics

    func run(_ commit: PollCommit, alertTopics: [String: [String]]) async throws -> (alerts: Int, merged: Int) {
        CrashPoint.beforePendingCommit.reach()
        let rows = try await store.commit(commit)
        CrashPoint.afterStoryCommit.reach()
        let files = rows.filter { $0.kind == .file }
        for row in files { metrics.alerted(topics: alertTopics[row.id] ?? []) }
        metrics.merged(rows.count - files.count)
        return (files.count, rows.count - files.count)
    }
}
