import Foundation

/// Turns text into normalized tokens for matching (docs/classifier.md; ../shared/docs/arabic.md §9):
/// NFKC where compatibility characters occur; Arabic harakat and tatweel removed; أ إ آ ٱ → ا,
/// ى and ی → ي, ة → ه, ؤ → و, ئ → ي, ک → ك; Arabic-Indic and Persian digits → ASCII; Latin letters
/// lower-cased with diacritics removed; possessive 's dropped; Arabic letters, Latin letters and digits
/// split into separate tokens (لـOpenAI → ل, openai). Tokens are whole words, so تضخ never matches
/// inside التضخم and "ai" never inside "said".
struct Normalizer {
    enum Script: UInt8 { case arabic, latin, digit, symbol }

    struct Token {
        var start: Int
        var end: Int
        var script: Script
    }

    /// Normalized scalars of the whole text; tokens index into it.
    private(set) var scalars: [UInt32] = []
    private(set) var tokens: [Token] = []

    init() {
        scalars.reserveCapacity(512)
        tokens.reserveCapacity(64)
    }

    mutating func reset() {
        scalars.removeAll(keepingCapacity: true)
        tokens.removeAll(keepingCapacity: true)
    }

    /// Appends the tokens of `text` (several texts can be tokenized one after another).
    mutating func tokenize(_ text: some StringProtocol) {
        let mark = (scalars.count, tokens.count)
        if tokenize(text, stopAtCompatibility: true) { return }
        // A presentation form or full-width letter: roll back and read the NFKC form instead (rare).
        scalars.removeSubrange(mark.0...)
        tokens.removeSubrange(mark.1...)
        _ = tokenize(Normalizer.compatibilityFold(String(text)), stopAtCompatibility: false)
    }

    /// Appends the tokens of valid UTF-8 text (a part of a Swift string's bytes).
    mutating func tokenize(utf8 text: UnsafeBufferPointer<UInt8>) {
        let mark = (scalars.count, tokens.count)
        if tokenize(utf8: text, stopAtCompatibility: true) { return }
        scalars.removeSubrange(mark.0...)
        tokens.removeSubrange(mark.1...)
        _ = tokenize(Normalizer.compatibilityFold(String(decoding: text, as: UTF8.self)), stopAtCompatibility: false)
    }

    /// Returns false, having stopped, at the first character that needs NFKC when `stopAtCompatibility`.
    private mutating func tokenize(_ source: some StringProtocol, stopAtCompatibility: Bool) -> Bool {
        if let done = source.utf8.withContiguousStorageIfAvailable({
            tokenize(utf8: $0, stopAtCompatibility: stopAtCompatibility)
        }) {
            return done
        }
        var copy = String(source)  // a bridged or non-contiguous string (rare): make it native first
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable { tokenize(utf8: $0, stopAtCompatibility: stopAtCompatibility) }!
    }

    /// The scanner itself, over valid UTF-8 (a Swift string's bytes): decoding scalars by hand here is
    /// several times faster than walking `unicodeScalars`, and tokenizing is a third of classification.
    private mutating func tokenize(utf8 b: UnsafeBufferPointer<UInt8>, stopAtCompatibility: Bool) -> Bool {
        var current: Script?
        var start = scalars.count
        func close() {
            if let s = current, scalars.count > start { tokens.append(Token(start: start, end: scalars.count, script: s)) }
            current = nil
            start = scalars.count
        }
        let low = Normalizer.lowFolds
        var i = 0
        while i < b.count {
            let (v, width) = Normalizer.decode(b, at: i)
            i += width
            // Possessive 's / ’s after a Latin word.
            if v == 0x27 || v == 0x2019, current == .latin, i < b.count, b[i] == 0x73 || b[i] == 0x53 {
                let after = i + 1
                if after == b.count || !isLetterOrDigit(Normalizer.decode(b, at: after).0) {
                    i = after
                    close()
                    continue
                }
            }
            if v >= 0xFB00, stopAtCompatibility, Normalizer.isCompatibilityCharacter(v) { return false }
            let folded: UInt32
            let script: Script
            if v < Normalizer.lowLimit {
                // ASCII, Latin and Arabic: one table read instead of the switch below.
                let entry = low[Int(v)]
                if entry == Normalizer.lowIgnorable { continue }
                if entry == Normalizer.lowSeparator {
                    close()
                    continue
                }
                folded = entry & 0xFF_FFFF
                script = Script(rawValue: UInt8(entry >> 24))!
            } else {
                // Marks that vanish (harakat, tatweel) do not split a word.
                if Normalizer.isIgnorable(v) { continue }
                guard let (f, s) = Normalizer.fold(v) else {
                    close()
                    continue
                }
                (folded, script) = (f, s)
            }
            if script == .symbol {
                close()
                scalars.append(folded)
                tokens.append(Token(start: scalars.count - 1, end: scalars.count, script: .symbol))
                start = scalars.count
                continue
            }
            if current != script {
                close()
                current = script
                start = scalars.count
            }
            scalars.append(folded)
        }
        close()
        return true
    }

