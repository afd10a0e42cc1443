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

    @Test("conflicting labels: funding series, ordinals, quarters, halves, years (issue 22)")
    func labels() {
        // Funding series: the letter after "series", also hyphenated, also in Arabic.
        #expect(
            facts("Perplexity raises Series B funding round").conflict(with: facts("Perplexity raises Series A funding round"))
                == "series differ")
        #expect(facts("Perplexity closes series-b").conflict(with: facts("Perplexity closes Series C+")) == "series differ")
        #expect(facts("جولة تمويل من الفئة أ").conflict(with: facts("جولة تمويل من الفئة ب")) == "series differ")
        // Ordinals, in words and in digits, masculine and feminine.
        #expect(facts("Vote heads to second round").conflict(with: facts("Vote heads to third round")) == "ordinals differ")
        #expect(facts("Vote heads to 2nd round").conflict(with: facts("Vote heads to third round")) == "ordinals differ")
        #expect(facts("انطلاق الجولة الثانية").conflict(with: facts("انطلاق الجولة الثالثة")) == "ordinals differ")
        #expect(facts("المؤتمر الأول للشباب").conflict(with: facts("المؤتمر الرابع للشباب")) == "ordinals differ")
        // Quarters and halves, however written.
        #expect(facts("Apple Q1 results").conflict(with: facts("Apple Q2 results")) == "quarters differ")
        #expect(facts("Nvidia first-quarter revenue").conflict(with: facts("Nvidia second-quarter revenue")) == "quarters differ")
        #expect(facts("Nvidia 3Q revenue").conflict(with: facts("Nvidia fourth quarter revenue")) == "quarters differ")
        #expect(facts("أرباح أرامكو في الربع الأول").conflict(with: facts("أرباح أرامكو في الربع الثاني")) == "quarters differ")
        #expect(facts("Siemens H1 profit").conflict(with: facts("Siemens second-half profit")) == "halves differ")
        #expect(facts("أرباح النصف الأول").conflict(with: facts("أرباح النصف الثاني")) == "halves differ")
        // A year is a number.
        #expect(facts("Outlook for 2025").conflict(with: facts("Outlook for 2026")) == "numbers differ")
    }

    @Test("one label written several ways is one fact; look-alikes are no label")
    func sameLabels() {
        #expect(facts("Nvidia Q1 revenue").conflict(with: facts("Nvidia first-quarter revenue")) == nil)
        #expect(facts("Nvidia 3Q revenue").conflict(with: facts("Nvidia Q3 revenue")) == nil)
        #expect(facts("Perplexity closes series-b").conflict(with: facts("Perplexity closes Series B")) == nil)
        #expect(facts("Vote heads to 2nd round").conflict(with: facts("Vote heads to second round")) == nil)
        #expect(facts("الدور الثاني").conflict(with: facts("الجولة الثانية")) == nil)
        #expect(facts("Siemens H1 profit").conflict(with: facts("Siemens first-half profit")) == nil)
        // A quarter and a half are not compared: Q2 and first-half results are often one release.
        #expect(facts("Siemens Q2 profit").conflict(with: facts("Siemens first-half profit")) == nil)
        // An ordinal that names a quarter is not an ordinal as well.
        #expect(facts("Q2 profit rises for first time").conflict(with: facts("Second-quarter profit rises")) == nil)
        // كانون الثاني is January, not a second anything; H-1B is a visa; a summary's ordinal is an aside.
        #expect(facts("أسعار كانون الثاني").ordinals == 0)
        #expect(facts("أسعار كانون الثاني").months == 1 << 1)
        #expect(facts("H-1B visa fee").halves == 0)
        #expect(facts("Startup raises funds", "It raised money for the second time this year.").ordinals == 0)
        #expect(facts("Startup results", "Revenue rose in the second quarter.").quarters == 1 << 2)
        #expect(facts("Series of storms").series == 0)
    }

    @Test("a report that says less agrees with one that says more")
    func nested() {
        #expect(facts("Gold rises to $4,212").conflict(with: facts("Gold rises to $4,212, up 1.2%")) == nil)
        #expect(facts("Gold rises").conflict(with: facts("Gold rises as dollar falls")) == nil)
        #expect(facts("Gold record").conflict(with: facts("Gold rises to $4,212 on Tuesday")) == nil)
        #expect(facts("Perplexity raises funds").conflict(with: facts("Perplexity raises Series B in second round in Q1")) == nil)
        // "may" and "march" are months only next to a number; "teams up" is no direction.
        #expect(facts("Shares may fall").months == 0)
        #expect(facts("Shares fall on May 6").months != 0)
        #expect(facts("OpenAI teams up with Apple").directions == 0)
    }
}
