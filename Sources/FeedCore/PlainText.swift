/// Plain-text helpers shared by the parser, the classifier and alert rendering.
public enum PlainText {
    /// Python's `str.isspace()` set, which the oracle (feed_oracle.py) uses: Unicode White_Space plus the
    /// ASCII information separators U+001C…U+001F. Zero-width characters are not whitespace.
    @inline(__always)
    public static func isSpace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) || (v >= 0x1C && v <= 0x1F) }
        return s.properties.isWhitespace
    }

    /// Every run of whitespace becomes one space, both ends are stripped; empty becomes nil.
    public static func collapse(_ text: String) -> String? {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for s in text.unicodeScalars {
            if isSpace(s) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(s)
            }
        }
        return out.isEmpty ? nil : String(out)
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

    /// Bytes to a String, with every invalid UTF-8 sequence replaced by U+FFFD, and NUL dropped
    /// (a NUL would truncate the text in any C string it reaches).
    public static func repairUTF8<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let s = String(decoding: bytes, as: UTF8.self)
        return s.utf8.contains(0) ? String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != "\0" })) : s
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
        guard text.unicodeScalars.contains(where: { $0.value >= 0x80 && $0.value <= 0x9F }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { mapC1($0) }))
    }

    /// Undoes the commonest mojibake: UTF-8 bytes that were read as Latin-1 and re-encoded ("Ã©" → "é").
    /// Applied only when every scalar is ≤ U+00FF and the bytes then form valid multi-byte UTF-8.
    public static func repairDoubleEncoding(_ text: String) -> String {
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
