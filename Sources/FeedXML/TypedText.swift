import FeedCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads a text construct (title, summary, content…) as plain text, honouring its declared type the way
/// feedparser does, so our output is comparable with the oracle's: `text`/`text/plain` stays as written,
/// `html` is converted, `xhtml` and inline markup are walked as HTML, base64 (Atom 0.3) is decoded, and in
/// RSS a nominally plain title that "looks like HTML" is read as HTML.
struct TypedText {
    /// The document is Atom (text constructs are typed); otherwise RSS/RDF rules apply.
    let atom: Bool
    /// The document was UTF-8, where double-encoded text is repaired.
    let utf8Document: Bool

    enum Kind { case plain, html, xhtml }

    /// feedparser's map_content_type, then our three kinds.
    static func kind(of type: String) -> Kind {
        switch type.lowercased() {
        case "text", "plain", "text/plain": return .plain
        case "html", "text/html": return .html
        case "xhtml", "application/xhtml+xml": return .xhtml
        default: return type.lowercased().contains("html") ? .html : .plain
        }
    }

    /// The declared kind of `node` (its `type` attribute, else `defaultType`).
    func declaredKind(_ node: XMLNode, defaultType: String) -> Kind {
        TypedText.kind(of: node.attribute("type") ?? defaultType)
    }

    func read(_ node: XMLNode, defaultType: String, cap: Int) -> String? {
        var kind = declaredKind(node, defaultType: defaultType)
        let mode = node.attribute("mode")?.lowercased()
        if node.hasElementChildren {
            // Inline markup: Atom xhtml, Atom 0.3 mode="xml", or unescaped HTML in RSS.
            return HTMLText.plainText(node: node, cap: cap).map(fix)
        }
        let base64 = mode == "base64" || isBase64Type(node)
        if !base64, let only = node.onlyText, let text = readInPlace(only, kind: kind, cap: cap) { return text }
        var raw = node.text(cap: cap * 4)
        if base64 {
            if let decoded = Base64.decode(raw) { raw = decoded }
        }
        raw = fix(raw)
        if kind == .plain, !atom, TypedText.looksLikeHTML(raw) { kind = .html }
        switch kind {
        case .plain: return PlainText.collapse(raw, maxUTF8Bytes: cap)
        case .html, .xhtml: return HTMLText.plainText(html: raw, cap: cap)
        }
    }

    /// `read` on the bytes of a lone text child, without first making them a String: the common case
    /// (no text to repair, no RSS title that might be HTML, markup the linear reader knows) costs one
    /// scan and one String. `.some(result)` when it applies (the result itself may be nil: no text);
    /// nil sends the caller down the general path, which gives the same text for everything else.
    private func readInPlace(_ bytes: UnsafeBufferPointer<UInt8>, kind: Kind, cap: Int) -> String?? {
        guard bytes.count <= cap * 4, clean(bytes) else { return nil }
        let hasTag = memchr(bytes.baseAddress!, 0x3C, bytes.count) != nil
        let hasEntity = memchr(bytes.baseAddress!, 0x26, bytes.count) != nil
        switch kind {
        case .plain:
            // RSS reads a nominally plain text that looks like HTML as HTML; only '<' or '&' can make it so.
            if !atom, hasTag || hasEntity { return nil }
            return .some(PlainText.collapse(utf8: bytes, maxUTF8Bytes: cap))
        case .html, .xhtml:
            if !hasTag, !hasEntity { return .some(PlainText.collapse(utf8: bytes, maxUTF8Bytes: cap)) }
            guard hasTag, let text = SimpleHTML.text(bytes, rawCap: cap * 4) else { return nil }
            return .some(text.withUnsafeBufferPointer { PlainText.collapse(utf8: $0, maxUTF8Bytes: cap) })
        }
    }

    /// An identifier or URL: stripped, C1 mapped, no markup handling.
    func plain(_ node: XMLNode, cap: Int = 8 * 1024) -> String? {
        if let only = node.onlyText, only.count <= cap, clean(only) { return PlainText.collapse(utf8: only, maxUTF8Bytes: cap) }
        return PlainText.collapse(fix(node.text(cap: cap)), maxUTF8Bytes: cap)
    }

