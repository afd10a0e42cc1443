import CLibXML2
import FeedCore

#if canImport(Glibc)
import Glibc
#endif

/// HTML to plain text, the way the `parse` contract and feed_oracle.py define it: tags removed, the
/// content of script and style dropped, block-level tags turned into a space, entities decoded,
/// whitespace collapsed. Markup goes through libxml2's HTML parser; text without markup takes a
/// fast path, because most titles and many summaries have none.
enum HTMLText {
    static let blockTags: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "img", "li", "ol", "p", "pre", "section",
        "table", "td", "th", "tr", "ul",
    ]
    static let skipTags: Set<String> = ["script", "style"]

    static func plainText(html: String, cap: Int) -> String? {
        var html = html
        let (hasTag, hasEntity) = html.withUTF8 { p -> (Bool, Bool) in
            guard let b = p.baseAddress else { return (false, false) }
            return (memchr(b, 0x3C, p.count) != nil, memchr(b, 0x26, p.count) != nil)
        }
        let utf8 = html.utf8
        if !hasTag {
            if !hasEntity { return PlainText.collapse(html, maxUTF8Bytes: cap) }
            return PlainText.collapse(Entities.decode(html), maxUTF8Bytes: cap)
        }
        let fast = html.withUTF8 { SimpleHTML.text($0, rawCap: cap * 4) }
        if let fast {
            return fast.withUnsafeBufferPointer { PlainText.collapse(utf8: $0) }.map { PlainText.truncate($0, maxUTF8Bytes: cap) }
        }
        return PlainText.collapse(HTMLSAXText.extract(utf8: Array(utf8), rawCap: cap * 4), maxUTF8Bytes: cap)
    }

    /// Plain text of an XML subtree holding markup (Atom xhtml content, unescaped HTML in RSS).
    static func plainText(node: XMLNode, cap: Int) -> String? {
        PlainText.collapse(collect(node, cap: cap), maxUTF8Bytes: cap)
    }

    private static func collect(_ root: XMLNode, cap: Int) -> String {
        var out = [UInt8]()
        let rawCap = cap * 4  // collapsing whitespace shrinks text; stop well after the cap, not before
        TreeWalk.walk(root) { node, entering in
            switch node.kind {
            case .text:
                if entering { out.append(contentsOf: node.textBytes) }
                return out.count > rawCap ? .stop : .proceed
            case .element:
                let name = node.name.lowercased()
                if entering, skipTags.contains(name) { return .skipChildren }
                if blockTags.contains(name) { out.append(0x20) }
                return .proceed
            case .document, .entityReference, .other:
                return .skipChildren
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// HTML character references, decoded with libxml2's HTML 4 entity table.
enum Entities {
    static func decode(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "&", let (scalar, next) = reference(scalars, at: i) {
                out.append(scalar)
                i = next
            } else {
                out.append(c)
                i += 1
            }
        }
        return String(out)
    }

    /// The character for the reference starting at `i` (`&name;`, `&#123;`, `&#x1F;`) and the index after it.
    static func reference(_ s: [Unicode.Scalar], at i: Int) -> (Unicode.Scalar, Int)? {
        var j = i + 1
        guard j < s.count else { return nil }
        if s[j] == "#" {
            j += 1
            var hex = false
            if j < s.count, s[j] == "x" || s[j] == "X" {
                hex = true
                j += 1
            }
            var v: UInt32 = 0
            let start = j
            while j < s.count, let d = Int(String(s[j]), radix: hex ? 16 : 10), j - start < 8 {
                v = v * (hex ? 16 : 10) + UInt32(d)
                j += 1
            }
            guard j > start else { return nil }
            if j < s.count, s[j] == ";" { j += 1 }
            if v == 0 || (0xD800...0xDFFF).contains(v) || v > 0x10FFFF { return ("\u{FFFD}", j) }
            return (PlainText.mapC1(Unicode.Scalar(v)!), j)
        }
        var name = ""
        while j < s.count, j - i <= 32, s[j].properties.isAlphabetic || ("0"..."9").contains(s[j]) {
            name.unicodeScalars.append(s[j])
            j += 1
        }
        guard j < s.count, s[j] == ";", !name.isEmpty, let v = lookup(name) else { return nil }
        return (v, j + 1)
    }

    static func lookup(_ name: String) -> Unicode.Scalar? {
        var name = name
        return name.withUTF8 { lookup(utf8: $0) }
    }

    /// `lookup` of a name given as UTF-8 bytes (the linear HTML reader's references).
    static func lookup(utf8 name: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        if name.elementsEqual("apos".utf8) { return "'" }
        return htmlEntity(name)
    }

    /// True for the HTML 4 entity names (Python's html.entities.entitydefs, which has no `apos`).
    static func isKnown(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { htmlEntity($0) } != nil
    }

    private static func htmlEntity(_ name: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        var cName = [xmlChar](name)
        cName.append(0)
        guard let e = htmlEntityLookup(cName) else { return nil }
        return Unicode.Scalar(e.pointee.value)
    }
}
