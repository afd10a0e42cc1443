/// Classifies a title and summary against a set of topics (docs/classifier.md). Immutable after
/// construction and safe to share across tasks.
public final class Classifier: Sendable {
    public let topics: [TopicDefinition]
    private let matcher: PhraseMatcher
    /// What each phrase means: (topic, group or exclusion, term) — a phrase can serve several topics.
    private let roles: [[Role]]
    /// Each topic's concepts as group indices; `headline`: every group must be in the headline.
    private let concepts: [[Concept]]

    struct Concept: Sendable {
        var groups: [Int]
        var headline: Bool
    }
    /// Whether any topic reads the body (the summary past its lead); if none does, it is not tokenized.
    private let readsBody: Bool
    /// The most groups a topic has: the row length of the per-(topic, group) arrays of `Scratch`.
    private let groupStride: Int
    /// Where each topic's term indices start in one numbering of all terms (`Scratch.hitTerms`).
    private let termBase: [Int]
    /// Each matched entry as written in the topic file, for `matched` (a role's `display` indexes it).
    private let displays: [String]

    struct Hit {
        var topic: Int
        var group: Int
        var term: Int
        var weight: Double
        var inTitle: Bool
        /// Index into `displays`: hits carry no String, so building them retains nothing.
        var display: Int32
    }

    struct Role: Sendable {
        var topic: Int
        /// Index into the topic's groups, or -1 for an exclusion.
        var group: Int
        /// Topic-wide index of the term (for distinct counting and display).
        var term: Int
        var display: Int32
        /// The topic's weight for a match in the headline, the lead and the body, zero where the group's
        /// `field` does not look; and the term's own weight. Kept here so the hot loop reads no topic.
        var fieldWeights: (title: Double, lead: Double, body: Double) = (0, 0, 0)
        var termWeight: Double = 0
        var anchor = false
    }

    /// What scoring reads of a group. Copying a `TopicDefinition.Group` retains its name and three term
    /// lists, and scoring looked at every group of every topic with a hit, for every item.
    struct GroupRule: Sendable {
        var required: Bool
        var weight: Double
        var perTerm: Bool
        var maxCount: Int
        var minCount: Int
    }

    /// Each topic's group rules, in group order.
    private let groupRules: [[GroupRule]]

    struct GroupTotal {
        var count: Int32 = 0
        var titled: Int32 = 0
        var best = 0.0
        var sum = 0.0
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
        var termBase: [Int] = []
        var termTotal = 0
        var displays: [String] = []
        var displayIndex: [String: Int32] = [:]
        for (ti, topic) in enabled.enumerated() {
            var termIndex = 0
            defer {
                termBase.append(termTotal)
                termTotal += termIndex
            }
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
                    let display = displayIndex[text] ?? Int32(displays.count)
                    if display == Int32(displays.count) {
                        displays.append(text)
                        displayIndex[text] = display
                    }
                    var role = Role(topic: ti, group: group, term: termIndex, display: display)
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
        matcher.seal()
        self.topics = enabled
        self.matcher = matcher
        self.roles = roles
        self.concepts = enabled.map { t in
            func indices(_ names: [String]) -> [Int] { names.compactMap { n in t.groups.firstIndex { $0.name == n } } }
            return t.concepts.map { Concept(groups: indices($0), headline: false) }
                + t.headlineConcepts.map { Concept(groups: indices($0), headline: true) }
        }
        self.groupRules = enabled.map { t in
            t.groups.map {
                GroupRule(
                    required: $0.required, weight: $0.weight, perTerm: $0.perTerm, maxCount: $0.maxCount, minCount: $0.minCount)
            }
        }
        self.readsBody = enabled.contains { $0.bodyWeight > 0 }
        self.groupStride = max(1, enabled.map(\.groups.count).max() ?? 1)
        self.termBase = termBase
        self.displays = displays
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
        /// Each hit's term in one numbering of all topics' terms, in `hits` order: a compact array to find
        /// a term's hit in (a text has a few dozen hits at most).
        var hitTerms: [Int32] = []
        /// Per (topic, group): distinct entries matched, those in the headline, the best and the summed weight.
        var groups: [GroupTotal] = []
        /// The displays of a topic's hits, each once, in order.
        var shown: [Int32] = []
        /// Per topic: an anchor group matched in the headline.
        var anchoredInTitle: [Bool] = []
        /// Whether results say why a topic with matches does not apply (`TopicResult.shortfall`): for `eval`
        /// and tests; the daemon only needs the topics that apply and the reasons they do.
        public var explainsShortfalls: Bool

        public init(explainsShortfalls: Bool = false) { self.explainsShortfalls = explainsShortfalls }
    }

