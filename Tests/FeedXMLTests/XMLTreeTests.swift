import Testing

@testable import FeedXML

/// The tree our SAX callbacks build must be the tree libxml2's own builder built (the mapper was written
/// against it): each expectation below is what `xmlReadMemory` gives for the same document.
@Suite("XML tree")
struct XMLTreeTests {
    /// Every visit of a walk under the root: elements by name ("/name" on leaving), texts quoted,
    /// comments and processing instructions as "#".
    func visits(_ xml: String) -> [String] {
        let attempt = XMLDocument.parse(Array(xml.utf8), recover: true)
        guard let doc = attempt.document, let root = doc.root else { return [] }
        var lines: [String] = []
        withExtendedLifetime(doc) {
            TreeWalk.walk(root) { node, entering in
                switch node.kind {
                case .element: lines.append((entering ? "" : "/") + node.name)
                case .text: lines.append("\"" + String(decoding: node.textBytes, as: UTF8.self) + "\"")
                case .entityReference: lines.append("&")
                case .other: lines.append("#")
                case .document: break
                }
                return .proceed
            }
        }
        return lines
    }

    @Test("a start tag the parser could not finish is closed, as libxml2's tree closes it")
    func unfinishedStartTag() {
        // "Couldn't find end of Start Tag a": libxml2 pops <a> with no end callback; <c> and <d> are <r>'s.
        let doc = XMLDocument.parse(Array(#"<r><a b="1"<c>x</c><d>y</d></r>"#.utf8), recover: true)
        withExtendedLifetime(doc.document) {
            let children = Array(doc.document?.root?.elements ?? .init(next: nil))
            #expect(children.map(\.name) == ["a", "c", "d"])
            #expect(children.first?.hasElementChildren == false)
            #expect(children.dropFirst().first?.onlyText.map { String(decoding: $0, as: UTF8.self) } == "x")
        }
    }

    @Test("CDATA merges with the text around it; a comment keeps texts apart; an undeclared prefix keeps its QName")
    func textAndNames() {
        let doc = XMLDocument.parse(
            Array("<r><t>a<![CDATA[<b>]]>c</t><u>a<!--c-->b</u><x:foo>bar</x:foo></r>".utf8), recover: true)
        withExtendedLifetime(doc.document) {
            let children = Array(doc.document?.root?.elements ?? .init(next: nil))
            #expect(children.map(\.name) == ["t", "u", "x:foo"])
            #expect(children[0].onlyText.map { String(decoding: $0, as: UTF8.self) } == "a<b>c")
            #expect(children[1].onlyText == nil)
            #expect(children[1].text() == "ab")
            #expect(children[2].namespaceURI == nil)
            #expect(!children[2].hasNamespacePrefix)
        }
    }

    @Test("attribute values: references decoded (& too), DTD defaults left out, namespaces and xml: read")
    func attributes() {
        let xml = """
            <!DOCTYPE r [<!ATTLIST r d CDATA 'dv'>]>
            <r xmlns:m="urn:m" a="x &amp; y &#38; z &lt; &#x26;amp;" m:a="namespaced" xml:base="http://b/"/>
            """
        let doc = XMLDocument.parse(Array(xml.utf8), recover: false)
        #expect(doc.wellFormed)
        withExtendedLifetime(doc.document) {
            let root = doc.document?.root
            #expect(root?.attribute("a", namespaceURI: "urn:m") == "namespaced")
            #expect(root?.attribute(anyCase: "a") == "x & y & z < &amp;")
            #expect(root?.attribute("base", xmlPrefix: true) == "http://b/")
            #expect(root?.attribute("d") == nil)
            #expect(root?.line == 2)
        }
    }

    @Test("undefined entities stay unexpanded references, outside the text")
    func undefinedEntity() {
        let doc = XMLDocument.parse(
            Array(#"<!DOCTYPE r SYSTEM "x.dtd"><r><t>a &foo; b</t></r>"#.utf8), recover: false)
        #expect(doc.errorCode == 27)
        withExtendedLifetime(doc.document) {
            let t = doc.document?.root?.elements.first { _ in true }
            #expect(t?.onlyText == nil)
            #expect(t?.text() == "a  b")
        }
    }

    @Test("a walk visits elements, texts and the rest in document order, and leaves each parent")
    func order() {
        #expect(
            visits("<r><a>1<b>2</b>3</a><?p x?><c/></r>")
                == ["a", "\"1\"", "b", "\"2\"", "/b", "\"3\"", "/a", "#", "c"])
    }
    @Test("CDATA sections are read by us: content back in place, line ends as libxml2 makes them, lines kept")
    func cdataSections() throws {
        let xml = "<r>\n<t>a<![CDATA[x\r\ny\rz\n<b>&amp;]]>b</t>\n<u><![CDATA[]]></u>\n<bad x='1'></r>"
        #expect(CDATASections.extract(Array(xml.utf8))?.contents.count == 2)
        let doc = XMLDocument.parse(Array(xml.utf8), recover: true, withoutControls: true)
        // The mismatched tag is on line 6: the section's two line feeds were kept for libxml2 to count.
        #expect(doc.errorLine == 6, "\(doc.errorMessage ?? "")")
        withExtendedLifetime(doc.document) {
            let children = Array(doc.document?.root?.elements ?? .init(next: nil))
            #expect(children.first?.onlyText.map { String(decoding: $0, as: UTF8.self) } == "ax\ny\nz\n<b>&amp;b")
            // An empty section is an empty text node, as libxml2 makes one.
            #expect(children.dropFirst().first?.onlyText?.count == 0)
            #expect(children.dropFirst().first?.text() == "")
        }
    }

    @Test("a CDATA opening in a comment is text there, not a section; in a processing instruction it leaves all to libxml2")
    func cdataInCommentsAndInstructions() {
        let inComment = "<!-- <![CDATA[ --><r><t><![CDATA[real]]></t><!-- ]]> --></r>"
        #expect(CDATASections.extract(Array(inComment.utf8))?.contents.count == 1)
        let inInstruction = "<r><?p <![CDATA[ ?><t><![CDATA[real]]></t></r>"
        #expect(CDATASections.extract(Array(inInstruction.utf8)) == nil)
        for xml in [inComment, inInstruction] {
            let doc = XMLDocument.parse(Array(xml.utf8), recover: false, withoutControls: true)
            #expect(doc.wellFormed)
            withExtendedLifetime(doc.document) {
                #expect(doc.document?.root?.firstElement?.text() == "real")
            }
        }
    }

    @Test("a processing instruction holding a `<` (a mangled XML declaration) leaves every section to libxml2")
    func cdataAfterBrokenDeclaration() {
        // libxml2 ends a broken declaration at the next `>`, not at the `?>` inside the section.
        let xml = "<?xml version=\"1.0\" enc\n<r><t><![CDATA[ a\"?> ]]></t></r>"
        #expect(CDATASections.extract(Array(xml.utf8)) == nil)
        #expect(CDATASections.extract(Array("<?xml version=\"1.0\"?><r><![CDATA[a]]></r>".utf8)) != nil)
    }

    @Test("only a token exactly as we wrote it names a section: its number, then its line feeds")
    func cdataTokens() throws {
        let sections = try #require(CDATASections.extract(Array("<r><![CDATA[a]]><![CDATA[b\nc]]></r>".utf8)))
        /// The section `token` names when libxml2 hands it over where section `at` ends.
        func named(_ token: String, from: Int = 0, at: Int) -> Int? {
            Array(token.utf8).withUnsafeBufferPointer { sections.section(named: $0, from: from, at: sections.ends[at]) }
        }
        #expect(String(decoding: sections.document, as: UTF8.self) == "<r><![CDATA[0]]><![CDATA[1\n]]></r>")
        #expect(named("0", at: 0) == 0)
        #expect(named("1\n", at: 1) == 1)
        #expect(named("0", at: 1) == nil)  // section 0's token where section 1 ends: libxml2 read it itself
        #expect(named("1", at: 1) == nil)  // section 1 held a line feed
        #expect(named("0\n", at: 0) == nil)
        #expect(named("00", at: 0) == nil)
        #expect(named("0 ", at: 0) == nil)
        #expect(named("2", at: 1) == nil)
        #expect(named("0", from: 1, at: 0) == nil)  // already put back
        #expect(named("real text", at: 0) == nil)
    }

    @Test("U+FFFE in a section, or a section left open, is libxml2's to refuse")
    func cdataRefused() {
        for xml in ["<r><t><![CDATA[a\u{FFFE}b]]></t></r>", "<r><t><![CDATA[open</t></r>"] {
            #expect(CDATASections.extract(Array(xml.utf8)) == nil)
            #expect(!XMLDocument.parse(Array(xml.utf8), recover: false, withoutControls: true).wellFormed)
        }
    }

    @Test("where libxml2 could read a declaration or a comment otherwise, every section is left to it")
    func cdataLeftToLibxml2() {
        // A system literal may hold `<` (well-formed); libxml2 stops a comment at U+FFFE.
        let literal = #"<!DOCTYPE r SYSTEM "<![CDATA["><r><t><![CDATA[T]]></t></r>"#
        let quoted = #"<!DOCTYPE r SYSTEM "a>b"><r><t><![CDATA[T]]></t></r>"#
        for xml in [literal, quoted, "<r><!-- \u{FFFE} <![CDATA[ --><t><![CDATA[x]]></t></r>"] {
            #expect(CDATASections.extract(Array(xml.utf8)) == nil, "\(xml)")
        }
        let doc = XMLDocument.parse(Array(literal.utf8), recover: false, withoutControls: true)
        #expect(doc.wellFormed)
        withExtendedLifetime(doc.document) { #expect(doc.document?.root?.firstElement?.text() == "T") }
        // A plain DOCTYPE is passed over.
        let plain = #"<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x.dtd"><rss><![CDATA[a]]></rss>"#
        #expect(CDATASections.extract(Array(plain.utf8))?.contents.count == 1)
    }

    @Test("a document over 10 MB keeps its sections: libxml2's input limits apply to it as before")
    func cdataInHugeDocument() {
        let huge = "<r><t><![CDATA[" + String(repeating: "a", count: 10_000_000) + "]]></t></r>"
        #expect(CDATASections.extract(Array(huge.utf8)) == nil)
        let large = "<r><t><![CDATA[" + String(repeating: "a", count: 9_000_000) + "]]></t></r>"
        #expect(CDATASections.extract(Array(large.utf8))?.contents.count == 1)
    }

    @Test("a text node merged past 10 MB stops the parse where libxml2's builder stops it (\"huge text node\")")
    func hugeTextNode() {
        // 9 MB of CDATA, then 2 MB of text in the same node: only the merge is over the cap. libxml2's
        // own builder keeps the 9 MB and nothing after, and still calls the document well-formed.
        let xml =
            "<r><t><![CDATA[" + String(repeating: "a", count: 9_000_000) + "]]>"
            + String(repeating: "b", count: 2_000_000) + "</t><u/></r>"
        let doc = XMLDocument.parse(Array(xml.utf8), recover: false, withoutControls: true)
        #expect(doc.wellFormed)
        withExtendedLifetime(doc.document) {
            let children = Array(doc.document?.root?.elements ?? .init(next: nil))
            #expect(children.count == 1)
            #expect(children.first?.onlyText?.count == 9_000_000)
        }
    }
}
