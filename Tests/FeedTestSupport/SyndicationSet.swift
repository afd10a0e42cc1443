/// Our own syndication set (issue 10): four English and four Arabic outlets each carry the same six
/// stories with the variations syndication brings (publisher suffixes, wire labels, upper case, edited
/// verbs, summaries cut short with "…", datelines; in Arabic also hamza forms, ة/ه, ى/ي, tatweel,
/// diacritics and Arabic-Indic digits). Two more feeds carry near misses: the same templates on another
/// day or with other figures or the other direction, which must each stay a story of their own.
/// Every report is on topic for the built-in topics.
public enum SyndicationSet: Sendable {
    public struct Report: Sendable {
        /// Which story the report tells: reports with one label must end up in one story.
        public var story: String
        public var title: String
        public var summary: String?

        public init(story: String, title: String, summary: String?) {
            self.story = story
            self.title = title
            self.summary = summary
        }
    }

    public struct Outlet: Sendable {
        /// The feed's path on the test server.
        public var path: String
        public var reports: [Report]
    }

    public static var outlets: [Outlet] { english + arabic + nearMisses }

    /// Distinct stories across all outlets.
    public static var storyCount: Int { Set(outlets.flatMap { $0.reports.map(\.story) }).count }
    public static var reportCount: Int { outlets.reduce(0) { $0 + $1.reports.count } }

    static let goldLede =
        "Gold prices rose 1.2% to a record $4,212 an ounce on Tuesday as the dollar weakened after soft U.S. jobs data."
    static let nikkeiLede =
        "Japan's Nikkei share average jumped 2.1% to close at 38,500 on Wednesday, led by chip-related stocks."
    static let microsoftLede =
        "Microsoft Corp will invest $10 billion in ChatGPT maker OpenAI, deepening a partnership between the two companies."
    static let oilLede =
        "Brent crude futures fell 1.5% to $79.40 a barrel on Thursday after OPEC raised output for a third month."
    static let nvidiaLede = "Nvidia will invest up to $100 billion in OpenAI to build data centers, the companies said on Monday."
    static let spLede = "The S&P 500 fell 0.8% on Friday as 10-year Treasury yields rose to 4.6%."

    public static let english: [Outlet] = [
        Outlet(
            path: "/wire.xml",
            reports: [
                Report(
                    story: "E-gold", title: "Gold rises to record $4,212 as dollar weakens - Reuters",
                    summary: "LONDON (Reuters) - " + goldLede),
                Report(
                    story: "E-nikkei", title: "Nikkei jumps 2.1% to close at 38,500 on chip rally - Reuters",
                    summary: "TOKYO (Reuters) - " + nikkeiLede),
                Report(story: "E-msft", title: "Microsoft to invest $10 billion in OpenAI - Reuters", summary: microsoftLede),
                Report(story: "E-oil", title: "Brent crude falls below $80 as OPEC output rises - Reuters", summary: oilLede),
                Report(story: "E-nvidia", title: "Nvidia to invest $100 billion in OpenAI - Reuters", summary: nvidiaLede),
                Report(story: "E-sp", title: "S&P 500 falls 0.8% as Treasury yields rise - Reuters", summary: spLede),
            ]),
        Outlet(
            path: "/aggregator.xml",
            reports: [
                Report(story: "E-gold", title: "UPDATE 2-Gold rises to record $4,212 as dollar weakens", summary: goldLede),
                Report(
                    story: "E-nikkei", title: "Nikkei jumps 2.1% to close at 38,500 on chip rally - Asia Markets Daily",
                    summary: nikkeiLede),
                Report(story: "E-msft", title: "EXCLUSIVE-Microsoft to invest $10 billion in OpenAI", summary: microsoftLede),
                Report(story: "E-oil", title: "Brent crude falls below $80 as OPEC output rises", summary: oilLede),
                Report(story: "E-nvidia", title: "BREAKING: Nvidia to invest $100 billion in OpenAI", summary: nvidiaLede),
                Report(story: "E-sp", title: "Wall Street: S&P 500 falls 0.8% as Treasury yields rise", summary: spLede),
            ]),
        Outlet(
            path: "/capitals.xml",
            reports: [
                Report(
                    story: "E-gold", title: "GOLD RISES TO RECORD $4,212 AS DOLLAR WEAKENS | Market Wire",
                    summary: cut(goldLede, 14)),
                Report(story: "E-nikkei", title: "NIKKEI JUMPS 2.1% TO CLOSE AT 38,500 ON CHIP RALLY", summary: nil),
                Report(story: "E-msft", title: "MICROSOFT TO INVEST $10BN IN OPENAI - Tech Wire", summary: nil),
                Report(story: "E-oil", title: "BRENT CRUDE FALLS BELOW $80 AS OPEC OUTPUT RISES - Energy Desk", summary: nil),
                Report(story: "E-nvidia", title: "NVIDIA TO INVEST $100 BILLION IN OPENAI", summary: nil),
                Report(story: "E-sp", title: "S&P 500 FALLS 0.8% AS TREASURY YIELDS RISE | Markets Now", summary: nil),
            ]),
        Outlet(
            path: "/rewrite.xml",
            reports: [
                Report(story: "E-gold", title: "Gold climbs to record $4,212 as the dollar weakens", summary: nil),
                Report(
                    story: "E-nikkei", title: "Nikkei surges 2.1 percent to close at 38500 on chip rally",
                    summary: cut(nikkeiLede, 12)),
                Report(
                    story: "E-msft", title: "Microsoft will invest $10bn in OpenAI, deepening partnership",
                    summary: cut(microsoftLede, 13)),
                Report(story: "E-oil", title: "Brent crude slides below $80 as OPEC output climbs", summary: cut(oilLede, 15)),
                Report(story: "E-nvidia", title: "Nvidia to pour $100bn into OpenAI", summary: cut(nvidiaLede, 14)),
                Report(story: "E-sp", title: "S&P 500 drops 0.8% as Treasury yields climb", summary: cut(spLede, 11)),
            ]),
    ]

