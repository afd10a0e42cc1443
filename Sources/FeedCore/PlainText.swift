#if canImport(Glibc)
import Glibc
#endif

/// Plain-text helpers shared by the parser, the classifier and alert rendering.
public enum PlainText: Sendable {
    /// Python's `str.isspace()` set, which the oracle (feed_oracle.py) uses: Unicode White_Space plus the
    /// ASCII information separators U+001C…U+001F. Zero-width characters are not whitespace.
    @inline(__always)
    public static func isSpace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) || (v >= 0x1C && v <= 0x1F) }
        return s.properties.isWhitespace
    }

    /// Every run of whitespace becomes one space, both ends are stripped; empty becomes nil.
    /// Works on UTF-8 bytes: this runs on every title and summary, so it must not build scalars one by one.
    public static func collapse(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { collapse(utf8: $0) }
    }

    /// `collapse` over raw UTF-8 (assumed valid).
    public static func collapse(utf8 p: UnsafeBufferPointer<UInt8>) -> String? {
        let n = p.count
        guard n > 0, let src = p.baseAddress else { return nil }
        let result = String(unsafeUninitializedCapacity: n) { buffer -> Int in
            let out = buffer.baseAddress!
            var o = 0
            var pendingSpace = false
            var i = 0
            while i < n {
                // Runs of bytes that cannot start a whitespace character (most of any text) are copied
                // with one test per byte.
                var j = i
                while j < n, !mayStartSpace(src[j]) { j += 1 }
                if j > i {
                    if pendingSpace {
                        out[o] = 0x20
                        o += 1
                        pendingSpace = false
                    }
                    (out + o).initialize(from: src + i, count: j - i)
                    o += j - i
                    i = j
                    if i == n { break }
                }
                let c = src[i]
                let width = spaceWidth(p, i, c)
                if width > 0 {
                    pendingSpace = o > 0
                    i += width
                    continue
                }
                if pendingSpace {
                    out[o] = 0x20
                    o += 1
                    pendingSpace = false
                }
                out[o] = c
                o += 1
                i += 1
            }
            return o
        }
        return result.isEmpty ? nil : result
    }

    /// The bytes that can begin a whitespace character in UTF-8: the ASCII ones (and the other C0
    /// controls, which `spaceWidth` turns down), and the lead bytes of U+0085/U+00A0 (C2), U+1680 (E1),
    /// U+2000…U+205F (E2) and U+3000 (E3). Printable ASCII, continuation bytes and Arabic letters never do.
    @inline(__always)
    static func mayStartSpace(_ c: UInt8) -> Bool {
        c <= 0x20 || c == 0xC2 || (c >= 0xE1 && c <= 0xE3)
    }

    /// The byte length of the whitespace character at `i` (Python's `str.isspace()` set), or 0.
    @inline(__always)
    private static func spaceWidth(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ c: UInt8) -> Int {
        let n = p.count
        if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) ? 1 : 0 }
        if c == 0xC2, i + 1 < n, p[i + 1] == 0x85 || p[i + 1] == 0xA0 { return 2 }  // U+0085, U+00A0
        if c == 0xE1, i + 2 < n, p[i + 1] == 0x9A, p[i + 2] == 0x80 { return 3 }  // U+1680
        if c == 0xE2, i + 2 < n {
            let b1 = p[i + 1]
            let b2 = p[i + 2]
            // U+2000–U+200A, U+2028, U+2029, U+202F, U+205F
            if b1 == 0x80, (b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF { return 3 }
            if b1 == 0x81, b2 == 0x9F { return 3 }
        }
        if c == 0xE3, i + 2 < n, p[i + 1] == 0x80, p[i + 2] == 0x80 { return 3 }  // U+3000
        return 0
    }

    /// `collapse(utf8:)`, then cap at `maxUTF8Bytes` like `collapse(_:maxUTF8Bytes:)`.
    public static func collapse(utf8 p: UnsafeBufferPointer<UInt8>, maxUTF8Bytes: Int) -> String? {
        collapse(utf8: p).map { truncate($0, maxUTF8Bytes: maxUTF8Bytes) }
    }

    /// Collapse, then cap at `maxUTF8Bytes` on a scalar boundary, ending a cut text with "…".
    public static func collapse(_ text: String, maxUTF8Bytes: Int) -> String? {
        guard let c = collapse(text) else { return nil }
        return truncate(c, maxUTF8Bytes: maxUTF8Bytes)
    }

    public static func truncate(_ text: String, maxUTF8Bytes: Int) -> String {
        guard text.utf8.count > maxUTF8Bytes else { return text }
        var out = String.UnicodeScalarView()
        var used = 0
        let budget = max(0, maxUTF8Bytes - 3)  // "…" is 3 bytes
        for s in text.unicodeScalars {
            let n = UTF8.width(s)
            if used + n > budget { break }
            out.append(s)
            used += n
        }
        return String(out) + "…"
    }
}

