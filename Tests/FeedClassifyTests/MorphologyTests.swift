import FeedClassify
import FeedYAML
import Testing

/// How the classifier reads the forms news is written in (docs/classifier.md, "Verbs", "Roundups"):
/// a verb in any person, tense and number; the accusative alef of tanween; a roundup headline that lists
/// several stories. Each on a small topic of its own, so the rule and nothing else decides.
@Suite("Verbs, tanween and roundups")
struct MorphologyTests {
    static func classifier(_ yaml: String) throws -> Classifier {
        let root = try #require(try YAMLValue.parse(yaml, file: "test.yaml"))
        return Classifier(topics: try TopicCatalog.topics(in: root))
    }

    /// A subject, and a move written as a verb: the topic applies when the move is read.
    static let moves = """
        topics:
          - name: moves
            threshold: 2
            concepts: [[subject, move]]
            groups:
              - {name: subject, names: [النفط, الليرة, oil, lira]}
              - {name: move, verbs: [ارتفع, تراجع, صعد, انخفض, surge, fall, rally, slip]}
        """

    @Test(
        "a verb in every form: Arabic past, present, feminine, plural, dual, future, with a conjunction; English -s, -ed, -ing",
        arguments: [
            "النفط ارتفع", "النفط يرتفع", "الليرة ترتفع", "الليرة ارتفعت", "النفط وارتفعت الأسعار", "النفط يرتفعون",
            "الليرة ترتفعان", "النفط سيرتفع", "الليرة تراجعت", "النفط يتراجع", "الليرة ستتراجع", "الليرة تتراجع",
            "النفط صعد", "الليرة تصعد", "النفط يصعدون", "الليرة صعدت", "الليرة تنخفض", "النفط انخفضت",
            "Oil surges", "Oil surged", "Oil surging", "Oil falls", "Oil falling", "Oil rallies", "Oil rallied",
            "Oil slips", "Oil slipped", "Oil slipping", "Lira rally",
        ])
    func verbForms(title: String) throws {
        #expect(try Self.classifier(Self.moves).classify(title: title, summary: nil).topics == ["moves"], "\(title)")
    }

    @Test(
        "words that only look like the verbs do not match",
        arguments: [
            "النفط ارتفاع", "النفط ارتفاعات", "النفط صعيد", "الليرة تصعيد", "Oil surgeon", "Oil fallacy", "Oil slippers",
            "Oil surgery",
        ])
    func notTheVerb(title: String) throws {
        #expect(try Self.classifier(Self.moves).classify(title: title, summary: nil).topics == [], "\(title)")
    }

    @Test("a verb is matched as a verb only where a topic lists it as one, never as a term")
    func verbsAreTheirOwnForm() throws {
        let c = try Self.classifier(
            """
            topics:
              - name: t
                threshold: 1
                groups: [{name: g, terms: [ارتفع]}]
            """)
        #expect(c.classify(title: "ارتفع", summary: nil).topics == ["t"])
        #expect(c.classify(title: "ترتفع", summary: nil).topics == [])
    }

    @Test("the accusative alef of tanween: هبوطاً and قياسياً read as هبوط and قياسي")
    func tanweenAlef() throws {
        let c = try Self.classifier(
            """
            topics:
              - name: t
                threshold: 2
                concepts: [[currency, record]]
                groups:
                  - {name: currency, names: [الدينار]}
                  - {name: record, terms: [هبوط, قياسي]}
            """)
        #expect(c.classify(title: "الدينار التونسي يسجّل هبوطا قياسيا جديدا", summary: nil).topics == ["t"])
        #expect(c.classify(title: "الدينار التونسي يسجل هبوطاً قياسياً", summary: nil).topics == ["t"])
    }

    static let deals = """
        topics:
          - name: deals
            threshold: 2
            concepts: [[lab, deal]]
            groups:
              - {name: lab, names: [Anthropic, OpenAI, Claude, أنثروبيك]}
              - {name: deal, terms: [deal, taps, partnership, صفقة]}
        """

    @Test("a roundup headline meets a concept only within one of its stories")
    func roundups() throws {
        let c = try Self.classifier(Self.deals)
        // Four stories: the lab in one, "on Tap" in another.
        #expect(
            c.classify(
                title: "Claude Levels Up, Qwen3 Proliferates, Big AI Diversifies Product Lines, LoRA Adapters on Tap",
                summary: nil
            ).topics == [])
        // The same roundup with a deal story of its own.
        #expect(
            c.classify(title: "Claude Levels Up, OpenAI Signs Chip Deal, Big AI Diversifies, LoRA on Tap", summary: nil)
                .topics == ["deals"])
        // Three clauses are an ordinary headline, and a thousands separator is not a clause.
        #expect(c.classify(title: "OpenAI, Microsoft and Oracle sign a deal", summary: nil).topics == ["deals"])
        #expect(c.classify(title: "Anthropic signs 1,000,000,000 deal", summary: nil).topics == ["deals"])
        // The Arabic comma separates clauses too.
        #expect(c.classify(title: "أنثروبيك، نماذج جديدة، رقائق، صفقة", summary: nil).topics == [])
        #expect(c.classify(title: "أنثروبيك تبرم صفقة، نماذج جديدة، رقائق، سحابة", summary: nil).topics == ["deals"])
    }

    @Test("a topic that does not apply says why not")
    func shortfall() throws {
        let c = try Self.classifier(Self.moves)
        let none = c.classify(title: "Traders watch as oil waits", summary: nil, explain: true).results[0]
        #expect(!none.assigned)
        #expect(none.explanation == "no concept met (nearest lacks move); score 1.5")
        let lead = c.classify(title: "Prices surge", summary: "Oil is what moved.", explain: true).results[0]
        #expect(lead.explanation == "no concept met (nearest lacks subject in the headline); score 2.5")
        let yes = c.classify(title: "Oil surges", summary: nil, explain: true).results[0]
        #expect(yes.explanation == "concept subject+move; score 3.0 >= 2.0")
    }
}
