public import Yams

/// A YAML node that knows where it came from, with typed accessors whose errors carry file, line and
/// column. Documents are bounded in bytes and in nodes, so an alias bomb (reliability.md BI-34), which
/// Yams would expand by reference, is refused instead of walked.
public struct YAMLValue {
    public let node: Node
    public let file: String
    /// Dotted path for messages (`topics[2].groups[0].weight`), spelled out only when a message needs it:
    /// a configuration of 10,000 feeds made 20,000 path strings that no message used.
    public var path: String { steps.text }
    private let steps: YAMLPath

    public static let maxBytes = 4 * 1024 * 1024

    /// Parses one YAML document. An empty document gives nil.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> YAMLValue? {
        guard text.utf8.count <= maxBytes else {
            throw ConfigError(file: file, line: 1, column: 1, message: "file is larger than \(maxBytes) bytes")
        }
        let root: Node?
        do {
            // Composed without tag resolution: Yams hashes every mapping key for its duplicate check, and
            // resolving a plain scalar's tag runs up to seven regular expressions, a third of loading a
            // configuration of 10,000 feeds. Typed reads do not need it: Yams builds a Bool, Int or
            // Double from a plain scalar's text, and only a quoted (explicitly `str`) one is refused.
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw ConfigError.from(error, file: file, text: text)
        } catch {
            throw ConfigError(file: file, line: 1, column: 1, message: "\(error)")
        }
        guard let root else { return nil }
        let value = YAMLValue(node: root, file: file, path: "")
        try value.boundNodes()
        return value
    }

    public init(node: Node, file: String, path: String) {
        self.init(node: node, file: file, steps: YAMLPath(parent: nil, step: .text(path)))
    }

    private init(node: Node, file: String, steps: YAMLPath) {
        self.node = node
        self.file = file
        self.steps = steps
    }

    public var isSequence: Bool {
        if case .sequence = node { return true }
        return false
    }

    /// The scalar's text, or nil for a mapping or list.
    public var scalarText: String? {
        if case .scalar(let s) = node { return s.string }
        return nil
    }

    /// The scalar as a whole number, when it is one.
    public var intValue: Int? {
        if case .scalar = node { return node.int }
        return nil
    }

    public var isMapping: Bool {
        if case .mapping = node { return true }
        return false
    }

    public var line: Int { node.mark?.line ?? 1 }
    public var column: Int { node.mark?.column ?? 1 }

    public func error(_ message: String) -> ConfigError {
        ConfigError(file: file, line: line, column: column, message: path.isEmpty ? message : "\(path): \(message)")
    }

    // MARK: typed access

    public func mapping() throws(ConfigError) -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let m) = node else { throw error("expected a mapping, found \(kind)") }
        var out: [(String, YAMLValue)] = []
        for (k, v) in m {
            guard let key = k.string else {
                throw YAMLValue(node: k, file: file, steps: steps).error("keys must be strings")
            }
            out.append((key, YAMLValue(node: v, file: file, steps: YAMLPath(parent: steps, step: .key(key)))))
        }
        return out
    }

    /// The mapping's values by key, after checking that every key is one of `allowed`.
    public func fields(allowed: Set<String>) throws(ConfigError) -> [String: YAMLValue] {
        let (known, unknown) = try fieldsAndUnknown(allowed: allowed)
        if let problem = ConfigError.combined(unknown) { throw problem }
        return known
    }

    /// The allowed fields, and one problem per unknown key (a caller that reports every problem goes
    /// on with the known ones).
    public func fieldsAndUnknown(allowed: Set<String>) throws(ConfigError) -> ([String: YAMLValue], [ConfigError]) {
        var out: [String: YAMLValue] = [:]
        var unknown: [ConfigError] = []
        guard case .mapping(let m) = node else { throw error("expected a mapping, found \(kind)") }
        for (k, v) in m {
            let kv = YAMLValue(node: k, file: file, steps: steps)
            guard let key = k.string else { throw kv.error("keys must be strings") }
            guard allowed.contains(key) else {
                let hint = allowed.sorted().joined(separator: ", ")
                unknown.append(
                    ConfigError(
                        file: file, line: kv.line, column: kv.column,
                        message: "unknown key '\(key)'\(path.isEmpty ? "" : " in \(path)") (expected one of: \(hint))"))
                continue
            }
            out[key] = YAMLValue(node: v, file: file, steps: YAMLPath(parent: steps, step: .key(key)))
        }
        return (out, unknown)
    }

    public func sequence() throws(ConfigError) -> [YAMLValue] {
        guard case .sequence(let s) = node else { throw error("expected a list, found \(kind)") }
        return s.enumerated().map { YAMLValue(node: $1, file: file, steps: YAMLPath(parent: steps, step: .index($0))) }
    }

    public func string() throws(ConfigError) -> String {
        guard case .scalar(let s) = node else { throw error("expected a string, found \(kind)") }
        return s.string
    }

    public func stringList() throws(ConfigError) -> [String] {
        var out: [String] = []
        for item in try sequence() { out.append(try item.string()) }
        return out
    }

    public func bool() throws(ConfigError) -> Bool {
        guard case .scalar = node, let b = node.bool else { throw error("expected true or false") }
        return b
    }

    public func double(in range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double {
        guard case .scalar = node, let d = node.float ?? node.int.map(Double.init), d.isFinite else {
            throw error("expected a number")
        }
        if let range, !range.contains(d) { throw error("\(d) is out of range \(range.lowerBound)…\(range.upperBound)") }
        return d
    }

    public func int(in range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int {
        guard case .scalar = node, let i = node.int else { throw error("expected a whole number") }
        if let range, !range.contains(i) { throw error("\(i) is out of range \(range.lowerBound)…\(range.upperBound)") }
        return i
    }

    private var kind: String {
        switch node {
        case .scalar(let s): return "'\(s.string.prefix(40))'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    public static let maxNodes = 200_000

    /// Counts nodes as a walk would see them, aliases expanded, and stops at `maxNodes`: anchors and
    /// aliases are allowed, an alias bomb is not.
    private func boundNodes() throws(ConfigError) {
        var stack: [Node] = [node]
        var seen = 0
        while let n = stack.popLast() {
            seen += 1
            if seen > YAMLValue.maxNodes {
                throw error(
                    "the document expands to more than \(YAMLValue.maxNodes) nodes with its aliases expanded; "
                        + "no configuration needs that many (an alias bomb?)")
            }
            switch n {
            case .mapping(let m):
                for (k, v) in m {
                    stack.append(k)
                    stack.append(v)
                }
            case .sequence(let s):
                stack.append(contentsOf: s)
            case .scalar, .alias:
                break
            }
        }
    }
}

extension ConfigError {
    /// The character a Yams mark points at (lines and columns from 1).
    static func character(at mark: Mark, in text: String) -> Character? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let line = lines[mark.line - 1]
        guard mark.column >= 1, mark.column <= line.count else { return nil }
        return line[line.index(line.startIndex, offsetBy: mark.column - 1)]
    }

    static func from(_ error: YamlError, file: String, text: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let ctx = context.map { " (\($0.text))" } ?? ""
            if problem.contains("cannot start any token"), Self.character(at: mark, in: text) == "\t" {
                return ConfigError(
                    file: file, line: mark.line, column: mark.column,
                    message: "a tab: YAML indents with spaces only; replace the tab with spaces")
            }
            return ConfigError(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)\(ctx)")
        case .reader(let problem, _, _, _):
            return ConfigError(file: file, line: 1, column: 1, message: "YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return ConfigError(file: file, line: 1, column: 1, message: "YAML: \(error)")
        }
    }
}

/// A value holds Yams's node, which is not Sendable: values stay in the task that parsed them.
@available(*, unavailable)
extension YAMLValue: Sendable {}

/// A value's place in the document, kept as steps from the root.
final class YAMLPath {
    enum Step {
        case text(String)
        case key(String)
        case index(Int)
    }

    let parent: YAMLPath?
    let step: Step

    init(parent: YAMLPath?, step: Step) {
        self.parent = parent
        self.step = step
    }

    var text: String {
        let above = parent?.text ?? ""
        switch step {
        case .text(let t): return above.isEmpty ? t : t.isEmpty ? above : "\(above).\(t)"
        case .key(let k): return above.isEmpty ? k : "\(above).\(k)"
        case .index(let i): return "\(above)[\(i)]"
        }
    }
}
