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
        // The second word of a Levantine month (كانون الثاني) is its name, not an ordinal.
        var monthName = -1
        for (i, w) in ws.enumerated() where w.script != .digit {
            let previousIsNumber = i > 0 && ws[i - 1].script == .digit
            let nextIsNumber = i + 1 < ws.count && (ws[i + 1].script == .digit || ws[i + 1].script == .symbol)
            if let m = i + 1 < ws.count ? StoryLexicon.twoWordMonths[w.surface]?[ws[i + 1].surface] : nil {
                facts.months |= 1 << m
                monthName = i + 1
            }
            switch StoryLexicon.role(of: w) {
            case .stop: continue
            case .direction(let d): note(d, isTitle: isTitle)
            case .directionBeforeNumber(let d):
                if nextIsNumber || i == ws.count - 1 { note(d, isTitle: isTitle) }
            case .month(let m):
                facts.months |= 1 << m
                words.append(Self.key(w.stem))
            case .ambiguousMonth(let m):
                if nextIsNumber || previousIsNumber { facts.months |= 1 << m }
            case .weekday(let d):
                facts.weekdays |= 1 << d
                words.append(Self.key(w.surface))
            case .ordinal(let n):
                if i != monthName { noteOrdinal(n, previous: i - 1, next: i + 1, in: ws, isTitle: isTitle) }
                words.append(Self.key(w.barestem ?? w.stem))
            case .series:
                // "Series B", "series-b", "السلسلة ب", "الفئة أ": the single letter after the word.
                if i + 1 < ws.count, ws[i + 1].length == 1, let l = StoryLexicon.letters[ws[i + 1].surface] {
                    facts.series |= 1 << l
                }
                words.append(Self.key(w.barestem ?? w.stem))
            case .quarter, .half:
                // The ordinal beside it makes the fact.
                words.append(Self.key(w.barestem ?? w.stem))
            case .multiplier:
                if !previousIsNumber { words.append(Self.key(w.stem)) }
            case .percent: continue
            case .dollar: words.append(Self.dollar)
            case .number(let n): numbers.insert(NumberScanner.Number(n, percent: false).key)
            case nil:
                // Other symbols and single Latin letters ("s", "t" of "shouldn't", initials) tell nothing apart,
                // except the Q and H of "Q1", "3Q" and "H2".
                if w.script == .symbol { continue }
                if w.script == .latin, w.length < 2 {
                    notePeriod(w, at: i, in: ws)
                    continue
                }
                // "3rd": digits, then an ordinal suffix.
                if previousIsNumber, w.length == 2, StoryLexicon.ordinalSuffixes.contains(w.surface),
                    let n = StoryLexicon.smallNumbers[ws[i - 1].surface]
                {
                    noteOrdinal(n, previous: i - 2, next: i + 1, in: ws, isTitle: isTitle)
                }
                words.append(Self.key(w.barestem ?? w.stem))
            }
        }
        facts.numbers = numbers.sorted()
    }

    private mutating func note(_ d: StoryLexicon.Direction, isTitle: Bool) {
        if isTitle { facts.directions |= d.rawValue }
        words.append(Self.directionKeys[Int(d.rawValue)])
    }

    /// An ordinal, or the quarter or half it names: before "quarter"/"half" in English ("first-quarter",
    /// "2nd half"), after الربع/النصف in Arabic ("الربع الأول"). A bare ordinal counts in a title only.
    private mutating func noteOrdinal(_ n: Int, previous: Int, next: Int, in ws: [NormalizedWords.Word], isTitle: Bool) {
        let before = previous >= 0 ? StoryLexicon.role(of: ws[previous]) : nil
        let after = next < ws.count ? StoryLexicon.role(of: ws[next]) : nil
        if n <= 4, before == .quarter || after == .quarter {
            facts.quarters |= 1 << n
        } else if n <= 2, before == .half || after == .half {
            facts.halves |= 1 << n
        } else if isTitle {
            facts.ordinals |= 1 << n
        }
    }

    /// "Q1"…"Q4" and "3Q", "H1" and "H2" (not "H-1B"), from the single letter `w` at `i`.
    private mutating func notePeriod(_ w: NormalizedWords.Word, at i: Int, in ws: [NormalizedWords.Word]) {
        func small(_ j: Int) -> Int? {
            j >= 0 && j < ws.count && ws[j].script == .digit ? StoryLexicon.smallNumbers[ws[j].surface] : nil
        }
        if w.surface == StoryLexicon.quarterLetter, let n = small(i + 1) ?? small(i - 1), n <= 4 {
            facts.quarters |= 1 << n
        } else if w.surface == StoryLexicon.halfLetter, let n = small(i + 1), n <= 2,
            i + 2 >= ws.count || !(ws[i + 2].script == .latin && ws[i + 2].length == 1)
        {
            facts.halves |= 1 << n
        }
    }

    static let dollar = key(0x2401)
    static let directionKeys = (0...4).map { key(0x2400 + UInt64($0)) }

    /// A 64-bit key folded to 32 bits: sets of a few dozen words never collide in practice.
    static func key(_ n: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: n ^ (n >> 32)) }
}
