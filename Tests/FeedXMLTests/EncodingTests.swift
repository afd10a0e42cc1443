import FeedCore
import FeedTestSupport
import FeedXML
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Encodings")
struct EncodingTests {
    let parser = FeedParser()

    func rss(title: String, encodingDecl: String?) -> String {
        let decl = encodingDecl.map { "<?xml version=\"1.0\" encoding=\"\($0)\"?>\n" } ?? ""
        return decl + "<rss version=\"2.0\"><channel><title>\(title)</title></channel></rss>"
    }

    /// The test's own encoder (glibc iconv), independent of the code under test.
    func encoded(_ s: String, _ encoding: String) -> [UInt8] {
        let cd = iconv_open(encoding, "UTF-8")
        defer { iconv_close(cd) }
        var input = Array(s.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let produced = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr = UnsafeMutableRawPointer(inBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outPtr = UnsafeMutableRawPointer(outBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outLeft = outBuf.count
                _ = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return outBuf.count - outLeft
            }
        }
        return Array(output[0..<produced])
    }

    @Test func windows1256SeedEqualsUTF8Seed() throws {
        let utf8 = try parser.parse(try TestPaths.seed("arabic-news.xml"))
        let cp = try parser.parse(try TestPaths.seed("arabic-news-cp1256.xml"))
        #expect(cp.encoding == "WINDOWS-1256")
        #expect(cp.bozo == false)
        #expect(cp.entries == utf8.entries)
        #expect(cp.title == utf8.title)
    }

    @Test(
        "legacy 8-bit encodings decode",
        arguments: [
            ("ISO-8859-6", "عربي"),
            ("windows-1256", "الذهب"),
            ("windows-1252", "café €"),
            ("windows-1251", "Привет"),
            ("ISO-8859-1", "café"),
        ])
    func legacy(enc: String, text: String) throws {
        let label = enc
        let f = try parser.parse(encoded(rss(title: text, encodingDecl: label), enc))
        #expect(f.title == text)
        #expect(f.bozo == false)
    }

    @Test func utf16WithAndWithoutBOM() throws {
        let doc = rss(title: "ذهب gold", encodingDecl: "UTF-16")
        let le = Array(doc.data(using: .utf16LittleEndian)!)
        let be = Array(doc.data(using: .utf16BigEndian)!)
        #expect(try parser.parse([0xFF, 0xFE] + le).title == "ذهب gold")
        #expect(try parser.parse([0xFE, 0xFF] + be).title == "ذهب gold")
        #expect(try parser.parse(le).title == "ذهب gold")
        #expect(try parser.parse(be).title == "ذهب gold")
    }

    @Test func bomWinsOverDeclaration() throws {
        let f = try parser.parse([0xEF, 0xBB, 0xBF] + Array(rss(title: "مرحبا", encodingDecl: "ISO-8859-1").utf8))
        #expect(f.title == "مرحبا")
    }

    @Test func httpCharsetAppliesWithoutDeclaration() throws {
        let bytes = encoded(rss(title: "عربي", encodingDecl: nil), "WINDOWS-1256")
        #expect(try parser.parse(bytes, httpCharset: "windows-1256").title == "عربي")
    }

    @Test("BI-09: Latin-1 declared over UTF-8 Arabic bytes reads as UTF-8 and says so")
    func mislabel() throws {
        let f = try parser.parse(Array(rss(title: "عربي", encodingDecl: "ISO-8859-1").utf8))
        #expect(f.title == "عربي")
        #expect(f.bozo)
        #expect(f.bozoReason?.contains("UTF-8") == true)
    }

    @Test("BI-07: invalid UTF-8 bytes become U+FFFD")
    func invalidUTF8() throws {
        var bytes = Array("<rss version=\"2.0\"><channel><title>ab".utf8)
        bytes += [0xFF, 0xFE, 0xC3, 0x28]
        bytes += Array("cd عربي</title></channel></rss>".utf8)
        let f = try parser.parse(bytes)
        #expect(f.title == "ab\u{FFFD}\u{FFFD}\u{FFFD}(cd عربي")
        #expect(f.bozo)
    }

    @Test func unknownEncodingFallsBackAndFlags() throws {
        let f = try parser.parse(Array(rss(title: "plain", encodingDecl: "bogus-enc").utf8))
        #expect(f.title == "plain")
        #expect(f.bozo)
    }
}
