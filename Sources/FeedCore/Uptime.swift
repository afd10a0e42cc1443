/// The one monotonic clock of the process (`ContinuousClock`), as numbers: progress stamps kept in
/// atomics (the fetcher's thread, the scheduler's heartbeat) and durations of transfers and parses.
/// Wall-clock time never serves here, since it jumps.
public enum Uptime: Sendable {
    private static let origin = ContinuousClock.now

    /// Seconds since the process first asked.
    public static var seconds: Double {
        let (s, atto) = (ContinuousClock.now - origin).components
        return Double(s) + Double(atto) / 1e18
    }

    /// Milliseconds since the process first asked.
    public static var milliseconds: Int64 {
        let (s, atto) = (ContinuousClock.now - origin).components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}
