public import FeedYAML

extension TopicDefinition {
    static let topicKeys: Set<String> = [
        "name", "description", "enabled", "threshold", "title_weight",
        "summary_weight", "body_weight", "groups", "concepts", "headline_concepts", "exclude", "defer_to",
    ]
    static let groupKeys: Set<String> = [
        "name", "required", "weight", "per_term", "max", "min", "in", "anchor",
        "terms", "names", "verbs",
    ]

    /// Reads the `topics:` list of a configuration or topics file. Errors carry file, line and column.
    public static func list(from value: YAMLValue) throws(ConfigError) -> [TopicDefinition] {
        var out: [TopicDefinition] = []
        var seen: [String: YAMLValue] = [:]
        for item in try value.sequence() {
            let topic = try TopicDefinition(yaml: item)
            if seen[topic.name] != nil { throw item.error("topic '\(topic.name)' is defined twice") }
            seen[topic.name] = item
            out.append(topic)
        }
        return out
    }

    public init(yaml: YAMLValue) throws(ConfigError) {
        let f = try yaml.fields(allowed: Self.topicKeys)
        guard let nameValue = f["name"] else { throw yaml.error("a topic needs a name") }
        let name = try nameValue.string()
        guard TopicDefinition.isValidName(name) else {
            throw nameValue.error("topic names use lower-case letters, digits and '-' (got '\(name)')")
        }
        var groups: [Group] = []
        if let g = f["groups"] {
            for item in try g.sequence() { groups.append(try Group(yaml: item)) }
        }
        let enabled = try f["enabled"]?.bool() ?? true
        if enabled, groups.isEmpty { throw yaml.error("topic '\(name)' has no groups") }
        if enabled, !groups.contains(where: { $0.weight > 0 }) {
            throw yaml.error("topic '\(name)' has no group with a positive weight, so it can never match")
        }
        let concepts = try f["concepts"].map { v throws(ConfigError) in try Self.concepts(v, topic: name, groups: groups) }
        let headlineConcepts = try f["headline_concepts"].map { v throws(ConfigError) in
            try Self.concepts(v, topic: name, groups: groups)
        }
        self.init(
            name: name,
            description: try f["description"]?.string(),
            enabled: enabled,
            threshold: try f["threshold"]?.double(in: 0...1000) ?? 3,
            titleWeight: try f["title_weight"]?.double(in: 0...100) ?? 1.5,
            summaryWeight: try f["summary_weight"]?.double(in: 0...100) ?? 1,
            bodyWeight: try f["body_weight"]?.double(in: 0...100) ?? 0,
            groups: groups,
            concepts: concepts ?? [],
            headlineConcepts: headlineConcepts ?? [],
            exclude: try f["exclude"]?.stringList() ?? [],
            deferTo: try f["defer_to"]?.stringList() ?? [])
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
