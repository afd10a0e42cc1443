import FeedClassify
import FeedTestSupport
import FeedYAML
import Foundation
import Testing

@Suite("Classifier")
struct ClassifierTests: DefaultTopicsSuite {
    @Test("the seed article and the headlines beside it")
    func seed() throws {
        #expect(topics("توتر في علاقة التحالف، هل تقترب شراكة «أوبن إيه آي» ومايكروسوفت من النهاية؟") == ["ai-partnerships"])
        #expect(topics("«ارتفاع جديد»، أسعار الذهب في السعودية خلال تعاملات اليوم الخميس 26-6-2025") == ["gold-prices"])
        #expect(topics("«المؤشر نيكاي» يسجل أعلى مستوى له وسط هدوء الأوضاع بالشرق الأوسط") == ["markets"])
        #expect(topics("بعد انتقاد ترامب لرئيس الاحتياطي الفيدرالي، أسعار الذهب ترتفع مدعومة بضعف الدولار") == ["gold-prices"])
    }

    @Test("spelling variants of brand names all match")
    func brandVariants() {
        for name in ["أوبن إيه آي", "أوبن ايه أي", "اوبن اي اي", "OpenAI", "أوبن إيه.آي"] {
            #expect(topics("إنفيديا تستثمر 100 مليار دولار في \(name)") == ["ai-partnerships"], "\(name)")
        }
        // An attached proclitic: لمايكروسوفت.
        let c = Self.classifier.classify(title: "شراكة جديدة لمايكروسوفت مع أنثروبيك", summary: nil)
        #expect(c.topics == ["ai-partnerships"])
        #expect(c.results[0].matched.contains("مايكروسوفت"))
    }

    @Test("arabic.md traps: whole tokens only")
    func substringTraps() {
        // تضخ (injects) must not match inside التضخم (inflation).
        #expect(topics("أوبن إيه آي: التضخم يرتفع في مصر") == [])
        // غرام (gram) must not match inside إنستغرام.
        let gold = Self.classifier.classify(title: "إنستغرام تطلق ميزة جديدة للذهبيين", summary: nil)
        #expect(gold.results.first { $0.name == "gold-prices" }?.matched.contains("غرام") == false)
        // "AI" must not match inside "said".
        let said = Self.classifier.classify(title: "Microsoft said it signed a deal with Contoso", summary: nil)
        #expect(said.results[0].matched.contains("AI") == false)
        #expect(said.topics == [])
        // عيار in "a heavyweight signing" is not a karat.
        #expect(topics("صفقة من العيار الثقيل: الأهلي يضم نجم الذهب") == [])
    }

    @Test(
        "gold look-alikes are excluded",
        arguments: [
            "الكرة الذهبية 2025 تعرف على موعد الحفل والمرشحين", "Golden Globe nominations announced",
            "Swimmer wins gold medal in Paris", "Thunderbird email client goes gold",
            "Goldman Sachs raises price target on Nvidia", "منتخب مصر يحصد الميدالية الذهبية",
        ])
    func goldTraps(title: String) {
        #expect(!topics(title).contains("gold-prices"))
    }

    @Test(
        "real gold price headlines",
        arguments: [
            "Gold prices rise as the dollar weakens", "سعر الذهب اليوم في مصر عيار 21 يسجل 3200 جنيه",
            "Gold Price Forecast: XAU/USD holds near $4,100", "الذهب يتجاوز 5200 دولار للأونصة عالميا",
            "أسعار الذهب في الإمارات: عيار 24 بـ 410 دراهم للجرام",
        ])
    func goldPositives(title: String) {
        #expect(topics(title) == ["gold-prices"])
    }

    @Test("a gold story is not also markets unless its headline reports another market")
    func goldDefersMarkets() {
        #expect(topics("Gold rises as Fed rate cut bets grow, US Dollar slips") == ["gold-prices"])
        #expect(topics("Gold and Nikkei both hit record highs as yen weakens").sorted() == ["gold-prices", "markets"])
    }

    @Test("deals need an AI party; AI news needs a deal")
    func partnershipRules() {
        #expect(topics("Cisco and Microsoft partner for CRM") == [])
        #expect(topics("OpenAI releases GPT-5 with new reasoning mode") == [])
        #expect(topics("Google is investing $2 billion into Anthropic") == ["ai-partnerships"])
        #expect(topics("Man Utd face £70m swap deal obstacles") == [])
    }

    @Test("every decision is explained: scores for all topics, matched terms for the ones that matched")
    func explanation() {
        let c = Self.classifier.classify(title: "Nikkei closes at a record high", summary: nil)
        let line = c.jsonLine(id: "n1")
        #expect(line.hasPrefix(#"{"id":"n1","topics":["markets"],"scores":{"ai-partnerships":0.0,"markets":"#))
        #expect(line.contains(#""matches":{"markets":["Nikkei","#))
        // Why it passed: the concept met and the score against the threshold.
        #expect(line.hasSuffix(#""why":{"markets":"concept instrument; score 6.75 >= 3.0"}}"#))
    }
}
