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
                while j < s.count, let d = digit(s[j]) {
                    value = value * 10 + Double(d)
                    j += 1
                }
            }
            readDigits()
            // Thousands groups: a comma (or ٬) followed by exactly three digits.
            while j + 3 < s.count, s[j] == "," || s[j] == "\u{066C}",
                (1...3).allSatisfy({ digit(s[j + $0]) != nil }), j + 4 == s.count || digit(s[j + 4]) == nil
            {
                j += 1
                readDigits()
            }
            // A time of day is one fact ("11:18" and "18:57" are two fire alarms, not one).
            if j + 1 < s.count, s[j] == ":", digit(s[j + 1]) != nil {
                j += 1
                var minutes = 0.0
                while j < s.count, let d = digit(s[j]) {
                    minutes = minutes * 10 + Double(d)
                    j += 1
                }
                out.append(Number(value * 100 + minutes, percent: false, time: true))
                i = j
                continue
            }
            // A decimal point, unless the digits after it are followed by another point: "02.08.2018"
            // is a date, three numbers.
            var k = j + 1
            while k < s.count, digit(s[k]) != nil { k += 1 }
            let dotted =
                (k + 1 < s.count && s[k] == "." && digit(s[k + 1]) != nil)
                || (i >= 2 && s[i - 1] == "." && digit(s[i - 2]) != nil)
            if !dotted, j + 1 < s.count, s[j] == "." || s[j] == "\u{066B}", digit(s[j + 1]) != nil {
                j += 1
                var scale = 0.1
                while j < s.count, let d = digit(s[j]) {
                    value += Double(d) * scale
                    scale /= 10
                    j += 1
                }
            }
            let (multiplier, percent, end, identifier) = unit(after: j, in: s)
            i = end
            if !identifier { out.append(Number(value * multiplier, percent: percent)) }
        }
        return out
    }

    enum Unit {
        case multiplier(Double)
        case percent, per, ordinal
    }

    /// Words after a number, by `fold` key.
    static let units: [UInt64: Unit] = {
        var out: [UInt64: Unit] = [:]
        let scales: [(String, Double)] = [
            ("k", 1e3), ("thousand", 1e3), ("m", 1e6), ("mn", 1e6), ("mln", 1e6), ("million", 1e6), ("millions", 1e6),
            ("b", 1e9), ("bn", 1e9), ("bln", 1e9), ("billion", 1e9), ("billions", 1e9), ("tn", 1e12), ("trn", 1e12),
            ("trillion", 1e12), ("ألف", 1e3), ("آلاف", 1e3), ("مليون", 1e6), ("ملايين", 1e6), ("مليار", 1e9),
            ("مليارات", 1e9), ("بليون", 1e9), ("تريليون", 1e12), ("ترليون", 1e12),
        ]
        for (w, m) in scales { out[fold(Array(w.unicodeScalars))] = .multiplier(m) }
        for w in ["percent", "pct", "pc", "بالمئة", "بالمائة"] { out[fold(Array(w.unicodeScalars))] = .percent }
        for w in ["per", "في"] { out[fold(Array(w.unicodeScalars))] = .per }
        for w in ["st", "nd", "rd", "th"] { out[fold(Array(w.unicodeScalars))] = .ordinal }
        return out
    }()
    /// "cent", "المئة", "المائة" after "per" / "في".
    static let hundredth: Set<UInt64> = Set(["cent", "المئة", "المائة"].map { fold(Array($0.unicodeScalars)) })

    /// What follows a number: a multiplier, a percent sign or word, an ordinal suffix, or letters that
    /// make it part of a name.
    private static func unit(after start: Int, in s: [Unicode.Scalar]) -> (Double, Bool, Int, Bool) {
        guard start < s.count else { return (1, false, start, false) }
        if s[start] == "%" || s[start] == "\u{066A}" { return (1, true, start + 1, false) }
        let glued = isLetter(s[start])
        // A unit word is glued to the number or one space after it.
        guard glued || (s[start] == " " || s[start] == "\u{00A0}") else { return (1, false, start, false) }
        let word = self.word(at: glued ? start : start + 1, in: s)
        guard !word.isEmpty else { return (1, false, start, false) }
        switch units[fold(Array(s[word]))] {
        case .multiplier(let m) where glued || word.count > 1: return (m, false, word.upperBound, false)
        case .percent: return (1, true, word.upperBound, false)
        case .per:
            let next = self.word(at: word.upperBound + 1, in: s)
            if word.upperBound < s.count, s[word.upperBound] == " ", hundredth.contains(fold(Array(s[next]))) {
                return (1, true, next.upperBound, false)
            }
        case .ordinal where glued: return (1, false, word.upperBound, false)
        default: break
        }
        // Latin letters glued to a number make a name ("5G", "4K", "3nm"); Arabic ones are usually a
        // suffix of the word around it.
        return (1, false, glued ? word.upperBound : start, glued && isLatinLetter(s[start]))
    }

    /// The letters (and tatweel) from `start`.
    private static func word(at start: Int, in s: [Unicode.Scalar]) -> Range<Int> {
        var j = start
        while j < s.count, isLetter(s[j]) || s[j].value == 0x0640 || (0x064B...0x065F).contains(s[j].value) { j += 1 }
        return start..<max(start, j)
    }

    /// A word folded as the normalizer folds letters (case, أ إ آ ٱ → ا, ة → ه, ى → ي; tatweel and harakat
    /// dropped), as a key: enough for the few unit words, without a normalizer per number.
    static func fold(_ w: [Unicode.Scalar]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in w {
            var v = c.value
            switch v {
            case 0x41...0x5A: v += 0x20
            case 0x0622, 0x0623, 0x0625, 0x0671: v = 0x0627
            case 0x0629: v = 0x0647
            case 0x0649: v = 0x064A
            case 0x0640, 0x064B...0x065F: continue
            default: break
            }
            h = (h ^ UInt64(v)) &* 0x0000_0100_0000_01B3
        }
        return h
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
