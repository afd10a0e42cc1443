import Logging
public import ServiceLifecycle
import Synchronization

/// Hands alerts in the spool to the configured sinks: every second, a round for each sink that has none
/// running (so a slow sink delays neither polling nor the other sinks). The sinks are read from the
/// current configuration each time, so one added on reload starts with the next alert. Stops at
/// graceful shutdown; an attempt cut short then is retried at the next start.
public struct SinkService: Service {
    let resources: DaemonResources
    let tick: Duration

    public init(resources: DaemonResources, tick: Duration = .seconds(1)) {
        self.resources = resources
        self.tick = tick
    }

    public func run() async {
        let busy = Busy()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                while !Task.isCancelled {
                    let context = resources.context
                    for sink in context.config.sinks {
                        guard busy.names.withLock({ $0.insert(sink.name).inserted }) else { continue }
                        group.addTask {
                            _ = await SinkRound(context: context, sink: sink).run()
                            busy.names.withLock { _ = $0.remove(sink.name) }
                        }
                    }
                    try? await Task.sleep(for: tick)
                }
            }
        }
    }
}

/// The sinks with a round running.
private final class Busy: Sendable {
    let names = Mutex<Set<String>>([])
}