extension UTF8 {
    @inline(__always)
    static func width(_ s: Unicode.Scalar) -> Int {
        switch s.value {
        case 0..<0x80: return 1
        case 0x80..<0x800: return 2
        case 0x800..<0x10000: return 3
        default: return 4
        }
    }
}

extension PlainText {
    /// What a text needs from `mapC1` and `repairDoubleEncoding`, found in one pass over its bytes so
    /// that the common case (ASCII or Arabic text) costs a single scan.
    public struct LegacyMarks: Sendable {
        public var hasC1 = false
        /// Only ASCII and U+0080…U+00FF, and at least one of the latter.
        public var latinOnly = false
    }

    public static func legacyMarks(_ text: String) -> LegacyMarks {
        var text = text
        return text.withUTF8 { legacyMarks(utf8: $0) }
    }

    /// `legacyMarks` over raw UTF-8.
    public static func legacyMarks(utf8 p: UnsafeBufferPointer<UInt8>) -> LegacyMarks {
        var marks = LegacyMarks()
        var sawLatin = false
        var sawHigher = false
        var i = 0
        let n = p.count
        while i < n {
            if i + 8 <= n, UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8  // eight ASCII bytes
                continue
            }
            let c = p[i]
            if c < 0xC2 {
                i += 1
                continue
            }
            if c <= 0xC3 {
                sawLatin = true
                if c == 0xC2, i + 1 < n, p[i + 1] >= 0x80, p[i + 1] <= 0x9F { marks.hasC1 = true }
                i += 2
            } else {
                sawHigher = true
                // Not Latin-only now: what is left to find is a C1 character (C2 80…C2 9F), whose lead
                // byte memchr finds far faster than this loop walks Arabic text.
                if !marks.hasC1 { marks.hasC1 = hasC1(p, from: i + 1) }
                break
            }
        }
        marks.latinOnly = sawLatin && !sawHigher
        return marks
    }

    /// Whether C2 80…C2 9F occurs in `p` at or after `from`.
    private static func hasC1(_ p: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        guard let base = p.baseAddress else { return false }
        var i = from
        while i < p.count, let hit = memchr(base + i, 0xC2, p.count - i) {
            let k = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if k + 1 < p.count, p[k + 1] >= 0x80, p[k + 1] <= 0x9F { return true }
            i = k + 1
        }
        return false
    }

    /// windows-1252's meaning of the C1 range (0x80–0x9F). Feeds put those bytes or numeric references
    /// in text far more often than real C1 controls, so readers map them the way browsers do.
    static let cp1252C1: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// U+0080…U+009F mapped through windows-1252 (as feedparser and HTML5 do).
    public static func mapC1(_ s: Unicode.Scalar) -> Unicode.Scalar {
        guard s.value >= 0x80, s.value <= 0x9F else { return s }
        return Unicode.Scalar(cp1252C1[Int(s.value - 0x80)]) ?? s
    }

    /// Applies `mapC1` to a whole string; returns it unchanged (no copy) when there is nothing to map.
    public static func mapC1(_ text: String) -> String {
        // U+0080…U+009F are C2 80…C2 9F in UTF-8.
        var text = text
        guard text.withUTF8({ hasC1($0, from: 0) }) else { return text }
        // On bytes: C2 80…C2 9F become the UTF-8 of their windows-1252 characters, the rest is copied.
        return text.withUTF8 { p -> String in
            var out: [UInt8] = []
            out.reserveCapacity(p.count + p.count / 2)
            var i = 0
            while i < p.count {
                if p[i] == 0xC2, i + 1 < p.count, p[i + 1] >= 0x80, p[i + 1] <= 0x9F {
                    let scalar = mapC1(Unicode.Scalar(p[i + 1]))
                    out.append(contentsOf: UTF8.encode(scalar)!)
                    i += 2
                } else {
                    out.append(p[i])
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Undoes the commonest mojibake: UTF-8 bytes that were read as Latin-1 and re-encoded ("Ã©" → "é").
    /// Applied only when every scalar is ≤ U+00FF and the bytes then form valid multi-byte UTF-8.
    public static func repairDoubleEncoding(_ text: String) -> String {
        // Only scalars U+0080…U+00FF (lead bytes C2/C3) and ASCII may appear; anything else returns at once.
        var text = text
        let candidate = text.withUTF8 { p -> Bool in
            var sawLatin = false
            for c in p where c >= 0x80 {
                if c >= 0xC4 { return false }
                if c == 0xC2 || c == 0xC3 { sawLatin = true }
            }
            return sawLatin
        }
        guard candidate else { return text }
        var bytes: [UInt8] = []
        var sawHigh = false
        for s in text.unicodeScalars {
            guard s.value <= 0xFF else { return text }
            if s.value >= 0x80 { sawHigh = true }
            bytes.append(UInt8(s.value))
        }
        guard sawHigh, let fixed = String(validating: bytes, as: UTF8.self) else { return text }
        return fixed
    }
}
