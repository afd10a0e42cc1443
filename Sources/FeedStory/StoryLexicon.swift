import FeedClassify

/// The few word lists the story stage needs, written as people write them and normalized once at
/// start through the classifier's own reading (`NormalizedWords`), so أعلى/اعلى/أعلي or Rises/rise are
/// one entry. Lists are short on purpose: every entry is a word whose presence changes what a report
/// says (direction, date) or a word that says nothing about the story (function words, wire labels).
enum StoryLexicon {
    /// Which way a report says something moved: the strongest fact besides numbers.
    enum Direction: UInt8, Sendable { case up = 1, down = 2, flat = 4 }

    static let directions: [String: Direction] = {
        var out: [String: Direction] = [:]
        let lists: [(Direction, String)] = [
            (.up, """
                rise rises rose risen rising climb climbs climbed climbing gain gains gained gaining jump jumps jumped
                surge surges surged surging soar soars soared soaring rally rallies rallied rebound rebounds rebounded
                advance advances advanced spike spiked rocket rockets rocketed higher high highs highest hike hikes hiked
                raise raises raised boost boosts boosted strengthen strengthens strengthened firmer recover recovers
                recovered
                ارتفاع ارتفاعات ارتفاعا ارتفع ارتفعت يرتفع ترتفع صعود صعودا صعد صعدت يصعد تصعد قفز قفزت يقفز تقفز قفزة
                مكاسب يكسب تكسب زيادة يزيد تزيد زاد زادت انتعاش ينتعش تنتعش أعلى رفع رفعت يرفع ترفع مرتفع مرتفعا مرتفعة
                """),
            (.down, """
                fall falls fell fallen falling drop drops dropped dropping slip slips slipped slide slides slid sliding
                decline declines declined declining plunge plunges plunged plunging tumble tumbles tumbled sink sinks
                sank sunk slump slumps slumped dip dips dipped ease eases eased easing retreat retreats retreated lose
                loses lost loss losses lower lowest low lows cut cuts slash slashes slashed weaken weakens weakened
                weaker crash crashes crashed
                تراجع تراجعت تراجعا يتراجع تتراجع انخفاض انخفاضا انخفض انخفضت ينخفض تنخفض هبوط هبوطا هبط هبطت يهبط
                تهبط خسائر خسارة يخسر تخسر خسر خسرت تهاوى يتهاوى تتهاوى انهيار ينهار تنهار نزول ينزل تنزل أدنى أقل
                خفض خفضت يخفض تخفض منخفض منخفضا منخفضة
                """),
            (.flat, """
                steady steadies steadied flat unchanged hold holds held stable stabilise stabilize
                استقرار يستقر تستقر استقر استقرت مستقر مستقرة ثبات ثابت ثابتة تثبيت يثبت تثبت
                """),
        ]
        for (direction, text) in lists {
            for word in NormalizedWords(text).words {
                out[word.text] = direction
                if out[word.stem] == nil { out[word.stem] = direction }
            }
        }
        return out
    }()

    /// Months, 1…12. Names that are also common words (may, march, مارس "practised", آب "father",
    /// نيسان "Nissan") count only next to a number: `ambiguousMonths`.
    static let months: [String: Int] = normalized([
        "january": 1, "jan": 1, "february": 2, "feb": 2, "april": 4, "apr": 4, "june": 6, "jun": 6, "july": 7,
        "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10,
        "november": 11, "nov": 11, "december": 12, "dec": 12,
        "يناير": 1, "فبراير": 2, "أبريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7,
        "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
        "شباط": 2, "آذار": 3, "أيار": 5, "حزيران": 6, "تموز": 7, "أيلول": 9,
    ])
    static let ambiguousMonths: [String: Int] = normalized(["march": 3, "mar": 3, "may": 5, "مارس": 3, "نيسان": 4, "آب": 8])
    /// Levantine months of two words: كانون الثاني (January) … تشرين الأول (October).
    static let twoWordMonths: [String: [String: Int]] = [
        norm("كانون"): [norm("الثاني"): 1, norm("الأول"): 12],
        norm("تشرين"): [norm("الأول"): 10, norm("الثاني"): 11],
    ]

    /// Weekdays, 0 = Sunday. Arabic names with the article only: أحد alone means "one".
    static let weekdays: [String: Int] = normalized([
        "sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
        "الأحد": 0, "الاثنين": 1, "الإثنين": 1, "الثلاثاء": 2, "الأربعاء": 3, "الخميس": 4, "الجمعة": 5, "السبت": 6,
    ])

    /// Number words, as numbers ("three-week high" and "two-week high" are two stories).
    static let numberWords: [String: Double] = normalized([
        "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "dozen": 12, "hundred": 100,
    ])

    /// Words scaling the number before them ("$4.2 billion", "4,2 مليار"); they are part of the number.
    static let multipliers: [String: Double] = normalized([
        "thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6,
        "billion": 1e9, "billions": 1e9, "bln": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
        "ألف": 1e3, "آلاف": 1e3, "مليون": 1e6, "ملايين": 1e6, "مليار": 1e9, "مليارات": 1e9, "بليون": 1e9,
        "تريليون": 1e12, "ترليون": 1e12,
    ])
    /// Words making the number before them a percentage.
    static let percentWords: Set<String> = normalizedSet(["percent", "pct", "pc", "بالمئة", "بالمائة", "المئة", "المائة"])

    /// One currency written four ways: "$", "USD", "dollars", "دولار" are the same word.
    static let dollarWords: Set<String> = normalizedSet(["usd", "dollar", "dollars", "دولار", "دولارا", "دولارات"])

    /// Words that say nothing about which story a report tells.
    static let stopWords: Set<String> = normalizedSet("""
        a an the of to in on for at by with as and or but is are was were be been being its it it's this that these
        those from after before over under amid into than then so not no new says said say report reports reported
        today yesterday tomorrow now just more most also via per up down about against while during will would can
        could may might has have had do does did
        في من على إلى الى عن مع بعد قبل أن إن ان هذا هذه ذلك تلك التي الذي الذين ما لا لم لن كما بين عند حتى قد
        أو او ثم كل غير خلال منذ اليوم أمس غدا الآن وسط ضمن لدى لها له فيها فيه عليه عليها هو هي
        """.split(whereSeparator: \.isWhitespace).map(String.init))

    /// Wire and web labels before a headline ("UPDATE 2-", "EXCLUSIVE-", "عاجل |", "بالفيديو..").
    static let headlinePrefixes: Set<String> = normalizedSet("""
        update updates updated exclusive breaking wrapup rpt refile corrected correction factbox analysis explainer
        live video watch urgent alert flash instant view
        عاجل فيديو بالفيديو شاهد خاص حصري تحديث بالصور صور انفوجراف إنفوجراف انفوغراف مباشر بث
        """.split(whereSeparator: \.isWhitespace).map(String.init))

    /// Normalized text of a single word.
    static func norm(_ word: String) -> String { NormalizedWords(word).words.first?.text ?? word }

    private static func normalized<V>(_ table: [String: V]) -> [String: V] {
        var out: [String: V] = [:]
        for (k, v) in table { out[norm(k)] = v }
        return out
    }

    private static func normalizedSet(_ words: [String]) -> Set<String> { Set(words.map(norm)) }
}
