@_spi(Faults) import FeedCore
import FeedHTTP
import FeedSpool
import FeedStore
import Foundation
import Logging

/// What the listener answers a hub at `/websub/<token>` (issue 25):
/// - `GET`: a verification of intent; the challenge is echoed only for the subscription of that token,
///   its topic, and the mode it asked for (subscribe, or unsubscribe once it left the configuration).
/// - `POST`: content. Accepted only with a valid `X-Hub-Signature` under the subscription's secret
///   (403 otherwise, and nothing is read), then taken through the same stages as a poll's document:
///   parse, identify, classify, story, commit (`FeedPoller.push`). 2xx only after the commit, so a hub
///   retries content a crash interrupted, and the entries' identity keeps a retry from alerting twice.
public struct WebSubCallbacks: Sendable {
    let resources: DaemonResources
    let requests: DeliveryRequests

    /// Leases a hub may grant, as the daemon counts them (a hub's own number outside is clamped).
    static let minimumLease: Int64 = 5
    static let maximumLease: Int64 = 365 * 86_400

    public init(resources: DaemonResources, requests: DeliveryRequests) {
        self.resources = resources
        self.requests = requests
    }

    public func answer(
        method: String, token: String, query: [String: String], headers: [String: String], body: [UInt8]
    )
        async -> (status: Int, body: String)
    {
        let context = resources.context
        // The route exists whenever the listener runs, so WebSub can be turned on or off by a reload.
        guard context.config.websubEnabled else { return (404, "WebSub is off") }
        let subscription: WebSubSubscription?
        do {
            subscription = try await context.store.subscription(token: token)
        } catch {
            context.logger.warning("WebSub: cannot read the subscriptions: \(error)")
            return (503, "state unavailable")
        }
        guard let subscription else { return (404, "no such subscription") }
        var logger = context.logger
        logger[metadataKey: "feed"] = "\(URLRedaction.redact(subscription.feedKey))"
        switch method {
        case "GET": return await verify(subscription, query: query, context: context, logger: logger)
        case "POST":
            return await content(subscription, headers: headers, body: body, context: context, logger: logger)
        default: return (405, "GET or POST")
        }
    }

    private func verify(
        _ s: WebSubSubscription, query: [String: String], context: DaemonContext, logger: Logger
    ) async
        -> (status: Int, body: String)
    {
        var s = s
        let now = Int64(Date().timeIntervalSince1970)
        switch query["hub.mode"] {
        case "denied" where query["hub.topic"] == s.topic:
            s.state = .new
            s.lastError = "denied by the hub" + (query["hub.reason"].map { ": \($0)" } ?? "")
            logger.warning("WebSub: \(s.lastError ?? "")")
            try? await context.store.save(s)
            context.websub.set(s)
            return (200, "")
        case "subscribe" where query["hub.topic"] == s.topic && s.state != .unsubscribing:
            guard let challenge = query["hub.challenge"], !challenge.isEmpty else { return (400, "no challenge") }
            // A hub's number, bounded: no renewal storm from a tiny lease, no overflow of now + lease.
            let asked = query["hub.lease_seconds"].flatMap { Int64($0) } ?? Int64(WebSubSubscriber.requestedLease)
            let lease = min(max(asked, Self.minimumLease), Self.maximumLease)
            let renewal = s.state == .active
            (s.state, s.leaseSeconds, s.leaseUntil, s.lastError) = (.active, lease, now + lease, nil)
            do {
                try await context.store.save(s)
            } catch {
                return (503, "state unavailable")
            }
            context.websub.set(s)
            logger.info("WebSub: \(renewal ? "renewed" : "subscribed") at \(s.hub) for \(DurationText.format(Int(lease)))")
            return (200, challenge)
        case "unsubscribe" where query["hub.topic"] == s.topic && s.state == .unsubscribing:
            guard let challenge = query["hub.challenge"], !challenge.isEmpty else { return (400, "no challenge") }
            try? await context.store.deleteSubscription(feedKey: s.feedKey)
            context.websub.remove(feedKey: s.feedKey)
            logger.info("WebSub: unsubscribed from \(s.hub)")
            return (200, challenge)
        default:
            return (404, "not a request of this subscriber")
        }
    }

    private func content(
        _ s: WebSubSubscription, headers: [String: String], body: [UInt8], context: DaemonContext, logger: Logger
    ) async -> (status: Int, body: String) {
        guard s.state == .active || s.state == .requested else { return (410, "not subscribed") }
        guard WebSubSignature.isValid(headers["x-hub-signature"], body: body, secret: s.secret) else {
            logger.warning("WebSub: content from \(s.hub) refused: missing or wrong X-Hub-Signature")
            return (403, "bad signature")
        }
        guard let feed = context.config.feeds.first(where: { $0.url == s.feedKey && $0.enabled }) else {
            return (410, "the feed is no longer watched")
        }
        let now = Int64(Date().timeIntervalSince1970)
        let document = FetchResult.Body(
            bytes: body, status: 200, finalURL: s.topic, contentType: headers["content-type"],
            charset: headers["content-type"].flatMap(HeaderValue.charset))
        do {
            let summary = try await FeedPoller(context: context).push(feed, document: document, now: now)
            if summary.alerts > 0 || summary.merged > 0 { requests.request() }
            logger.info(
                "WebSub: push from \(s.hub): \(summary.result.rawValue), \(summary.newEntries) new, \(summary.alerts) alert(s)")
            // Committed (churn is recorded without alerting): only an unreadable document is refused.
            guard summary.result != .error else { return (400, summary.message ?? "not a feed") }
        } catch {
            logger.error("WebSub: cannot commit a push: \(error); the hub will send it again")
            return (503, "state unavailable")
        }
        // On the row as it is now (a renewal may have been verified meanwhile), not on the copy read before.
        if var pushed = (try? await context.store.subscription(token: s.token)) ?? nil {
            (pushed.lastPush, pushed.missed) = (now, false)
            try? await context.store.save(pushed)
            context.websub.set(pushed)
        }
        return (200, "ok")
    }
}
