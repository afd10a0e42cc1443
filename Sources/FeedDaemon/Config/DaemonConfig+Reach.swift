import FeedCore
import FeedHTTP
import Foundation

extension DaemonConfig {
    /// What the first poll or delivery would refuse, said by `check` and at start with the place it was
    /// written: a `file:` feed that is not there, and a feed or webhook on a loopback or private address
    /// (written as an address, or `localhost`) without the `allow_private` that would let it through.
    /// Host names are not resolved here: `check` makes no network requests.
    var reachWarnings: [String] {
        var out: [String] = []
        // Where the feed was written: its `url` in the configuration, or its line in an OPML file.
        func at(_ feed: Feed) -> String {
            if let opml = feed.listedIn { return "\(opml):\(feed.line)" }
            return "\(file):" + (feed.urlAt.map { "\($0.line):\($0.column)" } ?? "\(feed.line)")
        }
        for feed in feeds where feed.enabled {
            if feed.url.hasPrefix("file:"), let path = Self.filePath(of: feed.url), !FileManager.default.fileExists(atPath: path)
            {
                out.append("\(at(feed)): feed \(path) does not exist; its polls will fail")
            }
            if !feed.allowPrivate, !fetch.allowPrivateNetworks, let range = Self.privateRange(of: feed.url) {
                out.append(
                    "\(at(feed)): feed \(URLRedaction.redact(feed.url)) is in a blocked range (\(range)); its polls will be refused: \(AddressPolicy.feedRemedy)"
                )
            }
        }
        for sink in sinks where sink.type == .webhook && !sink.allowPrivate {
            if let url = sink.url, let range = Self.privateRange(of: url) {
                out.append(
                    "\(file):\(sink.urlAt.map { "\($0.line):\($0.column)" } ?? "\(sink.line)"): sink \(sink.name): its url is in a blocked range (\(range)); its deliveries will be refused: \(AddressPolicy.sinkRemedy(sink.name))"
                )
            }
        }
        return out
    }

    /// `file:///a/b`, `file:/a/b` → `/a/b` (relative `file:` URLs were resolved when loaded).
    public static func filePath(of url: String) -> String? {
        var rest = Substring(url.dropFirst("file:".count))
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            rest = rest[slash...]
        }
        return (String(rest).removingPercentEncoding ?? String(rest))
    }

    /// The blocked range of the URL's host when it is written as an address, or `127.0.0.0/8` for
    /// `localhost`; nil for other names (their addresses are known only when resolved).
    public static func privateRange(of url: String) -> String? {
        guard url.lowercased().hasPrefix("http"), let host = URLAuthority(of: url)?.host else { return nil }
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name.hasSuffix(".localhost") { return "127.0.0.0/8" }
        return AddressPolicy().blockedRange(ofLiteral: name)
    }
}
