/// When to try a failing feed again: exponential back-off from the feed's own interval, capped, with
/// jitter so feeds that failed together do not retry together; the first success resets the streak
/// (the scheduler keeps the streak). Never gives up: a feed that keeps failing is retried every `cap`
/// and reported, not silently dropped.
public struct Backoff: Sendable {
    public var cap: Int
    /// ±fraction of the delay added at random.
    public var jitter: Double

    public init(cap: Int = 6 * 3600, jitter: Double = 0.2) {
        self.cap = cap
        self.jitter = jitter
    }

    /// Seconds until the next attempt after `errorStreak` consecutive failures (1 = the first failure).
    /// `unit` is a random number in 0..<1 (injectable for tests).
    public func delay(errorStreak: Int, interval: Int, unit: Double = Double.random(in: 0..<1)) -> Int {
        let base = max(60, interval)
        let exponent = min(max(errorStreak - 1, 0), 20)
        let raw = min(Double(cap), Double(base) * Double(1 << exponent))
        let factor = 1 + jitter * (2 * unit - 1)
        return max(60, min(cap, Int((raw * factor).rounded())))
    }
}
