public import FeedYAML

extension TopicDefinition {
    static let topicKeys: Set<String> = [
        "name", "description", "enabled", "threshold", "title_weight",
        "summary_weight", "body_weight", "groups", "concepts", "headline_concepts", "exclude", "defer_to", "replace",
    ]
    static let groupKeys: Set<String> = [
        "name", "required", "weight", "per_term", "max", "min", "in", "anchor",
        "terms", "names", "verbs",
    ]

    /// Reads the `topics:` list of a configuration or topics file. An entry named like one of `bases`
    /// (the built-in topics) changes only the keys it gives (`merging`); with `replace: true` it is the
    /// whole topic. Errors carry file, line and column.
    public static func list(from value: YAMLValue, bases: [TopicDefinition] = []) throws(ConfigError) -> [TopicDefinition] {
        var out: [TopicDefinition] = []
        var seen: [String: YAMLValue] = [:]
        for item in try value.sequence() {
            let name = try item.fields(allowed: Self.topicKeys)["name"]?.string()
            let topic = try TopicDefinition(yaml: item, base: bases.first { $0.name == name })
            if seen[topic.name] != nil { throw item.error("topic '\(topic.name)' is defined twice") }
            seen[topic.name] = item
            out.append(topic)
        }
        return out
    }

    /// A topic as written, or `base` with the keys written changed: scalars replace the built-in's,
    /// `groups` replace the built-in's groups of the same names and add the others, `concepts`,
    /// `headline_concepts`, `exclude` and `defer_to` replace the built-in's lists.
    public init(yaml: YAMLValue, base: TopicDefinition? = nil) throws(ConfigError) {
        let f = try yaml.fields(allowed: Self.topicKeys)
        guard let nameValue = f["name"] else { throw yaml.error("a topic needs a name") }
        let name = try nameValue.string()
        guard TopicDefinition.isValidName(name) else {
            throw nameValue.error("topic names use lower-case letters, digits, '-' and '_' (got '\(name)')")
        }
        let replace = try f["replace"]?.bool() ?? false
        let merging = replace ? nil : base
        var groups = merging?.groups ?? []
        if let g = f["groups"] {
            for item in try g.sequence() {
                let group = try Group(yaml: item)
                if let i = groups.firstIndex(where: { $0.name == group.name }) { groups[i] = group } else { groups.append(group) }
            }
        }
        let enabled = try f["enabled"]?.bool() ?? merging?.enabled ?? true
        if enabled, groups.isEmpty {
            throw yaml.error(
                "topic '\(name)' has no groups"
                    + (base != nil
                        ? " (with replace: true the entry is the whole topic: give its groups, or drop replace to change only some keys of the built-in)"
                        : ""))
        }
        if enabled, !groups.contains(where: { $0.weight > 0 }) {
            throw yaml.error("topic '\(name)' has no group with a positive weight, so it can never match")
        }
        let concepts = try f["concepts"].map { v throws(ConfigError) in try Self.concepts(v, topic: name, groups: groups) }
        let headlineConcepts = try f["headline_concepts"].map { v throws(ConfigError) in
            try Self.concepts(v, topic: name, groups: groups)
        }
        self.init(
            name: name,
            description: try f["description"]?.string() ?? merging?.description,
            enabled: enabled,
            threshold: try f["threshold"]?.double(in: 0...1000) ?? merging?.threshold ?? 3,
            titleWeight: try f["title_weight"]?.double(in: 0...100) ?? merging?.titleWeight ?? 1.5,
            summaryWeight: try f["summary_weight"]?.double(in: 0...100) ?? merging?.summaryWeight ?? 1,
            bodyWeight: try f["body_weight"]?.double(in: 0...100) ?? merging?.bodyWeight ?? 0,
            groups: groups,
            concepts: concepts ?? merging?.concepts ?? [],
            headlineConcepts: headlineConcepts ?? merging?.headlineConcepts ?? [],
            exclude: try f["exclude"]?.stringList() ?? merging?.exclude ?? [],
            deferTo: try f["defer_to"]?.stringList() ?? merging?.deferTo ?? [])
        if enabled, threshold > maxScore {
            let at = f["threshold"] ?? yaml
            throw at.error(
                "topic '\(name)' can never reach its threshold \(threshold): its highest possible score is \(maxScore) (every positive group at its best weight, in its best field)"
            )
        }
    }

