import FeedTestSupport
import Testing

@testable import FeedStory

@Suite("Stories: which reports tell one story")
struct MatcherTests {
    func same(_ a: (String, String?), _ b: (String, String?), sameFeed: Bool = false) -> Bool {
        StoryMatcher.compare(
            StoryFingerprint(title: a.0, summary: a.1), StoryFingerprint(title: b.0, summary: b.1),
            sameFeed: sameFeed
        ).same
    }

    @Test("template reports with other facts are other stories (the issue's near misses)")
    func nearMisses() {
        #expect(!same(("Gold rises to $4,212", nil), ("Gold slips below $4,150", nil)))
        #expect(
            !same(("Gold rises to record $4,212 as dollar weakens", nil), ("Gold rises to record $4,250 as dollar weakens", nil)))
        #expect(
            !same(
                ("سعر الذهب اليوم في السعودية", "سجل عيار 21 نحو 352 ريالا"),
                ("سعر الذهب اليوم في السعودية", "سجل عيار 21 نحو 355 ريالا")))
        #expect(!same(("Oracle shares up 35%", nil), ("Oracle shares down 35%", nil)))
        // Identical short titles prove nothing without agreeing summaries.
        #expect(!same(("Gold rises", nil), ("Gold rises", nil)))
    }

    @Test("another funding series, round, quarter or year is another story (issue 22)")
    func labels() throws {
        #expect(!same(("Perplexity raises Series B funding round", nil), ("Perplexity raises Series A funding round", nil)))
        #expect(
            !same(
                ("Apple reports record Q1 results on iPhone sales", nil),
                ("Apple reports record Q2 results on iPhone sales", nil)))
        #expect(
            !same(("Nvidia first-quarter revenue beats estimates", nil), ("Nvidia second-quarter revenue beats estimates", nil)))
        #expect(
            !same(
                ("Argentina heads to second round of presidential vote", nil),
                ("Argentina heads to third round of presidential vote", nil)))
        #expect(
            !same(
                ("Tesla delivery outlook for 2025 cut by analysts", nil),
                ("Tesla delivery outlook for 2026 cut by analysts", nil)))
        #expect(
            !same(
                ("انطلاق الجولة الثانية من مفاوضات الهدنة في القاهرة", nil),
                ("انطلاق الجولة الثالثة من مفاوضات الهدنة في القاهرة", nil)))
        #expect(
            !same(("أرباح أرامكو في الربع الأول تتجاوز التوقعات", nil), ("أرباح أرامكو في الربع الثاني تتجاوز التوقعات", nil)))
        // The state keeps fingerprints in their stored form: the facts survive it.
        let stored = try #require(
            StoryFingerprint(encoded: StoryFingerprint(title: "Perplexity raises Series A funding round", summary: nil).encoded))
        #expect(
            !StoryMatcher.compare(StoryFingerprint(title: "Perplexity raises Series B funding round", summary: nil), stored).same)
    }

    @Test("rewrites of one story with the same labels still join")
    func sameLabels() {
        #expect(
            same(
                ("Perplexity raises Series B funding round - TechCrunch", nil),
                ("EXCLUSIVE-Perplexity raises Series B funding round", nil)))
        #expect(
            same(
                ("Perplexity raises $500 million in series-B round", nil),
                ("Perplexity raises $500 million in Series B round", nil)))
        // One outlet leaves the series out.
        #expect(
            same(
                ("Perplexity raises $500 million in Series B round", nil),
                ("Perplexity raises $500 million in new funding round", nil)))
        #expect(same(("Nvidia first-quarter revenue beats estimates", nil), ("Nvidia Q1 revenue beats estimates", nil)))
        #expect(
            same(
                ("Argentina heads to second round of presidential vote", nil),
                ("Argentina heads to 2nd round of presidential vote", nil)))
        #expect(
            same(
                ("انطلاق الجولة الثانية من مفاوضات الهدنة في القاهرة", nil),
                ("عاجل | انطلاق الجولة الثانية من مفاوضات الهدنة في القاهرة", nil)))
    }

    @Test("a feed's own series is not one story; a republished entry is")
    func sameFeed() {
        #expect(
            !same(
                ("RotoAuthority League Update: Early Trades", nil), ("RotoAuthority League Update: The Early Leader", nil),
                sameFeed: true))
        #expect(
            same(
                ("RotoAuthority League Update: Early Trades", nil), ("RotoAuthority League Update: Early Trades", nil),
                sameFeed: true))
    }

    @Test("another script is another story")
    func scripts() {
        #expect(!same(("Nvidia to invest $100 billion in OpenAI", nil), ("إنفيديا تستثمر 100 مليار دولار في أوبن إيه آي", nil)))
    }

    @Test(
        "the syndication set: every copy of a story joins it, every near miss stays alone, in either order",
        arguments: [false, true])
    func syndication(reversed: Bool) {
        var reports: [(feed: String, report: SyndicationSet.Report)] = SyndicationSet.outlets.flatMap { o in
            o.reports.map { (o.path, $0) }
        }
        if reversed { reports.reverse() }
        var index = StoryIndex<Int>()
        var storyOf: [Int] = []
        for (i, r) in reports.enumerated() {
            let fp = StoryFingerprint(title: r.report.title, summary: r.report.summary)
            let candidates = index.candidates(for: fp).map {
                ($0.item, $0.fingerprint, sameFeed: reports[$0.item].feed == r.feed)
            }
            let match = StoryMatcher.best(for: fp, among: candidates)
            storyOf.append(match.map { storyOf[$0.0] } ?? i)
            index.insert(i, fp)
        }
        var groups: [Int: Set<String>] = [:]
        for (i, r) in reports.enumerated() { groups[storyOf[i], default: []].insert(r.report.story) }
        #expect(
            groups.values.allSatisfy { $0.count == 1 },
            "a story holds reports of different stories: \(groups.values.filter { $0.count > 1 })")
        #expect(groups.count == SyndicationSet.storyCount, "\(groups.count) stories for \(SyndicationSet.storyCount)")
    }
}
