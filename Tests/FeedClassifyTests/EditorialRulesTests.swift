import FeedClassify
import Testing

/// How an editor reads an item (docs/classifier.md, "Concepts"): the headline carries the story, the lead
/// (the summary's first sentence) may complete it, and the rest of a long summary does not count.
@Suite("Editorial rules: concepts, headline and lead")
struct EditorialRulesTests: DefaultTopicsSuite {
    @Test("the subject of a concept must be in the headline")
    func subjectInHeadline() {
        // Market words only in the summary: a blog post, not market news.
        #expect(
            topics(
                "A little help on your New Year's resolutions",
                "Stocks fell 300 points and shares slid as investors sold.") == [])
        // The same words under a headline that names the market.
        #expect(topics("Stocks slide on Wall Street", "Shares fell 300 points as investors sold.") == ["markets"])
        // Gold named only in the lead does not make a gold story of a headline about prices.
        #expect(topics("Prices of cucumbers soar in Russia", "Gold traders watched as prices rose.") == [])
    }

    @Test("the lead completes a concept; the body past it does not count")
    func leadAndBody() {
        // Traders in the headline, the market they trade in the lead: market news.
        #expect(topics("Traders in focus", "The Nikkei closed 2% higher on Tuesday in Tokyo.") == ["markets"])
        // The market only in the third sentence of a long summary: not enough.
        let summary =
            "Tokyo traders returned from the holiday on Tuesday morning. Volumes were thin all day long. "
            + "By the close the Nikkei had risen 2% to a record high."
        #expect(topics("Traders in focus", summary) == [])
    }

    @Test("an item without a headline is read from its summary's first sentence")
    func noHeadline() {
        #expect(topics("", "Brent crude jumps 4% after the OPEC meeting. More later.") == ["markets"])
        #expect(
            topics("", "Our weekly podcast on the Tokyo food scene is out. Brent crude jumps 4% after the OPEC meeting.") == [])
    }

    @Test("an AI company, or two big-tech companies with AI, plus a relation between companies")
    func partnershipConcept() {
        #expect(topics("Meta signs $10 billion Google Cloud deal") == ["ai-partnerships"])
        #expect(topics("ميتا تنفق أكثر من 10 مليارات دولار على خدمة غوغل السحابية") == ["ai-partnerships"])
        // One company's own AI spending is an investment, but not one between companies.
        #expect(topics("Microsoft to invest $80 billion in AI data centers this year") == [])
        #expect(topics("مايكروسوفت تستثمر 80 مليار دولار في مراكز البيانات للذكاء الاصطناعي") == [])
        // Rivalry and launches are not deals.
        #expect(topics("OpenAI launches GPT-5 for all ChatGPT users", "Partners can use it from today.") == [])
        #expect(topics("أبل تتحدى سامسونج بهاتف جديد يعتمد على الذكاء الاصطناعي وشراكة مع موردين") == [])
    }

    @Test("a currency story needs a move; quoted rates stand alone")
    func currencies() {
        #expect(topics("Dollar eases off 14-year peak as market braces for Trump") == ["markets"])
        #expect(
            topics(
                "Inside the printing press that churns out new 100 and 200 euro banknotes",
                "The central bank's presses print the currency day and night.") == [])
        #expect(topics("سعر الدولار أمام الجنيه المصري اليوم الجمعة") == ["markets"])
        #expect(topics("Handball: Germany lose to Denmark in Euro final", "Germany fell 31-26 in the final.") == [])
    }

    @Test("a concept can be named by a user's topic, and a bad one is refused")
    func userConcepts() throws {
        let t = TopicDefinition(
            name: "chips", threshold: 2,
            groups: [
                .init(name: "maker", names: ["TSMC"]), .init(name: "event", terms: ["shortage"]),
            ], concepts: [["maker", "event"]])
        let c = Classifier(topics: [t])
        #expect(c.classify(title: "TSMC warns of a shortage", summary: nil).topics == ["chips"])
        #expect(c.classify(title: "A shortage of engineers", summary: "TSMC is hiring.").topics == [])
        #expect(c.classify(title: "TSMC is hiring", summary: "It warns of a shortage.").topics == ["chips"])
    }
}
