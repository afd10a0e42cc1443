import FeedCore

#if canImport(Glibc)
import Glibc
#endif

/// Turns a document's bytes into UTF-8, deciding the encoding in this order (reliability.md §1.4):
/// byte-order mark, then the XML declaration, then the HTTP charset, then UTF-8.
/// libxml2 then only ever sees valid UTF-8, so one code path handles every feed.
struct TextDecoding {
    /// The bytes as UTF-8.
    var utf8: [UInt8]
    /// The encoding the bytes were read as (upper-case IANA-style name).
    var encoding: String
    /// Why the result is not exactly what the document said (mislabel, bad bytes, unknown encoding).
    var problem: String?
    /// C0 control characters in `utf8`, when the decoder already counted them (the UTF-8 path).
    var controlCharacters: Int?

    static func decode(_ bytes: [UInt8], httpCharset: String?) throws(ParseError) -> TextDecoding {
        // 1. Byte-order mark or the UTF-16/32 shape of "<".
        if let (enc, bomLength) = sniffUnicode(bytes) {
            let body = Array(bytes[bomLength...])
            if enc == "UTF-8" { return fromUTF8(body, label: "UTF-8", problem: nil) }
            return try transcode(body, from: enc, label: enc)
        }
        // 2. The XML declaration, 3. the HTTP charset.
        let declared = declaredEncoding(bytes)
        guard let label = declared ?? httpCharset.map(normalize) else {
            // Undeclared: UTF-8, unless the bytes are not UTF-8 at all (no valid multi-byte sequence),
            // which in practice means an undeclared Latin-1/windows-1252 feed.
            if !UTF8Scan.isValid(bytes), looksLegacy(bytes) {
                var r = try transcode(bytes, from: "WINDOWS-1252", label: "WINDOWS-1252")
                r.problem = "no encoding declared and the bytes are not UTF-8; read as windows-1252"
                return r
            }
            return fromUTF8(bytes, label: "UTF-8", problem: nil)
        }
        let name = normalize(label)
        if name == "UTF-8" || name == "UTF8" { return fromUTF8(bytes, label: "UTF-8", problem: nil) }
        if name.hasPrefix("UTF-16") || name.hasPrefix("UTF-32") || name == "UCS-2" {
            // Declared 16/32-bit but no BOM and an ASCII-shaped "<": the declaration is wrong.
            return fromUTF8(bytes, label: "UTF-8", problem: "declared \(label) but the bytes are 8-bit; read as UTF-8")
        }
        // A single-byte label over bytes that are valid multi-byte UTF-8 is a mislabel (BI-09).
        if hasMultibyteUTF8(bytes), UTF8Scan.isValid(bytes) {
            return TextDecoding(
                utf8: bytes, encoding: "UTF-8",
                problem: "declared \(label) but the bytes are UTF-8; read as UTF-8")
        }
        // Latin-1 and ASCII labels are read as windows-1252, as browsers do: real feeds put 0x80–0x9F
        // punctuation under those labels far more often than C1 controls.
        let iconvName =
            ["ISO-8859-1", "LATIN1", "ISO_8859-1", "US-ASCII", "ASCII", "ISO8859-1", "L1", "LATIN-1"]
                .contains(name) ? "WINDOWS-1252" : name
        if !isASCIICompatible(iconvName) {
            return fromUTF8(bytes, label: "UTF-8", problem: "declared \(label), which is not an 8-bit encoding; read as UTF-8")
        }
        do {
            return try transcode(bytes, from: iconvName, label: name)
        } catch {
            // Unknown or bogus label: UTF-8 when it validates, else windows-1252, and say so.
            if UTF8Scan.isValid(bytes) {
                return TextDecoding(utf8: bytes, encoding: "UTF-8", problem: "unknown encoding \(label); read as UTF-8")
            }
            var r = try transcode(bytes, from: "WINDOWS-1252", label: "WINDOWS-1252")
            r.problem = "unknown encoding \(label); read as windows-1252"
            return r
        }
    }

    /// UTF-8 bytes, with invalid sequences repaired to U+FFFD (RECOVER would pass them through, §1.2).
    static func fromUTF8(_ bytes: [UInt8], label: String, problem: String?) -> TextDecoding {
        let scan = UTF8Scan.scan(bytes)
        if scan.valid {
            return TextDecoding(utf8: bytes, encoding: label, problem: problem, controlCharacters: scan.controlCharacters)
        }
        let repaired = Array(String(decoding: bytes, as: UTF8.self).utf8)
        return TextDecoding(utf8: repaired, encoding: label, problem: problem ?? "invalid UTF-8 bytes replaced by U+FFFD")
    }

    static func sniffUnicode(_ b: [UInt8]) -> (String, Int)? {
        func at(_ i: Int) -> UInt8? { i < b.count ? b[i] : nil }
        switch (at(0), at(1), at(2), at(3)) {
        case (0xEF, 0xBB, 0xBF, _): return ("UTF-8", 3)
        case (0x00, 0x00, 0xFE, 0xFF): return ("UTF-32BE", 4)
        case (0xFF, 0xFE, 0x00, 0x00): return ("UTF-32LE", 4)
        case (0xFE, 0xFF, _, _): return ("UTF-16BE", 2)
        case (0xFF, 0xFE, _, _): return ("UTF-16LE", 2)
        case (0x00, 0x00, 0x00, 0x3C): return ("UTF-32BE", 0)
        case (0x3C, 0x00, 0x00, 0x00): return ("UTF-32LE", 0)
        case (0x00, 0x3C, _, _): return ("UTF-16BE", 0)
        case (0x3C, 0x00, _, _): return ("UTF-16LE", 0)
        default: return nil
        }
    }

