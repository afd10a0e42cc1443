import FeedClassify

/// The few word lists the story stage needs, written as people write them and read once at start
/// through the classifier's own normalization (`NormalizedWords`), so أعلى/اعلى/أعلي or Rises/rise are
/// one entry. Lists are short on purpose: every entry is a word whose presence changes what a report
/// says (direction, date, figure) or a word that says nothing about the story (function words, wire
/// labels). Words are looked up by their 64-bit keys: surface form first, then stem.
enum StoryLexicon {
    /// Which way a report says something moved: the strongest fact besides numbers.
    enum Direction: UInt8, Sendable {
        case up = 1
        case down = 2
        case flat = 4
    }

    enum Role: Sendable, Equatable {
        case stop
        case direction(Direction)
        /// "up" and "down": a direction before a number or at the end ("shares up 35%"), else a stop word
        /// ("teams up with").
        case directionBeforeNumber(Direction)
        case month(Int)
        /// A month only next to a number (may, march, مارس "practised", آب "father", نيسان "Nissan").
        case ambiguousMonth(Int)
        /// 0 = Sunday.
        case weekday(Int)
        /// "third", الثالث, الثالثة ("3rd" is read from its digits).
        case ordinal(Int)
        /// "series", السلسلة, الجولة, الفئة: a single letter after it is a funding series ("Series B").
        case series
        /// "quarter", الربع: with an ordinal, a quarter of the year ("first-quarter", "الربع الأول").
        case quarter
        /// "half", النصف: with an ordinal, a half of the year.
        case half
        /// Scales the number before it ("4.2 billion"): part of the number.
        case multiplier
        case percent
        /// "$", "USD", "dollars", "دولار": one word.
        case dollar
        case number(Double)
    }

    static func role(of w: NormalizedWords.Word) -> Role? {
        if let r = surfaces[w.surface] { return r }
        if let r = stems[w.stem] { return r }
        return w.barestem.flatMap { stems[$0] }
    }

    static let directionWords: [(Direction, String)] = [
        (
            .up,
            """
            rise rises rose risen rising climb climbs climbed climbing gain gains gained gaining jump jumps jumped
            surge surges surged surging soar soars soared soaring rally rallies rallied rebound rebounds rebounded
            advance advances advanced spike spiked rocket rockets rocketed higher high highs highest hike hikes hiked
            raise raises raised boost boosts boosted strengthen strengthens strengthened firmer recover recovers
            recovered
            ارتفاع ارتفاعات ارتفاعا ارتفع ارتفعت يرتفع ترتفع صعود صعودا صعد صعدت يصعد تصعد قفز قفزت يقفز تقفز قفزة
            مكاسب يكسب تكسب زيادة يزيد تزيد زاد زادت انتعاش ينتعش تنتعش أعلى رفع رفعت يرفع ترفع مرتفع مرتفعا مرتفعة
            """
        ),
        (
            .down,
            """
            fall falls fell fallen falling drop drops dropped dropping slip slips slipped slide slides slid sliding
            decline declines declined declining plunge plunges plunged plunging tumble tumbles tumbled sink sinks
            sank sunk slump slumps slumped dip dips dipped ease eases eased easing retreat retreats retreated lose
            loses lost loss losses lower lowest low lows cut cuts slash slashes slashed weaken weakens weakened
            weaker crash crashes crashed
            تراجع تراجعت تراجعا يتراجع تتراجع انخفاض انخفاضا انخفض انخفضت ينخفض تنخفض هبوط هبوطا هبط هبطت يهبط
            تهبط خسائر خسارة يخسر تخسر خسر خسرت تهاوى يتهاوى تتهاوى انهيار ينهار تنهار نزول ينزل تنزل أدنى أقل
            خفض خفضت يخفض تخفض منخفض منخفضا منخفضة
            """
        ),
        (
            .flat,
            """
            steady steadies steadied flat unchanged hold holds held stable stabilise stabilize
            استقرار يستقر تستقر استقر استقرت مستقر مستقرة ثبات ثابت ثابتة تثبيت يثبت تثبت
            """
        ),
    ]

