/// Parses the dates real feeds carry into UTC instants, without Foundation (DateFormatter is ~1000x
/// slower on Linux, platform.md §4, and dates are on the parser's hot path).
///
/// Accepted:
/// - RFC 822/1123/2822 and their real-world variants: weekday optional, seconds optional, one- or
///   two-digit days, two-digit years (00–49 → 20xx, 50–99 → 19xx), full month names, named zones
///   (GMT, UT, UTC, Z, EST…PDT), military letters, `+0300`, `+03:00`, `GMT+3`, `UTC-05:30`, asctime order.
/// - RFC 3339 / ISO 8601 / W3C-DTF: `2025-06-26T08:22:00Z`, fractions, `±hh:mm`, `±hhmm`, a space for
///   `T`, the basic form `20250626T082200Z`, and partial dates (`2025-06-26`, `2025-06`, `2025`).
/// - Arabic dates as Arabic news sites print them: `الخميس، 26 يونيو 2025 11:22 ص` — Egyptian and
///   Levantine month names, ص/م for AM/PM, Arabic-Indic and Persian digits.
///
/// A date without a zone is taken as UTC (as feedparser does), or as `defaultOffsetSeconds` when given.
public enum DateParser: Sendable {
    public static func parse(_ text: String, defaultOffsetSeconds: Int = 0) -> Timestamp? {
        guard text.utf8.count <= 128 else { return nil }  // no real date is longer; bounds the work
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars { scalars.append(s.isASCII ? s : foldDigit(s)) }
        // Trim leading whitespace.
        var start = 0
        while start < scalars.count, isSpace(scalars[start]) { start += 1 }
        guard start < scalars.count else { return nil }
        if let iso = ISODate.parse(scalars, from: start, defaultOffset: defaultOffsetSeconds) { return iso }
        return FreeFormDate.parse(scalars, from: start, defaultOffset: defaultOffsetSeconds)
    }

    /// Arabic-Indic (U+0660…) and Persian (U+06F0…) digits read as ASCII digits.
    static func foldDigit(_ s: Unicode.Scalar) -> Unicode.Scalar {
        switch s.value {
        case 0x0660...0x0669: return Unicode.Scalar(s.value - 0x0660 + 0x30)!
        case 0x06F0...0x06F9: return Unicode.Scalar(s.value - 0x06F0 + 0x30)!
        default: return s
        }
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? s == " " || (s.value >= 0x09 && s.value <= 0x0D) : s.properties.isWhitespace
    }

    /// Letters, with an ASCII fast path (Unicode property lookups are costly on the hot path).
    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? (s.value | 0x20) >= 0x61 && (s.value | 0x20) <= 0x7A : s.properties.isAlphabetic
    }
    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
}

