import FeedDaemon

/// One input: any text, as a configuration file. The loader must return a configuration or a
/// `file:line:column` error, never crash (aliases, deep nesting, odd scalars included).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? DaemonConfig.parse(text, file: "/fuzz/feedwatch.yaml")
    return 0
}
