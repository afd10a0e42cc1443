import CLibXML2

#if canImport(Glibc)
import Glibc
#endif

/// One parsed XML document as a compact tree that libxml2's SAX2 callbacks build: nodes and attributes
/// in two flat arrays, every text and attribute value in one byte buffer. libxml2's own tree allocated
/// each node, name and text apart and freed them one by one: a third of libxml2's time over the real
/// corpus, more than `xmllint` spends parsing. Never leaves FeedXML; its nodes are valid while it lives.
final class XMLDocument {
    struct Node {
        enum Kind: UInt8 {
            case document, element, text
            /// An entity reference libxml2 did not expand (an undefined entity); never expanded by us.
            case entityReference
            /// A comment or processing instruction: kept so that text around it stays apart, as in libxml2.
            case other
        }
        var kind: Kind
        var line: Int32
        var parent: Int32
        var firstChild: Int32 = -1
        var lastChild: Int32 = -1
        var next: Int32 = -1
        /// An element's first attribute (index into `attributes`); a text's first byte (into `bytes`).
        var start: Int32
        /// An element's number of attributes; a text's number of bytes.
        var count: Int32
        /// An element's local name, or its whole QName when the prefix was undeclared (libxml2's dictionary).
        var name: UnsafePointer<xmlChar>?
        /// The namespace prefix and URI when the namespace is declared.
        var prefix: UnsafePointer<xmlChar>?
        var href: UnsafePointer<xmlChar>?
    }

    struct Attribute {
        var name: UnsafePointer<xmlChar>
        var prefix: UnsafePointer<xmlChar>?
        var href: UnsafePointer<xmlChar>?
        var start: Int32
        var count: Int32
    }

    /// The document's storage, which nodes point to.
    struct Tree {
        /// Node 0 is the document; the rest follow in document order. Nodes point into the attributes and
        /// the bytes by index.
        let nodes: UnsafeMutablePointer<Node>
        let attributes: UnsafeMutablePointer<Attribute>
        let bytes: UnsafeMutablePointer<UInt8>
    }

    private let tree: UnsafeMutablePointer<Tree>
    /// libxml2's dictionary, which holds every name, prefix and namespace URI the nodes point to.
    private let dict: xmlDictPtr

    fileprivate init(_ builder: inout TreeBuilder, dict: xmlDictPtr) {
        tree = .allocate(capacity: 1)
        tree.initialize(
            to: Tree(nodes: builder.nodes.take(), attributes: builder.attributes.take(), bytes: builder.bytes.take()))
        xmlDictReference(dict)
        self.dict = dict
    }

    deinit {
        free(tree.pointee.nodes)
        free(tree.pointee.attributes)
        free(tree.pointee.bytes)
        tree.deallocate()
        xmlDictFree(dict)
    }

    /// The first element at the top of the document.
    var root: XMLNode? { XMLNode(tree: tree, index: 0).firstElement }

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

