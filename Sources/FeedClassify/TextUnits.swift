/// The parts of an item an editor reads, most telling first: the headline, the lead (the summary's first
/// sentence, at most `leadLimit` characters) and the body (the rest of the summary). Evidence in the
/// headline counts most; evidence buried deep in a long summary counts least, or not at all
/// (`body_weight`), because a blog post that mentions "stocks" in its tenth paragraph is not market news.
struct TextUnits {
    var title: Substring
    var lead: Substring
    var body: Substring

    /// Longest lead, in Unicode scalars; a lead with no sentence end is cut at a space before this.
    static let leadLimit = 320
    /// A sentence end closer to the start than this is not taken ("U.S. stocks…", "Re: …").
    static let minimumLead = 24

    init(title: String?, summary: String?) {
        let summary = Substring(summary ?? "")
        let title = Substring(title ?? "")
        if title.unicodeScalars.contains(where: { !Self.isSpace($0) }) {
            self.title = title
            (lead, body) = Self.firstSentence(summary)
        } else {
            // No headline (microblogs, some podcasts): the summary's first sentence stands in for it.
            let (first, rest) = Self.firstSentence(summary)
            self.title = first
            (lead, body) = Self.firstSentence(rest)
        }
    }

    /// Splits at the first sentence end (. ! ? ؟ 。 followed by a space, or a line break) past
    /// `minimumLead`, or at the last space before `leadLimit`.
    static func firstSentence(_ text: Substring) -> (Substring, Substring) {
        let scalars = text.unicodeScalars
        var i = scalars.startIndex
        var count = 0
        var lastSpace: String.UnicodeScalarView.Index?
        var previousWordLength = 0
        while i < scalars.endIndex {
            let s = scalars[i]
            let next = scalars.index(after: i)
            count += 1
            if s == "\n" || s == "\u{2029}", count > minimumLead {
                return (Substring(scalars[..<i]), Substring(scalars[next...]))
            }
            if isSentenceEnd(s), count > minimumLead, next == scalars.endIndex || isSpace(scalars[next]),
               !(s == "." && previousWordLength <= 2 && previousWordLength > 0) {   // U.S. / St. / Mr.
                return (Substring(scalars[...i]), Substring(scalars[next...]))
            }
            if isSpace(s) {
                lastSpace = i
                previousWordLength = 0
            } else if s != "." {
                previousWordLength += 1
            }
            if count >= leadLimit {
                let cut = lastSpace ?? next
                return (Substring(scalars[..<cut]), Substring(scalars[cut...]))
            }
            i = next
        }
        return (text, text[text.endIndex...])
    }

    static func isSentenceEnd(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x2E, 0x21, 0x3F, 0x61F, 0x6D4, 0x3002, 0xFF01, 0xFF1F, 0x2026: return true   // . ! ? ؟ ۔ 。 ！ ？ …
        default: return false
        }
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\r" || s == "\u{A0}" || s == "\u{2029}"
    }
}
