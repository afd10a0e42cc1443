#if canImport(Glibc)
import Glibc
#endif

/// CDATA sections read by us instead of by libxml2, which reads them one character at a time: over the
/// real corpus, where most summaries are CDATA, that was a fifth of libxml2's time. Before the parse each
/// section's content is replaced by its number and as many line feeds as it held, so libxml2's line
/// numbers stay those of the document; the tree builder's CDATA callback puts the content back, with line
/// ends normalized as libxml2 normalizes them (CR LF and a lone CR become LF).
///
/// The content needs no check of ours: by the parse the document is valid UTF-8 without C0 controls
/// (`TextDecoding`, `PreScan`), so every character in it is one XML allows, unless it holds U+FFFE or
/// U+FFFF, the only others XML refuses. A document with either in a section keeps its sections for
/// libxml2 to refuse, as before.
struct CDATASections {
    /// The document as given: the contents are ranges of it.
    let source: [UInt8]
    /// The document with each section's content replaced by its number and its line feeds.
    let document: [UInt8]
    let contents: [Range<Int>]
    /// The line feeds in each section's content (its token's).
    let lineFeeds: [Int]

    private static let open = Array("<![CDATA[".utf8)
    private static let close = Array("]]>".utf8)

    /// nil when the document has no complete section, or one holding U+FFFE or U+FFFF.
    static func extract(_ source: [UInt8]) -> CDATASections? {
        source.withUnsafeBufferPointer { src -> CDATASections? in
            guard let base = src.baseAddress else { return nil }
            let n = src.count
            var contents: [Range<Int>] = []
            var feeds: [Int] = []
            var document: [UInt8] = []
            var copied = 0
            var markup = MarkupStarts(base: base, count: n)
            while let start = markup.next() {
                // Comments and processing instructions are passed over whole: a "<![CDATA[" in one is text.
                if matches(comment, base, start, n) {
                    guard let end = find(commentEnd, in: base, from: start + comment.count, to: n) else { break }
                    markup.skip(to: end + commentEnd.count)
                    continue
                }
                if matches(instruction, base, start, n) {
                    guard let end = find(instructionEnd, in: base, from: start + instruction.count, to: n) else { break }
                    // A `<` inside is a broken one (a mangled XML declaration, say), which libxml2 may end
                    // elsewhere: the sections are then all left to it.
                    if memchr(base + start + 1, 0x3C, end - start - 1) != nil { return nil }
                    markup.skip(to: end + instructionEnd.count)
                    continue
                }
                guard matches(open, base, start, n) else { continue }
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
                copied = end
                markup.skip(to: end + close.count)
            }
            guard !contents.isEmpty else { return nil }
            document.append(contentsOf: UnsafeBufferPointer(start: base + copied, count: n - copied))
            return CDATASections(source: source, document: document, contents: contents, lineFeeds: feeds)
        }
    }

    private static let comment = Array("<!--".utf8)
    private static let commentEnd = Array("-->".utf8)
    private static let instruction = Array("<?".utf8)
    private static let instructionEnd = Array("?>".utf8)

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
        private func find(_ byte: Int32) -> Int {
            guard let p = memchr(base + at, byte, count - at) else { return count }
            return UnsafePointer(p.assumingMemoryBound(to: UInt8.self)) - base
        }
    }

    /// The section a CDATA callback's `token` names: its number, not below `from`, written as we wrote
    /// it, then exactly its line feeds. Anything else is a section libxml2 read itself, which happens
    /// only where a broken document makes it see a section where we saw none.
    func section(named token: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var index = 0
        var digits = 0
        for b in token {
            guard b >= 0x30, b <= 0x39 else { break }
            index = index * 10 + Int(b - 0x30)
            digits += 1
            if digits > 9 { return nil }
        }
        guard digits > 0, token[0] != 0x30 || digits == 1, index >= from, index < contents.count else { return nil }
        guard token.count - digits == lineFeeds[index], token[digits...].allSatisfy({ $0 == 0x0A }) else { return nil }
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
        while end - (at - anchor) >= needle.count, let hit = memchr(base + at, Int32(needle[anchor]), end - at) {
            let start = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base - anchor
            if end - start < needle.count { return nil }
            if start >= from, needle.indices.allSatisfy({ base[start + $0] == needle[$0] }) { return start }
            at = start + anchor + 1
        }
        return nil
    }

    /// Line feeds, the only character libxml2 counts lines by (a CR LF counts once, a lone CR never).
    private static func lineFeeds(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        guard var at = p.baseAddress else { return 0 }
        let end = at + p.count
        var count = 0
        while at < end, let lf = memchr(at, 0x0A, end - at) {
            count += 1
            at = UnsafePointer(lf.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return count
    }

    /// U+FFFE or U+FFFF (EF BF BE, EF BF BF): characters XML refuses that valid UTF-8 can hold.
    private static func refused(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard var at = p.baseAddress else { return false }
        let end = at + p.count
        while at < end, let ef = memchr(at, 0xEF, end - at) {
            let i = UnsafePointer(ef.assumingMemoryBound(to: UInt8.self))
            if end - i >= 3, i[1] == 0xBF, i[2] == 0xBE || i[2] == 0xBF { return true }
            at = i + 1
        }
        return false
    }
}
