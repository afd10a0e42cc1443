/// URLs as messages and logs show them: user names and passwords in a URL (`https://user:pw@host/…`)
/// never reach the journal, the state's error text or `status`.
public enum URLRedaction {
    /// The URL with its userinfo replaced by `***`.
    public static func redact(_ url: String) -> String {
        let bytes = Array(url.utf8)
        guard let schemeEnd = (0..<max(0, bytes.count - 2)).first(where: {
            bytes[$0] == UInt8(ascii: ":") && bytes[$0 + 1] == UInt8(ascii: "/") && bytes[$0 + 2] == UInt8(ascii: "/")
        }) else { return url }
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, ![UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#")].contains(bytes[authorityEnd]) {
            authorityEnd += 1
        }
        guard let at = bytes[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) else { return url }
        return String(decoding: bytes[..<authorityStart], as: UTF8.self) + "***@"
            + String(decoding: bytes[(at + 1)...], as: UTF8.self)
    }
}