    /// Exact normalized forms.
    static let surfaces: [UInt64: Role] = {
        var out: [UInt64: Role] = [:]
        func add(_ text: String, _ role: Role) {
            for w in NormalizedWords(text).words where out[w.surface] == nil { out[w.surface] = role }
        }
        for (d, text) in directionWords { add(text, .direction(d)) }
        add("up", .directionBeforeNumber(.up))
        add("down", .directionBeforeNumber(.down))
        for (text, m) in months { add(text, .month(m)) }
        for (text, m) in ambiguousMonths { add(text, .ambiguousMonth(m)) }
        /// With a proclitic before an Arabic article: والأحد, بالأحد, فالأحد, للأحد.
        func addWithProclitics(_ text: String, _ role: Role) {
            add(text, role)
            guard text.hasPrefix("ال") else { return }
            for p in ["و", "ب", "ف"] { add(p + text, role) }
            add("لل" + text.dropFirst(2), role)
        }
        for (text, d) in weekdays { addWithProclitics(text, .weekday(d)) }
        for (text, n) in ordinalWords {
            for w in text.split(separator: " ") { addWithProclitics(String(w), .ordinal(n)) }
        }
        for w in seriesWords.split(whereSeparator: \.isWhitespace) { addWithProclitics(String(w), .series) }
        for w in quarterWords.split(whereSeparator: \.isWhitespace) { addWithProclitics(String(w), .quarter) }
        for w in halfWords.split(whereSeparator: \.isWhitespace) { addWithProclitics(String(w), .half) }
        for (text, n) in numberWords { add(text, .number(n)) }
        add(multiplierWords, .multiplier)
        add(percentWords, .percent)
        add(dollarWords + " $", .dollar)
        add(stopWords, .stop)
        return out
    }()

    /// Stems of the words whose inflections and proclitics vary (الارتفاع, وارتفعت, بمايو, بالدولار).
    static let stems: [UInt64: Role] = {
        var out: [UInt64: Role] = [:]
        func add(_ text: String, _ role: Role) {
            for w in NormalizedWords(text).words where out[w.stem] == nil { out[w.stem] = role }
        }
        for (d, text) in directionWords { add(text, .direction(d)) }
        for (text, m) in months { add(text, .month(m)) }
        add(dollarWords, .dollar)
        return out
    }()

    static let months: [(String, Int)] = [
        ("january", 1), ("jan", 1), ("february", 2), ("feb", 2), ("april", 4), ("apr", 4), ("june", 6), ("jun", 6),
        ("july", 7), ("jul", 7), ("august", 8), ("aug", 8), ("september", 9), ("sep", 9), ("sept", 9), ("october", 10),
        ("oct", 10), ("november", 11), ("nov", 11), ("december", 12), ("dec", 12),
        ("يناير", 1), ("فبراير", 2), ("أبريل", 4), ("إبريل", 4), ("مايو", 5), ("يونيو", 6), ("يونيه", 6), ("يوليو", 7),
        ("يوليه", 7), ("أغسطس", 8), ("سبتمبر", 9), ("أكتوبر", 10), ("نوفمبر", 11), ("ديسمبر", 12),
        ("شباط", 2), ("آذار", 3), ("أيار", 5), ("حزيران", 6), ("تموز", 7), ("أيلول", 9),
    ]
    static let ambiguousMonths: [(String, Int)] = [("march", 3), ("mar", 3), ("may", 5), ("مارس", 3), ("نيسان", 4), ("آب", 8)]

    /// Levantine months of two words: كانون الثاني (January) … تشرين الأول (October), by surface keys.
    static let twoWordMonths: [UInt64: [UInt64: Int]] = {
        func key(_ w: String) -> UInt64 { NormalizedWords(w).words[0].surface }
        return [key("كانون"): [key("الثاني"): 1, key("الأول"): 12], key("تشرين"): [key("الأول"): 10, key("الثاني"): 11]]
    }()

    /// Arabic names with the article only: أحد alone means "one".
    static let weekdays: [(String, Int)] = [
        ("sunday", 0), ("monday", 1), ("tuesday", 2), ("wednesday", 3), ("thursday", 4), ("friday", 5), ("saturday", 6),
        ("الأحد", 0), ("الاثنين", 1), ("الإثنين", 1), ("الثلاثاء", 2), ("الأربعاء", 3), ("الخميس", 4), ("الجمعة", 5),
        ("السبت", 6),
    ]

