import ArgumentParser
import FeedClassify
import FeedCore
import Foundation

/// `feedwatch eval [--config PATH] FILE.jsonl`: precision, recall and F1 per topic and language, macro-F1,
/// the natural-stream measure (false alerts per 1,000 clear items, recall on the clear positives) and the
/// misclassified items, for a labeled file in the format of ../shared/eval/headlines-dev.jsonl or
/// natural-dev.jsonl (which has no `lang`).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the topics against a labeled JSON Lines file.")

    /// Its `topics:` override or extend the built-in topics; without one found, the built-in topics apply.
    @OptionGroup var config: ConfigOption

    @Flag(name: .long, help: "Print one JSON object instead of tables.")
    var json = false

    @Flag(name: .long, help: "Leave out the list of misclassified items.")
    var noMisses = false

    @Flag(
        name: .long,
        help: "List the false alerts: topics raised on clear items whose labels do not give them, with why they passed.")
    var errors = false

    @Flag(name: .long, help: "Score each topic at thresholds 0.5 to 10 (step 0.5) instead: how to choose a threshold from data.")
    var sweep = false

    @Flag(name: .long, help: "Score the built-in topics alone, whatever configuration --config or $FEEDWATCH_CONFIG names.")
    var builtin = false

    @Argument(help: "Labeled items, one JSON object per line: id, lang (optional), title, summary, topics, ambiguous.")
    var file: String

    func run() throws {
        let classifier: Classifier
        if builtin {
            classifier = Classifier(topics: TopicCatalog.defaults)
            warn("eval: the built-in topics")
        } else {
            classifier = try TopicLoading.classifier(config: config.path)
            // Figures of the shipped topics and of a user's own differ: say which these are.
            warn("eval: \(TopicLoading.source(config: config.path))")
        }
        let items: [Evaluation.Item]
        do {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            items = try Evaluation.readItems(text, file: file)
        } catch let e as EvaluationError {
            throw fail(e.message, .dataError)
        } catch {
            throw fail("\(file): \(error.localizedDescription)", .ioError)
        }
        if sweep {
            let thresholds = (1...20).map { Double($0) / 2 }
            let points = Evaluation.sweep(topics: classifier.topics, items: items, thresholds: thresholds)
            let current = Dictionary(classifier.topics.map { ($0.name, $0.threshold) }, uniquingKeysWith: { a, _ in a })
            print(EvaluationReport.sweep(points, current: current), terminator: "")
            return
        }
        let evaluation = Evaluation(classifier: classifier, items: items)
        print(json ? EvaluationReport.json(evaluation) : EvaluationReport.text(evaluation, misses: !noMisses, errors: errors))
    }
}
