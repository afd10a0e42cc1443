#if canImport(Glibc)
import Glibc
#endif

/// Byte-level checks and repairs before libxml2 sees a document (reliability.md §1.4 steps 2 and 7).
enum PreScan {
    /// Rejects what only an attacker sends, in one linear pass: any `<!ENTITY` declaration, and any single
    /// markup run longer than `maxMarkupRun` (80,000 attributes in one tag cost libxml2 2.9 over 20 s).
    /// Comments and CDATA sections are skipped, since their content is not markup.
    static func checkShape(_ b: [UInt8], maxMarkupRun: Int) throws(ParseError) {
        try b.withUnsafeBufferPointer { (p: UnsafeBufferPointer<UInt8>) throws(ParseError) in
            let n = p.count
            var i = 0
            let base = p.baseAddress!
            while i < n {
                // memchr finds the next '<' far faster than a byte loop.
                guard let hit = memchr(base + i, 0x3C, n - i) else { return }
                i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if starts(p, i, "<!--") {
                    i = skip(p, from: i + 4, past: "-->")
                } else if starts(p, i, "<![CDATA[") {
                    i = skip(p, from: i + 9, past: "]]>")
                } else if starts(p, i, "<!ENTITY") {
                    throw ParseError(
                        .entityDeclaration,
                        "the document declares entities (<!ENTITY>); refused, feeds never need them",
                        line: lineOf(p, i))
                } else {
                    var j = i + 1
                    // A DOCTYPE's internal subset holds declarations; scan them one by one.
                    if starts(p, i, "<!DOCTYPE") {
                        while j < n, p[j] != 0x3E, p[j] != 0x5B { j += 1 }  // '>' or '['
                        if j < n, p[j] == 0x5B {
                            i = j + 1
                            continue
                        }
                    }
                    let end = memchr(base + j, 0x3E, max(0, n - j))
                    j = end.map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? n
                    if j - i > maxMarkupRun {
                        throw ParseError(
                            .hostileShape,
                            "one tag is \(j - i) bytes long (limit \(maxMarkupRun)); refused as hostile",
                            line: lineOf(p, i))
                    }
                    i = j + 1
                }
            }
        }
    }

    /// An HTML page rather than XML: after white space and comments, `<!doctype html` (any case: HTML5
    /// writes it in lower case, which XML would refuse with a confusing "extra content" error) or `<html`.
    /// An XHTML page with an XML declaration is found later, by its root element.
    static func isHTMLPage(_ b: [UInt8]) -> Bool {
        var i = 0
        let n = min(b.count, 64 * 1024)
        func lower(_ k: Int) -> UInt8 { b[k] >= 0x41 && b[k] <= 0x5A ? b[k] + 0x20 : b[k] }
        func at(_ k: Int, _ word: String) -> Bool {
            let w = Array(word.utf8)
            return k + w.count <= n && (0..<w.count).allSatisfy { lower(k + $0) == w[$0] }
        }
        while i < n {
            if b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D {
                i += 1
            } else if at(i, "<!--") {
                guard
                    let end = (i + 4..<max(i + 4, n - 2)).first(where: { b[$0] == 0x2D && b[$0 + 1] == 0x2D && b[$0 + 2] == 0x3E }
                    )
                else { return false }
                i = end + 3
            } else {
                return at(i, "<!doctype html") || (at(i, "<html") && (i + 5 == n || !isNameByte(b[i + 5])))
            }
        }
        return false
    }

