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
    /// Each topic's concepts as group indices.
    private let concepts: [[[Int]]]
    /// Whether any topic reads the body (the summary past its lead); if none does, it is not tokenized.
    private let readsBody: Bool

    struct Hit {
        var topic: Int
        var group: Int
        var term: Int
        var weight: Double
        var inTitle: Bool
        var display: String
    }

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
        self.concepts = enabled.map { t in
            t.concepts.map { names in names.compactMap { n in t.groups.firstIndex { $0.name == n } } }
        }
        self.readsBody = enabled.contains { $0.bodyWeight > 0 }
    }

    public func classify(title: String?, summary: String?) -> Classification {
        var norm = Normalizer()
        var titleEnd = 0
        var leadEnd = 0
        TextUnits.withUnits(title: title, summary: summary) { units in
            norm.tokenize(utf8: units.title)
            titleEnd = norm.tokens.count
            norm.tokenize(utf8: units.lead)
            leadEnd = norm.tokens.count
            if readsBody { norm.tokenize(utf8: units.body) }
        }
        var found: [PhraseMatcher.Match] = []
        // Each unit on its own, so no phrase spans the headline and the summary.
        matcher.matches(norm.scalars, norm.tokens, 0..<titleEnd, into: &found)
        matcher.matches(norm.scalars, norm.tokens, titleEnd..<leadEnd, into: &found)
        matcher.matches(norm.scalars, norm.tokens, leadEnd..<norm.tokens.count, into: &found)

        // Exclusion spans per topic (rare: a few per text at most).
        var excluded: [(topic: Int, span: Range<Int>)] = []
        for m in found {
            for r in roles[Int(m.phrase)] where r.group < 0 { excluded.append((r.topic, m.start..<m.end)) }
        }
        // Hits: one per (topic, term), keeping the best field weight, in order of first appearance.
        var hits: [Hit] = []
        var anchoredInTitle = Array(repeating: false, count: topics.count)
        for m in found {
            let inTitle = m.start < titleEnd
            let inLead = !inTitle && m.start < leadEnd
            for r in roles[Int(m.phrase)] where r.group >= 0 {
                if excluded.contains(where: { $0.topic == r.topic && $0.span.overlaps(m.start..<m.end) }) { continue }
                let t = topics[r.topic]
                let g = t.groups[r.group]
                switch g.field {
                case .title where !inTitle, .summary where inTitle: continue
                default: break
                }
                let fieldWeight = inTitle ? t.titleWeight : inLead ? t.summaryWeight : t.bodyWeight
                guard fieldWeight > 0 else { continue }
                if inTitle, g.anchor { anchoredInTitle[r.topic] = true }
                let w = fieldWeight * termWeights[r.topic][r.term]
                if let k = hits.firstIndex(where: { $0.topic == r.topic && $0.term == r.term }) {
                    hits[k].weight = max(hits[k].weight, w)
                    hits[k].inTitle = hits[k].inTitle || inTitle
                } else {
                    hits.append(Hit(topic: r.topic, group: r.group, term: r.term, weight: w, inTitle: inTitle,
                                    display: r.display))
                }
            }
        }
        var results: [Classification.TopicResult] = []
        results.reserveCapacity(topics.count)
        // Scratch space reused across topics and groups: no allocation per group on the hot path.
        var weights: [Double] = []
        var matched: [Bool] = []
        var inTitle: [Bool] = []
        for (ti, topic) in topics.enumerated() {
            guard hits.contains(where: { $0.topic == ti }) else {
                results.append(.init(name: topic.name, score: 0, matched: [], assigned: false, threshold: topic.threshold))
                continue
            }
            var score = 0.0
            var requiredMet = true
            // Per group: matched at all, matched within the title.
            matched.removeAll(keepingCapacity: true)
            inTitle.removeAll(keepingCapacity: true)
            for (gi, g) in topic.groups.enumerated() {
                weights.removeAll(keepingCapacity: true)
                var titled = 0
                for h in hits where h.topic == ti && h.group == gi {
                    weights.append(h.weight)
                    if h.inTitle { titled += 1 }
                }
                matched.append(weights.count >= g.minCount)
                inTitle.append(titled >= g.minCount)
                guard weights.count >= g.minCount else {
                    if g.required { requiredMet = false }
                    continue
                }
                if g.perTerm {
                    weights.sort(by: >)
                    score += g.weight * weights.prefix(g.maxCount).reduce(0, +)
                } else {
                    score += g.weight * weights.max()!
                }
            }
            var concept: [String] = []
            var conceptMet = concepts[ti].isEmpty
            for c in concepts[ti] where !conceptMet {
                // The first group is the concept's subject: the headline must carry it.
                if inTitle[c[0]], c.allSatisfy({ matched[$0] }) {
                    conceptMet = true
                    concept = c.map { topic.groups[$0].name }
                }
            }
            var shown: [String] = []
            for h in hits where h.topic == ti && !shown.contains(h.display) { shown.append(h.display) }
            let rounded = (score * 1000).rounded() / 1000
            results.append(.init(name: topic.name, score: max(0, rounded), matched: shown,
                                 assigned: requiredMet && conceptMet && score >= topic.threshold, concept: concept,
                                 threshold: topic.threshold))
        }
        // Deference: a topic yields to another that applies unless its own anchor is in the title.
        for (ti, topic) in topics.enumerated() where results[ti].assigned && !topic.deferTo.isEmpty {
            let other = results.contains { topic.deferTo.contains($0.name) && $0.assigned }
            if other, !anchoredInTitle[ti] { results[ti].assigned = false }
        }
        return Classification(results: results)
    }
}
