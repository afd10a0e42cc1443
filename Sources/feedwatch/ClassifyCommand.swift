import ArgumentParser
import FeedClassify
import FeedCore
import FeedYAML
import Foundation

/// `feedwatch classify [--config PATH] [TEXT]`: TEXT, or JSON Lines from stdin, in; one JSON line out per input.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify TEXT, or JSON Lines ({\"id\", \"title\", \"summary\"}) from standard input.")

    /// Its `topics:` override or extend the built-in topics; without one found, the built-in topics apply.
    @OptionGroup var config: ConfigOption

    @Argument(help: "Text to classify (a headline). Without it, JSON Lines are read from standard input.")
    var text: [String] = []

    func run() throws {
        let classifier = try TopicLoading.classifier(config: config.path)
        if !text.isEmpty {
            print(classifier.classify(title: text.joined(separator: " "), summary: nil).jsonLine(id: nil))
            return
        }
        var failed = false
        var lineNumber = 0
        var out = LineWriter()
        let decoder = JSONDecoder()
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            guard let item = try? decoder.decode(Item.self, from: Data(line.utf8)) else {
                out.flush()
                FileHandle.standardError.write(Data("stdin:\(lineNumber): not a JSON object\n".utf8))
                failed = true
                continue
            }
            out.write(classifier.classify(title: item.title, summary: item.summary).jsonLine(id: item.id))
        }
        out.flush()
        if failed { throw ExitCode.dataError }
    }
}

/// One input line: `id` (a string or a number), `title`, `summary`; other fields are ignored. Decoded
/// with `JSONDecoder` into this struct, not through `JSONSerialization`'s dictionaries (four times the
/// cost per line).
private struct Item: Decodable {
    var id: String?
    var title: String?
    var summary: String?

    enum CodingKeys: String, CodingKey { case id, title, summary }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let s = try? c.decodeIfPresent(String.self, forKey: .id) {
            id = s
        } else if let n = try? c.decodeIfPresent(Double.self, forKey: .id) {
            id = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        }
        title = try? c.decodeIfPresent(String.self, forKey: .title)
        summary = try? c.decodeIfPresent(String.self, forKey: .summary)
    }
}

enum TopicLoading {
    /// The classifier for `--config` (or the default lookup), exiting 78 with `file:line:column` on a bad config.
    static func classifier(config: String?) throws -> Classifier {
        do {
            return Classifier(topics: try TopicCatalog.load(configPath: config))
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode.configError
        }
    }
}
