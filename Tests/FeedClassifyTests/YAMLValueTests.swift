import FeedYAML
import Testing

/// YAMLValue composes without Yams's tag resolution and types a scalar only when it is read; these
/// are the readings the configuration relies on.
@Suite("YAMLValue typed reads")
struct YAMLValueTests {
    func fields(_ yaml: String) throws -> [String: YAMLValue] {
        try #require(try YAMLValue.parse(yaml, file: "t.yaml")).fields(allowed: ["a", "b", "c", "d", "e", "f"])
    }

    @Test func plainScalarsAreTyped() throws {
        let f = try fields("a: true\nb: Off\nc: 0x10\nd: 1.5e3\ne: 12\nf: -3")
        #expect(try f["a"]?.bool() == true)
        #expect(try f["b"]?.bool() == false)
        #expect(try f["c"]?.int() == 16)
        #expect(try f["d"]?.double() == 1500)
        #expect(try f["e"]?.int() == 12)
        #expect(try f["e"]?.double() == 12)
        #expect(try f["f"]?.int() == -3)
        #expect(try f["e"]?.string() == "12")
    }

    @Test func quotedScalarsStayStrings() throws {
        let f = try fields("a: \"true\"\nb: '12'\nc: maybe\nd: tRuE")
        #expect(throws: ConfigError.self) { try f["a"]?.bool() }
        #expect(throws: ConfigError.self) { try f["b"]?.int() }
        #expect(throws: ConfigError.self) { try f["c"]?.bool() }
        #expect(try f["d"]?.bool() == true)  // Yams reads a plain boolean in any case
        #expect(try f["a"]?.string() == "true")
        #expect(try f["b"]?.string() == "12")
    }

    @Test func duplicateKeysAreRefusedWithTheirLine() throws {
        #expect(throws: ConfigError.self) { try YAMLValue.parse("a: 1\nb: 2\na: 3\n", file: "t.yaml") }
        #expect(throws: ConfigError.self) { try YAMLValue.parse("feeds:\n  - url: x\n    url: y\n", file: "t.yaml") }
    }

    @Test func messagesNameThePath() throws {
        let root = try #require(try YAMLValue.parse("topics:\n  - groups:\n      - weight: heavy\n", file: "t.yaml"))
        let topics = try root.fields(allowed: ["topics"])["topics"]
        let group = try #require(try topics?.sequence().first?.fields(allowed: ["groups"])["groups"]?.sequence().first)
        let weight = try #require(try group.fields(allowed: ["weight"])["weight"])
        #expect(weight.path == "topics[0].groups[0].weight")
        do {
            _ = try weight.double()
            Issue.record("a word read as a number")
        } catch {
            #expect(error.description.contains("t.yaml:3:"), "\(error)")
            #expect(error.description.contains("topics[0].groups[0].weight: expected a number"), "\(error)")
        }
    }
}
