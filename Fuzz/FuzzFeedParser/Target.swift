import FeedXML

/// One input: any bytes, as a feed document. The parser must return a feed or throw, never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    _ = try? FeedParser().parse(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