/// RFC 3339 / ISO 8601 / W3C-DTF.
enum ISODate {
    static func parse(_ s: [Unicode.Scalar], from start: Int, defaultOffset: Int) -> Timestamp? {
        var i = start
        func digits(_ n: Int) -> Int? {
            guard i + n <= s.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard DateParser.isDigit(s[k]) else { return nil }
                v = v * 10 + Int(s[k].value - 0x30)
            }
            i += n
            return v
        }
        func peek(_ c: Character) -> Bool { i < s.count && Character(s[i]) == c }
        guard let year = digits(4) else { return nil }
        if peek("/") { return slashed(s, year: year, at: i, defaultOffset: defaultOffset) }
        var month = 1
        var day = 1
        var basic = false
        if peek("-") {
            i += 1
            guard let m = digits(2) else { return nil }
            month = m
            if peek("-") {
                i += 1
                guard let d = digits(2) else { return nil }
                day = d
            }
        } else if let m = digits(2) {
            guard let d = digits(2) else { return nil }
            month = m
            day = d
            basic = true
        } else if i < s.count, !DateParser.isSpace(s[i]) {
            return nil  // "2025abc" is not a bare year
        }
        var hour = 0
        var minute = 0
        var second = 0
        var offset = defaultOffset
        var sawTime = false
        if i < s.count, peek("T") || peek("t") || (peek(" ") && i + 1 < s.count && DateParser.isDigit(s[i + 1])) {
            i += 1
            guard let h = digits(2) else { return nil }
            hour = h
            sawTime = true
            if peek(":") { i += 1 }
            if let m = digits(2) {
                minute = m
                if peek(":") { i += 1 }
                if let sec = digits(2) {
                    second = sec
                    if peek(".") || peek(",") {
                        i += 1
                        while i < s.count, DateParser.isDigit(s[i]) { i += 1 }
                    }
                }
            }
        }
        _ = basic
        // Zone.
        while i < s.count, s[i] == " " { i += 1 }
        if i < s.count {
            if peek("Z") || peek("z") {
                offset = 0
                i += 1
            } else if peek("+") || peek("-") {
                let sign = peek("-") ? -1 : 1
                i += 1
                guard let h = digits(2) else { return nil }
                if peek(":") { i += 1 }
                let m = digits(2) ?? 0
                guard h <= 14, m < 60 else { return nil }
                offset = sign * (h * 3600 + m * 60)
            } else if sawTime, let word = zoneWord(s, &i) {
                offset = word
            }
        }
        while i < s.count, DateParser.isSpace(s[i]) { i += 1 }
        guard i == s.count else { return nil }
        return Timestamp(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            offsetSeconds: offset)
    }

    /// `2020/1/10 14:33:00` and `2020/01/10`, seen in Chinese and Arabic feeds.
    private static func slashed(_ s: [Unicode.Scalar], year: Int, at start: Int, defaultOffset: Int) -> Timestamp? {
        var nums: [Int] = []
        var i = start
        var cur = -1
        while i < s.count, nums.count < 5 {
            let c = s[i]
            if DateParser.isDigit(c) {
                cur = (cur < 0 ? 0 : cur) * 10 + Int(c.value - 0x30)
                if cur > 9999 { return nil }
            } else if c == "/" || c == ":" || c == " " || c == "T" {
                if cur >= 0 {
                    nums.append(cur)
                    cur = -1
                }
            } else {
                return nil
            }
            i += 1
        }
        if cur >= 0 { nums.append(cur) }
        guard i == s.count, nums.count >= 2 else { return nil }
        let t = nums + [0, 0, 0, 0]
        return Timestamp(
            year: year, month: t[0], day: t[1], hour: t[2], minute: t[3], second: t[4],
            offsetSeconds: defaultOffset)
    }

    private static func zoneWord(_ s: [Unicode.Scalar], _ i: inout Int) -> Int? {
        var word = ""
        var j = i
        while j < s.count, s[j].properties.isAlphabetic {
            word.unicodeScalars.append(s[j])
            j += 1
        }
        guard let hours = Zones.named[word.lowercased()] else { return nil }
        i = j
        return hours * 3600
    }
}

/// Named zones, in hours east of UTC. The military letters follow RFC 822 as written (A = -1), as feedparser does.
enum Zones {
    static let named: [String: Int] = {
        var z: [String: Int] = [
            "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3,
            "msk": 3, "ast": -4, "adt": -3, "at": -4, "est": -5, "edt": -4, "et": -5, "cst": -6, "cdt": -5,
            "ct": -6, "mst": -7, "mdt": -6, "mt": -7, "pst": -8, "pdt": -7, "pt": -8, "hst": -10,
            "akst": -9, "akdt": -8, "jst": 9, "kst": 9,
        ]
        // Military zones, single letters except J.
        for (k, v) in zip("abcdefghi", 1...9) { z[String(k)] = -v }
        for (k, v) in zip("klm", 10...12) { z[String(k)] = -v }
        for (k, v) in zip("nopqrstuvwxy", 1...12) { z[String(k)] = v }
        return z
    }()
}
