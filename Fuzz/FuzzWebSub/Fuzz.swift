@_spi(Fuzzing) import FeedDaemon

/// One input: a Link header line, an X-Hub-Signature line, then a pushed body, as a hub's content
/// distribution gives them to the callback (the request itself is parsed by SwiftNIO's HTTP/1.1
/// parser under Hummingbird). Neither may crash, whatever the bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let lines = bytes.split(separator: 0x0A, maxSplits: 2, omittingEmptySubsequences: false)
    let link = String(decoding: lines.first ?? [], as: UTF8.self)
    let signature = lines.count > 1 ? String(decoding: lines[1], as: UTF8.self) : nil
    let body = lines.count > 2 ? Array(lines[2]) : []
    _ = WebSubLinks.links(link)
    _ = WebSubSignature.isValid(signature, body: body, secret: "secret")
    return 0
}
