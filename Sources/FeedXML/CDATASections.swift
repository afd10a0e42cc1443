#if canImport(Glibc)
import Glibc
#endif

/// CDATA sections read by us instead of by libxml2, which reads them one character at a time: over the
/// real corpus, where most summaries are CDATA, that was a fifth of libxml2's time. Before the parse each
/// section's content is replaced by its number and as many line feeds as it held, so libxml2's line
/// numbers stay those of the document; the tree builder's CDATA callback puts the content back, with line
/// ends normalized as libxml2 normalizes them (CR LF and a lone CR become LF).
///
/// The content needs no check of ours: the caller gives a document of valid UTF-8 without C0 controls
/// (`TextDecoding`, `PreScan`), so every character in it is one XML allows, unless it holds U+FFFE or
/// U+FFFF, the only others XML refuses. Wherever libxml2 could read the document otherwise than this
/// scan does, every section is left to libxml2, as before: U+FFFE/U+FFFF in a section, comment or
/// processing instruction (libxml2 stops there); a document over 10 MB (its input limits); a `<`
/// in a processing instruction (a mangled XML declaration, which libxml2 ends at the next `>`); and a
/// declaration (`<!DOCTYPE`) with an internal subset, a `<`, or a literal holding `>`.
struct CDATASections {
    /// The document as given: the contents are ranges of it.
    let source: [UInt8]
    /// The document with each section's content replaced by its number and its line feeds.
    let document: [UInt8]
    let contents: [Range<Int>]
    /// The line feeds in each section's content (its token's).
    let lineFeeds: [Int]
    /// Where each section's `]]>` ends in `document`: where libxml2 stands when it hands over a token.
    let ends: [Int]

    /// libxml2's XML_MAX_LOOKUP_LIMIT: past it, its input limits ("Huge input lookup") apply, and taking
    /// the sections out would make the document smaller than they see it.
    static let maxDocument = 10_000_000

    private static let open = Array("<![CDATA[".utf8)
    private static let close = Array("]]>".utf8)

    /// nil when the document has no complete section, or when libxml2 could read it otherwise (above).
    static func extract(_ source: [UInt8]) -> CDATASections? {
        source.withUnsafeBufferPointer { src -> CDATASections? in
            guard let base = src.baseAddress, src.count <= maxDocument else { return nil }
            let n = src.count
            var contents: [Range<Int>] = []
            var feeds: [Int] = []
            var ends: [Int] = []
            var document: [UInt8] = []
            var copied = 0
            var markup = MarkupStarts(base: base, count: n)
            while let start = markup.next() {
                // Comments and processing instructions are passed over whole: a "<![CDATA[" in one is text.
                if matches(comment, base, start, n) {
                    guard let end = find(commentEnd, in: base, from: start + comment.count, to: n) else { break }
                    if refused(UnsafeBufferPointer(start: base + start, count: end - start)) { return nil }
                    markup.skip(to: end + commentEnd.count)
                    continue
                }
                if matches(instruction, base, start, n) {
                    guard let end = find(instructionEnd, in: base, from: start + instruction.count, to: n) else { break }
                    let body = UnsafeBufferPointer(start: base + start + 1, count: end - start - 1)
                    if offset(of: 0x3C, in: base, from: start + 1, to: end) != nil || refused(body) { return nil }
                    markup.skip(to: end + instructionEnd.count)
                    continue
                }
                guard matches(open, base, start, n) else {
                    // Another declaration (`<!DOCTYPE`): passed over when plain, else all is left to libxml2.
                    guard let end = plainDeclarationEnd(base, start, n) else { return nil }
                    markup.skip(to: end)
                    continue
                }
                let from = start + open.count
                // An unfinished section is left to libxml2, which reports it.
                guard let end = find(close, in: base, from: from, to: n) else { break }
                let content = UnsafeBufferPointer(start: base + from, count: end - from)
                if refused(content) { return nil }
                if document.isEmpty { document.reserveCapacity(n) }
                document.append(contentsOf: UnsafeBufferPointer(start: base + copied, count: from - copied))
                document.append(contentsOf: String(contents.count).utf8)
                let count = lineFeeds(content)
                document.append(contentsOf: repeatElement(0x0A, count: count))
                contents.append(from..<end)
                feeds.append(count)
                ends.append(document.count + close.count)
                copied = end
                markup.skip(to: end + close.count)
            }
            guard !contents.isEmpty else { return nil }
            document.append(contentsOf: UnsafeBufferPointer(start: base + copied, count: n - copied))
            return CDATASections(source: source, document: document, contents: contents, lineFeeds: feeds, ends: ends)
        }
    }

    private static let comment = Array("<!--".utf8)
    private static let commentEnd = Array("-->".utf8)
    private static let instruction = Array("<?".utf8)
    private static let instructionEnd = Array("?>".utf8)

    /// The end (after its `>`) of the declaration at `start` when it is plain: no internal subset, no
    /// `<` after its own, and its quotes balanced before the first `>`; nil otherwise.
    private static func plainDeclarationEnd(_ base: UnsafePointer<UInt8>, _ start: Int, _ n: Int) -> Int? {
        guard let end = offset(of: 0x3E, in: base, from: start, to: n) else { return nil }
        var quotes = 0
        var apostrophes = 0
        for i in (start + 1)..<end {
            switch base[i] {
            case 0x3C, 0x5B: return nil  // `<`, `[`
            case 0x22: quotes += 1
            case 0x27: apostrophes += 1
            default: break
            }
        }
        return quotes % 2 == 0 && apostrophes % 2 == 0 ? end + 1 : nil
    }

