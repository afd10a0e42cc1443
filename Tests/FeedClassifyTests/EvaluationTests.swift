import FeedClassify
import FeedTestSupport
import Foundation
import Testing

/// The quality bar of the classifier issue, measured on ../shared/eval/headlines-dev.jsonl with floors at
/// the scores reached (strict scoring: ambiguous items left out). A drop fails the suite.
@Suite("Evaluation on the labeled dev set")
struct EvaluationTests {
    static let evaluation: Evaluation = {
        let path = TestPaths.shared + "/eval/headlines-dev.jsonl"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let items = (try? Evaluation.readItems(text, file: path)) ?? []
        return Evaluation(classifier: Classifier(topics: TopicCatalog.defaults), items: items)
    }()

    @Test func readsAllItems() {
        #expect(Self.evaluation.itemCount == 198)
    }

    @Test("macro-F1 overall and per language")
    func macroF1() {
        let e = Self.evaluation
        #expect(e.macroF1(.strict) >= 0.99)
        #expect(e.macroF1(.strict, language: "ar") >= 0.99)
        #expect(e.macroF1(.strict, language: "en") >= 0.99)
        #expect(e.macroF1(.lenient) >= 0.99)
    }

    @Test("precision per topic", arguments: ["ai-partnerships", "markets", "gold-prices"])
    func precision(topic: String) {
        #expect(Self.evaluation.counts(.strict, topic: topic).precision >= 0.97)
        #expect(Self.evaluation.counts(.strict, topic: topic).recall >= 0.96)
        for lang in ["ar", "en"] {
            #expect(Self.evaluation.counts(.strict, language: lang, topic: topic).precision >= 0.97, "\(lang)")
        }
    }

    @Test func badLinesAreReportedWithTheirNumber() {
        #expect(throws: EvaluationError.self) {
            _ = try Evaluation.readItems("{\"id\":\"a\",\"title\":\"t\",\"topics\":[]}\nnot json\n", file: "x.jsonl")
        }
        do {
            _ = try Evaluation.readItems("{\"id\":\"a\",\"title\":\"t\",\"topics\":[]}\nnot json\n", file: "x.jsonl")
        } catch {
            #expect("\(error)".hasPrefix("x.jsonl:2:"))
        }
    }
}