    public func classify(title: String?, summary: String?, explain: Bool = false) -> Classification {
        var scratch = Scratch(explainsShortfalls: explain)
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
        scratch.hitTerms.removeAll(keepingCapacity: true)
        let excluded = scratch.excluded
        scratch.anchoredInTitle.removeAll(keepingCapacity: true)
        scratch.anchoredInTitle.append(contentsOf: repeatElement(false, count: topics.count))
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
                if inTitle, r.anchor { scratch.anchoredInTitle[r.topic] = true }
                if roundup, inTitle {
                    let clause = scratch.clauseStarts.lastIndex { $0 <= m.start } ?? 0
                    scratch.clauseMasks[r.topic * groupStride + r.group] |= 1 << UInt64(min(clause, 63))
                }
                let w = fieldWeight * r.termWeight
                let term = Int32(termBase[r.topic] + r.term)
                if let k = scratch.hitTerms.firstIndex(of: term) {
                    scratch.hits[k].weight = max(scratch.hits[k].weight, w)
                    scratch.hits[k].inTitle = scratch.hits[k].inTitle || inTitle
                } else {
                    scratch.hitTerms.append(term)
                    scratch.hits.append(
                        Hit(
                            topic: r.topic, group: r.group, term: r.term, weight: w, inTitle: inTitle,
                            display: r.display))
                }
            }
        }
        // Per (topic, group) totals in one pass over the hits.
        let cells = topics.count * groupStride
        scratch.groups.removeAll(keepingCapacity: true)
        scratch.groups.append(contentsOf: repeatElement(GroupTotal(), count: cells))
        for h in scratch.hits {
            let c = h.topic * groupStride + h.group
            scratch.groups[c].count += 1
            if h.inTitle { scratch.groups[c].titled += 1 }
            scratch.groups[c].best = max(scratch.groups[c].best, h.weight)
            scratch.groups[c].sum += h.weight
        }
        var results: [Classification.TopicResult] = []
        results.reserveCapacity(topics.count)
        let hits = scratch.hits
        for ti in topics.indices {
            guard hits.contains(where: { $0.topic == ti }) else {
                results.append(
                    .init(name: topics[ti].name, score: 0, matched: [], assigned: false, threshold: topics[ti].threshold))
                continue
            }
            var score = 0.0
            var requiredMet = true
            // Per group: matched at all, matched within the title.
            scratch.matched.removeAll(keepingCapacity: true)
            scratch.inTitle.removeAll(keepingCapacity: true)
            let rules = groupRules[ti]
            for gi in rules.indices {
                let g = rules[gi]
                let c = ti * groupStride + gi
                let total = scratch.groups[c]
                let count = Int(total.count)
                scratch.matched.append(count > 0 && count >= g.minCount)
                scratch.inTitle.append(total.titled > 0 && Int(total.titled) >= g.minCount)
                guard count > 0, count >= g.minCount else {
                    if g.required { requiredMet = false }
                    continue
                }
                if !g.perTerm {
                    score += g.weight * total.best
                } else if count <= g.maxCount {
                    score += g.weight * total.sum
                } else {
                    // More entries than `max` (rare): the best ones count.
                    scratch.weights.removeAll(keepingCapacity: true)
                    for h in hits where h.topic == ti && h.group == gi { scratch.weights.append(h.weight) }
                    scratch.weights.sort(by: >)
                    score += g.weight * scratch.weights.prefix(g.maxCount).reduce(0, +)
                }
            }
            var concept: [String] = []
            var conceptMet = concepts[ti].isEmpty
            for c in concepts[ti] where !conceptMet {
                // The first group is the concept's subject: the headline must carry it (a headline concept:
                // all of them). A roundup headline lists several stories: the concept must be met within one.
                let g = c.groups
                let headlined = c.headline ? g.allSatisfy { scratch.inTitle[$0] } : scratch.inTitle[g[0]]
                if headlined, g.allSatisfy({ scratch.matched[$0] }),
                    !roundup || g.reduce(~UInt64(0), { $0 & scratch.clauseMasks[ti * groupStride + $1] }) != 0
                {
                    conceptMet = true
                    concept = g.map { topics[ti].groups[$0].name }
                }
            }
            scratch.shown.removeAll(keepingCapacity: true)
            for h in hits where h.topic == ti && !scratch.shown.contains(h.display) { scratch.shown.append(h.display) }
            let shown = scratch.shown.map { displays[Int($0)] }
            let rounded = max(0, (score * 1000).rounded() / 1000)
            let threshold = topics[ti].threshold
            var result = Classification.TopicResult(
                name: topics[ti].name, score: rounded, matched: shown,
                assigned: requiredMet && conceptMet && score >= threshold, concept: concept, threshold: threshold)
            if !result.assigned, scratch.explainsShortfalls {
                result.shortfall = Self.shortfall(
                    topics[ti], concepts: concepts[ti], matched: scratch.matched, inTitle: scratch.inTitle,
                    conceptMet: conceptMet, requiredMet: requiredMet, score: rounded)
            }
            results.append(result)
        }
        // Deference: a topic yields to another that applies unless its own anchor is in the title.
        for ti in topics.indices where results[ti].assigned && !topics[ti].deferTo.isEmpty {
            let deferTo = topics[ti].deferTo
            if let other = results.first(where: { deferTo.contains($0.name) && $0.assigned }), !scratch.anchoredInTitle[ti] {
                results[ti].assigned = false
                if scratch.explainsShortfalls {
                    results[ti].shortfall = "deferred to \(other.name): no anchor group in the headline"
                }
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
        var separators = 0
        var i = 0
        while i < title.count {
            if separatorWidth(title, i) > 0 { separators += 1 }
            i += 1
        }
        guard separators + 1 >= roundupClauses else {
            scratch.norm.tokenize(utf8: title)
            return
        }
        var start = 0
        i = 0
        while i <= title.count {
            let width = i < title.count ? separatorWidth(title, i) : 1
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

    /// The width of the clause separator at `i`, 0 when there is none: ", " (not the comma of 1,000), ";",
    /// "|" and the Arabic comma.
    @inline(__always)
    private static func separatorWidth(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = b[i]
        if c == 0x2C { return i + 1 < b.count && b[i + 1] == 0x20 ? 1 : 0 }
        if c == 0x3B || c == 0x7C { return 1 }
        if c == 0xD8 { return i + 1 < b.count && b[i + 1] == 0x8C ? 2 : 0 }
        return 0
    }

    /// Why a topic with matches does not apply, in the terms of its definition (docs/classifier.md).
    private static func shortfall(
        _ topic: TopicDefinition, concepts: [Concept], matched: [Bool], inTitle: [Bool], conceptMet: Bool,
        requiredMet: Bool, score: Double
    ) -> String {
        if !requiredMet, let g = topic.groups.indices.first(where: { topic.groups[$0].required && !matched[$0] }) {
            return "required group \(topic.groups[g].name) not matched; score \(score)"
        }
        if !conceptMet {
            // The nearest concept: the one with the fewest groups missing.
            let missing = concepts.map { c in
                c.groups.enumerated().compactMap { (k, g) -> String? in
                    if k == 0 || c.headline, !inTitle[g] {
                        return matched[g] ? "\(topic.groups[g].name) in the headline" : topic.groups[g].name
                    }
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