    /// An upper bound of the score: every group with a positive weight matched at its heaviest entries
    /// (as many as `max` allows when each term counts), in the field that weighs most. A threshold above
    /// it can never be met.
    public var maxScore: Double {
        let field = max(titleWeight, summaryWeight, bodyWeight)
        var total = 0.0
        for g in groups where g.weight > 0 {
            let weights = (g.terms + g.names + g.verbs).map { max(0, $0.weight) }.sorted(by: >)
            let best = g.perTerm ? weights.prefix(g.maxCount).reduce(0, +) : (weights.first ?? 0)
            total += g.weight * best * field
        }
        return (total * 1000).rounded(.up) / 1000
    }

    /// A list of concepts: each a list of group names (or one name) of this topic, with positive weight.
    static func concepts(_ value: YAMLValue, topic name: String, groups: [Group]) throws(ConfigError) -> [[String]] {
        var concepts: [[String]] = []
        for item in try value.sequence() {
            let names = item.isSequence ? try item.stringList() : [try item.string()]
            if names.isEmpty { throw item.error("a concept needs at least one group name") }
            if let unknown = names.first(where: { n in !groups.contains { $0.name == n } }) {
                throw item.error("concept names group '\(unknown)', which topic '\(name)' does not have")
            }
            if let weak = names.first(where: { n in groups.contains { $0.name == n && $0.weight <= 0 } }) {
                throw item.error("concept group '\(weak)' has no positive weight, so it can never be evidence")
            }
            concepts.append(names)
        }
        return concepts
    }

    static func isValidName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64
            && s.unicodeScalars.allSatisfy {
                ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "-" || $0 == "_"
            }
    }
}

extension TopicDefinition.Group {
    init(yaml: YAMLValue) throws(ConfigError) {
        let f = try yaml.fields(allowed: TopicDefinition.groupKeys)
        guard let nameValue = f["name"] else { throw yaml.error("a group needs a name") }
        let terms = try f["terms"].map(Self.aliasLists) ?? []
        let names = try f["names"].map(Self.aliasLists) ?? []
        let verbs = try f["verbs"].map(Self.aliasLists) ?? []
        if terms.isEmpty, names.isEmpty, verbs.isEmpty {
            throw yaml.error("group '\(try nameValue.string())' has no terms, names or verbs")
        }
        var field = Field.any
        if let v = f["in"] {
            guard let parsed = Field(rawValue: try v.string()) else { throw v.error("expected any, title or summary") }
            field = parsed
        }
        self.init(
            name: try nameValue.string(),
            required: try f["required"]?.bool() ?? false,
            weight: try f["weight"]?.double(in: -100...100) ?? 1,
            perTerm: try f["per_term"]?.bool() ?? false,
            maxCount: try f["max"]?.int(in: 1...100) ?? 3,
            minCount: try f["min"]?.int(in: 1...100) ?? 1,
            field: field,
            anchor: try f["anchor"]?.bool() ?? false,
            terms: terms, names: names, verbs: verbs)
    }

    /// A list whose entries are a string, a list of aliases, or `{any: [aliases], weight: w}`.
    static func aliasLists(_ value: YAMLValue) throws(ConfigError) -> [Entry] {
        var out: [Entry] = []
        for item in try value.sequence() {
            var entry: Entry
            if item.isSequence {
                entry = Entry(try item.stringList())
            } else if item.isMapping {
                let f = try item.fields(allowed: ["any", "weight"])
                guard let any = f["any"] else { throw item.error("an entry needs 'any' (a name or a list of aliases)") }
                entry = Entry(
                    any.isSequence ? try any.stringList() : [try any.string()],
                    weight: try f["weight"]?.double(in: -100...100) ?? 1)
            } else {
                entry = Entry([try item.string()])
            }
            if entry.aliases.isEmpty { throw item.error("empty alias list") }
            if let bad = entry.aliases.first(where: { Normalizer.tokenCount($0) == 0 }) {
                throw item.error("'\(bad)' has no letters or digits to match")
            }
            out.append(entry)
        }
        return out
    }
}

extension Normalizer {
    static func tokenCount(_ s: String) -> Int {
        var n = Normalizer()
        n.tokenize(s)
        return n.tokens.count
    }
}
