import Testing

@testable import FeedStory

@Suite("Stories: what outlets add around a headline")
struct HeadlineTests {
    @Test(
        "publisher suffixes and wire labels are removed, the headline is kept",
        arguments: [
            ("Gold rises as dollar weakens - Reuters", "Gold rises as dollar weakens"),
            ("UPDATE 2-Gold rises as dollar weakens", "Gold rises as dollar weakens"),
            ("Update 1: Philippine Shares End Up 0.7 Percent", "Philippine Shares End Up 0.7 Percent"),
            ("EXCLUSIVE-Microsoft to invest $10 billion in OpenAI", "Microsoft to invest $10 billion in OpenAI"),
            ("Gold rises as dollar weakens | Market Wire", "Gold rises as dollar weakens"),
            (
                "Orient Technologies makes a stellar debut at ₹288 | Stock Market News - Mint",
                "Orient Technologies makes a stellar debut at ₹288"
            ),
            ("Greece sells family silver to fill budget holes (AFP)", "Greece sells family silver to fill budget holes"),
            ("عاجل | الذهب يرتفع مع تراجع الدولار - اليوم السابع", "الذهب يرتفع مع تراجع الدولار"),
            ("عاجل: الذهب يرتفع مع تراجع الدولار", "الذهب يرتفع مع تراجع الدولار"),
            ("قفزة مفاجئة في سعر الجنيه الذهب - Masrawy - مصراوي", "قفزة مفاجئة في سعر الجنيه الذهب"),
        ])
    func stripped(raw: String, expected: String) {
        #expect(Headline.title(raw) == expected)
    }

    @Test(
        "what looks like a suffix but belongs to the story stays",
        arguments: [
            "Gold rises - dollar falls",  // a direction: part of the headline
            "[02.08.2018 - 11:18 Uhr] Brandmeldeanlagenalarm",  // a time: part of the headline
            "Fire in Philadelphia - NBC 10 Philadelphia",  // a standalone number
            "US-China Tension Grows",  // no spaces around the dash
            "Live: Gold",  // a label with too little after it
        ])
    func kept(raw: String) {
        #expect(Headline.title(raw) == raw)
    }

    @Test("summaries lose their dateline and the word an ellipsis cut")
    func summaries() {
        #expect(Headline.summary("LONDON (Reuters) - Gold rose 1% on Tuesday") == "Gold rose 1% on Tuesday")
        #expect(Headline.summary("(رويترز) - ارتفع الذهب") == "ارتفع الذهب")
        #expect(Headline.summary("Gold rose 1% to $4,21…") == "Gold rose 1% to")
        #expect(Headline.summary("Gold rose 1% on Tuesday. Read more") == "Gold rose 1% on Tuesday.")
    }
}
