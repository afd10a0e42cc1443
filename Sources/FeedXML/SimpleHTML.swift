import FeedCore

/// A fast path in front of libxml2's HTML parser for the markup feeds actually carry (`<p>`, `<a href>`,
/// `<br/>`, `<img>`, comments, script and style). It produces exactly the text the parser would:
/// tags dropped, script/style content dropped, block tags as spaces, character references decoded.
/// At the first construct it does not fully understand (an unterminated tag, `<!DOCTYPE`, `<?`, a bare
/// `<` in text, RCDATA elements such as textarea) it returns nil and libxml2 handles the fragment,
/// so libxml2 stays the authority on anything unusual while the common case costs one linear scan.
enum SimpleHTML {
    static func text(_ p: UnsafeBufferPointer<UInt8>, rawCap: Int) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(min(p.count, rawCap))
        let n = p.count
        var i = 0
        while i < n {
            if out.count > rawCap { return out }
            let c = p[i]
            if c == 0x26 {  // '&'
                if let (bytes, next) = reference(p, i) {
                    out.append(contentsOf: bytes)
                    i = next
                } else {
                    out.append(c)
                    i += 1
                }
                continue
            }
            guard c == 0x3C else {
                // Copy the run of plain text up to the next '<' or '&' in one go.
                var j = i + 1
                while j < n, p[j] != 0x3C, p[j] != 0x26 { j += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
                i = j
                continue
            }
            guard i + 1 < n else { return nil }
            let d = p[i + 1]
            if d == 0x21 {  // "<!"
                guard i + 3 < n, p[i + 2] == 0x2D, p[i + 3] == 0x2D,  // "<!--"
                    let end = find(p, from: i + 4, "-->")
                else { return nil }
                i = end + 3
                continue
            }
            let closing = d == 0x2F  // "</"
            var j = closing ? i + 2 : i + 1
            let nameStart = j
            while j < n, isNameByte(p[j]) { j += 1 }
            guard j > nameStart, j - nameStart <= 16, isLetter(p[nameStart]) else { return nil }
            let kind = TagKind.of(UnsafeBufferPointer(rebasing: p[nameStart..<j]))
            // Attributes, honouring quotes, up to '>'. A quote that does not follow '=' is malformed
            // markup whose reading only libxml2 decides.
            var quote: UInt8 = 0
            var previous: UInt8 = 0
            while j < n {
                let x = p[j]
                if quote != 0 {
                    if x == quote {
                        quote = 0
                        previous = x
                    }
                } else if x == 0x22 || x == 0x27 {
                    guard previous == 0x3D else { return nil }
                    quote = x
                } else if x == 0x3E {
                    break
                } else if x == 0x3C {
                    return nil
                } else if x != 0x20, x != 0x09, x != 0x0A, x != 0x0D {
                    previous = x
                }
                j += 1
            }
            guard j < n else { return nil }  // unterminated tag
            i = j + 1
            switch kind {
            case .rcdata:
                return nil
            case .script, .style:
                if closing { continue }
                // Drop everything up to the matching end tag.
                guard let end = findEndTag(p, from: i, kind == .script ? scriptName : styleName) else { return nil }
                i = end
            case .block:
                out.append(0x20)
            case .other:
                break
            }
        }
        return out
    }

    private static let scriptName = Array("script".utf8)
    private static let styleName = Array("style".utf8)

    /// What a tag means for text extraction, looked up without allocating: names of up to 8 letters are
    /// packed into an integer key.
    enum TagKind {
        case block, script, style, rcdata, other

        private static let table: [UInt64: TagKind] = {
            var t: [UInt64: TagKind] = [:]
            for name in HTMLText.blockTags where name.utf8.count <= 8 { t[pack(Array(name.utf8))] = .block }
            t[pack(Array("script".utf8))] = .script
            t[pack(Array("style".utf8))] = .style
            // Elements whose content the HTML parser does not read as markup: leave them to libxml2.
            for name in ["textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "svg", "math"] {
                t[pack(Array(name.utf8))] = .rcdata
            }
            return t
        }()

