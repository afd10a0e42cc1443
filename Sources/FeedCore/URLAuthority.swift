/// The authority of a URL (`scheme://[userinfo@]host[:port]/…`), cut once for every module that needs
/// a part of it: redaction (the userinfo), the configuration check (a host, no credentials), per-host
/// politeness (host and port) and the parser's IPv6 check (the bracketed host).
public struct URLAuthority: Sendable, Equatable {
    /// Everything between `://` and the first `/`, `?` or `#`.
    public var text: Substring
    /// Before the last `@`, if there is one.
    public var userinfo: Substring?
    /// After the last `@`: host and port.
    public var hostPort: Substring
    /// The host without the port; an IPv6 literal keeps its brackets (`[::1]`).
    public var host: Substring

    /// Nil when the URL has no `://`.
    ///
    /// Cut on UTF-8 bytes: every delimiter is ASCII, and this runs for every feed of a configuration and
    /// every poll's log metadata, where walking Characters (grapheme breaking) cost more than the rest.
    public init?(of url: String) {
        let bytes = url.utf8
        var i = bytes.startIndex
        var start: String.Index?
        // "://"
        while i != bytes.endIndex {
            if bytes[i] == 0x3A {
                let a = bytes.index(after: i)
                if a != bytes.endIndex, bytes[a] == 0x2F {
                    let b = bytes.index(after: a)
                    if b != bytes.endIndex, bytes[b] == 0x2F {
                        start = bytes.index(after: b)
                        break
                    }
                }
            }
            i = bytes.index(after: i)
        }
        guard let start else { return nil }
        var end = start
        var lastAt: String.Index?
        while end != bytes.endIndex {
            let c = bytes[end]
            if c == 0x2F || c == 0x3F || c == 0x23 { break }  // / ? #
            if c == 0x40 { lastAt = end }  // @
            end = bytes.index(after: end)
        }
        text = url[start..<end]
        let after: Substring
        if let at = lastAt {
            userinfo = url[start..<at]
            after = url[bytes.index(after: at)..<end]
        } else {
            after = text
        }
        hostPort = after
        let hp = after.utf8
        if hp.first == 0x5B {  // [
            host = hp.firstIndex(of: 0x5D).map { after[..<hp.index(after: $0)] } ?? after
        } else {
            host = after[..<(hp.firstIndex(of: 0x3A) ?? hp.endIndex)]
        }
    }
}
