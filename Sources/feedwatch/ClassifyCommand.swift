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

    func run() async throws {
        let classifier = try TopicLoading.classifier(config: config.path)
        if !text.isEmpty {
            print(classifier.classify(title: text.joined(separator: " "), summary: nil).jsonLine(id: nil))
            return
        }
        if await !ClassifyStream(classifier: classifier).run() { throw ExitCode.dataError }
    }
}

enum TopicLoading {
    /// The classifier for `--config` (or the default lookup), exiting 78 with `file:line:column` on a bad config.
    static func classifier(config: String?) throws -> Classifier {
        do {
            return Classifier(topics: try TopicCatalog.load(configPath: config))
        } catch {
            throw fail(error.description, .configError)
        }
    }
}