    /// Blanks out an XML declaration that is not at the very start (after a comment or blank lines, as
    /// in many real feeds and every feedparser test file), and any non-markup junk before the first tag.
    /// The bytes are already UTF-8, so the declaration has nothing left to say. Returns what was repaired.
    static func repairProlog(_ b: inout [UInt8]) -> String? {
        var note: String?
        var i = 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        if i < b.count, b[i] != 0x3C {
            // Junk before the first tag: blank it up to the first '<'.
            var j = i
            while j < b.count, b[j] != 0x3C { j += 1 }
            for k in i..<j where b[k] != 0x0A { b[k] = 0x20 }
            note = "text before the first tag was ignored"
            i = j
        }
        // Find "<?xml" among the leading comments and whitespace.
        var k = i
        while k < b.count {
            while k < b.count, b[k] == 0x20 || b[k] == 0x09 || b[k] == 0x0A || b[k] == 0x0D { k += 1 }
            let view = b
            if view.withUnsafeBufferPointer({ starts($0, k, "<!--") }) {
                k = view.withUnsafeBufferPointer { skip($0, from: k + 4, past: "-->") }
                continue
            }
            if view.withUnsafeBufferPointer({ starts($0, k, "<?xml") }), k + 5 < b.count,
                b[k + 5] == 0x20 || b[k + 5] == 0x09 || b[k + 5] == 0x0A || b[k + 5] == 0x0D || b[k + 5] == 0x3F
            {
                if k == 0 { return note }
                var e = k
                while e + 1 < b.count, !(b[e] == 0x3F && b[e + 1] == 0x3E) { e += 1 }
                for x in k...min(e + 1, b.count - 1) where b[x] != 0x0A { b[x] = 0x20 }
            }
            break
        }
        return note
    }

    /// C0 control characters other than tab, LF and CR are illegal in XML 1.0 and make libxml2 give up
    /// or mangle the rest of the text; real feeds carry them (pasted from editors). Each becomes a space.
    /// Returns how many were replaced.
    static func blankControlCharacters(_ b: inout [UInt8]) -> Int {
        var count = 0
        b.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count where p[i] < 0x20 {
                let c = p[i]
                if c != 0x09, c != 0x0A, c != 0x0D {
                    p[i] = 0x20
                    count += 1
                }
            }
        }
        return count
    }

    /// Named HTML entities (`&nbsp;`, `&eacute;`) as numeric references, for documents without a DTD that
    /// use them anyway (BI-11). XML's own five are kept; unknown names become literal text.
    static func mapHTMLEntities(_ b: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(b.count + 64)
        b.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            var i = 0
            while i < p.count {
                // Copy up to the next '&' in one go.
                guard let hit = memchr(base + i, 0x26, p.count - i) else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i...]))
                    return
                }
                let amp = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<amp]))
                var j = amp + 1
                while j < p.count, j - amp <= 33, isNameByte(p[j]) { j += 1 }
                guard j > amp + 1, j < p.count, p[j] == 0x3B, p[amp + 1] != 0x23 else {
                    out.append(0x26)
                    i = amp + 1
                    continue
                }
                let name = String(decoding: UnsafeBufferPointer(rebasing: p[(amp + 1)..<j]), as: UTF8.self)
                if ["amp", "lt", "gt", "quot", "apos"].contains(name) {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: p[amp...j]))
                } else if let v = Entities.lookup(name) {
                    out.append(contentsOf: Array("&#\(v.value);".utf8))
                } else {
                    out.append(contentsOf: Array("&amp;".utf8))
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: p[(amp + 1)...j]))
                }
                i = j + 1
            }
        }
        return out
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
    }

    private static func starts(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= p.count else { return false }
        let q = s.utf8Start
        for k in 0..<n where p[i + k] != q[k] { return false }
        return true
    }

    private static func skip(_ p: UnsafeBufferPointer<UInt8>, from: Int, past s: StaticString) -> Int {
        guard let base = p.baseAddress else { return p.count }
        var i = from
        while i < p.count {
            guard let hit = memchr(base + i, Int32(s.utf8Start[0]), p.count - i) else { return p.count }
            i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if starts(p, i, s) { return i + s.utf8CodeUnitCount }
            i += 1
        }
        return p.count
    }

    private static func lineOf(_ p: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Int {
        var line = 1
        for k in 0..<min(offset, p.count) where p[k] == 0x0A { line += 1 }
        return line
    }
}
