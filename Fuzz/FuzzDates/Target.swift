import FeedCore

/// One input: any text, as a feed date (RFC 822, ISO 8601, free forms, Arabic digits).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = DateParser.parse(text)
    _ = DateParser.parse(text, defaultOffsetSeconds: 3 * 3600)
    return 0
}
