import CLibXML2

#if canImport(Glibc)
import Glibc
#endif

/// Text of an HTML fragment through libxml2's HTML parser in SAX mode: the parser tokenizes and
/// recovers exactly as htmlReadMemory would, but no tree is built or freed, which halves the cost of
/// the parser's most frequent job (every summary with markup). Script and style content arrives as
/// CDATA blocks and is ignored; block-level tags become spaces.
enum HTMLSAXText {
    final class Collector {
        var out: [UInt8] = []
        var skipDepth = 0
        let rawCap: Int
        let ctxt: htmlParserCtxtPtr

        init(rawCap: Int, ctxt: htmlParserCtxtPtr) {
            self.rawCap = rawCap
            self.ctxt = ctxt
            out.reserveCapacity(1024)
        }
    }

    static func extract(utf8 fragment: [UInt8], rawCap: Int) -> String {
        _ = LibXML.ready
        LibXML.silenceErrors()
        guard !fragment.isEmpty, fragment.count < Int(Int32.max) - 16 else { return "" }
        // Inside a <div>, top-level text needs no implied <p> (which would add spaces a reader never sees).
        let utf8 = Array("<div>".utf8) + fragment + Array("</div>".utf8)
        let made = utf8.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                htmlCreateMemoryParserCtxt($0, Int32(buf.count))
            }
        }
        guard let ctxt = made else { return String(decoding: utf8, as: UTF8.self) }
        defer {
            if let doc = ctxt.pointee.myDoc { xmlFreeDoc(doc) }
            htmlFreeParserCtxt(ctxt)
        }
        _ = xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8)
        _ = htmlCtxtUseOptions(
            ctxt,
            Int32(
                HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue
                    | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NOIMPLIED.rawValue))
        let collector = Collector(rawCap: rawCap, ctxt: ctxt)
        let sax = ctxt.pointee.sax!
        // Only text and element boundaries matter; every tree-building callback is switched off.
        sax.pointee.startDocument = nil
        sax.pointee.endDocument = nil
        sax.pointee.internalSubset = nil
        sax.pointee.externalSubset = nil
        sax.pointee.comment = nil
        sax.pointee.processingInstruction = nil
        sax.pointee.reference = nil
        sax.pointee.cdataBlock = nil
        sax.pointee.initialized = 0  // SAX1-style startElement/endElement
        sax.pointee.startElementNs = nil
        sax.pointee.endElementNs = nil
        sax.pointee.startElement = { ctx, name, _ in
            guard let ctx, let name else { return }
            let c = Unmanaged<Collector>.fromOpaque(ctx).takeUnretainedValue()
            if HTMLSAXText.isSkip(name) {
                c.skipDepth += 1
                return
            }
            if c.skipDepth == 0, HTMLSAXText.isBlock(name) { c.out.append(0x20) }
        }
        sax.pointee.endElement = { ctx, name in
            guard let ctx, let name else { return }
            let c = Unmanaged<Collector>.fromOpaque(ctx).takeUnretainedValue()
            if HTMLSAXText.isSkip(name) {
                c.skipDepth = max(0, c.skipDepth - 1)
                return
            }
            if c.skipDepth == 0, HTMLSAXText.isBlock(name) { c.out.append(0x20) }
        }
        let characters: charactersSAXFunc = { ctx, ch, len in
            guard let ctx, let ch, len > 0 else { return }
            let c = Unmanaged<Collector>.fromOpaque(ctx).takeUnretainedValue()
            guard c.skipDepth == 0 else { return }
            c.out.append(contentsOf: UnsafeBufferPointer(start: ch, count: Int(len)))
            if c.out.count > c.rawCap { xmlStopParser(c.ctxt) }
        }
        sax.pointee.characters = characters
        sax.pointee.ignorableWhitespace = characters
        ctxt.pointee.userData = Unmanaged.passUnretained(collector).toOpaque()
        _ = htmlParseDocument(ctxt)
        return withExtendedLifetime(collector) { String(decoding: collector.out, as: UTF8.self) }
    }

    /// Tag names arrive lower-cased from the HTML parser.
    static func isSkip(_ name: UnsafePointer<xmlChar>) -> Bool {
        let n = UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self)
        return strcmp(n, "script") == 0 || strcmp(n, "style") == 0
    }

    static func isBlock(_ name: UnsafePointer<xmlChar>) -> Bool {
        let n = UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self)
        let len = strlen(n)
        guard len <= 10 else { return false }
        // Most tags are short; compare against the oracle's BLOCK_TAGS.
        return HTMLText.blockTags.contains(String(cString: n))
    }
}
