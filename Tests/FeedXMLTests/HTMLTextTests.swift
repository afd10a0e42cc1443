import FeedCore
import FeedTestSupport
import Foundation
import Testing

@testable import FeedXML

/// The fast path for common markup must give exactly what libxml2's HTML parser gives; anything it does
/// not fully understand must go to libxml2.
@Suite("HTML to text")
struct HTMLTextTests {
    static let fragments = [
        "<p>Hello <b>world</b></p><p>Next</p>",
        "Price<br/>rose<br>again &amp; again &eacute;&#1575;&#x627;&nbsp;end",
        "<div class=\"a\" data-x='1 > 0'>quoted &gt; attributes</div>",
        "<p>A <a href=\"http://x/?a=1&amp;b=2\">link</a>.</p><!-- comment --><img src=x alt=\"y\">tail",
        "<script>var a = '<p>no</p>';</script>kept<style>p { color: red }</style> text",
        "<SCRIPT type=text/javascript>alert(1)</SCRIPT>Upper",
        "<ul><li>one</li><li>two</li></ul><table><tr><td>c1</td><td>c2</td></tr></table>",
        "5 &lt; 6 and &unknown; and &amp without semicolon",
        "<h1>Title</h1><blockquote><p>quote</p></blockquote><pre>  code  </pre>",
        "<p>ذهب <strong>الأسعار</strong> ترتفع</p>",
        "<figure><img src=a.jpg><figcaption>cap</figcaption></figure>after",
        "&#150;dash&#8217;s",
    ]

    /// Fragments the fast path must hand to libxml2 (it returns nil for them).
    static let unusual = [
        "a < b but <c", "<p unterminated", "<a href='x''>stray quote</a>", "<!DOCTYPE html><p>x</p>", "<?php echo 1 ?>text",
        "<textarea><b>raw</b></textarea>", "<script>never closed", "<title>t</title>",
    ]

    @Test("fast path equals libxml2's HTML parser", arguments: fragments)
    func fastPathMatchesLibxml2(_ html: String) throws {
        var copy = html
        let fast = try #require(copy.withUTF8 { SimpleHTML.text($0, rawCap: 1 << 20) }, "fast path declined \(html)")
        let viaFast = fast.withUnsafeBufferPointer { PlainText.collapse(utf8: $0) }
        let viaLibxml2 = PlainText.collapse(HTMLSAXText.extract(utf8: Array(html.utf8), rawCap: 1 << 20))
        // C1 references are mapped by our decoder; libxml2 leaves U+0096, which feeds never mean.
        #expect(viaFast.map(PlainText.mapC1) == viaLibxml2.map(PlainText.mapC1), "\(html)")
    }

    @Test("unusual markup goes to libxml2", arguments: unusual)
    func declines(_ html: String) {
        var copy = html
        #expect(copy.withUTF8 { SimpleHTML.text($0, rawCap: 1 << 20) } == nil)
    }

    @Test func expectedText() {
        #expect(HTMLText.plainText(html: Self.fragments[0], cap: 1024) == "Hello world Next")
        #expect(HTMLText.plainText(html: Self.fragments[4], cap: 1024) == "kept text")
        #expect(HTMLText.plainText(html: Self.fragments[5], cap: 1024) == "Upper")
        #expect(HTMLText.plainText(html: "a < b but <c", cap: 1024) == "a < b but")
        #expect(HTMLText.plainText(html: "<a href='x''>stray quote</a> after", cap: 1024) == "stray quote after")
    }

    @Test("every summary in the real corpus converts the same both ways")
    func corpusEquivalence() throws {
        let dir = TestPaths.shared + "/corpus/real"
        var compared = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() {
            // Only documents that are UTF-8 (a legacy encoding read as UTF-8 would compare mojibake).
            guard let text = String(validating: try TestPaths.bytes(dir + "/" + name), as: UTF8.self) else { continue }
            // Escaped HTML inside <description> or <content:encoded> CDATA sections.
            for part in text.components(separatedBy: "<![CDATA[").dropFirst() {
                guard let end = part.range(of: "]]>") else { continue }
                let html = String(part[..<end.lowerBound])
                guard html.contains("<") else { continue }
                var copy = html
                guard let fast = copy.withUTF8({ SimpleHTML.text($0, rawCap: 1 << 22) }) else { continue }
                let a = fast.withUnsafeBufferPointer { PlainText.collapse(utf8: $0) }.map(PlainText.mapC1)
                let b = PlainText.collapse(HTMLSAXText.extract(utf8: Array(html.utf8), rawCap: 1 << 22)).map(PlainText.mapC1)
                #expect(a == b, "\(name): \(html.prefix(200))")
                compared += 1
            }
        }
        #expect(compared > 500)
    }
}