    /// Nothing for `fix` to do: no C1 characters, and no Latin-only text in a UTF-8 document (mojibake).
    private func clean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let marks = PlainText.legacyMarks(utf8: bytes)
        return !marks.hasC1 && !(utf8Document && marks.latinOnly)
    }

    /// feedparser's last touches on every text: mojibake repair in UTF-8 documents, C1 as windows-1252.
    private func fix(_ s: String) -> String {
        let marks = PlainText.legacyMarks(s)
        if !marks.hasC1, !(utf8Document && marks.latinOnly) { return s }
        return PlainText.mapC1(utf8Document ? PlainText.repairDoubleEncoding(s) : s)
    }

    /// Atom 0.3: a non-text, non-XML `type` means the content is base64 (feedparser's _is_base64).
    private func isBase64Type(_ node: XMLNode) -> Bool {
        guard atom, let t = node.attribute("type")?.lowercased(), t.contains("/") else { return false }
        return !(t.hasPrefix("text/") || t.hasSuffix("+xml") || t.hasSuffix("/xml"))
    }

    /// feedparser's looks_like_html: a close tag or an entity reference, every tag an ordinary HTML
    /// element, every named entity an HTML one. Conservative: a false positive would eat text.
    static func looksLikeHTML(_ s: String) -> Bool {
        // Both signs need '<' or '&': most titles have neither, and need no scalars decoded.
        guard s.utf8.contains(where: { $0 == 0x3C || $0 == 0x26 }) else { return false }
        // Beyond feedparser: script and style tags always mean markup, so their content never reaches text.
        if s.utf8.contains(UInt8(ascii: "<")), containsScriptTag(s) { return true }
        let u = Array(s.unicodeScalars)
        var sawCloseTag = false
        var sawEntity = false
        var i = 0
        while i < u.count {
            if u[i] == "<" {
                var j = i + 1
                let closing = j < u.count && u[j] == "/"
                if closing { j += 1 }
                let start = j
                while j < u.count, isWord(u[j]) { j += 1 }
                if j > start {
                    let name = String(String.UnicodeScalarView(u[start..<j])).lowercased()
                    if !acceptableElements.contains(name) { return false }
                    if closing, j < u.count, u[j] == ">" { sawCloseTag = true }
                }
                i = max(j, i + 1)
            } else if u[i] == "&" {
                var j = i + 1
                let numeric = j < u.count && u[j] == "#"
                if numeric { j += 1 }
                let start = j
                while j < u.count, isWord(u[j]) { j += 1 }
                if j > start, j < u.count, u[j] == ";" {
                    sawEntity = true
                    if !numeric, !Entities.isKnown(String(String.UnicodeScalarView(u[start..<j]))) { return false }
                }
                i = max(j, i + 1)
            } else {
                i += 1
            }
        }
        return sawCloseTag || sawEntity
    }

    private static func containsScriptTag(_ s: String) -> Bool {
        let lower = s.lowercased()
        return lower.contains("<script") || lower.contains("<style")
    }

    private static func isWord(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
    }

    /// feedparser's sanitizer allow-list, which looks_like_html checks tags against.
    static let acceptableElements: Set<String> = Set(
        """
        a abbr acronym address area article aside audio b big blockquote br button canvas caption center cite \
        code col colgroup command datagrid datalist dd del details dfn dialog dir div dl dt em event-source \
        fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hr i img input ins kbd keygen label \
        legend li m map menu meter multicol nav nextid noscript ol optgroup option output p pre progress q s samp \
        section select small sound source spacer span strike strong sub sup table tbody td textarea tfoot th \
        thead time tr tt u ul var video
        """.split(separator: " ").map(String.init))
}

/// RFC 4648 base64, tolerant of whitespace (Atom 0.3 mode="base64").
enum Base64 {
    static func decode(_ s: String) -> String? {
        var table = [UInt8](repeating: 255, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = UInt8(i)
        }
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for c in s.utf8 {
            if c == UInt8(ascii: "=") { break }
            let v = table[Int(c)]
            if v == 255 {
                if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { continue }
                return nil
            }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}
