import FeedCore
public import FeedStore
import Foundation

/// A configured feed's status, spelled once for `status`, the metrics file and STATUS=.
public enum FeedStatus: Equatable, Sendable {
    case disabled
    case neverPolled
    case gone
    /// The result of its last poll (nil: a state without one, from an older version).
    case polled(PollResult?)

    public init(enabled: Bool, state: FeedState?) {
        if !enabled {
            self = .disabled
            return
        }
        guard let state else {
            self = .neverPolled
            return
        }
        self = state.gone ? .gone : .polled(state.lastResult.flatMap(PollResult.init(rawValue:)))
    }

    public var name: String {
        switch self {
        case .disabled: return "disabled"
        case .neverPolled: return "never_polled"
        case .gone: return "gone"
        case .polled(let r): return r?.rawValue ?? "unknown"
        }
    }
}

/// What makes the daemon unhealthy (`status` exits 69 on it): not running (nobody holds the state's
/// lock), no recent sign of life in the heartbeat file, or more than half of the enabled feeds failing
/// (three errors in a row, or gone).
public enum Health: Sendable {
    /// `running`: whether a daemon holds the state's lock (`StateLock.holder`), or a node of a cluster
    /// is alive. `signOfLife`: the last one (the heartbeat file; a cluster's freshest node).
    public static func problems(
        _ config: DaemonConfig, states: [String: FeedState], running: Bool, signOfLife: Int64?, now: Int64
    ) -> [String] {
        var out: [String] = []
        if !running { out.append("the daemon is not running") }
        let limit = Int64(max(300, 3 * config.schedule.interval))
        if let beat = signOfLife {
            if now - beat > limit { out.append("no sign of life for \(DurationText.format(Int(now - beat)))") }
        } else {
            out.append("the daemon has never run on this state")
        }
        let enabled = config.feeds.filter(\.enabled)
        let failing = enabled.filter { feed in
            states[feed.url].map { $0.errorStreak >= 3 || $0.gone } ?? false
        }
        if !enabled.isEmpty, failing.count * 2 > enabled.count {
            out.append("\(failing.count) of \(enabled.count) feeds failing")
        }
        return out
    }

    /// The time in `state_dir/heartbeat` (written by `SpoolWriter` after each cycle and every 30 s).
    public static func lastSignOfLife(stateDir: String) -> Int64? {
        (try? String(contentsOfFile: stateDir + "/heartbeat", encoding: .utf8))
            .flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
