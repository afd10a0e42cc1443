public import FeedClassify
public import FeedCore
public import FeedStore
import FeedStory

/// The story stage (docs/stories.md), after classification and before alerts are committed. For each
/// on-topic report of one poll it decides, inside the commit's write transaction, whether the report
/// opens a story (an alert file, as before) or joins a story that alerted within `alerts.story_window`
/// (a source of that story and an "also" line in the log, no file). A joining report that brings a topic
/// the story has not alerted on still raises an alert, for the same story. With a window of 0 every
/// report opens its own story and nothing is looked up.
public struct StoryStage: StoryDecision {
    public struct Report: Sendable {
        /// The alert the report raises if it opens a story or adds a topic.
        var alert: AlertRenderer.Input
        var entryKey: String
        /// The report's topics, sorted.
        var topics: [String]
        var fingerprint: StoryFingerprint

        /// An on-topic entry of `feedURL` (named `feedName` in the configuration, if it is) seen at `at`,
        /// classified as `classification`.
        public init(
            feedURL: String, feedTitle: String?, feedName: String? = nil, entryKey: String, entry: FeedEntry,
            classification: Classification, at: Int64
        ) {
            topics = classification.topics.sorted()
            self.entryKey = entryKey
            alert = AlertRenderer.Input(
                id: EntryIdentity.alertID(feedKey: feedURL, entryKey: entryKey, topics: topics), createdAt: at,
                topics: classification.results.filter(\.assigned), feedURL: feedURL, feedTitle: feedTitle, feedName: feedName,
                entry: entry,
                language: entry.language.map { String($0.prefix(2)).lowercased() }
                    ?? AlertRenderer.language(of: (entry.title ?? "") + " " + (entry.summary ?? "")))
            fingerprint = StoryFingerprint(title: entry.title, summary: entry.summary)
        }

        /// The id of the alert the report raises, if it raises one.
        public var alertID: String { alert.id }
    }

    let window: Int
    let now: Int64
    public var reports: [Report] = []

    /// `window`: `alerts.story_window` in seconds (0: every report opens a story of its own).
    public init(window: Int, now: Int64) {
        self.window = window
        self.now = now
    }

    /// Candidates verified per report, most shared band keys first. A true copy shares most of its
    /// keys; anything ranked past this many shares only one or two.
    public static let candidateLimit = 32

    public func decide(in ledger: any StoryLedger) throws -> [StoredAlert] {
        let since = now - Int64(window)
        if window > 0 { try ledger.prune(openedBefore: since) }
        var rows: [StoredAlert] = []
        for report in reports {
            if window > 0, let story = try match(report, in: ledger, since: since) {
                rows += try join(report, story, in: ledger)
            } else {
                rows.append(try open(report, in: ledger))
            }
        }
        return rows
    }

    /// The story the report tells, among the candidates its band keys find.
    private func match(_ r: Report, in ledger: any StoryLedger, since: Int64) throws -> StoryRecord? {
        let candidates = try ledger.candidates(bands: r.fingerprint.bandKeys, since: since, limit: Self.candidateLimit)
            .compactMap { c in
                StoryFingerprint(encoded: c.fingerprint).map { (c.story, $0, sameFeed: c.feedKey == r.alert.feedURL) }
            }
        return StoryMatcher.best(for: r.fingerprint, among: candidates)?.0
    }

    private func open(_ r: Report, in ledger: any StoryLedger) throws -> StoredAlert {
        let story = StoryRecord(id: Self.storyID(alertID: r.alert.id), alertID: r.alert.id, openedAt: now, topics: r.topics)
        try ledger.open(
            story, source: source(r, role: .opened), bands: window > 0 ? r.fingerprint.bandKeys : [],
            fingerprint: window > 0 ? r.fingerprint.encoded : nil)
        return alert(r, story: story.id)
    }

    private func join(_ r: Report, _ story: StoryRecord, in ledger: any StoryLedger) throws -> [StoredAlert] {
        let added = r.topics.filter { !story.topics.contains($0) }
        let isNew = try ledger.add(
            source(r, role: added.isEmpty ? .joined : .topic), to: story, bands: r.fingerprint.bandKeys,
            fingerprint: r.fingerprint.encoded)
        if !added.isEmpty {
            try ledger.setTopics((story.topics + added).sorted(), of: story.id)
            return [alert(r, story: story.id)]
        }
        // An entry already listed (an edit) is not a new source.
        guard isNew else { return [] }
        let line = AlertRenderer.alsoLine(
            at: now, alertID: story.alertID, feed: r.alert.feedName ?? r.alert.feedURL, title: r.alert.entry.title)
        return [
            StoredAlert(
                id: Digest.hex(["also", story.id, r.alert.feedURL, r.entryKey].joined(separator: "\n"), length: 32),
                kind: .logLine, feedKey: r.alert.feedURL, entryKey: r.entryKey, createdAt: now, fileName: "",
                payload: [], logLine: line)
        ]
    }

    private func source(_ r: Report, role: StorySource.Role) -> StorySource {
        StorySource(
            feedKey: r.alert.feedURL, entryKey: r.entryKey, at: now, title: r.alert.entry.title,
            link: AlertRenderer.safeLink(r.alert.entry.link), role: role)
    }

    private func alert(_ r: Report, story: String) -> StoredAlert {
        var input = r.alert
        input.storyID = story
        return StoredAlert(
            id: input.id, feedKey: input.feedURL, entryKey: r.entryKey, createdAt: input.createdAt,
            fileName: AlertRenderer.fileName(input), payload: AlertRenderer.json(input),
            logLine: AlertRenderer.logLine(input))
    }

    /// Deterministic, like alert ids: the same opening alert always opens the same story.
    static func storyID(alertID: String) -> String { Digest.hex("story\n" + alertID, length: 32) }
}
