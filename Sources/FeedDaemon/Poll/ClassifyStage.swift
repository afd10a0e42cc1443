import FeedClassify
import FeedCore
import FeedStore

/// Stage 4 of a poll: classification. Every changed entry gets its record (its topics, so an edit
/// alerts again only when it adds one); an entry that adds a topic becomes a report for the story stage.
struct ClassifyStage: Sendable {
    let classifier: Classifier

    struct Outcome {
        var records: [EntryRecord] = []
        var reports: [StoryStage.Report] = []
        /// The topics each possible alert adds, by alert id (for metrics).
        var alertTopics: [String: [String]] = [:]
    }

    func run(
        _ changed: [EntryStage.Changed], feedURL: String, feedTitle: String?, feedName: String? = nil, now: Int64
    ) -> Outcome {
        var out = Outcome()
        var scratch = Classifier.Scratch()
        for c in changed {
            let result = classifier.classify(title: c.entry.title, summary: c.entry.summary, scratch: &scratch)
            let alreadyAlerted = Set(c.old?.topics ?? [])
            let added = result.topics.sorted().filter { !alreadyAlerted.contains($0) }
            out.records.append(
                EntryRecord(
                    key: c.key, contentHash: c.contentHash,
                    topics: alreadyAlerted.union(result.topics).sorted(),
                    firstSeen: c.old?.firstSeen ?? now))
            guard !added.isEmpty else { continue }
            let report = StoryStage.Report(
                feedURL: feedURL, feedTitle: feedTitle, feedName: feedName, entryKey: c.key, entry: c.entry,
                classification: result, at: now)
            out.alertTopics[report.alertID] = added
            out.reports.append(report)
        }
        return out
    }
}
