import FeedClassify

/// What the story stage reads from one text through the classifier's normalization: its content words
/// as keys, in order, and its facts. Function words, wire labels and number scales are dropped; words
/// of one direction become one word (rises, climbs, ارتفع, يصعد → up), and "$", "USD", "dollars" and
/// "دولار" become one word, so an edited verb or a currency written another way changes nothing.
struct StoryReading {
    var words: [UInt32] = []
    var facts = StoryFacts()

    init(_ text: String, isTitle: Bool) {
        let ws = NormalizedWords(text).words
        var numbers = Set(NumberScanner.numbers(in: text).map(\.key))
        for (i, w) in ws.enumerated() {
            let previousIsNumber = i > 0 && ws[i - 1].script == .digit
            let nextIsNumber = i + 1 < ws.count && (ws[i + 1].script == .digit || ws[i + 1].script == .symbol)
            switch w.script {
            case .digit: continue
            case .symbol:
                if w.text == "$" { words.append(StoryReading.dollar) }
                continue
            case .latin, .arabic: break
            }
            let t = w.text
            noteCalendar(ws, i, nextIsNumber: nextIsNumber || previousIsNumber)
            if previousIsNumber, StoryLexicon.multipliers[t] != nil { continue }
            if StoryLexicon.percentWords.contains(t) { continue }
            if let n = StoryLexicon.numberWords[t] {
                numbers.insert(NumberScanner.Number(n, percent: false).key)
                continue
            }
            // "up 35%" and "shares down" say which way; "teams up with" does not.
            if t == "up" || t == "down" {
                guard nextIsNumber || i == ws.count - 1 else { continue }
                note(t == "up" ? .up : .down, isTitle: isTitle)
                continue
            }
            if let d = StoryLexicon.directions[t] ?? StoryLexicon.directions[w.stem]
                ?? w.barestem.flatMap({ StoryLexicon.directions[$0] }) {
                note(d, isTitle: isTitle)
                continue
            }
            if StoryLexicon.dollarWords.contains(t) || w.barestem.map(StoryLexicon.dollarWords.contains) == true {
                words.append(StoryReading.dollar)
                continue
            }
            // Single Latin letters ("s", "t" of "shouldn't", initials) tell nothing apart.
            if StoryLexicon.stopWords.contains(t) || (w.script == .latin && t.unicodeScalars.count < 2) { continue }
            words.append(StoryReading.key(w.script == .arabic ? (w.barestem ?? w.stem) : w.stem))
        }
        facts.numbers = numbers.sorted()
    }

    private mutating func note(_ d: StoryLexicon.Direction, isTitle: Bool) {
        if isTitle { facts.directions |= d.rawValue }
        words.append(StoryReading.key("\u{1}" + String(d.rawValue)))
    }

    private mutating func noteCalendar(_ ws: [NormalizedWords.Word], _ i: Int, nextIsNumber: Bool) {
        let t = ws[i].text
        let bare = StoryReading.withoutProclitic(t)
        if let d = StoryLexicon.weekdays[t] ?? bare.flatMap({ StoryLexicon.weekdays[$0] }) { facts.weekdays |= 1 << d }
        if let m = StoryLexicon.months[t] ?? bare.flatMap({ StoryLexicon.months[$0] }) {
            facts.months |= 1 << m
        } else if nextIsNumber, let m = StoryLexicon.ambiguousMonths[t] {
            facts.months |= 1 << m
        } else if i + 1 < ws.count, let m = StoryLexicon.twoWordMonths[t]?[ws[i + 1].text] {
            facts.months |= 1 << m
        }
    }

    /// و ب ل ف ك written onto an Arabic word (والأحد, بمايو).
    static func withoutProclitic(_ t: String) -> String? {
        guard let f = t.unicodeScalars.first, [0x0648, 0x0628, 0x0644, 0x0641, 0x0643].contains(f.value), t.count > 3 else {
            return nil
        }
        return String(t.unicodeScalars.dropFirst())
    }

    static let dollar = key("\u{1}$")

    /// 64-bit FNV-1a folded to 32 bits: sets of a few dozen words never collide in practice.
    static func key(_ s: String) -> UInt32 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    static func key(_ n: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: n ^ (n >> 32)) }
}
