import FeedCore
import Foundation

/// The page's own words in its two languages. The page follows the browser (`Accept-Language`), a
/// `?lang=` link sets a cookie that overrides it, and English is the fallback.
struct Labels: Sendable {
    var code: String
    var rightToLeft: Bool
    var languageName: String

    var alerts: String
    var feeds: String
    var topic: String
    var allTopics: String
    var feed: String
    var allFeeds: String
    var state: String
    var unread: String
    var acknowledged: String
    var all: String
    var since: String
    var search: String
    var filter: String
    var clear: String
    var acknowledge: String
    var acknowledgeShown: String
    var noAlerts: String
    var count: @Sendable (Int) -> String
    var pageOf: @Sendable (Int, Int) -> String
    var previous: String
    var next: String
    var sources: String
    var published: String
    var created: String
    var openArticle: String
    var summary: String
    var whyMatched: String
    var score: String
    var matchedWords: String
    var why: String
    var whyNote: String
    var storySources: String
    var soleSource: String
    var back: String
    var status: String
    var lastPoll: String
    var nextPoll: String
    var interval: String
    var lastError: String
    var alertsWeek: String
    var never: String
    var keys: String
    var keyHelp: [(key: String, what: String)]
    var notFound: String
    var staleForm: String
    var badQuery: String
    var stateUnknown: String

    static let english = Labels(
        code: "en", rightToLeft: false, languageName: "English",
        alerts: "Alerts", feeds: "Feeds", topic: "Topic", allTopics: "All topics", feed: "Feed",
        allFeeds: "All feeds", state: "State", unread: "Unread", acknowledged: "Acknowledged", all: "All",
        since: "Since", search: "Search", filter: "Filter", clear: "Clear", acknowledge: "Acknowledge",
        acknowledgeShown: "Acknowledge all shown", noAlerts: "No alerts match.",
        count: { $0 == 1 ? "1 alert" : "\($0) alerts" }, pageOf: { "page \($0) of \($1)" },
        previous: "Newer", next: "Older", sources: "sources", published: "Published", created: "Alerted",
        openArticle: "Open the article", summary: "Summary", whyMatched: "Why it matched", score: "Score",
        matchedWords: "Matched words", why: "Why",
        whyNote: "as the topics in force now read this headline and summary",
        storySources: "Every source of this story", soleSource: "The only report of this story so far.",
        back: "Back to the alerts", status: "Status", lastPoll: "Last poll", nextPoll: "Next poll",
        interval: "Interval", lastError: "Last error", alertsWeek: "Alerts, 7 days", never: "never",
        keys: "Keys",
        keyHelp: [
            ("j / k", "next / previous alert"), ("o", "open the alert (on an alert: the article)"),
            ("a", "acknowledge"), ("u", "back to the list"), ("?", "this help"),
        ],
        notFound: "No such alert: it may have been removed by retention.",
        staleForm: "This form has expired (the daemon restarted, or it came from another site). Reload the page and try again.",
        badQuery: "The filter cannot be used", stateUnknown: "the state cannot be read")

    static let arabic = Labels(
        code: "ar", rightToLeft: true, languageName: "العربية",
        alerts: "التنبيهات", feeds: "الخلاصات", topic: "الموضوع", allTopics: "كل المواضيع", feed: "الخلاصة",
        allFeeds: "كل الخلاصات", state: "الحالة", unread: "غير مقروءة", acknowledged: "مقروءة", all: "الكل",
        since: "منذ", search: "بحث", filter: "تصفية", clear: "مسح", acknowledge: "تمت القراءة",
        acknowledgeShown: "تعليم كل المعروض كمقروء", noAlerts: "لا تنبيهات مطابقة.",
        count: { "عدد التنبيهات: \($0)" }, pageOf: { "الصفحة \($0) من \($1)" },
        previous: "الأحدث", next: "الأقدم", sources: "مصادر", published: "نُشر", created: "وقت التنبيه",
        openArticle: "فتح المقال", summary: "الملخص", whyMatched: "سبب التطابق", score: "الدرجة",
        matchedWords: "الكلمات المطابقة", why: "السبب",
        whyNote: "كما تقرأ المواضيعُ المعمول بها الآن هذا العنوان والملخص",
        storySources: "كل مصادر هذا الخبر", soleSource: "لا مصدر آخر لهذا الخبر حتى الآن.",
        back: "العودة إلى التنبيهات", status: "الحالة", lastPoll: "آخر جلب", nextPoll: "الجلب التالي",
        interval: "الفاصل", lastError: "آخر خطأ", alertsWeek: "تنبيهات ٧ أيام", never: "لم يحدث",
        keys: "المفاتيح",
        keyHelp: [
            ("j / k", "التنبيه التالي / السابق"), ("o", "فتح التنبيه (وفي صفحة التنبيه: المقال)"),
            ("a", "تعليم كمقروء"), ("u", "العودة إلى القائمة"), ("?", "هذه المساعدة"),
        ],
        notFound: "لا يوجد هذا التنبيه: ربما حُذف بانتهاء مدة الاحتفاظ.",
        staleForm: "انتهت صلاحية هذا النموذج (أُعيد تشغيل البرنامج، أو جاء من موقع آخر). أعد تحميل الصفحة وحاول مرة أخرى.",
        badQuery: "لا يمكن استخدام التصفية", stateUnknown: "تعذّرت قراءة الحالة")

    /// The page's language: `?lang=` first, then the `lang` cookie, then the browser's preference
    /// between Arabic and English (by q-value, in order), then English.
    static func negotiate(query: String?, cookie: String?, acceptLanguage: String?) -> Labels {
        for choice in [query, cookie] {
            if let choice, let labels = labels(for: choice) { return labels }
        }
        var best: (labels: Labels, q: Double)?
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let pieces = part.split(separator: ";")
            guard let tag = pieces.first, let labels = labels(for: String(tag)) else { continue }
            var q = 1.0
            for p in pieces.dropFirst() {
                let kv = p.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == "q",
                    let v = Double(kv[1].trimmingCharacters(in: .whitespaces))
                {
                    q = v
                }
            }
            if q > 0, q > (best?.q ?? 0) { best = (labels, q) }
        }
        return best?.labels ?? english
    }

    static func labels(for tag: String) -> Labels? {
        let primary = tag.trimmingCharacters(in: .whitespaces).lowercased().split(separator: "-").first ?? ""
        switch primary {
        case "ar": return arabic
        case "en": return english
        default: return nil
        }
    }
}
