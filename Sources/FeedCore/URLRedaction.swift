/// URLs as messages and logs show them: user names and passwords in a URL (`https://user:pw@host/…`)
/// never reach the journal, the state's error text or `status`.
public enum URLRedaction: Sendable {
    /// The URL with its userinfo replaced by `***`.
    public static func redact(_ url: String) -> String {
        guard let authority = URLAuthority(of: url), let userinfo = authority.userinfo else { return url }
        return String(url[..<userinfo.startIndex]) + "***" + url[userinfo.endIndex...]
    }
}
