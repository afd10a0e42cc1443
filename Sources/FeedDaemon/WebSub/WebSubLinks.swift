import FeedCore
import FeedHTTP

/// Where a feed's WebSub hub is, and the topic to subscribe to: the HTTP Link header first (RFC 8288:
/// `<https://hub>; rel="hub", <https://feed>; rel="self"`), then the feed's own `rel="hub"` and
/// `rel="self"` links, as the W3C recommendation orders them. Without a self link, the URL polled.
@_spi(Fuzzing) public enum WebSubLinks {
    static func discover(header: String?, parsed: ParsedFeed, polled url: String) -> (hub: String, topic: String)? {
        let fromHeader = header.map(links) ?? []
        let hub = fromHeader.first { $0.rel == "hub" }?.url ?? parsed.hubs.first
        // The secret goes to the hub with the request: https only, or a hub on this machine.
        guard let hub, isWeb(hub), isLoopback(hub) || hub.lowercased().hasPrefix("https://") else { return nil }
        let topic = fromHeader.first { $0.rel == "self" }?.url ?? parsed.selfURL ?? url
        return isWeb(topic) ? (hub, topic) : nil
    }

    /// A loopback hub (`127.0.0.0/8`, `[::1]`, `localhost`): its traffic never leaves the machine.
    static func isLoopback(_ url: String) -> Bool {
        guard let host = URLAuthority(of: url)?.host.lowercased() else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    static func isWeb(_ url: String) -> Bool {
        let lower = url.lowercased()
        return (lower.hasPrefix("http://") || lower.hasPrefix("https://")) && !url.utf8.contains { $0 <= 0x20 }
    }

    /// The links of a Link header, each with its relation types (`rel="hub self"` gives two).
    @_spi(Fuzzing) public static func links(_ header: String) -> [(url: String, rel: String)] {
        var out: [(String, String)] = []
        var rest = Substring(header)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let url = String(rest[rest.index(after: open)..<close])
            let paramsEnd = rest[close...].firstIndex(of: "<") ?? rest.endIndex
            let params = String(rest[rest.index(after: close)..<paramsEnd])
            for param in params.split(separator: ";") {
                let pair = param.split(separator: "=", maxSplits: 1).map { String($0).trimming(" ") }
                guard pair.count == 2, pair[0].lowercased() == "rel" else { continue }
                let value = pair[1].hasPrefix("\"") ? String(pair[1].dropFirst().prefix { $0 != "\"" }) : pair[1]
                for rel in value.split(separator: " ") { out.append((url, rel.lowercased())) }
            }
            rest = rest[paramsEnd...]
        }
        return out
    }
}