    private static func matches(_ word: [UInt8], _ base: UnsafePointer<UInt8>, _ at: Int, _ n: Int) -> Bool {
        n - at >= word.count && word.indices.allSatisfy { base[at + $0] == word[$0] }
    }

    /// The positions of "<!" and "<?" in order, found by their second byte: `<` starts every tag, while
    /// `!` and `?` are rare outside these (a `?` in a URL costs one look back). Each byte's next position
    /// is kept until passed, so the document is scanned once for each.
    private struct MarkupStarts {
        let base: UnsafePointer<UInt8>
        let count: Int
        private var at = 1
        private var bang = -1
        private var query = -1

        init(base: UnsafePointer<UInt8>, count: Int) {
            self.base = base
            self.count = count
        }

        mutating func skip(to position: Int) { at = max(at, position + 1) }

        /// The next "<!" or "<?" at or after the current position (the index of its `<`).
        mutating func next() -> Int? {
            while at < count {
                if bang < at { bang = find(0x21) }
                if query < at { query = find(0x3F) }
                let hit = min(bang, query)
                guard hit < count else { return nil }
                at = hit + 1
                if base[hit - 1] == 0x3C { return hit - 1 }
            }
            return nil
        }

        /// The first `byte` at or after `at`, or `count`.
        private func find(_ byte: UInt8) -> Int { CDATASections.offset(of: byte, in: base, from: at, to: count) ?? count }
    }

    /// The section a CDATA callback's `token` names: its number, not below `from`, written as we wrote
    /// it, then exactly its line feeds, handed over where that section ends (`position`: libxml2's
    /// offset in `document`). Anything else is a section libxml2 read itself, read as text.
    func section(named token: UnsafeBufferPointer<UInt8>, from: Int, at position: Int) -> Int? {
        var index = 0
        var digits = 0
        for b in token {
            guard b >= 0x30, b <= 0x39 else { break }
            index = index * 10 + Int(b - 0x30)
            digits += 1
            if digits > 9 { return nil }
        }
        guard digits > 0, token[0] != 0x30 || digits == 1, index >= from, index < contents.count else { return nil }
        guard ends[index] == position, token.count - digits == lineFeeds[index],
            token[digits...].allSatisfy({ $0 == 0x0A })
        else { return nil }
        return index
    }

    /// Hands the content of section `index` to `out`, line ends normalized.
    func content(_ index: Int, to out: (UnsafeBufferPointer<UInt8>) -> Void) {
        let range = contents[index]
        source.withUnsafeBufferPointer { src in
            let content = UnsafeBufferPointer(rebasing: src[range])
            guard let base = content.baseAddress, memchr(base, 0x0D, content.count) != nil else { return out(content) }
            var normalized = [UInt8]()
            normalized.reserveCapacity(content.count)
            var i = 0
            while i < content.count {
                let b = content[i]
                if b == 0x0D {
                    normalized.append(0x0A)
                    if i + 1 < content.count, content[i + 1] == 0x0A { i += 1 }
                } else {
                    normalized.append(b)
                }
                i += 1
            }
            normalized.withUnsafeBufferPointer(out)
        }
    }

    /// Where `needle` first occurs in `base[from..<end]`. It is found by its first `[` or `]`, bytes
    /// that are rare in feeds outside the sections themselves, else by its first byte other than `<` and
    /// `>`, which every tag has.
    private static func find(_ needle: [UInt8], in base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int? {
        let anchor = needle.firstIndex { $0 == 0x5B || $0 == 0x5D } ?? needle.firstIndex { $0 != 0x3C && $0 != 0x3E }!
        var at = from + anchor
        while end - (at - anchor) >= needle.count, let hit = offset(of: needle[anchor], in: base, from: at, to: end) {
            let start = hit - anchor
            if end - start < needle.count { return nil }
            if start >= from, needle.indices.allSatisfy({ base[start + $0] == needle[$0] }) { return start }
            at = start + anchor + 1
        }
        return nil
    }

    /// Where `byte` first occurs in `base[from..<end]` (memchr, as an offset from `base`).
    private static func offset(of byte: UInt8, in base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int? {
        guard from < end, let hit = memchr(base + from, Int32(byte), end - from) else { return nil }
        return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
    }

    /// Line feeds, the only character libxml2 counts lines by (a CR LF counts once, a lone CR never).
    private static func lineFeeds(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = p.baseAddress else { return 0 }
        var count = 0
        var at = 0
        while let lf = offset(of: 0x0A, in: base, from: at, to: p.count) {
            count += 1
            at = lf + 1
        }
        return count
    }

    /// U+FFFE or U+FFFF (EF BF BE, EF BF BF): characters XML refuses that valid UTF-8 can hold.
    private static func refused(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = p.baseAddress else { return false }
        var at = 0
        while let ef = offset(of: 0xEF, in: base, from: at, to: p.count) {
            if p.count - ef >= 3, p[ef + 1] == 0xBF, p[ef + 2] == 0xBE || p[ef + 2] == 0xBF { return true }
            at = ef + 1
        }
        return false
    }
}
