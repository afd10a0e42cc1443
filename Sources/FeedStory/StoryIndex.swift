/// An in-memory LSH index of fingerprints, for tools and tests: the daemon keeps the same index in its
/// state database (table `story_band`), looked up inside the commit's transaction.
public struct StoryIndex<Item: Sendable>: Sendable {
    public private(set) var items: [(item: Item, fingerprint: StoryFingerprint)] = []
    private var buckets: [Int64: [Int]] = [:]

    public init() {}

    public mutating func insert(_ item: Item, _ fingerprint: StoryFingerprint) {
        for key in fingerprint.bandKeys { buckets[key, default: []].append(items.count) }
        items.append((item, fingerprint))
    }

    /// Every indexed report sharing at least one band key with `fingerprint`, each once, oldest first.
    public func candidates(for fingerprint: StoryFingerprint) -> [(item: Item, fingerprint: StoryFingerprint)] {
        var seen = Set<Int>()
        for key in fingerprint.bandKeys { for i in buckets[key] ?? [] { seen.insert(i) } }
        return seen.sorted().map { items[$0] }
    }
}
