import Logging
public import ServiceLifecycle
import Synchronization

/// Hands alerts in the spool to the configured sinks: every second, a round for each sink that has none
/// running (so a slow sink delays neither polling nor the other sinks). The sinks are read from the
/// current configuration each time, so one added on reload starts with the next alert. At graceful
/// shutdown no new attempt starts and the ones under way finish (a sink's receiver has the alert, and
/// the state says so); the group's shutdown limit cancels what is still running after that, and an
/// attempt cut short is retried at the next start.
public struct SinkService: Service {
    let resources: DaemonResources
    let tick: Duration

    public init(resources: DaemonResources, tick: Duration = .seconds(1)) {
        self.resources = resources
        self.tick = tick
    }

    /// How long a sink waits after the state failed it (read or write), doubling to `stateBackoffLimit`:
    /// a database outage or a full disk is not retried, nor logged, every second (issue 23, finding 11).
    static let stateBackoff: Int64 = 10_000
    static let stateBackoffLimit: Int64 = 300_000

    public func run() async {
        let state = State()
        let unrecorded = UnrecordedResults()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                while !state.stopping.load(ordering: .relaxed), !Task.isCancelled {
                    let context = resources.context
                    let now = WallClock.milliseconds()
                    for sink in context.config.sinks where state.notBefore.withLock({ ($0[sink.name]?.at ?? 0) <= now }) {
                        guard state.busy.withLock({ $0.insert(sink.name).inserted }) else { continue }
                        group.addTask {
                            var round = SinkRound(context: context, sink: sink) { state.stopping.load(ordering: .relaxed) }
                            round.unrecorded = unrecorded
                            let outcome = await round.run()
                            state.notBefore.withLock { waits in
                                if outcome.stateError {
                                    let wait = min(Self.stateBackoffLimit, 2 * (waits[sink.name]?.wait ?? Self.stateBackoff / 2))
                                    waits[sink.name] = (WallClock.milliseconds() + wait, wait)
                                } else {
                                    waits[sink.name] = nil
                                }
                            }
                            state.busy.withLock { _ = $0.remove(sink.name) }
                        }
                    }
                    try? await Task.sleep(for: tick)
                }
            }
        } onGracefulShutdown: {
            state.stopping.store(true, ordering: .relaxed)
        }
    }
}

/// The sinks with a round running, those waiting after a state error (until when, and the wait that
/// was), and whether shutdown has begun.
private final class State: Sendable {
    let busy = Mutex<Set<String>>([])
    let notBefore = Mutex<[String: (at: Int64, wait: Int64)]>([:])
    let stopping = Atomic<Bool>(false)
}
