import FeedClassify
import FeedTestSupport
import Foundation
import Testing

/// The daemon's real situation (issue "Alerts worth reading"): every item of 149 real feeds, almost none
/// on topic, from ../shared/eval/natural-dev.jsonl. Floors at the figures reached; the false alerts that
/// users met are pinned as negatives by their real text.
@Suite("Precision on a natural stream")
struct NaturalStreamTests {
    static let items: [Evaluation.Item] = {
        let path = TestPaths.shared + "/eval/natural-dev.jsonl"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return (try? Evaluation.readItems(text, file: path)) ?? []
    }()
    static let classifier = DefaultTopics.classifier
    static let evaluation = Evaluation(classifier: classifier, items: items)

    static func item(_ id: String) -> Evaluation.Item? { items.first { $0.id == id } }

    @Test("at most 1 false alert per 1,000 clear items")
    func falseAlertRate() {
        let e = Self.evaluation
        #expect(e.clearItems == 3257)
        #expect(e.falseAlertsPerThousand <= 1.0, "\(e.falseAlerts.map { "\($0.topic): \($0.title)" })")
    }

    @Test("every clear positive in Arabic or English is found; the misses are the German, French and Chinese ones")
    func clearPositives() {
        let e = Self.evaluation
        #expect(e.clearPositives == 15)
        #expect(
            Set(e.missedPositives.map(\.id)) == [
                "miniflux-v2__encoding_ISO-8859-1.xml#36",  // Quartalszahlen: AMDs Aktie gibt … nach
                "miniflux-v2__rdf_UTF8.xml#58",  // Snapchat: Aktienabsturz …
                "nicolus-picoFeed__univers_freebox.xml#3",  // Nouveau sommet historique pour l'action Iliad
                "spacecowboy-Feeder__rss_geekpark.xml#25",  // 泡泡玛特市值千亿…
            ])
    }

    /// The false alerts of the issue and of the first measurement, each with its real summary.
    @Test(
        "false alerts users met stay quiet",
        arguments: [
            "nicolus-picoFeed__googleblog.xml#17",  // A little help from Google on your New Year's resolutions
            "danmactough-node-feedparser__rss-with-relative-urls.xml#1",  // 2x Underdark Currency & 15% off Bags!
            "kagisearch-fastfeedparser__3d13901a267083a8.xml#22",  // Re: Double-entry accounting at scale
        ])
    func pinnedRealNegatives(id: String) throws {
        let item = try #require(Self.item(id))
        #expect(Self.classifier.classify(title: item.title, summary: item.summary).topics == [], "\(item.title)")
    }

    @Test("every first-measurement false alert stays quiet")
    func firstMeasurementNegatives() {
        let titles = [
            "Uber’s Biggest Problem: Its Business Model", "Microsoft Will File Amicus Brief Supporting Apple",
            "FDI inflows contract for the first time in 6 years", "Russia is erasing Linkedin from app stores",
            "Obama Reports For Jury Duty In Chicago, Ends Up Being Dismissed", "TigerBeetle as a file storage",
            "Attention Bubbles (Or Why Everything Happens So Much)", "A wind investment deep in the heart of Texas",
            "Inside the printing press that churns out new 100 and 200 euro banknotes",
            "Running TigerBeetle without a control plane database. Part one.",
            "Simple Introduction to MVC Ajax (ASP.NET MVC 5)",
        ]
        for title in titles {
            let matching = Self.items.filter { $0.title == title }
            #expect(!matching.isEmpty, "\(title) is in natural-dev")
            for item in matching {
                #expect(Self.classifier.classify(title: item.title, summary: item.summary).topics == [], "\(title)")
            }
        }
    }

    @Test(
        "idioms, product names and promotions do not count",
        arguments: [
            (
                "Microsoft AI Team Achieves Perfect Score on Atari 2600 Ms. Pac-Man",
                "A team from Maluuba, a deep learning startup acquired by Microsoft, used AI to beat the game."
            ),
            (
                "Now in beta: Managed Service for Microsoft Active Directory",
                "Google Cloud partners with Microsoft to run a managed, AI-ready Active Directory in the cloud."
            ),
            ("Le HTC One est disponible en stock chez Amazon", "Le smartphone est en stock, prix en baisse de 10 %."),
            ("'The New Gold': Prices Of Cucumbers Soar In Russia", "Cucumber prices rose 40% this month."),
            ("Bitcoin hits record high as investors call it digital gold", "The price of bitcoin rose 5% to $90,000."),
            ("Corsair RM850x 80+ Gold power supply review", "An 850 W unit with 80 Plus Gold efficiency at a low price."),
            ("Samsung shares a photo of its new foldable phone", "The company shares a first look, up 20% thinner."),
            ("Double currency weekend and 15% off bags!", "Earn in-game currency twice as fast."),
            ("الكرة الذهبية 2025: ارتفاع أسعار التذاكر", nil),
            ("عاجل | منتخب مصر يحصد الميدالية الذهبية ويرتفع في التصنيف", nil),
        ])
    func traps(title: String, summary: String?) {
        #expect(Self.classifier.classify(title: title, summary: summary).topics == [], "\(title)")
    }

    @Test(
        "real positives in both languages",
        arguments: [
            ("Dollar eases off 14-year peak as market braces for Donald Trump reality check", "markets"),
            ("Gold breaks $5,000: What's fueling the price rally and where will it end?", "gold-prices"),
            ("Dow Jones fecha em baixa de 0,68%", "markets"),
            ("Fed unleashes another big rate hike in bid to curb inflation - WRAL News", "markets"),
            ("مؤشر نيكى اليابانى يغلق عند أعلى مستوى منذ 10 أسابيع", "markets"),
            ("بلغ 5 قروش.. ارتفاع مفاجئ لسعر الدولار في ختام تعاملات اليوم - مصر 365", "markets"),
            ("إنفيديا تستثمر 100 مليار دولار في أوبن ايه أي", "ai-partnerships"),
            ("بيربلكسيتي تفاجئ جوجل بعرض شراء كروم الضخم", "ai-partnerships"),
            ("«ارتفاع جديد»، أسعار الذهب في السعودية خلال تعاملات اليوم الخميس 26-6-2025", "gold-prices"),
            ("Microsoft taps Anthropic to cut OpenAI reliance", "ai-partnerships"),
        ])
    func positives(title: String, topic: String) {
        #expect(Self.classifier.classify(title: title, summary: nil).topics == [topic], "\(title)")
    }
}
