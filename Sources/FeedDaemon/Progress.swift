import FeedCore
import Synchronization

/// The last time a loop made progress (monotonic milliseconds, `Uptime`), for the watchdog.
public final class Progress: Sendable {
    private let last = Atomic<Int64>(Uptime.milliseconds)

    public init() {}

    public func beat() { last.store(Uptime.milliseconds, ordering: .relaxed) }

    /// Milliseconds since the last beat.
    public var age: Int64 { Uptime.milliseconds - last.load(ordering: .relaxed) }
}
