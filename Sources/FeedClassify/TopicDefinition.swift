/// Topics as users write them in YAML (config/topics.yaml, docs/classifier.md).
public struct TopicDefinition: Sendable, Equatable {
    public struct Group: Sendable, Equatable {
        public var name: String
        /// Every required group must match for the topic to apply.
        public var required: Bool
        /// Added to the score when the group matches (negative weights penalise).
        public var weight: Double
        /// Count each distinct matching term (up to `maxCount`) instead of the group once.
        public var perTerm: Bool
        public var maxCount: Int
        /// Distinct entries needed before the group counts as matched (two currency codes make a pair).
        public var minCount: Int
        /// Where the group may match.
        public var field: Field
        /// Evidence that identifies the topic by itself (see `deferTo`).
        public var anchor: Bool
        /// Words and phrases matched after normalization and light stemming (any inflection).
        public var terms: [Entry]
        /// Names matched as written after normalization, never stemmed (brands, tickers), with
        /// attached Arabic proclitics allowed (لمايكروسوفت).
        public var names: [Entry]
        /// Verbs in their dictionary form (the Arabic past, the English base), matched in any person,
        /// tense and number (ارتفع: ارتفعت، يرتفع، ترتفعان; surge: surges, surged, surging), see
        /// `VerbStemmer`. In a phrase, every word is read as a verb.
        public var verbs: [Entry]

        /// One term: alternatives that count as one (aliases of one thing), with its own weight.
        public struct Entry: Sendable, Equatable, ExpressibleByStringLiteral {
            public var aliases: [String]
            public var weight: Double

            public init(_ aliases: [String], weight: Double = 1) {
                self.aliases = aliases
                self.weight = weight
            }

            public init(stringLiteral value: String) { self.init([value]) }
        }

        public enum Field: String, Sendable { case any, title, summary }

        public init(
            name: String, required: Bool = false, weight: Double = 1, perTerm: Bool = false, maxCount: Int = 3,
            minCount: Int = 1, field: Field = .any, anchor: Bool = false, terms: [Entry] = [],
            names: [Entry] = [], verbs: [Entry] = []
        ) {
            self.name = name
            self.required = required
            self.weight = weight
            self.perTerm = perTerm
            self.maxCount = maxCount
            self.minCount = minCount
            self.field = field
            self.anchor = anchor
            self.terms = terms
            self.names = names
            self.verbs = verbs
        }
    }

    public var name: String
    public var description: String?
    public var enabled: Bool
    public var threshold: Double
    /// Multipliers for a group matched in the title, in the summary's lead (its first sentence) and in the
    /// rest of the summary (the body; 0 by default: evidence buried in a long text does not count).
    public var titleWeight: Double
    public var summaryWeight: Double
    public var bodyWeight: Double
    /// What the topic is about, as alternative sets of group names: the topic applies only when every
    /// group of one concept matched, its first group (the subject) in the title (an editor's reading: the
    /// headline carries the story, the lead may complete it). Empty: no concept rule (only `required`).
    public var concepts: [[String]]
    /// Concepts met only when every one of their groups matched in the headline ("Oil rises": an asset
    /// that needs its move in the headline, not in the lead).
    public var headlineConcepts: [[String]]
    public var groups: [Group]
    /// Phrases whose words never count for this topic (Golden Globe, الكرة الذهبية).
    public var exclude: [String]
    /// When one of these topics applies, this one applies only if an `anchor` group matched in the title
    /// (a gold story is also `markets` only when its headline reports another market).
    public var deferTo: [String]

    public init(
        name: String, description: String? = nil, enabled: Bool = true, threshold: Double = 3,
        titleWeight: Double = 1.5, summaryWeight: Double = 1, bodyWeight: Double = 0, groups: [Group],
        concepts: [[String]] = [], headlineConcepts: [[String]] = [], exclude: [String] = [], deferTo: [String] = []
    ) {
        self.name = name
        self.description = description
        self.enabled = enabled
        self.threshold = threshold
        self.titleWeight = titleWeight
        self.summaryWeight = summaryWeight
        self.bodyWeight = bodyWeight
        self.groups = groups
        self.concepts = concepts
        self.headlineConcepts = headlineConcepts
        self.exclude = exclude
        self.deferTo = deferTo
    }
}
