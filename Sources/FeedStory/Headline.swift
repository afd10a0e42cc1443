import FeedClassify

/// What of a title or summary tells the story, without what each outlet adds around it: a publisher
/// suffix ("… - Reuters", "… | اليوم السابع", "… (AFP)"), a wire or web label before the headline
/// ("UPDATE 2-", "EXCLUSIVE-", "عاجل |"), a dateline before a summary ("LONDON (Reuters) -"), and the
/// "…" or "Read more" of a summary cut short (with the word it cut).
enum Headline {
    /// Separators between a headline and a publisher name, with the spaces around them.
    static let suffixSeparators = [" - ", " – ", " — ", " | ", " :: ", " ― "]
    /// Separators after a label: "UPDATE 2-", "عاجل |", "فيديو..", "BREAKING:".
    static let prefixSeparators: Set<Character> = ["-", "–", "—", "|", ":", "/", "."]

    static func title(_ raw: String) -> String {
        var t = raw.trimmingSpaces
        for _ in 0..<2 {
            guard let cut = labelPrefix(t) else { break }
            t = String(t[cut...]).trimmingSpaces
        }
        for _ in 0..<3 {
            guard let cut = publisherSuffix(t) else { break }
            t = String(t[..<cut]).trimmingSpaces
        }
        return t
    }

    /// The summary without a dateline and without the cut-off end of a truncated text (whose last word
    /// is dropped too: "the compa…").
    static func summary(_ raw: String) -> String {
        var t = raw.trimmingSpaces
        if let dateline = dateline(t) { t = String(t[dateline...]).trimmingSpaces }
        for marker in ["(more)", "Read more", "read more", "Continue reading", "اقرأ المزيد", "المزيد"] where t.hasSuffix(marker)
        {
            t = String(t.dropLast(marker.count)).trimmingSpaces
            break
        }
        for marker in ["[…]", "[...]", "…", "..."] where t.hasSuffix(marker) {
            t = String(t.dropLast(marker.count))
            if let space = t.lastIndex(where: { $0 == " " }) { t = String(t[..<space]) }
            t = t.trimmingSpaces
            break
        }
        return t
    }

    /// Where the headline starts after a known label ("UPDATE 2-", "عاجل |"), if it has one.
    static func labelPrefix(_ t: String) -> String.Index? {
        guard let sep = t.prefix(40).firstIndex(where: { prefixSeparators.contains($0) }) else { return nil }
        let head = NormalizedWords(String(t[..<sep])).words
        guard !head.isEmpty, head.contains(where: { $0.script != .digit }),
            head.allSatisfy({ $0.script == .digit || StoryLexicon.headlineLabels.contains($0.surface) })
        else { return nil }
        var end = t.index(after: sep)
        while end < t.endIndex, prefixSeparators.contains(t[end]) || t[end] == " " { end = t.index(after: end) }
        // Only a label, never a whole headline.
        return NormalizedWords(String(t[end...])).words.count >= 2 ? end : nil
    }

    /// Where a trailing publisher name starts: a short tail after a separator, with no number of its
    /// own (a number makes it part of the story), after a headline of at least three words.
    static func publisherSuffix(_ t: String) -> String.Index? {
        if t.hasSuffix(")"), let open = t.lastIndex(of: "("), open > t.startIndex {
            let inner = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
            if isPublisherName(inner), NormalizedWords(String(t[..<open])).words.count >= 3 { return open }
        }
        guard let r = lastSeparator(t) else { return nil }
        let tail = String(t[r.upperBound...])
        let head = NormalizedWords(String(t[..<r.lowerBound])).words.filter { $0.script != .digit && $0.script != .symbol }
        guard isPublisherName(tail), head.count >= 3 else { return nil }
        return r.lowerBound
    }

    /// The last of `suffixSeparators` in `t`, found in its UTF-8 bytes (titles are read for every report).
    static func lastSeparator(_ t: String) -> Range<String.Index>? {
        let bytes = Array(t.utf8)
        var best: (start: Int, end: Int)?
        for sep in separatorBytes where sep.count <= bytes.count {
            var i = bytes.count - sep.count
            while i > (best?.start ?? 0) {
                if bytes[i] == sep[0], bytes[i..<(i + sep.count)].elementsEqual(sep) {
                    best = (i, i + sep.count)
                    break
                }
                i -= 1
            }
        }
        guard let best else { return nil }
        let u = t.utf8
        return u.index(u.startIndex, offsetBy: best.start)..<u.index(u.startIndex, offsetBy: best.end)
    }

    static let separatorBytes = suffixSeparators.map { Array($0.utf8) }

    private static func isPublisherName(_ text: String) -> Bool {
        let words = NormalizedWords(text).words
        // Digits are part of a name only when glued to letters ("CNBCTV18", "9to5Google"); "NBC 10" or
        // "11:18 Uhr" is part of the story.
        let scalars = Array(text.unicodeScalars)
        var standaloneNumber = false
        var i = 0
        while i < scalars.count {
            guard NumberScanner.digit(scalars[i]) != nil else {
                i += 1
                continue
            }
            let start = i
            while i < scalars.count, NumberScanner.digit(scalars[i]) != nil { i += 1 }
            let glued =
                (start > 0 && NumberScanner.isLetter(scalars[start - 1]))
                || (i < scalars.count && NumberScanner.isLetter(scalars[i]))
            if !glued { standaloneNumber = true }
        }
        // A tail saying which way something moved is part of the headline ("Gold rises - dollar falls").
        let direction = words.contains {
            if case .direction = StoryLexicon.role(of: $0) { return true }
            return false
        }
        return !words.isEmpty && words.count <= 6 && text.count <= 48 && !standaloneNumber && !direction
    }

    /// The end of a wire dateline: "LONDON (Reuters) -", "WASHINGTON, June 26 (Reuters) —", "(رويترز) -".
    static func dateline(_ t: String) -> String.Index? {
        let head = t.prefix(80)
        guard let close = head.firstIndex(of: ")"), head[..<close].contains("(") else { return nil }
        var i = head.index(after: close)
        while i < head.endIndex, head[i] == " " { i = head.index(after: i) }
        guard i < head.endIndex, ["-", "–", "—"].contains(head[i]) else { return nil }
        return t.index(after: i)
    }
}

extension String {
    var trimmingSpaces: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[first...last])
    }
}