    /// Parses UTF-8 bytes. Never loads anything from outside: NONET, no NOENT/DTDLOAD/XINCLUDE/HUGE,
    /// the deny-all loader (LibXML.ready), and every `<!ENTITY` declaration stops the parser.
    /// `withoutControls`: the caller has blanked C0 control characters (`PreScan`), so CDATA sections
    /// may be read by us (`CDATASections`); otherwise libxml2 reads them and refuses the controls.
    static func parse(_ utf8: [UInt8], recover: Bool, withoutControls: Bool = false) -> Attempt {
        _ = LibXML.ready
        LibXML.silenceErrors()
        // Callers refuse empty and oversized documents first; this keeps the pointer and Int32 below sound.
        guard !utf8.isEmpty, utf8.count < Int(Int32.max) else {
            return Attempt(
                document: nil, wellFormed: false, namespaceProblem: false, entityRejected: false,
                errorCode: -1, errorMessage: "empty or oversized document", errorLine: nil)
        }
        guard let ctxt = xmlNewParserCtxt(), let sax = ctxt.pointee.sax else {
            return Attempt(
                document: nil, wellFormed: false, namespaceProblem: false, entityRejected: false,
                errorCode: -1, errorMessage: "out of memory", errorLine: nil)
        }
        defer { xmlFreeParserCtxt(ctxt) }
        let sections = withoutControls ? CDATASections.extract(utf8) : nil
        let input = sections?.document ?? utf8
        let builder = UnsafeMutablePointer<TreeBuilder>.allocate(capacity: 1)
        builder.initialize(to: TreeBuilder(capacity: utf8.count, sections: sections))
        defer {
            builder.pointee.discard()
            builder.deinitialize(count: 1).deallocate()
        }
        ctxt.pointee._private = UnsafeMutableRawPointer(builder)
        TreeBuilder.install(on: sax)
        var options =
            XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue
        if recover { options |= XML_PARSE_RECOVER.rawValue }
        // Only callbacks build the tree: libxml2 makes no document of its own (nil here).
        _ = input.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                xmlCtxtReadMemory(ctxt, $0, Int32(buf.count), nil, "UTF-8", Int32(options))
            }
        }
        let wellFormed = ctxt.pointee.wellFormed != 0
        let err = ctxt.pointee.lastError
        let message = err.message.map { String(cString: $0) }.map { trimmedMessage($0) }
        // As libxml2 does with its own tree: a document only when well-formed or recovering.
        let document = wellFormed || recover ? XMLDocument(&builder.pointee, dict: ctxt.pointee.dict) : nil
        return Attempt(
            document: document,
            wellFormed: wellFormed,
            namespaceProblem: ctxt.pointee.nsWellFormed == 0,
            entityRejected: builder.pointee.entityDeclared,
            errorCode: Int32(err.code),
            errorMessage: message,
            errorLine: err.line > 0 ? Int(err.line) : nil,
            firstError: builder.pointee.firstError)
    }

    fileprivate static func trimmedMessage(_ s: String) -> String {
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

/// The tree under construction, reached from the callbacks through the parser context's `_private`.
private struct TreeBuilder: ~Copyable {
    typealias Node = XMLDocument.Node

    var nodes: PlainBuffer<Node>
    var attributes = PlainBuffer<XMLDocument.Attribute>(capacity: 16)
    /// Text and attribute values; sized to the document, which they never outgrow in practice (references
    /// only shrink), and grown if they do.
    var bytes: PlainBuffer<UInt8>
    /// The open element (0: the document), and how many elements are open.
    var current: Int32 = 0
    private var depth: Int32 = 0
    var entityDeclared = false
    var firstError: XMLDocument.Problem?

    /// libxml2's cap on one text node without XML_PARSE_HUGE (XML_MAX_TEXT_LENGTH).
    static let maxTextBytes: Int32 = 10_000_000
    /// The CDATA sections taken out of the document before the parse, if any, and the first one whose
    /// content has not been put back.
    private let sections: CDATASections?
    private var nextSection = 0

    init(capacity: Int, sections: CDATASections?) {
        self.sections = sections
        bytes = PlainBuffer(capacity: capacity)
        nodes = PlainBuffer(capacity: capacity / 32)
        nodes.append(Node(kind: .document, line: 0, parent: -1, start: 0, count: 0))
    }

    /// Frees what no document took (a parse that gave none).
    mutating func discard() {
        nodes.discard()
        attributes.discard()
        bytes.discard()
    }

    /// Appends `node` as the open element's last child.
    @discardableResult
    private mutating func add(_ node: Node) -> Int32 {
        let index = Int32(nodes.count)
        nodes.append(node)
        let parent = nodes.base! + Int(current)
        if parent.pointee.lastChild >= 0 {
            nodes[Int(parent.pointee.lastChild)].next = index
        } else {
            parent.pointee.firstChild = index
        }
        parent.pointee.lastChild = index
        return index
    }

    /// A CDATA section: its content goes with the text around it, as under XML_PARSE_NOCDATA (an empty
    /// one too). When the sections were taken out before the parse, libxml2 hands us the token that
    /// names one, where that section ends (`position`).
    mutating func cdata(_ p: UnsafePointer<xmlChar>, _ n: Int32, position: Int, ctxt: xmlParserCtxtPtr) {
        let token = UnsafeBufferPointer(start: p, count: Int(n))
        guard let sections, let index = sections.section(named: token, from: nextSection, at: position) else {
            return characters(p, n, ctxt: ctxt)
        }
        nextSection = index + 1
        sections.content(index) { content in characters(content.baseAddress ?? p, Int32(content.count), ctxt: ctxt) }
    }

    /// Character data, merged into the open element's last text node as libxml2's builder merges it
    /// (`xmlSAX2Text`): the text node's bytes are always the last ones appended. Like it, text outside
    /// the root is dropped, a node's first chunk is taken whole, and a merge past 10 MB stops the parse
    /// ("huge text node"; reachable only in documents over 10 MB, whose sections libxml2 reads itself).
    mutating func characters(_ p: UnsafePointer<xmlChar>, _ n: Int32, ctxt: xmlParserCtxtPtr) {
        guard current > 0 else { return }
        let last = nodes[Int(current)].lastChild
        if last >= 0, case let text = nodes.base! + Int(last), text.pointee.kind == .text {
            guard n <= Self.maxTextBytes, text.pointee.count <= Self.maxTextBytes - n else {
                // What libxml2's xmlSAX2ErrMemory leaves behind: the parse ends and is not well-formed.
                ctxt.pointee.errNo = Int32(XML_ERR_NO_MEMORY.rawValue)
                ctxt.pointee.instate = XML_PARSER_EOF
                ctxt.pointee.disableSAX = 1
                return
            }
            bytes.append(contentsOf: p, count: Int(n))
            text.pointee.count += n
            return
        }
        let start = Int32(bytes.count)
        bytes.append(contentsOf: p, count: Int(n))
        add(Node(kind: .text, line: TreeBuilder.line(ctxt), parent: current, start: start, count: n))
    }

    mutating func startElement(
        _ dict: xmlDictPtr, localname: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?,
        uri: UnsafePointer<xmlChar>?, attributeCount: Int, values: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
        line: Int32
    ) {
        let first = Int32(attributes.count)
        if let values {
            for i in 0..<attributeCount {
                let a = values + 5 * i
                guard let name = a[0], let start = a[3], let end = a[4] else { continue }
                let (n, p, h) = Self.qualified(dict, name, a[1], a[2])
                let valueStart = Int32(bytes.count)
                appendAttributeValue(start, end - start)
                attributes.append(
                    XMLDocument.Attribute(
                        name: n, prefix: p, href: h, start: valueStart, count: Int32(bytes.count) - valueStart))
            }
        }
        let (n, p, h) = Self.qualified(dict, localname, prefix, uri)
        depth += 1
        current = add(
            Node(
                kind: .element, line: line, parent: current, start: first, count: Int32(attributes.count) - first,
                name: n, prefix: p, href: h))
    }

    mutating func endElement() {
        guard current > 0 else { return }
        current = nodes[Int(current)].parent
        depth -= 1
    }

    /// Closes what the parser closed without telling us: after "Couldn't find end of Start Tag" it pops
    /// the element from its own stack and libxml2's tree, with no end callback. `open` is the parser's
    /// count of open elements (`nameNr`), which every callback sees before its own push or pop.
    mutating func sync(open: Int32) {
        while depth > open { endElement() }
    }

    mutating func add(_ kind: Node.Kind, name: UnsafePointer<xmlChar>?, line: Int32) {
        add(Node(kind: kind, line: line, parent: current, start: 0, count: 0, name: name))
    }

    /// A name with an undeclared prefix keeps its whole QName and no namespace, as libxml2's tree does.
    private static func qualified(
        _ dict: xmlDictPtr, _ local: UnsafePointer<xmlChar>, _ prefix: UnsafePointer<xmlChar>?,
        _ uri: UnsafePointer<xmlChar>?
    ) -> (UnsafePointer<xmlChar>, UnsafePointer<xmlChar>?, UnsafePointer<xmlChar>?) {
        guard let prefix, uri == nil else { return (local, prefix, uri) }
        return (xmlDictQLookup(dict, prefix, local) ?? local, nil, nil)
    }

    /// An attribute value as libxml2 passes it without entity substitution: references are decoded,
    /// except `&`, which comes as `&#38;` for the tree builder to decode; undefined entities are gone.
    private mutating func appendAttributeValue(_ p: UnsafePointer<xmlChar>, _ n: Int) {
        guard memchr(p, 0x26, n) != nil else { return bytes.append(contentsOf: p, count: n) }
        bytes.reserve(n)
        let out = bytes.base! + bytes.count
        var i = 0
        var j = 0
        while i < n {
            if p[i] == 0x26, i + 5 <= n, p[i + 1] == 0x23, p[i + 2] == 0x33, p[i + 3] == 0x38, p[i + 4] == 0x3B {
                out[j] = 0x26
                i += 5
            } else {
                out[j] = p[i]
                i += 1
            }
            j += 1
        }
        bytes.didWrite(j)
    }

    static func from(_ ctx: UnsafeMutableRawPointer?) -> (xmlParserCtxtPtr, UnsafeMutablePointer<TreeBuilder>)? {
        guard let ctx else { return nil }
        let c = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let b = c.pointee._private else { return nil }
        return (c, b.assumingMemoryBound(to: TreeBuilder.self))
    }

    static func line(_ c: xmlParserCtxtPtr) -> Int32 { c.pointee.input.map { $0.pointee.line } ?? 0 }

    /// The builder of the context's document, brought level with the parser's open elements.
    static func synced(_ ctx: UnsafeMutableRawPointer?) -> (xmlParserCtxtPtr, UnsafeMutablePointer<TreeBuilder>)? {
        guard let (c, b) = from(ctx) else { return nil }
        b.pointee.sync(open: c.pointee.nameNr)
        return (c, b)
    }

    /// Replaces libxml2's tree-building handlers with ours; everything else stays unset, so nothing is
    /// looked up or loaded on the document's behalf.
    static func install(on sax: UnsafeMutablePointer<xmlSAXHandler>) {
        sax.pointee = xmlSAXHandler()
        sax.pointee.initialized = XML_SAX2_MAGIC
        sax.pointee.startElementNs = { ctx, localname, prefix, uri, _, _, count, defaulted, values in
            guard let (c, b) = TreeBuilder.synced(ctx), let localname, let dict = c.pointee.dict else { return }
            // Attributes defaulted by a DTD are left out, as libxml2's tree leaves them out.
            b.pointee.startElement(
                dict, localname: localname, prefix: prefix, uri: uri, attributeCount: Int(count - defaulted),
                values: values, line: TreeBuilder.line(c))
        }
        sax.pointee.endElementNs = { ctx, _, _, _ in TreeBuilder.synced(ctx)?.1.pointee.endElement() }
        let characters: charactersSAXFunc = { ctx, p, n in
            guard let (c, b) = TreeBuilder.synced(ctx), let p, n >= 0 else { return }
            b.pointee.characters(p, n, ctxt: c)
        }
        sax.pointee.characters = characters
        sax.pointee.ignorableWhitespace = characters
        // NOCDATA is not among the options: it would unset this callback, and the tokens would be text.
        sax.pointee.cdataBlock = { ctx, p, n in
            guard let (c, b) = TreeBuilder.synced(ctx), let p, n >= 0, let input = c.pointee.input else { return }
            let position = Int(input.pointee.consumed) + (input.pointee.cur - input.pointee.base)
            b.pointee.cdata(p, n, position: position, ctxt: c)
        }
        // libxml2's builder adds these to the open element only: a reference met in the root's own
        // attributes has none, and comments and PIs of the internal subset go to the DTD.
        sax.pointee.reference = { ctx, name in
            guard let (c, b) = TreeBuilder.synced(ctx), b.pointee.current > 0 else { return }
            b.pointee.add(.entityReference, name: name, line: TreeBuilder.line(c))
        }
        sax.pointee.comment = { ctx, _ in
            guard let (c, b) = TreeBuilder.synced(ctx), c.pointee.inSubset == 0 else { return }
            b.pointee.add(.other, name: nil, line: TreeBuilder.line(c))
        }
        sax.pointee.processingInstruction = { ctx, _, _ in
            guard let (c, b) = TreeBuilder.synced(ctx), c.pointee.inSubset == 0 else { return }
            b.pointee.add(.other, name: nil, line: TreeBuilder.line(c))
        }
        // Reject entity declarations of every kind (internal, external, parameter): feeds never need
        // them and every entity attack needs one (reliability.md §1.4 step 4). The flag lives in the
        // builder because xmlStopParser alone leaves wellFormed == 1 (§1.3).
        sax.pointee.entityDecl = { ctx, _, _, _, _, _ in
            guard let (c, b) = TreeBuilder.synced(ctx) else { return }
            b.pointee.entityDeclared = true
            xmlStopParser(c)
        }
        // libxml2 hands a context's structured error handler the context as `data`.
        sax.pointee.serror = { data, error in
            guard let error, error.pointee.level == XML_ERR_FATAL, let (_, b) = TreeBuilder.from(data),
                b.pointee.firstError == nil
            else { return }
            b.pointee.firstError = XMLDocument.Problem(
                code: Int32(error.pointee.code),
                message: error.pointee.message.map { XMLDocument.trimmedMessage(String(cString: $0)) },
                line: error.pointee.line > 0 ? Int(error.pointee.line) : nil)
        }
    }
}
