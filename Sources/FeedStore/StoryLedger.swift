/// The story rows as the story stage sees them inside one poll's write transaction (docs/stories.md):
/// candidates are found by LSH band key and time through an index, never by scanning every story, and
/// opening or joining a story commits with the poll's entries and outbox rows, so two polls committing
/// at the same moment are serialized and only one of them opens the story.
public protocol StoryLedger {
    /// Sources of stories opened at or after `since` that share at least one band key with `bands`,
    /// most shared keys first, at most `limit`.
    func candidates(bands: [Int64], since: Int64, limit: Int) throws -> [StoryCandidate]
    /// Opens `story` with its first source; with `fingerprint` nil the story is never looked up (stories
    /// are off) but still lists its source.
    func open(_ story: StoryRecord, source: StorySource, bands: [Int64], fingerprint: [UInt8]?) throws
    /// Adds a source to `story`; false when the entry already was one of its sources.
    func add(_ source: StorySource, to story: StoryRecord, bands: [Int64], fingerprint: [UInt8]) throws -> Bool
    /// The topics alerted for the story so far, sorted.
    func setTopics(_ topics: [String], of storyID: String) throws
    /// Forgets the band keys and fingerprints of stories opened before `time`: they can no longer be
    /// joined. Their sources stay, for `alerts show`.
    func prune(openedBefore time: Int64) throws
}

/// Decides, inside the commit's transaction, which outbox rows a poll's on-topic reports raise.
public protocol StoryDecision: Sendable {
    func decide(in ledger: any StoryLedger) throws -> [StoredAlert]
}

public struct StoryRecord: Sendable, Equatable {
    public var id: String
    /// The alert that opened the story: "also" lines name it.
    public var alertID: String
    public var openedAt: Int64
    /// Topics alerted for the story so far, sorted.
    public var topics: [String]

    public init(id: String, alertID: String, openedAt: Int64, topics: [String]) {
        self.id = id
        self.alertID = alertID
        self.openedAt = openedAt
        self.topics = topics
    }
}

public struct StorySource: Sendable, Equatable {
    public enum Role: String, Sendable {
        /// The report that opened the story (its alert file).
        case opened
        /// Merged: no file of its own, an "also" line in the log.
        case joined
        /// Joined, and raised an alert of its own for a topic the story had not alerted on.
        case topic
    }

    public var feedKey: String
    public var entryKey: String
    public var at: Int64
    public var title: String?
    public var link: String?
    public var role: Role

    public init(feedKey: String, entryKey: String, at: Int64, title: String?, link: String?, role: Role) {
        self.feedKey = feedKey
        self.entryKey = entryKey
        self.at = at
        self.title = title
        self.link = link
        self.role = role
    }
}

public struct StoryCandidate: Sendable {
    public var story: StoryRecord
    /// The feed of the source that matched.
    public var feedKey: String
    public var fingerprint: [UInt8]
    public var sharedBands: Int

    public init(story: StoryRecord, feedKey: String, fingerprint: [UInt8], sharedBands: Int) {
        self.story = story
        self.feedKey = feedKey
        self.fingerprint = fingerprint
        self.sharedBands = sharedBands
    }
}

public struct StoryStatistics: Sendable, Equatable {
    public var stories: Int
    /// Reports merged into a story without a file of their own.
    public var merged: Int

    public init(stories: Int, merged: Int) {
        self.stories = stories
        self.merged = merged
    }
}
