import FeedCore

/// Link resolution for feed URLs: resolved against the base when there is one, and then kept only if
/// the result has a sane scheme and host, as feedparser's make_safe_absolute_uri does (a `javascript:`
/// link resolved against a base is dropped, a host with a stray "[" is rejected rather than passed on).
enum SafeURL {
    static let acceptableSchemes: Set<String> = [
        "file", "ftp", "gopher", "h323", "hdl", "http", "https", "imap", "magnet", "mailto", "mms", "news", "nntp",
        "prospero", "rsync", "rtsp", "rtspu", "sftp", "shttp", "sip", "sips", "snews", "svn", "svn+ssh", "telnet",
        "wais", "aim", "callto", "cvs", "facetime", "feed", "git", "gtalk", "irc", "ircs", "irc6", "itms", "msnim",
        "skype", "ssh", "smb", "ymsg",
    ]

    static func resolve(_ ref: String, against base: String?) -> String? {
        guard let base, !base.isEmpty else { return ref.isEmpty ? nil : ref }
        let resolved = URLResolver.resolve(fixSlashes(ref), against: base)
        guard let colon = resolved.firstIndex(of: ":") else { return nil }
        let scheme = resolved[..<colon].lowercased()
        guard acceptableSchemes.contains(scheme), hostIsSane(resolved) else { return nil }
        return resolved
    }

    /// `http:///x` → `http://x` (feedparser's _urifixer).
    private static func fixSlashes(_ s: String) -> String {
        guard let end = afterSchemeSeparator(s) else { return s }
        var rest = s[end...]
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        return String(s[..<end]) + rest
    }

    /// A "[" in the authority must open a well-formed IPv6 literal.
    private static func hostIsSane(_ url: String) -> Bool {
        guard let authority = URLAuthority(of: url) else { return true }
        guard authority.text.contains("[") || authority.text.contains("]") else { return true }
        let host = authority.hostPort
        guard host.hasPrefix("["), let close = host.firstIndex(of: "]") else { return false }
        return host[host.index(after: host.startIndex)..<close].allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }

    /// The index just after the first "://", if any.
    private static func afterSchemeSeparator(_ s: String) -> String.Index? {
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == ":", s[i...].hasPrefix("://") { return s.index(i, offsetBy: 3) }
            i = s.index(after: i)
        }
        return nil
    }
}