    static let goldLedeAr = "ارتفعت أسعار الذهب في مصر اليوم الثلاثاء، وسجل عيار 21 نحو 4650 جنيها للجرام."
    static let nikkeiLedeAr = "أغلق مؤشر نيكي الياباني مرتفعا بنسبة 2.1% عند 38500 نقطة اليوم الأربعاء بدعم من أسهم الرقائق."
    static let microsoftLedeAr =
        "أعلنت شركة مايكروسوفت أنها ستستثمر 10 مليارات دولار في شركة أوبن إيه آي المطورة لتطبيق شات جي بي تي."
    static let oilLedeAr = "تراجعت أسعار النفط اليوم الخميس، وهبط خام برنت إلى 79.40 دولار للبرميل بعد قرار أوبك."
    static let nvidiaLedeAr = "قالت إنفيديا إنها ستستثمر ما يصل إلى 100 مليار دولار في أوبن إيه آي لبناء مراكز بيانات."
    static let saudiLedeAr =
        "سجل سعر جرام الذهب عيار 21 في السعودية اليوم الأربعاء 23 أبريل 2025 نحو 352 ريالا، وعيار 24 نحو 402 ريال."

    public static let arabic: [Outlet] = [
        Outlet(
            path: "/youm.xml",
            reports: [
                Report(
                    story: "A-gold", title: "ارتفاع أسعار الذهب في مصر: عيار 21 يسجل 4650 جنيها - اليوم السابع",
                    summary: goldLedeAr),
                Report(
                    story: "A-nikkei", title: "مؤشر نيكي الياباني يغلق مرتفعا 2.1% عند 38500 نقطة - اليوم السابع",
                    summary: nikkeiLedeAr),
                Report(
                    story: "A-msft", title: "مايكروسوفت تستثمر 10 مليارات دولار في أوبن إيه آي - اليوم السابع",
                    summary: microsoftLedeAr),
                Report(
                    story: "A-oil", title: "تراجع أسعار النفط: خام برنت دون 80 دولارا للبرميل - اليوم السابع", summary: oilLedeAr),
                Report(
                    story: "A-nvidia", title: "إنفيديا تستثمر 100 مليار دولار في أوبن إيه آي - اليوم السابع",
                    summary: nvidiaLedeAr),
                Report(
                    story: "A-saudi", title: "سعر الذهب اليوم في السعودية الأربعاء 23 أبريل 2025 - اليوم السابع",
                    summary: saudiLedeAr),
            ]),
        Outlet(
            path: "/urgent.xml",
            reports: [
                Report(story: "A-gold", title: "عاجل | ارتفاع أسعار الذهب في مصر: عيار 21 يسجل 4650 جنيها", summary: goldLedeAr),
                Report(
                    story: "A-nikkei", title: "عاجل | مؤشر نيكى اليابانى يغلق مرتفعا 2.1% عند 38500 نقطة", summary: nikkeiLedeAr),
                Report(
                    story: "A-msft", title: "عاجل | مايكروسوفت تستثمر 10 مليارات دولار في أوبن إيه آي", summary: microsoftLedeAr),
                Report(story: "A-oil", title: "عاجل | تراجع أسعار النفط: خام برنت دون 80 دولارا للبرميل", summary: oilLedeAr),
                Report(story: "A-nvidia", title: "عاجل | إنفيديا تستثمر 100 مليار دولار في أوبن إيه آي", summary: nvidiaLedeAr),
                Report(
                    story: "A-saudi", title: "عاجل | سعر الذهب اليوم في السعودية الأربعاء 23 أبريل 2025", summary: saudiLedeAr),
            ]),
        // Diacritics, tatweel and Arabic-Indic digits (with the Arabic decimal separator and percent sign).
        Outlet(
            path: "/vocalized.xml",
            reports: [
                Report(
                    story: "A-gold", title: "ارتفاعُ أسعارِ الذهــب في مصر: عيارُ ٢١ يسجّل ٤٦٥٠ جنيهاً", summary: cut(goldLedeAr, 9)),
                Report(story: "A-nikkei", title: "مؤشرُ نيكي اليابانيّ يُغلق مرتفعاً ٢٫١٪ عند ٣٨٥٠٠ نقطة", summary: nil),
                Report(story: "A-msft", title: "مايكروسوفت تستثمرُ ١٠ مليارات دولارٍ في «أوبن إيه آي»", summary: nil),
                Report(story: "A-oil", title: "تراجُع أسعار النّفط: خام برنت دون ٨٠ دولاراً للبرميل", summary: nil),
                Report(story: "A-nvidia", title: "إنفيديا تستثمرُ ١٠٠ مليار دولارٍ في أوبن إيه آي", summary: nil),
                Report(story: "A-saudi", title: "سعرُ الذهب اليوم في السعودية الأربعاء ٢٣ أبريل ٢٠٢٥", summary: nil),
            ]),
        // Other spellings: hamza forms, ى for ي, ه for ة; and edited verbs.
        Outlet(
            path: "/spellings.xml",
            reports: [
                Report(story: "A-gold", title: "إرتفاع اسعار الذهب فى مصر.. عيار 21 يسجل 4650 جنيها", summary: nil),
                Report(story: "A-nikkei", title: "نيكي الياباني يغلق مرتفعا 2.1% عند 38500 نقطة", summary: cut(nikkeiLedeAr, 10)),
                Report(story: "A-msft", title: "مايكروسوفت تضخ 10 مليار دولار فى اوبن ايه اي", summary: cut(microsoftLedeAr, 11)),
                Report(story: "A-oil", title: "انخفاض اسعار النفط.. خام برنت دون 80 دولار للبرميل", summary: nil),
                Report(story: "A-nvidia", title: "انفيديا تستثمر 100 مليار دولار فى اوبن ايه اى", summary: nil),
                Report(
                    story: "A-saudi", title: "سعر الذهب اليوم فى السعوديه الاربعاء 23 ابريل 2025", summary: cut(saudiLedeAr, 12)),
            ]),
    ]

