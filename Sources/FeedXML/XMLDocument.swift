import CLibXML2

#if canImport(Glibc)
import Glibc
#endif

/// Owns one libxml2 document; the tree is freed with this object. Never leaves FeedXML.
final class XMLDocument {
    let doc: xmlDocPtr

    private init(doc: xmlDocPtr) { self.doc = doc }
    deinit { xmlFreeDoc(doc) }

    var root: XMLNode? { xmlDocGetRootElement(doc).map(XMLNode.init) }

    /// What one parse attempt gave: a document (possibly partial under recovery) and the first problem.
    struct Attempt {
        var document: XMLDocument?
        var wellFormed: Bool
        var namespaceProblem: Bool
        var entityRejected: Bool
        /// The last error libxml2 raised (it goes on after a fatal error, so this is often at the end).
        var errorCode: Int32
        var errorMessage: String?
        var errorLine: Int?
        /// The first fatal error: where a broken document goes wrong.
        var firstError: Problem?
    }

    struct Problem {
        var code: Int32
        var message: String?
        var line: Int?
    }

    /// What the parse's callbacks note, reached through the parser context's `_private`.
    private struct Notes {
        var entityDeclared = false
        var firstError: Problem?
    }

    /// Parses UTF-8 bytes. Never loads anything from outside: NONET, no NOENT/DTDLOAD/XINCLUDE/HUGE,
    /// the deny-all loader (LibXML.ready), and every `<!ENTITY` declaration stops the parser.
    static func parse(_ utf8: [UInt8], recover: Bool) -> Attempt {
        _ = LibXML.ready
        LibXML.silenceErrors()
        guard let ctxt = xmlNewParserCtxt() else {
            return Attempt(
                document: nil, wellFormed: false, namespaceProblem: false, entityRejected: false,
                errorCode: -1, errorMessage: "out of memory", errorLine: nil)
        }
        defer { xmlFreeParserCtxt(ctxt) }
        let notes = UnsafeMutablePointer<Notes>.allocate(capacity: 1)
        notes.initialize(to: Notes())
        defer { notes.deinitialize(count: 1).deallocate() }
        ctxt.pointee._private = UnsafeMutableRawPointer(notes)
        // Reject entity declarations of every kind (internal, external, parameter): feeds never need
        // them and every entity attack needs one (reliability.md §1.4 step 4). The flag lives in the
        // notes because xmlStopParser alone leaves wellFormed == 1 (§1.3).
        ctxt.pointee.sax.pointee.entityDecl = { ctx, _, _, _, _, _ in
            guard let ctx else { return }
            let c = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
            c.pointee._private?.assumingMemoryBound(to: Notes.self).pointee.entityDeclared = true
            xmlStopParser(c)
        }
        // libxml2 hands a context's structured error handler the context as `data`.
        ctxt.pointee.sax.pointee.serror = { data, error in
            guard let data, let error, error.pointee.level == XML_ERR_FATAL else { return }
            let c = data.assumingMemoryBound(to: xmlParserCtxt.self)
            guard let notes = c.pointee._private?.assumingMemoryBound(to: Notes.self), notes.pointee.firstError == nil
            else { return }
            notes.pointee.firstError = Problem(
                code: Int32(error.pointee.code),
                message: error.pointee.message.map { XMLDocument.trimmedMessage(String(cString: $0)) },
                line: error.pointee.line > 0 ? Int(error.pointee.line) : nil)
        }
        var options =
            XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_IGNORE_ENC.rawValue
            | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_COMPACT.rawValue
        if recover { options |= XML_PARSE_RECOVER.rawValue }
        let doc = utf8.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                xmlCtxtReadMemory(ctxt, $0, Int32(buf.count), nil, "UTF-8", Int32(options))
            }
        }
        let err = ctxt.pointee.lastError
        let message = err.message.map { String(cString: $0) }.map { trimmedMessage($0) }
        return Attempt(
            document: doc.map(XMLDocument.init),
            wellFormed: ctxt.pointee.wellFormed != 0,
            namespaceProblem: ctxt.pointee.nsWellFormed == 0,
            entityRejected: notes.pointee.entityDeclared,
            errorCode: Int32(err.code),
            errorMessage: message,
            errorLine: err.line > 0 ? Int(err.line) : nil,
            firstError: notes.pointee.firstError)
    }

    private static func trimmedMessage(_ s: String) -> String {
        var t = Substring(s)
        while let l = t.last, l == "\n" || l == " " { t.removeLast() }
        return String(t)
    }
}

extension XMLDocument.Attempt {
    /// Throws for what only an attacker sends: an entity declaration (stopped by the parser), or nesting
    /// past libxml2's depth limit. Such documents are refused, never recovered.
    func refuseHostile() throws(ParseError) {
        if entityRejected || errorCode == 89 {
            throw ParseError(.entityDeclaration, "the document declares entities; refused", line: errorLine)
        }
        if errorCode == 1, let m = errorMessage, m.contains("depth") {
            throw ParseError(.hostileShape, "nesting deeper than 256 elements; refused as hostile", line: errorLine)
        }
    }
}

/// A borrowed element pointer, valid while its `XMLDocument` lives. Internal to FeedXML.
struct XMLNode {
    let ptr: xmlNodePtr

    var isElement: Bool { ptr.pointee.type == XML_ELEMENT_NODE }

    /// Local name (libxml2 keeps the prefix apart), or the full QName when the prefix was undeclared.
    var name: String { ptr.pointee.name.map { String(cString: $0) } ?? "" }

    var namespaceURI: String? { ptr.pointee.ns?.pointee.href.map { String(cString: $0) } }

