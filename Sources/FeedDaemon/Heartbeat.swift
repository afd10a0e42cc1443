import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The last time a loop made progress (monotonic milliseconds), for the watchdog.
public final class Heartbeat: Sendable {
    private let last = Atomic<Int64>(Heartbeat.now())

    public init() {}

    public func beat() { last.store(Heartbeat.now(), ordering: .relaxed) }

    /// Milliseconds since the last beat.
    public var age: Int64 { Heartbeat.now() - last.load(ordering: .relaxed) }

    public static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