    /// Same templates, other facts: each is a story of its own.
    public static let nearMisses: [Outlet] = [
        Outlet(
            path: "/yesterday.xml",
            reports: [
                Report(
                    story: "N-gold-slips", title: "Gold slips below $4,150 as dollar firms",
                    summary: "Gold prices fell 0.6% to $4,148 an ounce on Monday as the dollar firmed."),
                Report(
                    story: "N-nikkei-other-day", title: "Nikkei jumps 1.4% to close at 38,020 on chip rally",
                    summary: "Japan's Nikkei share average jumped 1.4% to close at 38,020 on Tuesday, led by chip-related stocks."
                ),
                Report(
                    story: "N-gold-other-price", title: "Gold rises to record $4,250 as dollar weakens",
                    summary: "Gold prices rose 0.9% to a record $4,250 an ounce on Thursday as the dollar weakened."),
            ]),
        Outlet(
            path: "/ams.xml",
            reports: [
                Report(
                    story: "N-saudi-thursday", title: "سعر الذهب اليوم في السعودية الخميس 24 أبريل 2025",
                    summary:
                        "سجل سعر جرام الذهب عيار 21 في السعودية اليوم الخميس 24 أبريل 2025 نحو 355 ريالا، وعيار 24 نحو 405 ريالات."
                ),
                Report(
                    story: "N-gold-falls-ar", title: "تراجع أسعار الذهب في مصر: عيار 21 يسجل 4600 جنيها",
                    summary: "تراجعت أسعار الذهب في مصر اليوم الاثنين، وسجل عيار 21 نحو 4600 جنيه للجرام."),
                Report(
                    story: "N-nikkei-down-ar", title: "مؤشر نيكي الياباني يغلق منخفضا 1.3% عند 37900 نقطة",
                    summary: "أغلق مؤشر نيكي الياباني منخفضا بنسبة 1.3% عند 37900 نقطة اليوم الخميس."),
            ]),
    ]

    /// The first `words` words of `text` and "…", as feeds cut summaries short.
    static func cut(_ text: String, _ words: Int) -> String {
        text.split(separator: " ").prefix(words).joined(separator: " ") + "…"
    }
}
