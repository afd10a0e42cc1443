import FeedCore
import FeedStore
import Foundation
import Logging
public import ServiceLifecycle

/// Keeps the WebSub subscriptions where the configuration wants them (issue 25), every few seconds:
/// subscribes the feeds whose polls found a hub, asks again when a verification does not come, renews
/// a lease when a third of it is left, and unsubscribes a feed that left the configuration (or all of
/// them when WebSub is turned off). Idle when WebSub is off and nothing is subscribed.
public struct WebSubService: Service {
    let resources: DaemonResources
    let tick: Duration

    public init(resources: DaemonResources, tick: Duration = .seconds(2)) {
        self.resources = resources
        self.tick = tick
    }

    /// How long a request waits for its verification, or after a failure, before it is sent again.
    static let retry: Int64 = 60

    public func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await round(resources.context)
                try? await Task.sleep(for: tick)
            }
        }
    }

    func round(_ context: DaemonContext) async {
        let subscriptions: [WebSubSubscription]
        do {
            subscriptions = try await context.store.subscriptions()
        } catch {
            context.logger.warning("cannot read the WebSub subscriptions: \(error)")
            return
        }
        context.websub.replaceAll(subscriptions)
        let config = context.config
        let wanted = Set(config.websubEnabled ? config.feeds.filter(\.enabled).map(\.url) : [])
        let subscriber = WebSubSubscriber(context: context)
        let now = Int64(Date().timeIntervalSince1970)
        for var s in subscriptions {
            var logger = context.logger
            logger[metadataKey: "feed"] = "\(URLRedaction.redact(s.feedKey))"
            if !wanted.contains(s.feedKey) {
                // Never verified: nothing to undo at the hub. Else one unsubscribe, asked again once.
                if s.state == .new || s.state == .requested || (s.state == .unsubscribing && now - s.requestedAt > 3 * Self.retry)
                    || config.http.publicURL == nil
                {
                    try? await context.store.deleteSubscription(feedKey: s.feedKey)
                    context.websub.remove(feedKey: s.feedKey)
                    continue
                }
                guard s.state != .unsubscribing || now - s.requestedAt >= Self.retry else { continue }
                let failure = await subscriber.request("unsubscribe", s)
                if s.state != .unsubscribing { s.requestedAt = now }  // the first request starts the clock
                s.state = .unsubscribing
                s.lastError = failure
                logger.info("WebSub: unsubscribing from \(s.hub)\(failure.map { " failed: \($0)" } ?? "")")
                try? await context.store.save(s)
                continue
            }
            let due: Bool
            switch s.state {
            case .new: due = s.requestedAt == 0 || now - s.requestedAt >= Self.retry
            case .requested: due = now - s.requestedAt >= Self.retry
            case .active:
                due = s.leaseUntil - now <= s.leaseSeconds / 3 && now - s.requestedAt >= min(Self.retry, s.leaseSeconds / 6)
            case .unsubscribing: due = true  // back in the configuration
            }
            guard due else { continue }
            let failure = await subscriber.request("subscribe", s)
            // The hub may have verified while the request was answered: build on the row as it is now.
            guard var current = (try? await context.store.subscription(token: s.token)) ?? nil else { continue }
            current.requestedAt = now
            current.lastError = failure
            if let failure {
                logger.warning("WebSub: the hub \(s.hub) refused the subscription: \(failure); polling as usual")
                if current.state != .active { current.state = .new }
            } else {
                if current.state == s.state, current.state != .active { current.state = .requested }
                logger.info("WebSub: \(s.state == .active ? "renewing" : "subscribing") at \(s.hub)")
            }
            try? await context.store.save(current)
            context.websub.set(current)
        }
    }
}
