import ArgumentParser
import FeedClassify
import FeedCore
import FeedYAML
import Foundation

/// `feedwatch classify [--config PATH] [TEXT]`: TEXT, or JSON Lines from stdin, in; one JSON line out per input.
struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify TEXT, or JSON Lines ({\"id\", \"title\", \"summary\"}) from standard input.")

    /// Its `topics:` override or extend the built-in topics; without one found, the built-in topics apply.
    @OptionGroup var config: ConfigOption

    @Argument(help: "Text to classify (a headline). Without it, JSON Lines are read from standard input.")
    var text: [String] = []

    @Flag(help: "Say why each topic that matched something did not apply (\"why_not\"); always on for TEXT.")
    var explain = false

    func run() async throws {
        BatchMemory.keepFreedMemory()
        let classifier = try TopicLoading.classifier(config: config.path)
        if !text.isEmpty {
            print(classifier.classify(title: text.joined(separator: " "), summary: nil, explain: true).jsonLine(id: nil))
            return
        }
        if await !ClassifyStream(classifier: classifier, explain: explain).run() { throw ExitCode.dataError }
    }
}

enum TopicLoading {
    /// Which topics `classify` and `eval` use, in words: the built-in ones, or those merged with the
    /// `topics:` of a configuration, and how that configuration was found.
    static func source(config option: String?) -> String {
        guard let path = ConfigFile.lookup(option: option) else { return "the built-in topics (no configuration found)" }
        let how =
            option != nil
            ? "--config"
            : ProcessInfo.processInfo.environment["FEEDWATCH_CONFIG"].map { $0.isEmpty ? "default place" : "$FEEDWATCH_CONFIG" }
                ?? "default place"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        guard text.split(separator: "\n").contains(where: { $0.hasPrefix("topics:") }) else {
            return "the built-in topics (\(path), from \(how), has no topics:)"
        }
        return "the built-in topics merged with the topics: of \(path) (from \(how)); --builtin scores the built-in ones alone"
    }

    /// The classifier for `--config` (or the default lookup), exiting 78 with `file:line:column` on a bad config.
    static func classifier(config: String?) throws -> Classifier {
        do {
            return Classifier(topics: try TopicCatalog.load(configPath: config))
        } catch {
            throw fail(error.description, .configError)
        }
    }
}
