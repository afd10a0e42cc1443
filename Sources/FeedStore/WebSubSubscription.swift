/// One feed's WebSub subscription (issue 25), in the state so that a restart, or another node of a
/// cluster, verifies and accepts what the hub sends to the callback: the callback's secret token, the
/// HMAC secret, and where the subscription stands.
public struct WebSubSubscription: Sendable, Equatable {
    public enum State: String, Sendable {
        /// The feed names a hub; no request sent yet (or the last one failed, or the hub denied it).
        case new
        /// Subscribe sent; waiting for the hub's verification of intent.
        case requested
        /// Verified: the hub pushes until `leaseUntil` (renewed before).
        case active
        /// The feed left the configuration: unsubscribe sent, waiting for its verification.
        case unsubscribing
    }

    public var feedKey: String
    public var hub: String
    public var topic: String
    /// The last path segment of the callback URL (`/websub/<token>`): random, secret, per subscription.
    public var token: String
    /// The `hub.secret` content signatures are checked against.
    public var secret: String
    public var state: State
    /// When the last request was sent to the hub (0: never).
    public var requestedAt: Int64
    /// The lease the hub granted (seconds) and when it ends.
    public var leaseSeconds: Int64
    public var leaseUntil: Int64
    public var lastPush: Int64?
    /// A poll found entries no push brought: the hub is not pushing, so the feed is polled at its own
    /// rhythm until a push comes again.
    public var missed: Bool
    public var lastError: String?

    public init(
        feedKey: String, hub: String, topic: String, token: String, secret: String, state: State = .new,
        requestedAt: Int64 = 0, leaseSeconds: Int64 = 0, leaseUntil: Int64 = 0, lastPush: Int64? = nil,
        missed: Bool = false, lastError: String? = nil
    ) {
        self.feedKey = feedKey
        self.hub = hub
        self.topic = topic
        self.token = token
        self.secret = secret
        self.state = state
        self.requestedAt = requestedAt
        self.leaseSeconds = leaseSeconds
        self.leaseUntil = leaseUntil
        self.lastPush = lastPush
        self.missed = missed
        self.lastError = lastError
    }

    /// Verified and within its lease at `now`: pushes are expected.
    public func isPushing(at now: Int64) -> Bool { state == .active && leaseUntil > now && !missed }
}

/// The WebSub subscriptions of a state.
public protocol WebSubStore: Sendable {
    func subscriptions() async throws -> [WebSubSubscription]
    func subscription(token: String) async throws -> WebSubSubscription?
    /// Inserts or replaces the feed's subscription.
    func save(_ subscription: WebSubSubscription) async throws
    func deleteSubscription(feedKey: String) async throws
}
