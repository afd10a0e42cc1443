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
    public init?(of url: String) {
        guard let separator = url.firstRange(of: "://") else { return nil }
        let all = url[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let after: Substring
        if let at = all.lastIndex(of: "@") {
            userinfo = all[..<at]
            after = all[all.index(after: at)...]
        } else {
            after = all
        }
        text = all
        hostPort = after
        if after.hasPrefix("[") {
            host = after.firstIndex(of: "]").map { after[...$0] } ?? after
        } else {
            host = after.prefix { $0 != ":" }
        }
    }
}
