/// The parts of an item an editor reads, most telling first: the headline, the lead (the summary's first
/// sentence, at most `leadLimit` characters) and the body (the rest of the summary). Evidence in the
/// headline counts most; evidence buried deep in a long summary counts least, or not at all
/// (`body_weight`), because a blog post that mentions "stocks" in its tenth paragraph is not market news.
///
/// The parts are views into the UTF-8 bytes of the title and summary, valid only inside `withUnits`:
/// classification is on the hot path, and cutting here costs no copy.
struct TextUnits {
    var title: UnsafeBufferPointer<UInt8>
    var lead: UnsafeBufferPointer<UInt8>
    var body: UnsafeBufferPointer<UInt8>

    /// Longest lead, in characters (Unicode scalars); a lead with no sentence end is cut at a space before.
    static let leadLimit = 320
    /// A sentence end closer to the start than this is not taken ("U.S. stocks…", "Re: …").
    static let minimumLead = 24

    static func withUnits<R>(title: String?, summary: String?, _ body: (TextUnits) -> R) -> R {
        withUTF8(title ?? "") { t in withUTF8(summary ?? "") { s in body(TextUnits(title: t, summary: s)) } }
    }

    /// A string's bytes: read in place when it is native (nearly always), so no copy is checked for.
    private static func withUTF8<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = text.utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = text
        return copy.withUTF8(body)
    }

    init(title: UnsafeBufferPointer<UInt8>, summary: UnsafeBufferPointer<UInt8>) {
        if title.contains(where: { !Self.isSpace($0) }) {
            self.title = title
            (lead, body) = Self.firstSentence(summary)
        } else {
            // No headline (microblogs, some podcasts): the summary's first sentence stands in for it.
            let (first, rest) = Self.firstSentence(summary)
            self.title = first
            (lead, body) = Self.firstSentence(rest)
        }
    }

    /// Splits valid UTF-8 at the first sentence end (. ! ? ؟ ۔ 。 ！ ？ … followed by a space, or a line
    /// break) past `minimumLead`, or at the last space before `leadLimit`. Every cut is at an ASCII byte or
    /// just after a whole scalar, so both halves stay valid text.
    static func firstSentence(_ b: UnsafeBufferPointer<UInt8>) -> (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) {
        func split(_ at: Int) -> (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) {
            (UnsafeBufferPointer(rebasing: b[..<at]), UnsafeBufferPointer(rebasing: b[at...]))
        }
        var i = 0
        var count = 0
        var lastSpace: Int?
        var wordLength = 0
        while i < b.count {
            let c = b[i]
            count += 1
            let width = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4
            let next = min(i + width, b.count)
            if count > minimumLead {
                if c == 0x0A { return split(i) }
                if isSentenceEnd(b, i, width), next == b.count || isSpace(b[next]),
                    !(c == 0x2E && wordLength > 0 && wordLength <= 2)
                {  // U.S. / St. / Mr. do not end a sentence
                    return split(next)
                }
            }
            if isSpace(c) {
                lastSpace = i
                wordLength = 0
            } else if c != 0x2E {
                wordLength += 1
            }
            if count >= leadLimit { return split(lastSpace ?? next) }
            i = next
        }
        return split(b.count)
    }

    @inline(__always)
    private static func isSentenceEnd(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ width: Int) -> Bool {
        let c = b[i]
        switch width {
        case 1: return c == 0x2E || c == 0x21 || c == 0x3F  // . ! ?
        case 2: return i + 1 < b.count && ((c == 0xD8 && b[i + 1] == 0x9F) || (c == 0xDB && b[i + 1] == 0x94))  // ؟ ۔
        case 3:
            guard i + 2 < b.count else { return false }
            let (c1, c2) = (b[i + 1], b[i + 2])
            return (c == 0xE2 && c1 == 0x80 && c2 == 0xA6) || (c == 0xE3 && c1 == 0x80 && c2 == 0x82)  // … 。
                || (c == 0xEF && c1 == 0xBC && (c2 == 0x81 || c2 == 0x9F))  // ！ ？
        default: return false
        }
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
}
