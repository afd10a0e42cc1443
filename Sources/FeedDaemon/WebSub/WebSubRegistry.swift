import FeedStore
import Synchronization

/// The WebSub subscriptions by feed, in memory for the poller (is this feed pushed? should it be
/// subscribed?), refreshed from the state by `WebSubService` and kept current by the callbacks.
final class WebSubRegistry: Sendable {
    private let byFeed = Mutex<[String: WebSubSubscription]>([:])

    init() {}

    func replaceAll(_ subscriptions: [WebSubSubscription]) {
        byFeed.withLock { map in map = Dictionary(subscriptions.map { ($0.feedKey, $0) }) { a, _ in a } }
    }

    subscript(feedKey: String) -> WebSubSubscription? { byFeed.withLock { $0[feedKey] } }

    func set(_ subscription: WebSubSubscription) { byFeed.withLock { $0[subscription.feedKey] = subscription } }

    func remove(feedKey: String) { byFeed.withLock { _ = $0.removeValue(forKey: feedKey) } }
}