    /// Ordinal words, masculine and feminine (with the article and without: ثالث أكبر, أول مرة). Ordinals
    /// written with digits ("3rd") are read from the digits (`ordinalSuffixes`).
    static let ordinalWords: [(String, Int)] = [
        ("first الأول الأولى أول أولى", 1), ("second الثاني الثانية ثاني", 2), ("third الثالث الثالثة ثالث", 3),
        ("fourth الرابع الرابعة رابع", 4), ("fifth الخامس الخامسة خامس", 5), ("sixth السادس السادسة سادس", 6),
        ("seventh السابع السابعة سابع", 7), ("eighth الثامن الثامنة ثامن", 8), ("ninth التاسع التاسعة تاسع", 9),
        ("tenth العاشر العاشرة عاشر", 10), ("eleventh", 11), ("twelfth", 12),
    ]
    static let seriesWords = "series السلسلة سلسلة الجولة جولة الفئة فئة"
    static let quarterWords = "quarter quarters qtr الربع ربع"
    static let halfWords = "half النصف نصف"

    /// Single letters by surface key: a…z → 0…25, and the Arabic series letters أ ب ج د → 0…3.
    static let letters: [UInt64: Int] = {
        var out: [UInt64: Int] = [:]
        for (i, c) in "abcdefghijklmnopqrstuvwxyz".enumerated() { out[surface(String(c))] = i }
        for (i, c) in "أبجد".enumerated() { out[surface(String(c))] = i }
        return out
    }()
    /// Small numbers written with digits, by surface key: 1…31 (Arabic-Indic digits normalize to these).
    static let smallNumbers: [UInt64: Int] = Dictionary(uniqueKeysWithValues: (1...31).map { (surface(String($0)), $0) })
    /// "st", "nd", "rd", "th" after digits: an ordinal ("3rd round").
    static let ordinalSuffixes: Set<UInt64> = Set(["st", "nd", "rd", "th"].map(surface))
    /// The letters of "Q1" and "H2".
    static let quarterLetter = surface("q")
    static let halfLetter = surface("h")

    private static func surface(_ w: String) -> UInt64 { NormalizedWords(w).words[0].surface }

    /// Number words, as numbers ("three-week high" and "two-week high" are two stories).
    static let numberWords: [(String, Double)] = [
        ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7), ("eight", 8), ("nine", 9),
        ("ten", 10), ("eleven", 11), ("twelve", 12), ("dozen", 12), ("hundred", 100),
    ]

    static let multiplierWords = """
        thousand million millions mln mn billion billions bln bn trillion tn trn
        ألف آلاف مليون ملايين مليار مليارات بليون تريليون ترليون
        """
    static let percentWords = "percent pct pc cent بالمئة بالمائة المئة المائة"
    static let dollarWords = "usd dollar dollars دولار دولارا دولارات"

    /// Words that say nothing about which story a report tells.
    static let stopWords = """
        a an the of to in on for at by with as and or but is are was were be been being its it this that these
        those from after before over under amid into than then so not no new says said say report reports reported
        today yesterday tomorrow now just more most also via per about against while during will would can
        could might has have had do does did
        في من على إلى الى عن مع بعد قبل أن إن ان هذا هذه ذلك تلك التي الذي الذين ما لا لم لن كما بين عند حتى قد
        أو او ثم كل غير خلال منذ اليوم أمس غدا الآن وسط ضمن لدى لها له فيها فيه عليه عليها هو هي
        """

    /// Wire and web labels before a headline ("UPDATE 2-", "EXCLUSIVE-", "عاجل |", "بالفيديو..").
    static let headlineLabels = Set(
        NormalizedWords(
            """
            update updates updated exclusive breaking wrapup rpt refile corrected correction factbox analysis explainer
            live video watch urgent alert flash instant view
            عاجل فيديو بالفيديو شاهد خاص حصري تحديث بالصور صور انفوجراف إنفوجراف انفوغراف مباشر بث
            """
        ).words.map(\.surface))
}
