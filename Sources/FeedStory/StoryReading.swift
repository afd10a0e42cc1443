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
        for (i, w) in ws.enumerated() where w.script != .digit {
            let previousIsNumber = i > 0 && ws[i - 1].script == .digit
            let nextIsNumber = i + 1 < ws.count && (ws[i + 1].script == .digit || ws[i + 1].script == .symbol)
            if let m = i + 1 < ws.count ? StoryLexicon.twoWordMonths[w.surface]?[ws[i + 1].surface] : nil {
                facts.months |= 1 << m
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
            case .multiplier:
                if !previousIsNumber { words.append(Self.key(w.stem)) }
            case .percent: continue
            case .dollar: words.append(Self.dollar)
            case .number(let n): numbers.insert(NumberScanner.Number(n, percent: false).key)
            case nil:
                // Other symbols and single Latin letters ("s", "t" of "shouldn't", initials) tell nothing apart.
                if w.script == .symbol || (w.script == .latin && w.length < 2) { continue }
                words.append(Self.key(w.barestem ?? w.stem))
            }
        }
        facts.numbers = numbers.sorted()
    }

    private mutating func note(_ d: StoryLexicon.Direction, isTitle: Bool) {
        if isTitle { facts.directions |= d.rawValue }
        words.append(Self.directionKeys[Int(d.rawValue)])
    }

    static let dollar = key(0x2401)
    static let directionKeys = (0...4).map { key(0x2400 + UInt64($0)) }

    /// A 64-bit key folded to 32 bits: sets of a few dozen words never collide in practice.
    static func key(_ n: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: n ^ (n >> 32)) }
}
