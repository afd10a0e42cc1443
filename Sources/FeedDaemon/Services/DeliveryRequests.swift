/// Requests for a delivery round, from the poller (a poll raised alerts) to the delivery service.
/// Requests made while a round runs collapse into one more round.
public struct DeliveryRequests: Sendable {
    let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    public init() {
        (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a delivery round soon.
    public func request() { continuation.yield() }

    /// No more requests: the delivery service finishes its last round and returns.
    func finish() { continuation.finish() }
}
