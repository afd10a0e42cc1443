/// Classifies a title and summary against a set of topics (docs/classifier.md). Immutable after
/// construction and safe to share across tasks.
public final class Classifier: Sendable {
    public let topics: [TopicDefinition]
    private let matcher: PhraseMatcher
    /// What each phrase means: (topic, group or exclusion, term) — a phrase can serve several topics.
    private let roles: [[Role]]
    /// Each topic's concepts as group indices.
    private let concepts: [[[Int]]]
    /// Whether any topic reads the body (the summary past its lead); if none does, it is not tokenized.
    private let readsBody: Bool
    /// The most groups a topic has: the row length of `Scratch.clauseMasks`.
    private let groupStride: Int

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
        /// The topic's weight for a match in the headline, the lead and the body, zero where the group's
        /// `field` does not look; and the term's own weight. Kept here so the hot loop reads no topic.
        var fieldWeights: (title: Double, lead: Double, body: Double) = (0, 0, 0)
        var termWeight: Double = 0
        var anchor = false
    }

    /// An exclusion phrase met in the text: it cancels the topic's matches that overlap it.
    struct Exclusion {
        var topic: Int
        var span: Range<Int>
    }

    public init(topics: [TopicDefinition]) {
        let enabled = topics.filter(\.enabled)
        var matcher = PhraseMatcher()
        var roles: [[Role]] = []
        var norm = Normalizer()
        for (ti, topic) in enabled.enumerated() {
            var termIndex = 0
            // Several spellings can reduce to one phrase (stock/stocks): keep the first per group.
            var seen = Set<[UInt64]>()
            func add(_ entry: TopicDefinition.Group.Entry, form: TokenKeys.Form, group: Int) {
                for text in entry.aliases {
                    norm.reset()
                    norm.tokenize(text)
                    guard !norm.tokens.isEmpty else { continue }
                    let keys = norm.tokens.map { TokenKeys.vocabularyKey(norm.scalars, $0, form: form) }
                    guard seen.insert(keys + [UInt64(bitPattern: Int64(group))]).inserted else { continue }
                    let phrase = Int(matcher.add(keys))
                    if roles.count <= phrase { roles.append(contentsOf: Array(repeating: [], count: phrase - roles.count + 1)) }
                    var role = Role(topic: ti, group: group, term: termIndex, display: text)
                    if group >= 0 {
                        let g = topic.groups[group]
                        role.fieldWeights = (
                            g.field == .summary ? 0 : topic.titleWeight,
                            g.field == .title ? 0 : topic.summaryWeight,
                            g.field == .title ? 0 : topic.bodyWeight
                        )
                        role.termWeight = entry.weight
                        role.anchor = g.anchor
                    }
                    roles[phrase].append(role)
                }
                termIndex += 1  // aliases of one thing count once
            }
            for (gi, g) in topic.groups.enumerated() {
                for t in g.terms { add(t, form: .stem, group: gi) }
                for n in g.names { add(n, form: .surface, group: gi) }
                for v in g.verbs { add(v, form: .verb, group: gi) }
                if !g.verbs.isEmpty { matcher.hasVerbs = true }
            }
            for e in topic.exclude { add(.init([e]), form: .stem, group: -1) }
        }
        self.topics = enabled
        self.matcher = matcher
        self.roles = roles
        self.concepts = enabled.map { t in
            t.concepts.map { names in names.compactMap { n in t.groups.firstIndex { $0.name == n } } }
        }
        self.readsBody = enabled.contains { $0.bodyWeight > 0 }
        self.groupStride = max(1, enabled.map(\.groups.count).max() ?? 1)
    }

    /// Working memory of `classify`: reused across calls (one per task), a classification allocates
    /// little more than its result.
    public struct Scratch: Sendable {
        var norm = Normalizer()
        var matcher = PhraseMatcher.Scratch()
        var found: [PhraseMatcher.Match] = []
        var excluded: [Exclusion] = []
        var hits: [Hit] = []
        var weights: [Double] = []
        var matched: [Bool] = []
        var inTitle: [Bool] = []
        /// Token index where each clause of a roundup headline starts (empty for an ordinary headline).
        var clauseStarts: [Int] = []
        /// Per (topic, group): bit k set when the group matched in clause k of a roundup headline.
        var clauseMasks: [UInt64] = []

        public init() {}
    }

    public func classify(title: String?, summary: String?) -> Classification {
        var scratch = Scratch()
        return classify(title: title, summary: summary, scratch: &scratch)
    }

    public func classify(title: String?, summary: String?, scratch: inout Scratch) -> Classification {
        scratch.norm.reset()
        var titleEnd = 0
        var leadEnd = 0
        TextUnits.withUnits(title: title, summary: summary) { units in
            Self.tokenizeHeadline(units.title, scratch: &scratch)
            titleEnd = scratch.norm.tokens.count
            scratch.norm.tokenize(utf8: units.lead)
            leadEnd = scratch.norm.tokens.count
            if readsBody { scratch.norm.tokenize(utf8: units.body) }
        }
        scratch.found.removeAll(keepingCapacity: true)
        // Each unit on its own, so no phrase spans the headline and the summary.
        let (scalars, tokens) = (scratch.norm.scalars, scratch.norm.tokens)
        matcher.matches(scalars, tokens, 0..<titleEnd, into: &scratch.found, scratch: &scratch.matcher)
        matcher.matches(scalars, tokens, titleEnd..<leadEnd, into: &scratch.found, scratch: &scratch.matcher)
        matcher.matches(scalars, tokens, leadEnd..<tokens.count, into: &scratch.found, scratch: &scratch.matcher)
        let found = scratch.found

        // Exclusion spans per topic (rare: a few per text at most).
        scratch.excluded.removeAll(keepingCapacity: true)
        for m in found {
            for r in roles[Int(m.phrase)] where r.group < 0 {
                scratch.excluded.append(Exclusion(topic: r.topic, span: m.start..<m.end))
            }
        }
        // Hits: one per (topic, term), keeping the best field weight, in order of first appearance.
        scratch.hits.removeAll(keepingCapacity: true)
        let excluded = scratch.excluded
        var anchoredInTitle = Array(repeating: false, count: topics.count)
        let roundup = !scratch.clauseStarts.isEmpty
        if roundup {
            scratch.clauseMasks.removeAll(keepingCapacity: true)
            scratch.clauseMasks.append(contentsOf: repeatElement(0, count: topics.count * groupStride))
        }
        for m in found {
            let inTitle = m.start < titleEnd
            let inLead = !inTitle && m.start < leadEnd
            for r in roles[Int(m.phrase)] where r.group >= 0 {
                if excluded.contains(where: { $0.topic == r.topic && $0.span.overlaps(m.start..<m.end) }) { continue }
                let fieldWeight = inTitle ? r.fieldWeights.title : inLead ? r.fieldWeights.lead : r.fieldWeights.body
                guard fieldWeight > 0 else { continue }
                if inTitle, r.anchor { anchoredInTitle[r.topic] = true }
                if roundup, inTitle {
                    let clause = scratch.clauseStarts.lastIndex { $0 <= m.start } ?? 0
                    scratch.clauseMasks[r.topic * groupStride + r.group] |= 1 << UInt64(min(clause, 63))
                }
                let w = fieldWeight * r.termWeight
                if let k = scratch.hits.firstIndex(where: { $0.topic == r.topic && $0.term == r.term }) {
                    scratch.hits[k].weight = max(scratch.hits[k].weight, w)
                    scratch.hits[k].inTitle = scratch.hits[k].inTitle || inTitle
                } else {
                    scratch.hits.append(
                        Hit(
                            topic: r.topic, group: r.group, term: r.term, weight: w, inTitle: inTitle,
                            display: r.display))
                }
            }
        }
        var results: [Classification.TopicResult] = []
        results.reserveCapacity(topics.count)
        let hits = scratch.hits
        for (ti, topic) in topics.enumerated() {
            guard hits.contains(where: { $0.topic == ti }) else {
                results.append(.init(name: topic.name, score: 0, matched: [], assigned: false, threshold: topic.threshold))
                continue
            }
            var score = 0.0
            var requiredMet = true
            // Per group: matched at all, matched within the title.
            scratch.matched.removeAll(keepingCapacity: true)
            scratch.inTitle.removeAll(keepingCapacity: true)
            for (gi, g) in topic.groups.enumerated() {
                scratch.weights.removeAll(keepingCapacity: true)
                var titled = 0
                for h in hits where h.topic == ti && h.group == gi {
                    scratch.weights.append(h.weight)
                    if h.inTitle { titled += 1 }
                }
                scratch.matched.append(scratch.weights.count >= g.minCount)
                scratch.inTitle.append(titled >= g.minCount)
                guard scratch.weights.count >= g.minCount else {
                    if g.required { requiredMet = false }
                    continue
                }
                if g.perTerm {
                    scratch.weights.sort(by: >)
                    score += g.weight * scratch.weights.prefix(g.maxCount).reduce(0, +)
                } else {
                    score += g.weight * scratch.weights.max()!
                }
            }
            var concept: [String] = []
            var conceptMet = concepts[ti].isEmpty
            for c in concepts[ti] where !conceptMet {
                // The first group is the concept's subject: the headline must carry it.
                // A roundup headline lists several stories: the concept must be met within one of them.
                if scratch.inTitle[c[0]], c.allSatisfy({ scratch.matched[$0] }),
                    !roundup || c.reduce(~UInt64(0), { $0 & scratch.clauseMasks[ti * groupStride + $1] }) != 0
                {
                    conceptMet = true
                    concept = c.map { topic.groups[$0].name }
                }
            }
            var shown: [String] = []
            for h in hits where h.topic == ti && !shown.contains(h.display) { shown.append(h.display) }
            let rounded = max(0, (score * 1000).rounded() / 1000)
            var result = Classification.TopicResult(
                name: topic.name, score: rounded, matched: shown,
                assigned: requiredMet && conceptMet && score >= topic.threshold, concept: concept,
                threshold: topic.threshold)
            if !result.assigned {
                result.shortfall = Self.shortfall(
                    topic, concepts: concepts[ti], matched: scratch.matched, inTitle: scratch.inTitle,
                    conceptMet: conceptMet, requiredMet: requiredMet, score: rounded)
            }
            results.append(result)
        }
        // Deference: a topic yields to another that applies unless its own anchor is in the title.
        for (ti, topic) in topics.enumerated() where results[ti].assigned && !topic.deferTo.isEmpty {
            if let other = results.first(where: { topic.deferTo.contains($0.name) && $0.assigned }), !anchoredInTitle[ti] {
                results[ti].assigned = false
                results[ti].shortfall = "deferred to \(other.name): no anchor group in the headline"
            }
        }
        return Classification(results: results)
    }

    /// Clauses a headline needs to read as a roundup of several stories ("Claude Levels Up, Qwen3
    /// Proliferates, Big AI Diversifies Product Lines, LoRA Adapters on Tap"), where a lab named in one
    /// clause and a deal word in another are not one story.
    static let roundupClauses = 4

    /// Tokenizes the headline; a roundup's clauses (split at ", " ; | and the Arabic comma) are recorded in
    /// `clauseStarts`, so concepts can be checked clause by clause.
    private static func tokenizeHeadline(_ title: UnsafeBufferPointer<UInt8>, scratch: inout Scratch) {
        scratch.clauseStarts.removeAll(keepingCapacity: true)
        func separator(at i: Int) -> Int {  // the separator's width, 0 when none
            switch title[i] {
            case 0x2C: return i + 1 < title.count && title[i + 1] == 0x20 ? 1 : 0  // ", " (not 1,000)
            case 0x3B, 0x7C: return 1
            case 0xD8: return i + 1 < title.count && title[i + 1] == 0x8C ? 2 : 0  // ،
            default: return 0
            }
        }
        var separators = 0
        for i in title.indices where separator(at: i) > 0 { separators += 1 }
        guard separators + 1 >= roundupClauses else {
            scratch.norm.tokenize(utf8: title)
            return
        }
        var start = 0
        var i = 0
        while i <= title.count {
            let width = i < title.count ? separator(at: i) : 1
            if width > 0 {
                scratch.clauseStarts.append(scratch.norm.tokens.count)
                scratch.norm.tokenize(utf8: UnsafeBufferPointer(rebasing: title[start..<i]))
                start = min(i + width, title.count)
                i += width
            } else {
                i += 1
            }
        }
    }

    /// Why a topic with matches does not apply, in the terms of its definition (docs/classifier.md).
    private static func shortfall(
        _ topic: TopicDefinition, concepts: [[Int]], matched: [Bool], inTitle: [Bool], conceptMet: Bool,
        requiredMet: Bool, score: Double
    ) -> String {
        if !requiredMet, let g = topic.groups.indices.first(where: { topic.groups[$0].required && !matched[$0] }) {
            return "required group \(topic.groups[g].name) not matched; score \(score)"
        }
        if !conceptMet {
            // The nearest concept: the one with the fewest groups missing.
            let missing = concepts.map { c in
                c.enumerated().compactMap { (k, g) -> String? in
                    if k == 0, !inTitle[g] { return matched[g] ? "\(topic.groups[g].name) in the headline" : topic.groups[g].name }
                    return matched[g] ? nil : topic.groups[g].name
                }
            }
            if let best = missing.min(by: { $0.count < $1.count }) {
                return "no concept met (nearest lacks \(best.joined(separator: ", "))); score \(score)"
            }
        }
        return "score \(score) < \(topic.threshold)"
    }
}