    /// `encoding="…"` from an XML declaration in the first 2 KiB (it may follow a comment or blank lines).
    static func declaredEncoding(_ b: [UInt8]) -> String? {
        let limit = min(b.count, 2048)
        guard let start = find(Array("<?xml".utf8), in: b, upTo: limit) else { return nil }
        guard let end = find(Array("?>".utf8), in: b, from: start, upTo: limit) else { return nil }
        let decl = b[start..<end]
        guard let e = find(Array("encoding".utf8), in: Array(decl), upTo: decl.count) else { return nil }
        var i = decl.startIndex + e + 8
        while i < end, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x3D { i += 1 }
        guard i < end, b[i] == 0x22 || b[i] == 0x27 else { return nil }
        let quote = b[i]
        i += 1
        let valueStart = i
        while i < end, b[i] != quote { i += 1 }
        let value = String(decoding: b[valueStart..<i], as: UTF8.self)
        return value.isEmpty ? nil : value
    }

    static func normalize(_ label: String) -> String {
        var s = label.uppercased()
        s.removeAll { $0 == " " || $0 == "\"" || $0 == "'" }
        switch s {
        case "CP1256", "MS-ARAB", "WINDOWS1256", "X-CP1256": return "WINDOWS-1256"
        case "CP1252", "WINDOWS1252", "X-CP1252": return "WINDOWS-1252"
        case "CP1251", "WINDOWS1251": return "WINDOWS-1251"
        case "CP1250": return "WINDOWS-1250"
        case "CP1255": return "WINDOWS-1255"
        case "ISO-8859-6", "ISO8859-6", "ARABIC", "ASMO-708", "ISO-8859-6-I", "ISO-8859-6-E": return "ISO-8859-6"
        case "CP864": return "IBM864"
        case "UTF8": return "UTF-8"
        case "SHIFT-JIS", "SJIS", "X-SJIS": return "SHIFT_JIS"
        default: return s
        }
    }

    static func isASCIICompatible(_ name: String) -> Bool {
        !(name.hasPrefix("UTF-16") || name.hasPrefix("UTF-32") || name.hasPrefix("UCS") || name.hasPrefix("UTF-7"))
    }

    /// More invalid UTF-8 sequences than valid multi-byte ones: an 8-bit legacy encoding, not UTF-8
    /// with a few bad bytes (which is repaired instead).
    static func looksLegacy(_ b: [UInt8]) -> Bool {
        var valid = 0
        var invalid = 0
        b.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                let c = p[i]
                if c < 0x80 {
                    i += 1
                    continue
                }
                let need = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c <= 0xDF ? 1 : -1
                var ok = need > 0 && i + need < p.count
                if ok { for k in 1...need where p[i + k] & 0xC0 != 0x80 { ok = false } }
                if ok {
                    valid += 1
                    i += need + 1
                } else {
                    invalid += 1
                    i += 1
                }
            }
        }
        return invalid > valid
    }

    static func hasMultibyteUTF8(_ b: [UInt8]) -> Bool {
        b.withUnsafeBufferPointer { p in
            var i = 0
            while i + 1 < p.count {
                if p[i] >= 0xC2, p[i] <= 0xF4, p[i + 1] & 0xC0 == 0x80 { return true }
                i += 1
            }
            return false
        }
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int = 0, upTo: Int) -> Int? {
        guard needle.count <= upTo else { return nil }
        var i = from
        while i + needle.count <= upTo {
            if hay[i] == needle[0] {
                var ok = true
                for k in 1..<needle.count where hay[i + k] != needle[k] {
                    ok = false
                    break
                }
                if ok { return i }
            }
            i += 1
        }
        return nil
    }

    /// iconv to UTF-8; a byte the source encoding does not define becomes U+FFFD and is reported.
    static func transcode(_ bytes: [UInt8], from enc: String, label: String) throws(ParseError) -> TextDecoding {
        let cd = iconv_open("UTF-8", enc)
        if cd == iconv_t(bitPattern: -1) {
            throw ParseError(.encoding, "unsupported encoding \(label)")
        }
        defer { iconv_close(cd) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2 + 16)
        var replaced = 0
        var input = bytes
        let unitSize = enc.hasPrefix("UTF-32") ? 4 : enc.hasPrefix("UTF-16") ? 2 : 1
        input.withUnsafeMutableBufferPointer { inBuf in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?
                .assumingMemoryBound(to: CChar.self)
            var inLeft = inBuf.count
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while inLeft > 0 {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuf in
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count
                    let rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    let n = outBuf.count - outLeft
                    if rc == -1, errno == EILSEQ || errno == EINVAL {
                        // Skip one code unit of undecodable input and mark it.
                        let skip = min(unitSize, inLeft)
                        inPtr = inPtr.map { $0 + skip }
                        inLeft -= skip
                        replaced += 1
                        return -(n + 1)
                    }
                    return n
                }
                let n = produced < 0 ? -produced - 1 : produced
                out.append(contentsOf: chunk[0..<n])
                if produced < 0 { out.append(contentsOf: [0xEF, 0xBF, 0xBD]) }
                if produced == 0, inLeft > 0, produced >= 0 { break }
            }
        }
        let problem = replaced > 0 ? "\(replaced) byte(s) not valid in \(label) replaced by U+FFFD" : nil
        // iconv output is valid UTF-8 by construction; still strip any NUL the input carried.
        return TextDecoding(utf8: out, encoding: label, problem: problem)
    }
}
