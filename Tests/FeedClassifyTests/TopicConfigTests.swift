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
                == "test.yaml:3:5: unknown key 'colour' in topics[0] (expected one of: body_weight, concepts, defer_to, description, enabled, exclude, groups, headline_concepts, name, summary_weight, threshold, title_weight)"
        )
        #expect(
            error("topics:\n  - name: x\n    threshold: high\n    groups: [{name: g, terms: [a]}]\n")
                == "test.yaml:3:16: topics[0].threshold: expected a number")
        #expect(
            error("topics:\n  - name: Bad Name\n    groups: [{name: g, terms: [a]}]\n")
                == "test.yaml:2:11: topics[0].name: topic names use lower-case letters, digits and '-' (got 'Bad Name')")
        #expect(error("topics:\n  - name: x\n    groups: [{name: g}]\n")?.hasPrefix("test.yaml:3:14: ") == true)
        #expect(
            error("topics:\n  - name: x\n    concepts: [[g, h]]\n    groups: [{name: g, terms: [a]}]\n")
                == "test.yaml:3:16: topics[0].concepts[0]: concept names group 'h', which topic 'x' does not have")
        #expect(
            error(
                "topics:\n  - name: x\n    groups: [{name: g, terms: [a]}]\n  - name: x\n    groups: [{name: g, terms: [b]}]\n")?
                .contains("defined twice") == true)
        #expect(error("topics: [\n")?.hasPrefix("test.yaml:2:1: YAML syntax") == true)
        #expect(
            error("topics:\n  - name: x\n    groups: [{name: g, weight: -1, terms: [a]}]\n")?
                .contains("positive weight") == true)
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
                threshold: 100
                groups: [{name: g, terms: [gold]}]
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
