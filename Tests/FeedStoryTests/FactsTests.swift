import Testing

@testable import FeedStory

@Suite("Stories: facts")
struct FactsTests {
    func numbers(_ text: String) -> Set<NumberScanner.Number> { Set(NumberScanner.numbers(in: text)) }

    @Test(
        "one figure written several ways is one number",
        arguments: [
            ("Gold at $4,212", "Gold at 4212"),
            ("Gold at 4212", "الذهب عند ٤٢١٢"),
            ("invest $4.2bn", "invest $4.2 billion"),
            ("invest 4.2 billion", "تستثمر 4.2 مليار"),
            ("invest $4,200 million", "invest $4.2bn"),
            ("up 2.5%", "up 2.5 percent"),
            ("up 2.5%", "ارتفع ٢٫٥٪"),
            ("up 2.5 per cent", "ارتفع 2.5 في المئة"),
        ])
    func sameNumber(a: String, b: String) {
        #expect(numbers(a) == numbers(b))
        #expect(!numbers(a).isEmpty)
    }

    @Test("other figures, percentages and times of day are other numbers")
    func otherNumbers() {
        #expect(numbers("Gold at $4,212") != numbers("Gold at $4,150"))
        #expect(numbers("up 2.5") != numbers("up 2.5%"))
        #expect(numbers("alarm at 11:18") != numbers("alarm at 18:57"))
        #expect(numbers("02.08.2018") == numbers("2 8 2018"))
        #expect(numbers("rate 7.0833") != numbers("rate 7.0866"))
        // Names with digits are not figures.
        #expect(numbers("CNBCTV18 on 5G and H1 results").isEmpty)
        #expect(numbers("").isEmpty)
    }

    func facts(_ title: String, _ summary: String? = nil) -> StoryFacts {
        StoryFingerprint(title: title, summary: summary).facts
    }

    @Test("conflicting facts: numbers, directions, weekdays, months")
    func conflicts() {
        #expect(facts("Gold rises to $4,212").conflict(with: facts("Gold slips below $4,150")) != nil)
        #expect(facts("Gold rises").conflict(with: facts("Gold falls")) == "directions differ")
        #expect(facts("Oracle shares up 35%").conflict(with: facts("Oracle shares down 35%")) == "directions differ")
        #expect(facts("الذهب يرتفع").conflict(with: facts("الذهب يتراجع")) == "directions differ")
        #expect(facts("مؤشر نيكي يغلق مرتفعا").conflict(with: facts("مؤشر نيكي يغلق منخفضا")) == "directions differ")
        #expect(facts("Nikkei hits two-week high").conflict(with: facts("Nikkei hits three-week high")) == "numbers differ")
        #expect(facts("سعر الذهب اليوم الأربعاء").conflict(with: facts("سعر الذهب اليوم الخميس")) == "weekdays differ")
        #expect(facts("Rates on Jan. 16").conflict(with: facts("Rates on Feb. 16")) == "months differ")
        #expect(facts("سعر الذهب في أبريل").conflict(with: facts("سعر الذهب في مايو")) == "months differ")
    }

    @Test("a report that says less agrees with one that says more")
    func nested() {
        #expect(facts("Gold rises to $4,212").conflict(with: facts("Gold rises to $4,212, up 1.2%")) == nil)
        #expect(facts("Gold rises").conflict(with: facts("Gold rises as dollar falls")) == nil)
        #expect(facts("Gold record").conflict(with: facts("Gold rises to $4,212 on Tuesday")) == nil)
        // "may" and "march" are months only next to a number; "teams up" is no direction.
        #expect(facts("Shares may fall").months == 0)
        #expect(facts("Shares fall on May 6").months != 0)
        #expect(facts("OpenAI teams up with Apple").directions == 0)
    }
}
