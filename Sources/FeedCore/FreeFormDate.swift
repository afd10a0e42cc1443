/// The tolerant reader for RFC 822 dates, their variants, asctime order and Arabic dates: it reads
/// tokens in any reasonable order (weekday, day, month name, year, time, AM/PM, zone) instead of
/// matching one fixed pattern, because real feeds reorder and omit parts freely.
enum FreeFormDate {
    private enum Token: Equatable {
        case number(Int, digits: Int)
        case word(String)
        case symbol(Unicode.Scalar)
    }

    static func parse(_ s: [Unicode.Scalar], from start: Int, defaultOffset: Int) -> Timestamp? {
        let tokens = tokenize(s, from: start)
        var day: Int?
        var month: Int?
        var year: Int?
        var yearDigits = 0
        var hour: Int?
        var minute = 0
        var second = 0
        var meridiem: Int?  // 0 = AM, 12 = PM
        var offset: Int?
        var loose: [(Int, Int)] = []  // numbers not yet placed: (value, digit count)
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            switch t {
            case .number(let v, let n):
                // hh:mm[:ss]
                if case .symbol(":")? = tokens[safe: i + 1], case .number(let m, _)? = tokens[safe: i + 2], hour == nil {
                    hour = v
                    minute = m
                    i += 3
                    if case .symbol(":")? = tokens[safe: i], case .number(let sec, _)? = tokens[safe: i + 1] {
                        second = sec
                        i += 2
                        if case .symbol(".")? = tokens[safe: i], case .number? = tokens[safe: i + 1] { i += 2 }
                    }
                    continue
                }
                loose.append((v, n))
            case .word(let w):
                if let m = Months.english[w] ?? Months.arabic[w], month == nil {
                    month = m
                } else if let m = Months.levantineFirst[w], month == nil {
                    // Two-word Levantine months: كانون الثاني (Jan), كانون الأول (Dec), تشرين الأول/الثاني (Oct/Nov).
                    if case .word(let second)? = tokens[safe: i + 1], let ordinal = Months.levantineOrdinal[second] {
                        month = m[ordinal]
                        i += 1
                    }
                } else if hour != nil, meridiem == nil, let am = Months.meridiem[w] {
                    meridiem = am
                } else if Weekdays.names.contains(w) {
                    // ignored: the weekday adds nothing and is often wrong
                } else if offset == nil, hour != nil || w.count <= 4, let z = Zones.named[w] {
                    offset = z * 3600
                    // GMT+3, UTC-05:30
                    if case .symbol(let sign)? = tokens[safe: i + 1], sign == "+" || sign == "-",
                        case .number(let v, let n)? = tokens[safe: i + 2], let o = numericOffset(sign, v, n, tokens, i + 3)
                    {
                        offset = o.seconds + z * 3600
                        i = o.next
                        continue
                    }
                } else if w.unicodeScalars.first.map({ $0.value < 0x80 }) == true, w.count > 1, month != nil || hour != nil {
                    // An unknown word after the date proper (a zone we do not know): refuse rather than guess.
                    if hour != nil, offset == nil, w.count <= 5, i == tokens.count - 1 { return nil }
                }
            case .symbol(let c):
                if c == "+" || c == "-", hour != nil, offset == nil,
                    case .number(let v, let n)? = tokens[safe: i + 1], let o = numericOffset(c, v, n, tokens, i + 2)
                {
                    offset = o.seconds
                    i = o.next
                    continue
                }
            }
            i += 1
        }
        // Place the loose numbers: a 3+ digit number is the year; the first small one is the day.
        for (v, n) in loose {
            if n >= 3, year == nil {
                year = v
                yearDigits = n
                continue
            }
            if day == nil, (1...31).contains(v) {
                day = v
                continue
            }
            if year == nil {
                year = v
                yearDigits = n
                continue
            }
        }
        guard let d = day, let m = month, var y = year else { return nil }
        if yearDigits <= 2 { y += y < 50 ? 2000 : 1900 }
        var h = hour ?? 0
        if let mer = meridiem {
            guard (1...12).contains(h) else { return nil }
            h = h % 12 + mer
        }
        return Timestamp(
            year: y, month: m, day: d, hour: h, minute: minute, second: second,
            offsetSeconds: offset ?? defaultOffset)
    }

    /// `+0300`, `+03:00`, `+3`, `-0530`.
    private static func numericOffset(
        _ sign: Unicode.Scalar, _ v: Int, _ n: Int, _ tokens: [Token], _ next: Int
    )
        -> (seconds: Int, next: Int)?
    {
        let s = sign == "-" ? -1 : 1
        var h = v
        var m = 0
        var after = next
        if n == 4 || n == 3 {
            h = v / 100
            m = v % 100
        } else if n <= 2, case .symbol(":")? = tokens[safe: next], case .number(let mm, 2)? = tokens[safe: next + 1] {
            m = mm
            after = next + 2
        } else if n > 4 {
            return nil
        }
        guard h <= 14, m < 60 else { return nil }
        return (s * (h * 3600 + m * 60), after)
    }

    private static func tokenize(_ s: [Unicode.Scalar], from start: Int) -> [Token] {
        var tokens: [Token] = []
        var i = start
        var depth = 0  // inside (...) comments, e.g. "+0000 (UTC)"
        while i < s.count {
            let c = s[i]
            if c == "(" {
                depth += 1
                i += 1
                continue
            }
            if c == ")" {
                depth = max(0, depth - 1)
                i += 1
                continue
            }
            if depth > 0 {
                i += 1
                continue
            }
            if DateParser.isDigit(c) {
                var v = 0
                var n = 0
                while i < s.count, DateParser.isDigit(s[i]) {
                    if n < 9 { v = v * 10 + Int(s[i].value - 0x30) }
                    n += 1
                    i += 1
                }
                tokens.append(.number(v, digits: n))
            } else if DateParser.isLetter(c) {
                var w = String.UnicodeScalarView()
                while i < s.count, DateParser.isLetter(s[i]) || isArabicMark(s[i]) {
                    if !isArabicMark(s[i]) { w.append(foldArabic(s[i])) }
                    i += 1
                }
                tokens.append(.word(String(w).lowercased()))
            } else {
                if !DateParser.isSpace(c), c != ",", c != "،" { tokens.append(.symbol(c)) }
                i += 1
            }
        }
        return tokens
    }

    /// Harakat and tatweel carry no meaning for month names.
    private static func isArabicMark(_ s: Unicode.Scalar) -> Bool {
        (0x064B...0x065F).contains(s.value) || s.value == 0x0640 || s.value == 0x0670
    }

    /// Alef forms to bare alef, so أبريل/ابريل and آذار/اذار compare equal.
    private static func foldArabic(_ s: Unicode.Scalar) -> Unicode.Scalar {
        switch s.value {
        case 0x0622, 0x0623, 0x0625, 0x0671: return "\u{0627}"
        case 0x0649: return "\u{064A}"  // alef maqsura → yeh
        default: return s
        }
    }
}