        static func pack<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
            var v: UInt64 = 0
            for b in bytes { v = v << 8 | UInt64(b | 0x20) }  // ASCII letters and digits; | 0x20 lower-cases
            return v
        }

        static func of(_ name: UnsafeBufferPointer<UInt8>) -> TagKind {
            if name.count <= 8 { return table[pack(name)] ?? .other }
            switch String(decoding: name, as: UTF8.self).lowercased() {
            case "blockquote", "figcaption": return .block
            case "plaintext": return .rcdata
            default: return .other
            }
        }
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    private static func isNameByte(_ c: UInt8) -> Bool { isLetter(c) || (c >= 0x30 && c <= 0x39) }

    private static func find(_ p: UnsafeBufferPointer<UInt8>, from: Int, _ s: StaticString) -> Int? {
        let m = s.utf8CodeUnitCount
        var i = from
        while i + m <= p.count {
            var ok = true
            for k in 0..<m where p[i + k] != s.utf8Start[k] {
                ok = false
                break
            }
            if ok { return i }
            i += 1
        }
        return nil
    }

    /// The index after `</name ...>`, case-insensitively.
    private static func findEndTag(_ p: UnsafeBufferPointer<UInt8>, from: Int, _ name: [UInt8]) -> Int? {
        var i = from
        while i + 2 + name.count <= p.count {
            if p[i] == 0x3C, p[i + 1] == 0x2F {
                var ok = true
                for k in 0..<name.count where (p[i + 2 + k] | 0x20) != name[k] {
                    ok = false
                    break
                }
                if ok {
                    var j = i + 2 + name.count
                    while j < p.count, p[j] != 0x3E { j += 1 }
                    return j < p.count ? j + 1 : nil
                }
            }
            i += 1
        }
        return nil
    }

    /// `&name;`, `&#123;`, `&#x1F;` at `i`, as UTF-8, and the index after it: what `Entities.reference`
    /// reads, on bytes (content is full of `&nbsp;` and `&#8217;`, and a String per reference cost more
    /// than the rest of the text).
    private static func reference(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> ([UInt8], Int)? {
        var j = i + 1
        while j < p.count, j - i <= 33, p[j] != 0x3B, isNameByte(p[j]) || p[j] == 0x23 { j += 1 }
        guard j < p.count, p[j] == 0x3B, j > i + 1 else { return nil }
        let scalar: Unicode.Scalar
        if p[i + 1] == 0x23 {  // '#'
            var k = i + 2
            let hex = k < j && (p[k] == 0x78 || p[k] == 0x58)
            if hex { k += 1 }
            let start = k
            var v: UInt32 = 0
            while k < j, k - start < 8, let d = digit(p[k], hex: hex) {
                v = v * (hex ? 16 : 10) + d
                k += 1
            }
            guard k > start, k == j else { return nil }
            scalar = v == 0 || (0xD800...0xDFFF).contains(v) || v > 0x10FFFF ? "\u{FFFD}" : PlainText.mapC1(Unicode.Scalar(v)!)
        } else {
            let name = UnsafeBufferPointer(rebasing: p[(i + 1)..<j])
            guard name.count <= 32, name.allSatisfy(isNameByte), let found = Entities.lookup(utf8: name) else { return nil }
            scalar = found
        }
        return (Array(UTF8.encode(scalar)!), j + 1)
    }

    private static func digit(_ c: UInt8, hex: Bool) -> UInt32? {
        if c >= 0x30, c <= 0x39 { return UInt32(c - 0x30) }
        guard hex else { return nil }
        if c >= 0x61, c <= 0x66 { return UInt32(c - 0x61 + 10) }
        if c >= 0x41, c <= 0x46 { return UInt32(c - 0x41 + 10) }
        return nil
    }
}
