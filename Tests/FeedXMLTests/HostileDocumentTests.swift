import FeedCore
import FeedTestSupport
import Foundation
import Testing

@testable import FeedXML

#if canImport(Glibc)
import Glibc
#endif

/// reliability.md §10, the document cases BI-01…BI-18 (BI-14/15/19/20 concern identity and the classifier).
@Suite("Hostile documents")
struct HostileDocumentTests {
    let parser = FeedParser()

    func code(_ doc: String) -> ParseError.Code? {
        do {
            _ = try parser.parse(Array(doc.utf8))
            return nil
        } catch { return error.code }
    }

    @Test("BI-01 billion laughs is refused at the first <!ENTITY>")
    func billionLaughs() {
        var decl = "<!ENTITY lol \"lol\">"
        for i in 1...9 {
            decl += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">"
        }
        let doc =
            "<?xml version=\"1.0\"?><!DOCTYPE rss [\(decl)]><rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>"
        #expect(code(doc) == .entityDeclaration)
    }

    @Test("BI-02 quadratic blowup is refused")
    func quadratic() {
        let big = String(repeating: "x", count: 100_000)
        let refs = String(repeating: "&a;", count: 20_000)
        #expect(
            code("<!DOCTYPE rss [<!ENTITY a \"\(big)\">]><rss><channel><title>\(refs)</title></channel></rss>")
                == .entityDeclaration)
    }

    @Test("BI-03 XXE, external DTD and XInclude never load anything; a canary proves no byte left")
    func xxe() throws {
        let canary = try Canary()
        defer { canary.close() }
        #expect(
            code("<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><rss><channel><title>&x;</title></channel></rss>")
                == .entityDeclaration)
        #expect(
            code("<!DOCTYPE rss [<!ENTITY % pe SYSTEM \"http://127.0.0.1:\(canary.port)/pe\"> %pe;]><rss/>") == .entityDeclaration
        )
        // No entity declaration, so these reach libxml2, which must not fetch them either.
        let f = try parser.parse(
            Array(
                """
                <!DOCTYPE rss SYSTEM "http://127.0.0.1:\(canary.port)/rss.dtd">
                <rss version="2.0" xmlns:xi="http://www.w3.org/2001/XInclude"><channel><title>safe</title>
                <item><title><xi:include href="http://127.0.0.1:\(canary.port)/inc" parse="text"/>t</title></item></channel></rss>
                """.utf8))
        #expect(f.title == "safe")
        #expect(f.entries.first?.title == "t")
        #expect(canary.connections() == 0)
    }

    @Test("BI-03 below the pre-scan, libxml2 itself stops at a file entity, and the file's text never appears")
    func xxeInLibxml2() throws {
        let dir = try TestPaths.temporaryDirectory("xxe")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let marker = "SECRET-\(UInt64.random(in: 1...UInt64.max))"
        try marker.write(toFile: dir + "/secret.txt", atomically: true, encoding: .utf8)
        let doc =
            "<!DOCTYPE rss [<!ENTITY x SYSTEM \"file://\(dir)/secret.txt\">]><rss><channel><title>&x;</title></channel></rss>"
        // The public parser refuses it at the pre-scan; the libxml2 layer must refuse it on its own too.
        #expect(code(doc) == .entityDeclaration)
        for recover in [false, true] {
            let attempt = XMLDocument.parse(Array(doc.utf8), recover: recover)
            #expect(attempt.entityRejected, "recover \(recover): the entity declaration reached the document")
            #expect(!(attempt.errorMessage ?? "").contains(marker))
            let content = attempt.document?.root?.text() ?? ""
            #expect(!content.contains(marker), "recover \(recover): the file was read into the document")
        }
    }

    @Test("BI-04 100,000 nested elements: refused, no stack overflow")
    func deepNesting() {
        let doc =
            "<rss><channel>" + String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
            + "</channel></rss>"
        #expect(code(doc) == .hostileShape)
    }

    @Test("BI-05 a start tag with 80,000 attributes is refused by the pre-scan")
    func attributes() {
        var tag = "<item"
        for i in 0..<80_000 { tag += " a\(i)=\"1\"" }
        #expect(code("<rss><channel>\(tag)/></channel></rss>") == .hostileShape)
    }

    @Test("BI-06 huge title and summary are capped with an ellipsis")
    func hugeFields() throws {
        let title = String(repeating: "ذهب ", count: 3_000_000)  // 12 MB
        let summary = String(repeating: "gold ", count: 1_000_000)  // 5 MB
        let f = try FeedParser().parse(
            Array("<rss><channel><item><title>\(title)</title><description>\(summary)</description></item></channel></rss>".utf8))
        let e = try #require(f.entries.first)
        #expect((e.title?.utf8.count ?? 0) <= 1024)
        #expect(e.title?.hasSuffix("…") == true)
        #expect((e.summary?.utf8.count ?? 0) <= 64 * 1024)
    }

    @Test("BI-08 NUL and other control bytes never truncate text")
    func nul() throws {
        var bytes = Array("<rss><channel><item><title>ab".utf8)
        bytes += [0x00, 0x03]
        bytes += Array("cd</title></item></channel></rss>".utf8)
        let f = try parser.parse(bytes)
        #expect(f.entries.first?.title == "ab cd")
        #expect(f.bozo)
    }

    @Test("BI-11 HTML entities without a DTD, and with the RSS 0.91 DOCTYPE, keep their text")
    func htmlEntities() throws {
        let bare = try parser.parse(Array("<rss version=\"2.0\"><channel><title>caf&eacute;&nbsp;x</title></channel></rss>".utf8))
        #expect(bare.title == "café x")
        #expect(bare.bozo)
        let netscape = try parser.parse(
            Array(
                """
                <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
                <rss version="0.91"><channel><title>caf&eacute;&nbsp;x</title></channel></rss>
                """.utf8))
        #expect(netscape.title == "café x")
    }

    @Test("BI-12 an HTML page served where a feed was expected is not a feed")
    func htmlPage() {
        #expect(
            code(
                "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body><div>x</div></body></html>"
            ) == .notAFeed)
    }

    @Test("BI-13 truncated documents and trailing garbage")
    func truncatedAndTrailing() throws {
        #expect(code("<rss version=\"2.0\"><chan") == .malformed)
        let trailing = try parser.parse(
            Array("<rss version=\"2.0\"><channel><item><title>A</title></item></channel></rss>\n<rss>junk".utf8))
        #expect(trailing.entries.first?.title == "A")
        #expect(trailing.bozo)
        let truncated = try parser.parse(Array("<rss version=\"2.0\"><channel><item><title>A</title></item><item><title>B".utf8))
        #expect(truncated.entries.map(\.title) == ["A", "B"])
        #expect(truncated.bozo)
        #expect(code("") == .empty)
        #expect(code("   \n ") == .empty)
    }

    @Test("blank lines and junk before the XML declaration are recovered")
    func prolog() throws {
        let f = try parser.parse(
            Array("\n\n  <?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><title>ok</title></channel></rss>".utf8))
        #expect(f.title == "ok")
        let g = try parser.parse(Array("garbage<?xml version=\"1.0\"?><rss><channel><title>ok</title></channel></rss>".utf8))
        #expect(g.title == "ok")
        #expect(g.bozo)
    }

    @Test("BI-14 items without guid, link or title still parse")
    func bareItems() throws {
        let f = try parser.parse(
            Array("<rss><channel><item><description>only text</description></item><item/></channel></rss>".utf8))
        #expect(f.entries.count == 2)
        #expect(f.entries[0].summary == "only text")
        #expect(f.entries[1] == FeedEntry())
    }

    @Test("BI-17 script, event handlers and javascript links never reach text")
    func scripts() throws {
        let f = try parser.parse(
            Array(
                """
                <rss xml:base="http://example.com/"><channel><item><title>&lt;script&gt;alert(1)&lt;/script&gt;Title</title>
                <link>javascript:alert(1)</link>
                <description>&lt;img src=x onerror="alert(2)"&gt;Body&lt;a href="javascript:alert(3)"&gt;link&lt;/a&gt;</description>
                </item></channel></rss>
                """.utf8))
        let e = try #require(f.entries.first)
        #expect(e.title == "Title")
        #expect(e.summary == "Bodylink")  // <a> is inline: no space
        #expect(e.link == nil)  // a javascript: link resolved against a base is dropped
    }

    @Test("BI-18 CR, LF and U+2028 in titles fold to one line")
    func lineBreaks() throws {
        let f = try parser.parse(Array("<rss><channel><item><title>a&#13;&#10;b\u{2028}c</title></item></channel></rss>".utf8))
        #expect(f.entries.first?.title == "a b c")
    }

    @Test("a DOCTYPE with an internal subset but no entities is accepted")
    func harmlessDoctype() throws {
        let f = try parser.parse(Array("<!DOCTYPE rss [<!ELEMENT rss ANY>]><rss><channel><title>ok</title></channel></rss>".utf8))
        #expect(f.title == "ok")
    }
}

/// A loopback listener that counts connection attempts; nothing must ever connect.
final class Canary {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw CanaryError() }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.fd = fd
        self.port = UInt16(bigEndian: addr.sin_port)
    }

    /// Connections that arrived so far (each is accepted and closed).
    func connections() -> Int {
        var n = 0
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { break }
            Glibc.close(c)
            n += 1
        }
        return n
    }

    func close() { Glibc.close(fd) }

    struct CanaryError: Error {}
}