enum Months {
    static let english: [String: Int] = {
        let names = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december",
        ]
        var m: [String: Int] = [:]
        for (k, n) in names.enumerated() {
            m[n] = k + 1
            m[String(n.prefix(3))] = k + 1
        }
        m["sept"] = 9
        return m
    }()

    // Egyptian/Gulf (transliterated) and single-word Levantine names, alef-folded and yeh-folded like the tokens.
    static let arabic: [String: Int] = {
        let pairs: [(String, Int)] = [
            ("يناير", 1), ("فبراير", 2), ("مارس", 3), ("ابريل", 4), ("ابريل", 4), ("مايو", 5), ("يونيو", 6),
            ("يونيه", 6), ("يوليو", 7), ("يوليه", 7), ("اغسطس", 8), ("سبتمبر", 9), ("اكتوبر", 10), ("نوفمبر", 11),
            ("ديسمبر", 12), ("جانفي", 1), ("فيفري", 2), ("افريل", 4), ("ماي", 5), ("جوان", 6), ("جويلية", 7),
            ("اوت", 8), ("شباط", 2), ("اذار", 3), ("نيسان", 4), ("ايار", 5), ("حزيران", 6), ("تموز", 7),
            ("اب", 8), ("ايلول", 9),
        ]
        return Dictionary(pairs, uniquingKeysWith: { a, _ in a })
    }()

    /// كانون → [الأول: 12, الثاني: 1]; تشرين → [الأول: 10, الثاني: 11].
    static let levantineFirst: [String: [Int]] = ["كانون": [12, 1], "تشرين": [10, 11]]
    static let levantineOrdinal: [String: Int] = ["الاول": 0, "الثاني": 1, "ثاني": 1, "اول": 0]

    /// ص (صباحًا) is AM, م (مساءً) is PM.
    static let meridiem: [String: Int] = ["am": 0, "pm": 12, "ص": 0, "م": 12, "صباحا": 0, "مساء": 12, "مساءا": 12]
}

enum Weekdays {
    static let names: Set<String> = [
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday",
        "الاثنين", "الإثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "الجمعة", "السبت", "الاحد",
    ]
}

extension Array {
    subscript(safe index: Int) -> Element? { index >= 0 && index < count ? self[index] : nil }
}