    /// The namespace URI as libxml2 holds it (valid while the document lives).
    var namespaceHref: UnsafePointer<CChar>? {
        ptr.pointee.ns?.pointee.href.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
    }

    var hasNamespacePrefix: Bool { ptr.pointee.ns?.pointee.prefix != nil }

    /// Child elements in document order.
    var elements: ElementSequence { ElementSequence(first: ptr.pointee.children) }

    struct ElementSequence: Sequence, IteratorProtocol {
        var next_: xmlNodePtr?
        init(first: xmlNodePtr?) { next_ = first }
        mutating func next() -> XMLNode? {
            while let n = next_ {
                next_ = n.pointee.next
                if n.pointee.type == XML_ELEMENT_NODE { return XMLNode(ptr: n) }
            }
            return nil
        }
    }

    var hasElementChildren: Bool {
        var c = ptr.pointee.children
        while let n = c {
            if n.pointee.type == XML_ELEMENT_NODE { return true }
            c = n.pointee.next
        }
        return false
    }

    /// An attribute's value by local name; `xmlPrefix` selects `xml:base`/`xml:lang`-style attributes,
    /// `namespaceURI` a namespaced one. Read from the attribute's own text children, never expanding
    /// entity references.
    func attribute(_ local: String, namespaceURI: String? = nil, xmlPrefix: Bool = false) -> String? {
        var a = ptr.pointee.properties
        while let attr = a {
            a = attr.pointee.next
            guard let n = attr.pointee.name, Self.equals(n, local) else { continue }
            let ns = attr.pointee.ns
            if xmlPrefix {
                guard let p = ns?.pointee.prefix, Self.equals(p, "xml") else { continue }
            } else if let want = namespaceURI {
                guard let h = ns?.pointee.href, Self.equals(h, want) else { continue }
            }
            return Self.value(of: attr)
        }
        return nil
    }

    /// A non-namespaced attribute's value, its name compared without case: OPML exporters disagree on
    /// `xmlUrl` and `xmlurl`. `local` is lowercase.
    func attribute(anyCase local: String) -> String? {
        var a = ptr.pointee.properties
        while let attr = a {
            a = attr.pointee.next
            guard attr.pointee.ns == nil, let n = attr.pointee.name, String(cString: n).lowercased() == local else {
                continue
            }
            return Self.value(of: attr)
        }
        return nil
    }

    /// A libxml2 name equals `s`, compared on bytes: attributes are looked up several times per entry,
    /// and a String for every attribute name looked at cost more than the lookup.
    static func equals(_ c: UnsafePointer<xmlChar>, _ s: String) -> Bool {
        var i = 0
        for b in s.utf8 {
            guard c[i] == b else { return false }  // the terminating 0 never equals a byte of `s`
            i += 1
        }
        return c[i] == 0
    }

    /// The bytes of the element's only child when that is one text or CDATA node (the common case),
    /// read in place; nil otherwise. Valid while the document lives.
    var onlyText: UnsafeBufferPointer<UInt8>? {
        guard let only = ptr.pointee.children, only.pointee.next == nil,
            only.pointee.type == XML_TEXT_NODE || only.pointee.type == XML_CDATA_SECTION_NODE, let c = only.pointee.content
        else { return nil }
        return UnsafeBufferPointer(start: c, count: strlen(c))
    }

    /// An attribute's text, from its own text children: entity references are never expanded.
    private static func value(of attr: xmlAttrPtr) -> String {
        var out = ""
        var c = attr.pointee.children
        while let t = c {
            if t.pointee.type == XML_TEXT_NODE, let content = t.pointee.content { out += String(cString: content) }
            c = t.pointee.next
        }
        return out
    }

    /// The element's line in its document (libxml2 records it while parsing).
    var line: Int { Int(xmlGetLineNo(ptr)) }

    /// The concatenated text of this element's descendants (text and CDATA), capped at `cap` bytes.
    /// Iterative, so depth cannot overflow our stack; entity references are skipped, never expanded (§1.3).
    func text(cap: Int = 256 * 1024) -> String {
        // Fast path: one text child, the common case.
        if let only = onlyText { return String(decoding: UnsafeBufferPointer(rebasing: only.prefix(cap)), as: UTF8.self) }
        var out = [UInt8]()
        TreeWalk.walk(ptr) { node, entering in
            guard entering else { return .proceed }
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let c = node.pointee.content { out.append(contentsOf: UnsafeBufferPointer(start: c, count: strlen(c))) }
                return out.count > cap ? .stop : .proceed
            case XML_ENTITY_REF_NODE, XML_COMMENT_NODE, XML_PI_NODE:
                return .skipChildren
            default:
                return .proceed
            }
        }
        return String(decoding: out.prefix(cap), as: UTF8.self)
    }
}

/// Iterative depth-first walk over a libxml2 subtree (children/next/parent links, no stack growth).
enum TreeWalk {
    enum Action { case proceed, skipChildren, stop }

    /// Calls `visit(node, true)` on entering every descendant of `root` and `visit(node, false)` on leaving
    /// an element whose children were visited.
    static func walk(_ root: xmlNodePtr, _ visit: (xmlNodePtr, Bool) -> Action) {
        var node = root.pointee.children
        while var n = node {
            let action = visit(n, true)
            if action == .stop { return }
            if action == .proceed, n.pointee.type != XML_ENTITY_REF_NODE, let child = n.pointee.children {
                node = child
                continue
            }
            // n is finished: go to its next sibling, leaving every parent that has none.
            while true {
                if let next = n.pointee.next {
                    node = next
                    break
                }
                guard let parent = n.pointee.parent, parent != root else { return }
                if visit(parent, false) == .stop { return }
                n = parent
            }
        }
    }
}
