/// Classifies a title and summary against a set of topics (docs/classifier.md). Immutable after
/// construction and safe to share across tasks.
public final class Classifier: Sendable {
    public let topics: [TopicDefinition]
    private let matcher: PhraseMatcher
    /// What each phrase means: (topic, group or exclusion, term) — a phrase can serve several topics.
    private let roles: [[Role]]
    /// Distinct terms per topic, for per-term counting.
    private let termCounts: [Int]
    /// Each term's own weight, per topic.
    private let termWeights: [[Double]]

    struct Role: Sendable {
        var topic: Int
        /// Index into the topic's groups, or -1 for an exclusion.
        var group: Int
        /// Topic-wide index of the term (for distinct counting and display).
        var term: Int
        var display: String
    }

    public init(topics: [TopicDefinition]) {
        let enabled = topics.filter(\.enabled)
        var matcher = PhraseMatcher()
        var roles: [[Role]] = []
        var termCounts: [Int] = []
        var termWeights: [[Double]] = []
        var norm = Normalizer()
        for (ti, topic) in enabled.enumerated() {
            var termIndex = 0
            var weights: [Double] = []
            // Several spellings can reduce to one phrase (stock/stocks): keep the first per group.
            var seen = Set<[UInt64]>()
            func add(_ entry: TopicDefinition.Group.Entry, stemmed: Bool, group: Int) {
                weights.append(entry.weight)
                for text in entry.aliases {
                    norm.reset()
                    norm.tokenize(text)
                    guard !norm.tokens.isEmpty else { continue }
                    let keys = norm.tokens.map { TokenKeys.vocabularyKey(norm.scalars, $0, stemmed: stemmed) }
                    guard seen.insert(keys + [UInt64(bitPattern: Int64(group))]).inserted else { continue }
                    let phrase = Int(matcher.add(keys))
                    if roles.count <= phrase { roles.append(contentsOf: Array(repeating: [], count: phrase - roles.count + 1)) }
                    roles[phrase].append(Role(topic: ti, group: group, term: termIndex, display: text))
                }
                termIndex += 1   // aliases of one thing count once
            }
            for (gi, g) in topic.groups.enumerated() {
                for t in g.terms { add(t, stemmed: true, group: gi) }
                for n in g.names { add(n, stemmed: false, group: gi) }
            }
            for e in topic.exclude { add(.init([e]), stemmed: true, group: -1) }
            termCounts.append(termIndex)
            termWeights.append(weights)
        }
        self.topics = enabled
        self.matcher = matcher
        self.roles = roles
        self.termCounts = termCounts
        self.termWeights = termWeights
    }

    public func classify(title: String?, summary: String?) -> Classification {
        var norm = Normalizer()
        norm.tokenize(title ?? "")
        let titleEnd = norm.tokens.count
        norm.tokenize(summary ?? "")
        var found: [PhraseMatcher.Match] = []
        matcher.matches(norm.scalars, norm.tokens, 0..<titleEnd, into: &found)
        matcher.matches(norm.scalars, norm.tokens, titleEnd..<norm.tokens.count, into: &found)

        // Exclusion spans per topic.
        var excluded: [[Range<Int>]] = Array(repeating: [], count: topics.count)
        for m in found {
            for r in roles[Int(m.phrase)] where r.group < 0 { excluded[r.topic].append(m.start..<m.end) }
        }
        // Best field weight per (topic, term), and which terms were seen in which order.
        var termWeight: [[Double]] = termCounts.map { Array(repeating: 0, count: $0) }
        var order: [[Role]] = Array(repeating: [], count: topics.count)
        var anchoredInTitle = Array(repeating: false, count: topics.count)
        for m in found {
            let inTitle = m.start < titleEnd
            for r in roles[Int(m.phrase)] where r.group >= 0 {
                if excluded[r.topic].contains(where: { $0.overlaps(m.start..<m.end) }) { continue }
                let t = topics[r.topic]
                switch t.groups[r.group].field {
                case .title where !inTitle, .summary where inTitle: continue
                default: break
                }
                if inTitle, t.groups[r.group].anchor { anchoredInTitle[r.topic] = true }
                let w = inTitle ? t.titleWeight : t.summaryWeight
                if termWeight[r.topic][r.term] == 0 { order[r.topic].append(r) }
                termWeight[r.topic][r.term] = max(termWeight[r.topic][r.term], w)
            }
        }
        var results: [Classification.TopicResult] = []
        for (ti, topic) in topics.enumerated() {
            var score = 0.0
            var requiredMet = true
            for (gi, g) in topic.groups.enumerated() {
                let weights = order[ti].filter { $0.group == gi }.map { termWeight[ti][$0.term] * termWeights[ti][$0.term] }
                if weights.isEmpty {
                    if g.required { requiredMet = false }
                    continue
                }
                let hit = g.perTerm ? weights.sorted(by: >).prefix(g.maxCount).reduce(0, +) : weights.max()!
                score += g.weight * hit
            }
            var seen = Set<String>()
            let matched = order[ti].map(\.display).filter { seen.insert($0).inserted }
            let rounded = (score * 1000).rounded() / 1000
            results.append(.init(name: topic.name, score: max(0, rounded), matched: matched,
                                 assigned: requiredMet && score >= topic.threshold))
        }
        // Deference: a topic yields to another that applies unless its own anchor is in the title.
        for (ti, topic) in topics.enumerated() where results[ti].assigned && !topic.deferTo.isEmpty {
            let other = results.contains { topic.deferTo.contains($0.name) && $0.assigned }
            if other, !anchoredInTitle[ti] { results[ti].assigned = false }
        }
        return Classification(results: results)
    }
}
