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

    public func run() async {
        let state = State()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                while !state.stopping.load(ordering: .relaxed), !Task.isCancelled {
                    let context = resources.context
                    for sink in context.config.sinks {
                        guard state.busy.withLock({ $0.insert(sink.name).inserted }) else { continue }
                        group.addTask {
                            _ = await SinkRound(context: context, sink: sink) { state.stopping.load(ordering: .relaxed) }.run()
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

/// The sinks with a round running, and whether shutdown has begun.
private final class State: Sendable {
    let busy = Mutex<Set<String>>([])
    let stopping = Atomic<Bool>(false)
}
