/// What the story stage remembers of one report: the content words of its title and of the start of its
/// summary (after publisher names, labels, datelines and "…" are removed), its facts, its script, and
/// the LSH band keys under which it is indexed (docs/stories.md).
public struct StoryFingerprint: Sendable, Equatable {
    /// Reports are compared only within one script: merging an Arabic and an English report of one story
    /// is out of scope.
    public enum Script: UInt8, Sendable {
        case arabic = 1
        case latin = 2
    }

    public internal(set) var script: Script
    /// Word keys of the title, numbers included, sorted and distinct.
    var title: [UInt32]
    /// Word keys of the first `summaryWords` content words of the summary, sorted and distinct.
    var summary: [UInt32]
    var facts: StoryFacts
    /// The keys to index the report under and to look candidates up by; not part of `encoded`.
    public internal(set) var bandKeys: [Int64] = []

    /// Title signature: 12 bands of 2 rows. A pair at Jaccard 0.5 shares a band with probability 0.97,
    /// at 0.6 with 0.996; at 0.1 with 0.11.
    static let titleBands = (bands: 12, rows: 2)
    /// Summary signature over its first 15 words (copies of one wire lede agree there even when one is
    /// cut short): 6 bands of 3 rows; 0.8 → 0.99, 0.3 → 0.15.
    static let summaryBands = (bands: 6, rows: 3, words: 15)
    static let summaryWords = 40
    /// Longest summary read, in characters: the facts of a lede, not of a whole article.
    static let summaryCharacters = 1000

    public init(title: String?, summary: String?) {
        let headline = Headline.title(title ?? "")
        var lede = summary ?? ""
        if lede.utf8.count > Self.summaryCharacters, lede.unicodeScalars.count > Self.summaryCharacters {
            lede = String(String.UnicodeScalarView(lede.unicodeScalars.prefix(Self.summaryCharacters))) + "…"
        }
        let t = StoryReading(headline, isTitle: true)
        let s = StoryReading(Headline.summary(lede), isTitle: false)
        var facts = t.facts
        facts.formUnion(s.facts)
        self.facts = facts
        self.title = Array(Set(t.words + t.facts.numbers.map(StoryReading.key))).sorted()
        var seen = Set<UInt32>()
        let ordered = s.words.filter { seen.insert($0).inserted }
        self.summary = Array(ordered.prefix(Self.summaryWords)).sorted()
        script = Self.script(of: headline.isEmpty ? lede : headline)
        // Undecodable text is never indexed, so it never merges.
        if Mojibake.likely(headline) { return }
        let head = Array(ordered.prefix(Self.summaryBands.words))
        bandKeys = MinHash.bandKeys(self.title, bands: Self.titleBands.bands, rows: Self.titleBands.rows, family: 1)
        if head.count >= 6 {
            bandKeys += MinHash.bandKeys(head.sorted(), bands: Self.summaryBands.bands, rows: Self.summaryBands.rows, family: 2)
        }
    }

    init(script: Script, title: [UInt32], summary: [UInt32], facts: StoryFacts) {
        self.script = script
        self.title = title
        self.summary = summary
        self.facts = facts
    }

    /// Arabic when Arabic letters outnumber Latin ones (brand names in Latin letters are common in
    /// Arabic headlines).
    static func script(of text: String) -> Script {
        var arabic = 0
        var latin = 0
        for s in text.unicodeScalars {
            if (0x0600...0x06FF).contains(s.value) { arabic += 1 } else if NumberScanner.isLatinLetter(s) { latin += 1 }
        }
        return arabic > latin ? .arabic : .latin
    }
}
