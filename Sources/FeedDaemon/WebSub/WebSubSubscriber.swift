import FeedCore
import FeedHTTP
import FeedStore
import Foundation
import Logging

/// The subscriber's side of WebSub (W3C recommendation, §5): subscribe and unsubscribe requests to a
/// hub, through the fetcher (its address rules, proxy and CA file apply), each with the subscription's
/// own callback token and secret.
struct WebSubSubscriber: Sendable {
    let context: DaemonContext

    /// The lease asked for; the hub decides (and says so in its verification).
    static let requestedLease = 10 * 86_400

    /// A new subscription for `feedKey`: a random callback token and HMAC secret.
    static func new(feedKey: String, hub: String, topic: String) -> WebSubSubscription {
        WebSubSubscription(feedKey: feedKey, hub: hub, topic: topic, token: random(), secret: random())
    }

    /// 128 random bits as hex.
    static func random() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(g.next() as UInt64, radix: 16).leftPadded(16) }.joined()
    }

    func callback(_ s: WebSubSubscription) -> String? {
        context.config.http.publicURL.map { $0 + "/websub/" + s.token }
    }

    /// Sends `mode` (subscribe or unsubscribe) to the subscription's hub; nil when the hub accepted it
    /// (2xx: it verifies next), else why not.
    func request(_ mode: String, _ s: WebSubSubscription) async -> String? {
        guard let callback = callback(s) else { return "http.public_url is not set" }
        var fields = [("hub.mode", mode), ("hub.topic", s.topic), ("hub.callback", callback)]
        if mode == "subscribe" { fields += [("hub.secret", s.secret), ("hub.lease_seconds", String(Self.requestedLease))] }
        let fetch = context.config.fetch
        var request = FetchRequest(
            url: s.hub, maxBodyBytes: 64 * 1024, connectTimeoutSeconds: fetch.connectTimeout,
            totalTimeoutSeconds: min(fetch.timeout, 30), lowSpeedSeconds: 30,
            addressPolicy: .allowing(
                fetch.allowPrivateNetworks, remedy: "set fetch.allow_private_networks to reach a hub on a private network"),
            headers: ["Content-Type: application/x-www-form-urlencoded"], proxy: fetch.proxy, caFile: fetch.caFile)
        request.postBody = Array(Self.form(fields).utf8)
        request.discardsBody = true
        switch await context.fetcher.fetch(request).outcome {
        case .body: return nil
        case .notModified: return "HTTP 304"
        case .gone: return "HTTP 410"
        case .rateLimited(_, let status): return "HTTP \(status)"
        case .failed(let e): return e.message
        }
    }

    /// `application/x-www-form-urlencoded`.
    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return fields.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
