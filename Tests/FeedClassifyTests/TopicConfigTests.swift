import FeedTestSupport
import FeedYAML
import Foundation
import Testing

@testable import FeedClassify

@Suite("Topic definitions in YAML")
struct TopicConfigTests {
    func load(_ yaml: String) throws(ConfigError) -> [TopicDefinition] {
        guard let root = try YAMLValue.parse(yaml, file: "test.yaml") else { return [] }
        return try TopicCatalog.topics(in: root)
    }

    func error(_ yaml: String) -> String? {
        do {
            _ = try load(yaml)
            return nil
        } catch { return error.description }
    }

    @Test func embeddedDefaultsMatchTheFile() throws {
        let file = try String(contentsOfFile: TestPaths.repoRoot + "/config/topics.yaml", encoding: .utf8)
        #expect(
            DefaultTopicsYAML.text + "\n" == file || DefaultTopicsYAML.text == file,
            "run scripts/embed-topics.sh after editing config/topics.yaml")
        #expect(TopicCatalog.defaults.map(\.name) == ["ai-partnerships", "markets", "gold-prices"])
    }

    @Test("errors name file, line and column")
    func errorsHavePositions() {
        #expect(
            error("topics:\n  - name: x\n    colour: red\n    groups: [{name: g, terms: [a]}]\n")
                == "test.yaml:3:5: unknown key 'colour' in topics[0] (expected one of: body_weight, concepts, defer_to, description, enabled, exclude, groups, headline_concepts, name, replace, summary_weight, threshold, title_weight)"
        )
        #expect(
            error("topics:\n  - name: x\n    threshold: high\n    groups: [{name: g, terms: [a]}]\n")
                == "test.yaml:3:16: topics[0].threshold: expected a number")
        #expect(
            error("topics:\n  - name: Bad Name\n    groups: [{name: g, terms: [a]}]\n")
                == "test.yaml:2:11: topics[0].name: topic names use lower-case letters, digits, '-' and '_' (got 'Bad Name')")
        #expect(error("topics:\n  - name: x\n    groups: [{name: g}]\n")?.hasPrefix("test.yaml:3:14: ") == true)
        #expect(
            error("topics:\n  - name: x\n    concepts: [[g, h]]\n    groups: [{name: g, terms: [a]}]\n")
                == "test.yaml:3:16: topics[0].concepts[0]: concept names group 'h', which topic 'x' does not have")
        #expect(
            error(
                "topics:\n  - name: x\n    threshold: 1\n    groups: [{name: g, terms: [a]}]\n  - name: x\n    threshold: 1\n    groups: [{name: g, terms: [b]}]\n"
            )?
            .contains("defined twice") == true)
        #expect(error("topics: [\n")?.hasPrefix("test.yaml:2:1: YAML syntax") == true)
        #expect(
            error("topics:\n  - name: x\n    groups: [{name: g, weight: -1, terms: [a]}]\n")?
                .contains("positive weight") == true)
    }

    @Test("an entry named like a built-in changes only the keys it gives; replace: true makes it the whole topic")
    func overridesMerge() throws {
        let builtIn = try #require(TopicCatalog.defaults.first { $0.name == "markets" })
        let merged = try #require(try load("topics:\n  - {name: markets, threshold: 4}\n").first)
        #expect(merged.threshold == 4)
        #expect(merged.groups == builtIn.groups && merged.concepts == builtIn.concepts && merged.exclude == builtIn.exclude)
        // A group of the same name replaces the built-in's; another is added.
        let grown = try #require(
            try load("topics:\n  - name: markets\n    groups: [{name: extra-index, terms: [Tadawul]}]\n").first)
        #expect(grown.groups.count == builtIn.groups.count + 1 && grown.groups.last?.name == "extra-index")
        #expect(grown.threshold == builtIn.threshold)
        #expect(
            error("topics:\n  - {name: markets, replace: true, threshold: 4}\n")?
                .contains("topic 'markets' has no groups (with replace: true the entry is the whole topic") == true)
        let replaced = try #require(
            try load("topics:\n  - {name: markets, replace: true, threshold: 1, groups: [{name: g, terms: [Nikkei]}]}\n").first)
        #expect(replaced.groups.map(\.name) == ["g"] && replaced.concepts.isEmpty)
        // A topic of one's own still needs groups.
        #expect(error("topics:\n  - {name: mine, threshold: 2}\n")?.hasSuffix("topic 'mine' has no groups") == true)
    }

    @Test("a threshold above the highest score a topic can reach is an error at the threshold")
    func unreachableThreshold() {
        #expect(
            error("topics:\n  - name: x\n    threshold: 300\n    groups: [{name: g, weight: 2, terms: [a, b]}]\n")
                == "test.yaml:3:16: topics[0].threshold: topic 'x' can never reach its threshold 300.0: its highest possible score is 3.0 (every positive group at its best weight, in its best field)"
        )
        #expect(error("topics:\n  - name: x\n    threshold: 3\n    groups: [{name: g, weight: 2, terms: [a, b]}]\n") == nil)
        #expect(error("topics:\n  - {name: markets, threshold: 300}\n")?.contains("can never reach its threshold 300.0") == true)
        // Every built-in topic can reach its own threshold.
        for t in TopicCatalog.defaults { #expect(t.threshold <= t.maxScore, "\(t.name)") }
    }

    @Test("an alias bomb is refused, not expanded")
    func aliasBomb() {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var prev = "a"
        for i in 0..<8 {
            let name = "b\(i)"
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(prev)", count: 10).joined(separator: ", ") + "]\n"
            prev = name
        }
        #expect(error(yaml)?.contains("more than") == true)
    }

    @Test("user topics override, disable and extend the defaults")
    func merging() throws {
        let user = try load(
            """
            topics:
              - name: markets
                enabled: false
              - name: gold-prices
                replace: true
                threshold: 1
                groups: [{name: g, terms: [bullion]}]
              - name: football
                threshold: 1
                groups:
                  - {name: club, required: true, names: [[Al Ahly, الأهلي]], weight: 1}
            """)
        let merged = TopicCatalog.merged(user)
        #expect(merged.map(\.name) == ["ai-partnerships", "gold-prices", "football"])
        let c = Classifier(topics: merged)
        #expect(c.classify(title: "Gold prices rise", summary: nil).topics == [])
        #expect(c.classify(title: "الأهلي يفوز بالدوري", summary: nil).topics == ["football"])
    }
}
