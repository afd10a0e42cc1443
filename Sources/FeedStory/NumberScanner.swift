/// Numbers in a headline or summary as values, so that outlets writing one figure differently agree and
/// reports with other figures disagree: "4,212", "4212" and "٤٢١٢" are one number; "$4.2bn",
/// "4.2 billion" and "4.2 مليار" are one number; "2.5%", "2.5 percent" and "2.5 في المئة" are one
/// percentage; "08:22" is a time of day. Identifiers glued to a Latin letter ("H1", "CNBCTV18") or
/// followed by one ("5G") are names, not figures, and are skipped.
enum NumberScanner {
    /// A value to four decimals, and whether it is a percentage or a time of day (hhmm).
    struct Number: Hashable, Sendable {
        var tenThousandths: Int64
        var percent: Bool
        var time = false

        init(_ value: Double, percent: Bool, time: Bool = false) {
            let scaled = (value * 10_000).rounded()
            tenThousandths = scaled >= 9.2e18 ? Int64.max : Int64(max(0, scaled))
            self.percent = percent
            self.time = time
        }

        /// One 64-bit key per number, for fingerprints.
        var key: UInt64 {
            UInt64(bitPattern: tenThousandths) &* 0x9E37_79B9_7F4A_7C15 ^ (percent ? 0x5043 : time ? 0x544D : 0x4E55)
        }
    }

    static func numbers(in text: String) -> [Number] {
        let s = Array(text.unicodeScalars)
        var out: [Number] = []
        var i = 0
        while i < s.count {
            guard digit(s[i]) != nil, i == 0 || (digit(s[i - 1]) == nil && !isLatinLetter(s[i - 1])) else {
                i += 1
                continue
            }
            var j = i
            var value = 0.0
            func readDigits() {
                while j < s.count, let d = digit(s[j]) { value = value * 10 + Double(d); j += 1 }
            }
            readDigits()
            // Thousands groups: a comma (or ٬) followed by exactly three digits.
            while j + 3 < s.count, s[j] == "," || s[j] == "\u{066C}",
                  (1...3).allSatisfy({ digit(s[j + $0]) != nil }), j + 4 == s.count || digit(s[j + 4]) == nil {
                j += 1
                readDigits()
            }
            // A time of day is one fact ("11:18" and "18:57" are two fire alarms, not one).
            if j + 1 < s.count, s[j] == ":", digit(s[j + 1]) != nil {
                j += 1
                var minutes = 0.0
                while j < s.count, let d = digit(s[j]) { minutes = minutes * 10 + Double(d); j += 1 }
                out.append(Number(value * 100 + minutes, percent: false, time: true))
                i = j
                continue
            }
            // A decimal point, unless the digits after it are followed by another point: "02.08.2018"
            // is a date, three numbers.
            var k = j + 1
            while k < s.count, digit(s[k]) != nil { k += 1 }
            let dotted = (k + 1 < s.count && s[k] == "." && digit(s[k + 1]) != nil)
                || (i >= 2 && s[i - 1] == "." && digit(s[i - 2]) != nil)
            if !dotted, j + 1 < s.count, s[j] == "." || s[j] == "\u{066B}", digit(s[j + 1]) != nil {
                j += 1
                var scale = 0.1
                while j < s.count, let d = digit(s[j]) { value += Double(d) * scale; scale /= 10; j += 1 }
            }
            let (multiplier, percent, end, identifier) = unit(after: j, in: s)
            i = end
            if !identifier { out.append(Number(value * multiplier, percent: percent)) }
        }
        return out
    }

    /// What follows a number: a multiplier, a percent sign or word, an ordinal suffix, or letters that
    /// make it part of a name.
    private static func unit(after start: Int, in s: [Unicode.Scalar]) -> (Double, Bool, Int, Bool) {
        guard start < s.count else { return (1, false, start, false) }
        if s[start] == "%" || s[start] == "\u{066A}" { return (1, true, start + 1, false) }
        let glued = isLetter(s[start])
        var j = start
        if !glued {
            // One space (or a tatweel-free gap) before a unit word.
            guard s[j] == " " || s[j] == "\u{00A0}" else { return (1, false, start, false) }
            j += 1
        }
        let (word, end) = self.word(at: j, in: s)
        guard !word.isEmpty else { return (1, false, start, false) }
        let w = StoryLexicon.norm(word)
        if let m = StoryLexicon.multipliers[w], glued || w.count > 1 {
            // "4.2bn%" does not occur; a multiplier may still be followed by a percent word.
            return (m, false, end, false)
        }
        if StoryLexicon.percentWords.contains(w) { return (1, true, end, false) }
        if w == "per" || w == StoryLexicon.norm("في") {
            let (next, after) = self.word(at: end + 1, in: s)
            if end < s.count, s[end] == " ", next.lowercased() == "cent" || StoryLexicon.percentWords.contains(StoryLexicon.norm(next)) {
                return (1, true, after, false)
            }
        }
        if glued {
            if ["st", "nd", "rd", "th"].contains(w) { return (1, false, end, false) }
            // Arabic letters glued to a number are usually a suffix of the word around it; Latin ones
            // make a name ("5G", "4K", "3nm").
            return (1, false, end, isLatinLetter(s[start]))
        }
        return (1, false, start, false)
    }

    private static func word(at start: Int, in s: [Unicode.Scalar]) -> (String, Int) {
        var j = start
        var w = String.UnicodeScalarView()
        while j < s.count, isLetter(s[j]) || s[j].value == 0x0640 { if s[j].value != 0x0640 { w.append(s[j]) }; j += 1 }
        return (String(w), j)
    }

    /// ASCII, Arabic-Indic and extended Arabic-Indic (Persian) digits.
    static func digit(_ c: Unicode.Scalar) -> Int? {
        switch c.value {
        case 0x30...0x39: return Int(c.value - 0x30)
        case 0x0660...0x0669: return Int(c.value - 0x0660)
        case 0x06F0...0x06F9: return Int(c.value - 0x06F0)
        default: return nil
        }
    }

    static func isLatinLetter(_ c: Unicode.Scalar) -> Bool {
        (0x41...0x5A).contains(c.value) || (0x61...0x7A).contains(c.value) || (0xC0...0x24F).contains(c.value)
    }

    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        isLatinLetter(c) || (0x0621...0x064A).contains(c.value) || (0x0671...0x06D3).contains(c.value)
    }
}
