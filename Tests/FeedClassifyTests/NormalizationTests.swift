import Testing

@testable import FeedClassify

@Suite("Normalization and stemming")
struct NormalizationTests {
    /// The normalized tokens of `text`, as strings.
    func tokens(_ text: String) -> [String] {
        var n = Normalizer()
        n.tokenize(text)
        return n.tokens.map { t in
            String(String.UnicodeScalarView(n.scalars[t.start..<t.end].map { Unicode.Scalar($0)! }))
        }
    }

    func stem(_ word: String) -> String {
        var n = Normalizer()
        n.tokenize(word)
        let t = n.tokens[0]
        let r = t.script == .arabic ? Stemmer.arabic(n.scalars, t.start..<t.end) : Stemmer.english(n.scalars, t.start..<t.end).0
        var s = String(String.UnicodeScalarView(n.scalars[r].map { Unicode.Scalar($0)! }))
        if t.script == .latin, let extra = Stemmer.english(n.scalars, t.start..<t.end).1 {
            s += String(String.UnicodeScalarView(extra.map { Unicode.Scalar($0)! }))
        }
        return s
    }

    @Test(
        "BI-20: Arabic letter variants fold to one key",
        arguments: [
            ("أوبن", "اوبن"), ("إنفيديا", "انفيديا"), ("آبل", "ابل"), ("فى", "في"), ("شراكة", "شراكه"),
            ("الـذهب", "الذهب"), ("رقماً", "رقما"), ("توّج", "توج"), ("مؤشر", "موشر"), ("ﺍﻟﺬﻫﺐ", "الذهب"),
        ])
    func arabicFolding(input: String, expected: String) {
        #expect(tokens(input) == [expected])
    }

    @Test("invisible characters inside a word do not split it (zero-width space, word joiner, BOM)")
    func invisibleJoiners() {
        #expect(tokens("go\u{200B}ld") == ["gold"])
        #expect(tokens("Open\u{2060}AI") == ["openai"])
        #expect(tokens("الذ\u{FEFF}هب") == ["الذهب"])
        #expect(
            DefaultTopics.classifier.classify(title: "Go\u{200B}ld prices rise as the dollar weakens", summary: nil)
                .topics == ["gold-prices"])
    }

    @Test func digitsAndScriptsSplit() {
        #expect(tokens("عيار ٢١") == ["عيار", "21"])
        #expect(tokens("لـOpenAI") == ["ل", "openai"])
        #expect(tokens("مايكروسوفت2024") == ["مايكروسوفت", "2024"])
        #expect(tokens("١٣.١٪") == ["13", "1", "%"])
        #expect(tokens("S&P 500") == ["s", "p", "500"])
    }

    @Test func englishFolding() {
        #expect(tokens("Nvidia's Café-Owner’s DEAL") == ["nvidia", "cafe", "owner", "deal"])
        #expect(tokens("ＧＯＬＤ") == ["gold"])  // full-width letters through NFKC
    }

    @Test(
        "light10 brings every form of a word to one stem",
        arguments: [
            ("الذهب", "ذهب"), ("والذهب", "ذهب"), ("بالذهب", "ذهب"), ("للذهب", "ذهب"), ("شراكات", "شراك"),
            ("شراكتها", "شراكت"), ("الأسواق", "اسواق"),
        ])
    func arabicStems(word: String, expected: String) {
        #expect(stem(word) == expected)
    }

    @Test(
        "English light stemming",
        arguments: [
            ("partnerships", "partnership"), ("prices", "price"), ("companies", "company"), ("stocks", "stock"),
            ("gas", "gas"), ("status", "status"), ("crisis", "crisis"), ("taxes", "tax"), ("AI", "ai"),
        ])
    func englishStems(word: String, expected: String) {
        #expect(stem(word) == expected)
    }
}
