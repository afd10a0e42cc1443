@_spi(Fuzzing) import FeedXML

/// One input: any text, as an HTML summary turned into plain text (the fast path and libxml2's parser).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    _ = FuzzEntryPoints.plainText(html: String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}
