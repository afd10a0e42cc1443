import FeedClassify
import FeedTestSupport
import Foundation
import Testing

/// What a watcher exists for (issue "Alerts that do not miss the news"): real business-news streams in
/// English and Arabic, every item labeled by two annotators, from ../shared/eval/news-dev.jsonl. The bar is
/// the issue's: recall at least 0.90 for each topic in each language with ten or more clear positives, at
/// most 2 false alerts per 1,000 clear items in each language. The misses and false alerts users met are
/// pinned by their real text.
@Suite("Recall on real news streams")
struct NewsStreamTests {
    static let items: [Evaluation.Item] = {
        let path = TestPaths.shared + "/eval/news-dev.jsonl"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return (try? Evaluation.readItems(text, file: path)) ?? []
    }()
    static let evaluation = Evaluation(classifier: DefaultTopics.classifier, items: items)

    static func classify(_ title: String) -> [String] {
        let matching = items.filter { $0.title == title }
        guard let item = matching.first else { return ["<\(title) is not in news-dev>"] }
        return DefaultTopics.classifier.classify(title: item.title, summary: item.summary).topics
    }

    @Test func readsTheStream() {
        #expect(Self.items.count == 3113)
        #expect(Self.evaluation.streams["en"]?.clearItems == 1677)
        #expect(Self.evaluation.streams["ar"]?.clearItems == 1215)
    }

    @Test("recall at least 0.90 per topic and language where there are ten or more clear positives")
    func recall() {
        for (lang, stream) in Self.evaluation.streams {
            for (topic, p) in stream.positives where p.all >= 10 {
                #expect(Double(p.found) / Double(p.all) >= 0.90, "\(lang) \(topic): \(p.found) of \(p.all)")
            }
        }
        // The topics the bar applies to: English AI partnerships and markets, Arabic markets and gold.
        #expect(Self.evaluation.streams["en"]?.positives["markets"]?.all == 77)
        #expect(Self.evaluation.streams["en"]?.positives["ai-partnerships"]?.all == 26)
        #expect(Self.evaluation.streams["ar"]?.positives["markets"]?.all == 50)
        #expect(Self.evaluation.streams["ar"]?.positives["gold-prices"]?.all == 13)
    }

    @Test("at most 2 false alerts per 1,000 clear items in each language")
    func falseAlerts() {
        for (lang, stream) in Self.evaluation.streams {
            let alerts = Self.evaluation.falseAlerts.filter { $0.lang == lang }.map { "\($0.topic): \($0.title)" }
            #expect(stream.falseAlertsPerThousand <= 2.0, "\(lang): \(alerts)")
        }
    }

    @Test(
        "market news the default topics used to miss",
        arguments: [
            "What America’s stockmarket plunge means", "Market carnage goes global", "Bond vigilantes take aim at France",
            "UK borrowing costs jump as investors lose faith in Reeves’ Budget",
            "Trading platform eToro surges on New York debut after upsized offering",
            "Asian Stocks Fluctuate Before Key Rate Decisions: Markets Wrap",
            "الدينار التونسي يسجّل هبوطا قياسيا جديدا", "شركة فيس بوك تخسر 119 مليار دولار في يوم واحد بعد انهيار أسهمها",
            "العقوبات الأميركية على إيران تصعد بأسعار النفط",
            "في أوروبا والخليج وآسيا..انهيار الليرة التركية يربك أسواق الأسهم العالمية",
        ])
    func marketsFound(title: String) {
        #expect(Self.classify(title) == ["markets"], "\(title)")
    }

    @Test(
        "AI partnerships announced on a lab's own blog",
        arguments: [
            "Claude now available in Microsoft Foundry and Microsoft 365 Copilot",
            "Expanding our use of Google Cloud TPUs and Services",
            "Perplexity and SAP: Turbocharging Joule with Real-Time Answers for Every Enterprise",
            "Perplexity APIs Power AI Browsing on Samsung Devices",
        ])
    func partnershipsFound(title: String) {
        #expect(Self.classify(title) == ["ai-partnerships"], "\(title)")
    }

    @Test(
        "false alerts users met stay quiet",
        arguments: [
            // A lab's work with a government or a university is not a partnership between companies.
            "Anthropic partners with the UK Government to bring AI assistance to GOV.UK services",
            "Anthropic partners with the University of Chicago’s Becker Friedman Institute on AI economic research",
            // A dollar amount is not a currency move.
            "صادرات تركيا تقفز 15% في فبراير إلى 13 مليار دولار", "ارتفاع تكلفة مشروع \"الطلقة\" بكاليفورنيا إلى 77 مليار دولار",
            // A product called gold.
            "نفاد “أبل ووتش” الذهبية من متاجر الصين في أقل من ساعة",
            // A newsletter roundup: the lab and the deal word belong to different stories.
            "Claude Levels Up, Qwen3 Proliferates, Big AI Diversifies Product Lines, LoRA Adapters on Tap",
        ])
    func falseAlertsQuiet(title: String) {
        #expect(Self.classify(title) == [], "\(title)")
    }

    /// Written from the topic definitions, not from the streams: what the rules that raised recall must
    /// still refuse, and the kinds of headline other outlets (Gulf wires, Yemeni and Levantine news) write.
    @Test(
        "traps and wire headlines from the definitions",
        arguments: [
            ("How to stock your pantry for winter", []), ("The Treasury Department announces new sanctions", []),
            ("Apple's market share grows in India", []), ("Startup raises $50M as investors bet on AI", []),
            ("Farmers market opens downtown", []), ("Job market cools as hiring slows", []),
            ("Bitcoin surges past $100,000", []), ("OpenAI partners with Harvard on AI research", []),
            ("Company plans to list on the stock exchange next year", []), ("ارتفاع أسعار الطماطم في الأسواق", []),
            ("Happiness index rises in Nordic countries", []), ("الريال مدريد يفوز على برشلونة", []),
            ("Dubai index hits 10-year high", ["markets"]), ("Treasury yields climb after jobs data", ["markets"]),
            ("Nvidia shares fall 5% after earnings", ["markets"]), ("Most Gulf markets ease ahead of Fed decision", ["markets"]),
            ("سعر صرف الريال اليمني يتراجع إلى مستوى قياسي في عدن", ["markets"]),
            ("الليرة اللبنانية تسجل أدنى مستوى لها", ["markets"]), ("وزير المالية: الجنيه المصري سيتعافى", ["markets"]),
            ("مايكروسوفت تتفاوض مع أوبن إيه آي على حصتها", ["ai-partnerships"]),
            ("آبل تجري محادثات مع جوجل لاستخدام جيميني في سيري", ["ai-partnerships"]),
            ("الحكومة الإماراتية توقع شراكة مع أوبن إيه آي", []),
        ] as [(String, [String])])
    func definitionTraps(title: String, topics: [String]) {
        #expect(DefaultTopics.classifier.classify(title: title, summary: nil).topics == topics, "\(title)")
    }
}
