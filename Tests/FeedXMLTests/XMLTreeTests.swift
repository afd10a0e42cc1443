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
}
