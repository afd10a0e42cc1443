public import FeedYAML
import Foundation

/// Where topics come from: the built-in defaults (config/topics.yaml, compiled into the binary), plus
/// the `topics:` of the user's configuration, which override a default of the same name, disable one
/// (`enabled: false`) or add new ones.
public enum TopicCatalog: Sendable {
    /// The built-in topics. Parsing the embedded YAML cannot fail at run time: a test parses it.
    public static let defaults: [TopicDefinition] = {
        do {
            guard let root = try YAMLValue.parse(DefaultTopicsYAML.text, file: "<built-in topics>") else { return [] }
            for (key, value) in try root.mapping() where key == "topics" { return try TopicDefinition.list(from: value) }
            return []
        } catch {
            fatalError("built-in topics are invalid: \(error)")
        }
    }()

    /// The `topics` list of a YAML document (a topics file or a whole configuration).
    public static func topics(in root: YAMLValue) throws(ConfigError) -> [TopicDefinition] {
        for (key, value) in try root.mapping() where key == "topics" {
            return try TopicDefinition.list(from: value, bases: defaults)
        }
        return []
    }

    /// Defaults merged with `overrides`, in default order, new topics last.
    public static func merged(_ overrides: [TopicDefinition]) -> [TopicDefinition] {
        var out = defaults
        for t in overrides {
            if let i = out.firstIndex(where: { $0.name == t.name }) { out[i] = t } else { out.append(t) }
        }
        return out.filter(\.enabled)
    }

    /// Topics for `classify` and `eval`: the defaults, merged with the `topics:` of the configuration file
    /// at `path` when one is given or found (design.md's lookup order), else the defaults alone.
    public static func load(configPath: String?) throws(ConfigError) -> [TopicDefinition] {
        let path = configPath ?? ConfigFile.lookup(option: nil)
        guard let path else { return defaults }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(
                file: path, line: 0, column: 0, message: "cannot read the configuration: \(error.localizedDescription)")
        }
        guard let root = try YAMLValue.parse(text, file: path) else { return defaults }
        return merged(try topics(in: root))
    }
}