    /// The scalar starting at byte `i` of valid UTF-8, and its length in bytes.
    @inline(__always)
    static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let c0 = UInt32(b[i])
        if c0 < 0x80 { return (c0, 1) }
        if c0 < 0xE0 { return ((c0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), 2) }
        if c0 < 0xF0 { return ((c0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), 3) }
        return ((c0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F), 4)
    }

    private func isLetterOrDigit(_ v: UInt32) -> Bool {
        guard let (_, script) = Normalizer.fold(v) else { return false }
        return script != .symbol
    }

    /// The normalized form of one scalar and its script, or nil for a separator or an ignorable mark.
    @inline(__always)
    static func fold(_ v: UInt32) -> (UInt32, Script)? {
        switch v {
        case 0x0627...0x063A, 0x0641...0x064A:
            switch v {
            case 0x0629: return (0x0647, .arabic)  // ة → ه
            case 0x0649: return (0x064A, .arabic)  // ى → ي
            default: return (v, .arabic)
            }
        case 0x61...0x7A: return (v, .latin)
        case 0x41...0x5A: return (v + 0x20, .latin)
        case 0x30...0x39: return (v, .digit)
        case 0x24, 0x25, 0x20AC, 0xA3, 0xA5, 0x20B9: return (v, .symbol)  // $ % € £ ¥ ₹
        case 0x066A: return (0x25, .symbol)  // ٪
        case 0x0660...0x0669: return (v - 0x0660 + 0x30, .digit)
        case 0x06F0...0x06F9: return (v - 0x06F0 + 0x30, .digit)
        case 0x0622, 0x0623, 0x0625, 0x0671: return (0x0627, .arabic)  // آ أ إ ٱ → ا
        case 0x06CC, 0x0626: return (0x064A, .arabic)  // ی ئ → ي
        case 0x0624: return (0x0648, .arabic)  // ؤ → و
        case 0x06A9: return (0x0643, .arabic)  // ک → ك
        case 0x0621: return (v, .arabic)
        case 0xC0...0x24F:
            return (latinFolds[Int(v - 0xC0)], .latin)
        case 0x0672...0x06D3, 0x0370...0x03FF, 0x0400...0x04FF, 0x3040...0x30FF, 0x4E00...0x9FFF, 0xAC00...0xD7AF:
            // Other letters of the Arabic script (Urdu, Persian), Greek, Cyrillic, kana, CJK, Hangul: word
            // characters, as Unicode's properties say, without asking them (the lookup is slow, and these
            // scripts fill whole feeds in a natural stream).
            return (v, .latin)
        default:
            if v < 0x80 { return nil }
            // Common punctuation in headlines: « » “ ” ، ؛ ؟ … and the rest of General Punctuation.
            if v == 0xAB || v == 0xBB || v == 0x060C || v == 0x061B || v == 0x061F || (0x2000...0x206F).contains(v) {
                return nil
            }
            let p = Unicode.Scalar(v)!.properties
            if p.isAlphabetic { return (v, .latin) }  // other scripts: treat as word characters
            return nil
        }
    }

    /// `fold` and `isIgnorable` for every scalar below `lowLimit` (ASCII, Latin, Greek, Cyrillic,
    /// Arabic), as one table: the folded scalar with its script in the top byte, or a mark. Headlines
    /// are almost all made of these, and the switch cost a tenth of classification.
    static let lowLimit: UInt32 = 0x700
    static let lowIgnorable: UInt32 = 0xFFFF_FFFE
    static let lowSeparator: UInt32 = 0xFFFF_FFFF
    static let lowFolds: [UInt32] = (0..<lowLimit).map { v in
        if isIgnorable(v) { return lowIgnorable }
        guard let (folded, script) = fold(v) else { return lowSeparator }
        return folded | UInt32(script.rawValue) << 24
    }

    /// Latin letters with diacritics (U+00C0–U+024F) folded to lowercase ASCII where Foundation's
    /// diacritic- and case-insensitive folding gives one ASCII letter (é → e), else kept as they are
    /// (ß, æ, ø). Built once: the Foundation call per scalar cost 7 % of `feedwatch classify` on a
    /// natural stream, where French, German and Spanish feeds fill whole items.
    static let latinFolds: [UInt32] = (UInt32(0xC0)...0x24F).map { v in
        guard let scalar = Unicode.Scalar(v) else { return v }
        let folded = String(scalar).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        if let f = folded.unicodeScalars.first, folded.unicodeScalars.count == 1 {
            if 0x61...0x7A ~= f.value { return f.value }
            if 0x41...0x5A ~= f.value { return f.value + 0x20 }
        }
        return v
    }

    /// Harakat, superscript alef, tatweel, zero-width joiners: removed without splitting the word.
    @inline(__always)
    static func isIgnorable(_ v: UInt32) -> Bool {
        (0x064B...0x065F).contains(v) || v == 0x0670 || v == 0x0640 || v == 0x200C || v == 0x200D || v == 0x00AD
            || (0x0610...0x061A).contains(v)
            // Zero-width space, word joiner, zero-width no-break space: invisible, so they must not split
            // a word ("go\u{200B}ld" is gold to a reader, and to an evasion attempt).
            || v == 0x200B || v == 0x2060 || v == 0xFEFF
    }

    /// Presentation forms, ligatures, full-width and other compatibility characters need NFKC.
    @inline(__always)
    static func isCompatibilityCharacter(_ v: UInt32) -> Bool {
        (0xFB00...0xFDFF).contains(v) || (0xFE70...0xFEFF).contains(v) || (0xFF00...0xFFEF).contains(v)
    }

    static func compatibilityFold(_ text: String) -> String { text.precomposedStringWithCompatibilityMapping }
}
